package io.jenkins.plugins.mlstages.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import io.jenkins.plugins.mlstages.data.CsvOptions;
import io.jenkins.plugins.mlstages.data.DataFormat;

/**
 * What {@link EvaluateModel} is asked to do. Immutable and validated on construction.
 *
 * @param scoreColumns binary: the probability of the positive class; multiclass: one probability column per
 *     class, in class order 0..k-1; regression: the predicted value (or use {@code predictionColumn})
 * @param predictionColumn a predicted label (classification) or value (regression), instead of scores
 * @param threshold binary: predicted positive when {@code score >= threshold}; null with {@code thresholdMetric}
 * @param thresholdMetric binary: choose the threshold that maximises {@code f1} or {@code accuracy}; null for none
 * @param positiveLabel binary: the label text of the positive class; null accepts 1/0, true/false, yes/no
 * @param minSliceSize slices with fewer rows are listed but not evaluated
 * @param resamples bootstrap resamples for confidence intervals; 0 for none
 * @param championScoreColumn binary: the champion's score on the same rows, for a paired bootstrap of the difference
 * @param sensitiveColumn binary: a column whose groups are compared for fairness
 * @param predictions the predictions file; null when they are in a table ({@link TableEvaluate})
 * @param championPredictions a second file holding {@code championScoreColumn} for the same rows in the same
 *     order; null when that column is in {@code predictions}
 */
public record EvaluateRequest(Path predictions, DataFormat format, CsvOptions csv, Task task, String label,
        List<String> scoreColumns, String predictionColumn, List<String> sliceColumns, int minSliceSize, Double threshold,
        String thresholdMetric, String positiveLabel, int resamples, double level, long seed, String championScoreColumn,
        String sensitiveColumn, int curvePoints, Path championPredictions) {
    public static final int DEFAULT_MIN_SLICE_SIZE = 30;
    public static final int DEFAULT_CURVE_POINTS = 300;
    /** Curves are drawn on a page: more points than pixels only grow the report. */
    public static final int MAX_CURVE_POINTS = 10_000;

    public EvaluateRequest {
        Objects.requireNonNull(task, "task");
        csv = csv == null ? CsvOptions.defaults() : csv;
        scoreColumns = scoreColumns == null ? List.of() : List.copyOf(scoreColumns);
        sliceColumns = sliceColumns == null ? List.of() : List.copyOf(sliceColumns);
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("--label is required: the column with the true labels or values");
        }
        if (scoreColumns.isEmpty() == (predictionColumn == null)) {
            throw new IllegalArgumentException("give either --score (probabilities or values) or --prediction, not "
                    + (scoreColumns.isEmpty() ? "neither" : "both"));
        }
        if (task == Task.BINARY && scoreColumns.size() > 1) {
            throw new IllegalArgumentException("a binary task takes one --score column (the positive class's probability), got "
                    + scoreColumns.size());
        }
        if (task == Task.MULTICLASS && scoreColumns.size() == 1) {
            throw new IllegalArgumentException("a multiclass task takes one --score column per class, or --prediction");
        }
        if (task == Task.REGRESSION && scoreColumns.size() > 1) {
            throw new IllegalArgumentException("a regression task takes one --score (or --prediction) column");
        }
        if (threshold != null && thresholdMetric != null) {
            throw new IllegalArgumentException("give --threshold or --threshold-metric, not both");
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--threshold must be between 0 and 1, was " + threshold);
        }
        if (thresholdMetric != null && !thresholdMetric.equals("f1") && !thresholdMetric.equals("accuracy")) {
            throw new IllegalArgumentException("--threshold-metric must be f1 or accuracy, was '" + thresholdMetric + "'");
        }
        if (minSliceSize < 1) {
            throw new IllegalArgumentException("--min-slice-size must be at least 1, was " + minSliceSize);
        }
        if (resamples < 0 || resamples > Bootstrap.MAX_RESAMPLES) {
            throw new IllegalArgumentException("--resamples must be between 0 and " + Bootstrap.MAX_RESAMPLES + ", was "
                    + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("--level must be between 0 and 1, was " + level);
        }
        if (curvePoints < 2 || curvePoints > MAX_CURVE_POINTS) {
            throw new IllegalArgumentException("curve points must be between 2 and " + MAX_CURVE_POINTS + ", was " + curvePoints);
        }
        if ((championScoreColumn != null || sensitiveColumn != null) && task != Task.BINARY) {
            throw new IllegalArgumentException("--champion-score and --sensitive are for binary tasks");
        }
        if (championPredictions != null && championScoreColumn == null) {
            throw new IllegalArgumentException("--champion-predictions needs --champion-score: the column to read from it");
        }
    }

    /** Without a separate champion predictions file. */
    public EvaluateRequest(Path predictions, DataFormat format, CsvOptions csv, Task task, String label,
            List<String> scoreColumns, String predictionColumn, List<String> sliceColumns, int minSliceSize,
            Double threshold, String thresholdMetric, String positiveLabel, int resamples, double level, long seed,
            String championScoreColumn, String sensitiveColumn, int curvePoints) {
        this(predictions, format, csv, task, label, scoreColumns, predictionColumn, sliceColumns, minSliceSize, threshold,
                thresholdMetric, positiveLabel, resamples, level, seed, championScoreColumn, sensitiveColumn, curvePoints,
                null);
    }

    /** A binary evaluation of {@code score} against {@code label} with the defaults. */
    public static EvaluateRequest binary(Path predictions, String label, String score) {
        return new EvaluateRequest(predictions, null, null, Task.BINARY, label, List.of(score), null, List.of(),
                DEFAULT_MIN_SLICE_SIZE, null, null, null, Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_LEVEL, 42, null,
                null, DEFAULT_CURVE_POINTS);
    }
}
