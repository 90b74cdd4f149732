package io.jenkins.plugins.mlstages.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import io.jenkins.plugins.mlstages.data.ColumnType;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.data.RowSink;
import io.jenkins.plugins.mlstages.data.TableReaders;
import io.jenkins.plugins.mlstages.data.TextRow;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.dvc.DvcLookup;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.dvc.DvcTracking;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportNumbers;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The evaluateModel stage: reads a predictions file (CSV, JSON lines or Parquet) into primitive
 * arrays, computes the task's metrics under MLflow's names (equal to scikit-learn's), seeded bootstrap
 * intervals, per-slice metrics, fairness and curves. It judges nothing: modelGate does, from its report.
 * Bad input (a missing column, a non-finite score, a label outside the classes) is a
 * {@link DataFormatException} naming the file, row and column.
 */
public final class EvaluateModel {
    static final String MISSING = "(missing)";
    /** Classes up to which multiclass reports carry per-class curves (MLflow's {@code max_classes_for_multiclass_roc_pr}). */
    public static final int MAX_CLASSES_FOR_CURVES = 10;

    private final StageLog log;
    private final DvcPolicy dvcPolicy;

    public EvaluateModel(StageLog log) {
        this(log, DvcPolicy.WARNING);
    }

    /** @param dvcPolicy how a DVC-tracked predictions file that is not the one DVC recorded is reported (docs/dvc.md) */
    public EvaluateModel(StageLog log, DvcPolicy dvcPolicy) {
        this.log = log;
        this.dvcPolicy = dvcPolicy;
    }

    public EvaluateResult run(EvaluateRequest request) throws DataFormatException, IOException {
        Path file = request.predictions();
        if (file == null) {
            throw new IllegalArgumentException("no predictions file: give --predictions");
        }
        DataFormatException.requireFile(file);
        DataFormat format = request.format() != null ? request.format() : DataFormat.fromFileName(file).orElseThrow(
                () -> new DataFormatException(file, 0, null, "cannot tell the format from the file name: pass --format"));
        Columns columns = new Columns(request, file, request.championPredictions() == null);
        TableReaders.forFormat(format, request.csv()).read(file, columns);
        if (columns.rows == 0) {
            throw new DataFormatException(file, 0, null, "has no prediction rows");
        }
        if (request.championPredictions() != null) {
            columns.championScores = championScores(request, columns.rows);
        }
        List<Finding> findings = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, EvaluateResult.IntervalView> intervals = new LinkedHashMap<>();
        Map<String, EvaluateResult.IntervalView> paired = new LinkedHashMap<>();
        Outcome outcome;
        List<EvaluateResult.SliceMetrics> slices;
        EvaluateResult.FairnessView fairness;
        try {
            switch (request.task()) {
                case BINARY:
                    outcome = binary(request, columns, metrics, intervals, paired, findings);
                    break;
                case MULTICLASS:
                    outcome = multiclass(request, columns, metrics, intervals, findings);
                    break;
                default:
                    outcome = regression(request, columns, metrics, intervals, findings);
            }
            slices = slices(request, columns, findings, outcome.threshold);
            fairness = fairness(request, columns, outcome.threshold, metrics, intervals);
        } catch (BadInput e) {
            throw e.unwrap();
        }
        Optional<DvcTracking> dvc = DvcLookup.forStage(file, log, dvcPolicy);
        if (dvcPolicy != DvcPolicy.OFF) {
            dvc.flatMap(d -> d.finding(dvcPolicy.severity())).ifPresent(findings::add);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        dvc.ifPresent(d -> attributes.putAll(d.lineageAttributes()));
        attributes.put("source", file.toAbsolutePath().toUri().toString());
        attributes.put("rows", String.valueOf(columns.rows));
        List<LineageNode> lineage = List.of(new LineageNode("dataset",
                columns.sha256 != null ? ValidateData.digestText(columns.sha256) : digest(file), file.getFileName().toString(),
                attributes));
        Status status = StageReport.verdict(findings);
        log.info("evaluate: " + Plural.of(columns.rows, "row") + ", " + Plural.of(metrics.size(), "metric")
                + (slices.isEmpty() ? "" : ", " + Plural.of(slices.size(), "slice")) + ": " + status);
        return new EvaluateResult(status, findings, metrics, lineage, request.task().toString(), columns.rows,
                outcome.threshold, intervals, paired.isEmpty() ? null : paired, slices.isEmpty() ? null : slices,
                fairness, outcome.confusion, outcome.classes, outcome.curves);
    }

    /**
     * The champion's scores from a second file: the same rows in the same order, so a count that differs
     * is an error rather than a guess.
     */
    private static NumberColumn championScores(EvaluateRequest request, int rows) throws DataFormatException, IOException {
        Path file = request.championPredictions();
        DataFormatException.requireFile(file);
        DataFormat format = DataFormat.fromFileName(file).orElseThrow(
                () -> new DataFormatException(file, 0, null, "cannot tell the format from the file name"));
        NumberColumn scores = new NumberColumn();
        String column = request.championScoreColumn();
        TableReaders.forFormat(format, request.csv()).read(file, new RowSink() {
            private int index = -1;

            @Override
            public void header(List<String> names) throws DataFormatException {
                index = names.indexOf(column);
                if (index < 0) {
                    throw new DataFormatException(file, 0, null, "--champion-score: no column '" + column
                            + "'; the columns are " + String.join(", ", names));
                }
            }

            @Override
            public void row(long row, long line, String[] values) throws DataFormatException {
                scores.add(finiteNumber(file, values[index], line, column));
            }
        });
        if (scores.size() != rows) {
            throw new DataFormatException(file, 0, null, "has " + scores.size() + " rows, the candidate's predictions have "
                    + rows + ": a paired comparison needs the champion's scores for the same rows, in the same order");
        }
        return scores;
    }

    /** Per-task facts the result needs besides the metrics. */
    private record Outcome(Double threshold, long[][] confusion, List<String> classes, EvaluateResult.Curves curves) {
    }

    // ---- binary ---------------------------------------------------------------------------------

    private Outcome binary(EvaluateRequest request, Columns c, Map<String, Double> metrics,
            Map<String, EvaluateResult.IntervalView> intervals, Map<String, EvaluateResult.IntervalView> paired,
            List<Finding> findings) {
        int[] labels = c.binaryLabels();
        if (c.predictedLabels != null) {
            int[] predicted = c.binaryPredictions();
            ConfusionCounts counts = BinaryMetrics.confusion(labels, predicted);
            putConfusion(metrics, counts, findings);
            if (request.resamples() > 0) {
                putIntervals(intervals, metrics, request, List.of(MetricKernels.binaryRows(labels, predicted, null)));
            }
            return new Outcome(null, confusion(counts), null, null);
        }
        double[] scores = c.scores(0);
        double threshold = request.threshold() != null ? request.threshold() : BinaryMetrics.DEFAULT_THRESHOLD;
        if (request.thresholdMetric() != null) {
            BinaryMetrics.ThresholdChoice choice = BinaryMetrics.bestThreshold(labels, scores,
                    request.thresholdMetric().equals("f1") ? BinaryMetrics.ThresholdMetric.F1 : BinaryMetrics.ThresholdMetric.ACCURACY);
            threshold = choice.threshold();
            log.info("evaluate: threshold " + threshold + " maximises " + request.thresholdMetric() + " ("
                    + format(choice.value()) + ")");
        }
        BinaryMetrics.Result result = BinaryMetrics.evaluate(labels, scores, threshold);
        putBinary(metrics, result, findings);
        if (request.resamples() > 0) {
            double t = threshold;
            // log_loss is reported exactly when the scores are probabilities
            boolean probabilities = metrics.containsKey("log_loss");
            List<ResampleKernel> candidate = binaryKernels(labels, scores, t, probabilities);
            putIntervals(intervals, metrics, request, candidate);
            if (request.championScoreColumn() != null) {
                double[] championScores = c.championScores();
                boolean both = probabilities && inUnitInterval(championScores);
                List<ResampleKernel> champion = binaryKernels(labels, championScores, t, both);
                if (!both) {
                    candidate = binaryKernels(labels, scores, t, false);
                }
                List<ResampleKernel> differences = new ArrayList<>();
                for (int k = 0; k < candidate.size(); k++) {
                    differences.add(MetricKernels.difference(candidate.get(k), champion.get(k)));
                }
                Map<String, Double> comparable = new LinkedHashMap<>(metrics);
                // the same rows for both models: the class counts cannot differ
                comparable.keySet().removeAll(List.of("positive_count", "negative_count"));
                putIntervals(paired, comparable, request, differences);
            }
        }
        return new Outcome(threshold, confusion(result.counts()), null, binaryCurves(result, request.curvePoints()));
    }

    /** The report's ROC, precision-recall and (for probabilities) calibration curves, downsampled to {@code points}. */
    static EvaluateResult.Curves binaryCurves(BinaryMetrics.Result result, int points) {
        EvaluateResult.CurveView roc = curve("false_positive_rate", "true_positive_rate", result.roc().downsample(points));
        EvaluateResult.CurveView pr = curve("recall", "precision", result.precisionRecall().downsample(points));
        EvaluateResult.CurveView calibration = result.calibration() == null ? null
                : new EvaluateResult.CurveView("mean_predicted_probability", "fraction_of_positives",
                        result.calibration().probPred(), result.calibration().probTrue(), null);
        return new EvaluateResult.Curves(roc, pr, calibration, null);
    }

    /** The binary kernels at {@code threshold}: ranking, confusion and, for probabilities, log loss, Brier and ECE. */
    private static List<ResampleKernel> binaryKernels(int[] labels, double[] scores, double threshold,
            boolean probabilities) {
        int[] predicted = new int[labels.length];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = scores[i] >= threshold ? 1 : 0;
        }
        return List.of(MetricKernels.binaryRanking(labels, scores),
                MetricKernels.binaryRows(labels, predicted, probabilities ? scores : null));
    }

    private static boolean inUnitInterval(double[] values) {
        for (double v : values) {
            if (!(v >= 0 && v <= 1)) {
                return false;
            }
        }
        return true;
    }

    static void putBinary(Map<String, Double> metrics, BinaryMetrics.Result r, List<Finding> findings) {
        putConfusion(metrics, r.counts(), findings);
        put(metrics, findings, "roc_auc", r.rocAuc(), "the labels hold one class only");
        put(metrics, findings, "precision_recall_auc", r.precisionRecallAuc(), "the labels hold one class only");
        String notProbabilities = "some scores lie outside [0, 1], so they are not probabilities";
        put(metrics, findings, "log_loss", r.logLoss(), notProbabilities);
        put(metrics, findings, "brier_score_loss", r.brierScore(), notProbabilities);
        put(metrics, findings, "expected_calibration_error", r.expectedCalibrationError(), notProbabilities);
    }

    static void putConfusion(Map<String, Double> metrics, ConfusionCounts counts, List<Finding> findings) {
        metrics.put("example_count", (double) counts.total());
        metrics.put("accuracy_score", counts.accuracy());
        metrics.put("precision_score", counts.precision());
        metrics.put("recall_score", counts.recall());
        metrics.put("f1_score", counts.f1());
        metrics.put("true_negatives", (double) counts.tn());
        metrics.put("false_positives", (double) counts.fp());
        metrics.put("false_negatives", (double) counts.fn());
        metrics.put("true_positives", (double) counts.tp());
        metrics.put("positive_count", (double) counts.positives());
        metrics.put("negative_count", (double) counts.negatives());
        if (counts.positives() == 0 || counts.negatives() == 0) {
            findings.add(new Finding("evaluate.one_class", null, Severity.WARNING, false,
                    "the labels hold one class only (" + counts.positives() + " positive, " + counts.negatives()
                            + " negative): ranking metrics are undefined and the others say little",
                    counts.positives() + " positive / " + counts.negatives() + " negative", "both classes"));
        }
    }

    static long[][] confusion(ConfusionCounts counts) {
        return new long[][] {{counts.tn(), counts.fp()}, {counts.fn(), counts.tp()}};
    }

    // ---- multiclass -----------------------------------------------------------------------------

    private Outcome multiclass(EvaluateRequest request, Columns c, Map<String, Double> metrics,
            Map<String, EvaluateResult.IntervalView> intervals, List<Finding> findings) throws DataFormatException {
        MulticlassMetrics.Result r;
        List<String> classes;
        int[] labels;
        int[] predicted;
        double[][] probabilities = null;
        if (c.predictedLabels != null) {
            classes = c.classesOfLabelsAndPredictions();
            labels = c.classIndices(c.labels, classes, request.label());
            predicted = c.classIndices(c.predictedLabels, classes, request.predictionColumn());
            if (classes.size() < 2) {
                // scikit-learn still scores one class; the averages say nothing then.
                metrics.put("example_count", (double) labels.length);
                metrics.put("accuracy_score", 1.0);
                findings.add(new Finding("evaluate.one_class", null, Severity.WARNING, false,
                        "labels and predictions hold one class only (" + classes.get(0) + "): only accuracy is defined",
                        classes.toString(), "at least 2 classes"));
                return new Outcome(null, new long[][] {{labels.length}}, classes, null);
            }
            r = MulticlassMetrics.evaluate(labels, predicted, classes.size());
        } else {
            int k = request.scoreColumns().size();
            classes = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                classes.add(String.valueOf(i));
            }
            labels = c.classIndices(c.labels, classes, request.label());
            probabilities = c.probabilityRows();
            r = MulticlassMetrics.evaluate(labels, probabilities);
            predicted = MulticlassMetrics.argmax(probabilities);
        }
        metrics.put("example_count", (double) r.exampleCount());
        metrics.put("accuracy_score", r.accuracy());
        // MLflow's multiclass precision/recall/F1 are the weighted averages.
        metrics.put("precision_score", r.precisionWeighted());
        metrics.put("recall_score", r.recallWeighted());
        metrics.put("f1_score", r.f1Weighted());
        metrics.put("precision_macro", r.precisionMacro());
        metrics.put("precision_micro", r.precisionMicro());
        metrics.put("recall_macro", r.recallMacro());
        metrics.put("recall_micro", r.recallMicro());
        metrics.put("f1_macro", r.f1Macro());
        metrics.put("f1_micro", r.f1Micro());
        if (c.predictedLabels == null) {
            // MLflow's multiclass roc_auc is the weighted one-vs-rest AUC; roc_auc_weighted is its alias for one
            // release (MetricSemantics reads metrics written when roc_auc meant the macro average).
            put(metrics, findings, "roc_auc", r.rocAucWeighted(), "rows do not sum to 1");
            put(metrics, findings, "roc_auc_macro", r.rocAucMacro(), "a class is absent from the labels, or rows do not sum to 1");
            put(metrics, findings, "roc_auc_weighted", r.rocAucWeighted(), "rows do not sum to 1");
            put(metrics, findings, "log_loss", r.logLoss(), "the scores are not probabilities");
        }
        if (request.resamples() > 0) {
            List<ResampleKernel> kernels = new ArrayList<>();
            kernels.add(MetricKernels.multiclassRows(labels, predicted, classes.size(),
                    metrics.containsKey("log_loss") ? probabilities : null));
            if (metrics.containsKey("roc_auc")) {
                if ((long) labels.length * classes.size() <= MetricKernels.MAX_MULTICLASS_AUC_CELLS) {
                    kernels.add(MetricKernels.multiclassAuc(labels, probabilities, classes.size()));
                } else {
                    findings.add(new Finding("evaluate.no_interval", "roc_auc", Severity.INFO, true, "no bootstrap "
                            + "interval for the multiclass roc_auc: " + labels.length + " rows x " + classes.size()
                            + " classes is over the " + MetricKernels.MAX_MULTICLASS_AUC_CELLS + " the per-class sorts "
                            + "may hold", labels.length + " x " + classes.size(),
                            "<= " + MetricKernels.MAX_MULTICLASS_AUC_CELLS));
                }
            }
            putIntervals(intervals, metrics, request, kernels);
        }
        List<EvaluateResult.ClassView> perClass = perClass(classes, labels, predicted, probabilities, request.curvePoints());
        return new Outcome(null, r.confusionMatrix(), classes, new EvaluateResult.Curves(null, null, null, perClass));
    }

    /**
     * Each class against the rest, as MLflow's {@code per_class_metrics}: the binary metrics of
     * {@code (label == c, predicted == c)}, and with probabilities the ROC AUC and average precision of
     * column c (undefined ones left out) and, up to {@link #MAX_CLASSES_FOR_CURVES} classes, its curves.
     */
    private static List<EvaluateResult.ClassView> perClass(List<String> classes, int[] labels, int[] predicted,
            double[][] probabilities, int points) {
        List<EvaluateResult.ClassView> views = new ArrayList<>();
        int n = labels.length;
        int[] positive = new int[n];
        int[] chosen = new int[n];
        double[] column = new double[n];
        boolean curves = probabilities != null && classes.size() <= MAX_CLASSES_FOR_CURVES;
        for (int c = 0; c < classes.size(); c++) {
            for (int i = 0; i < n; i++) {
                positive[i] = labels[i] == c ? 1 : 0;
                chosen[i] = predicted[i] == c ? 1 : 0;
            }
            ConfusionCounts counts = BinaryMetrics.confusion(positive, chosen);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("true_negatives", (double) counts.tn());
            metrics.put("false_positives", (double) counts.fp());
            metrics.put("false_negatives", (double) counts.fn());
            metrics.put("true_positives", (double) counts.tp());
            metrics.put("example_count", (double) counts.total());
            metrics.put("accuracy_score", counts.accuracy());
            metrics.put("recall_score", counts.recall());
            metrics.put("precision_score", counts.precision());
            metrics.put("f1_score", counts.f1());
            EvaluateResult.CurveView roc = null;
            EvaluateResult.CurveView pr = null;
            if (probabilities != null) {
                for (int i = 0; i < n; i++) {
                    column[i] = probabilities[i][c];
                }
                BinaryMetrics.Result r = BinaryMetrics.evaluate(positive, column, BinaryMetrics.DEFAULT_THRESHOLD);
                if (!Double.isNaN(r.rocAuc())) {
                    metrics.put("roc_auc", r.rocAuc());
                }
                if (counts.positives() > 0) {
                    metrics.put("precision_recall_auc", r.precisionRecallAuc());
                }
                if (curves && counts.positives() > 0 && counts.negatives() > 0) {
                    roc = curve("false_positive_rate", "true_positive_rate", r.roc().downsample(points));
                    pr = curve("recall", "precision", r.precisionRecall().downsample(points));
                }
            }
            views.add(new EvaluateResult.ClassView(classes.get(c), counts.positives(), metrics, roc, pr));
        }
        return views;
    }

    // ---- regression -----------------------------------------------------------------------------

    private Outcome regression(EvaluateRequest request, Columns c, Map<String, Double> metrics,
            Map<String, EvaluateResult.IntervalView> intervals, List<Finding> findings) {
        double[] truth = c.numericLabels();
        double[] predicted = c.predictedLabels != null ? c.numericPredictions() : c.scores(0);
        RegressionMetrics.Result r = RegressionMetrics.evaluate(truth, predicted);
        putRegression(metrics, findings, r);
        if (request.resamples() > 0) {
            putIntervals(intervals, metrics, request, List.of(MetricKernels.regression(truth, predicted)));
        }
        return new Outcome(null, null, null, null);
    }

    /** The regression metrics under MLflow's names. */
    static void putRegression(Map<String, Double> metrics, List<Finding> findings, RegressionMetrics.Result r) {
        metrics.put("example_count", (double) r.exampleCount());
        metrics.put("mean_absolute_error", r.meanAbsoluteError());
        metrics.put("mean_squared_error", r.meanSquaredError());
        metrics.put("root_mean_squared_error", r.rootMeanSquaredError());
        put(metrics, findings, "r2_score", r.r2(), "fewer than two rows");
        metrics.put("mean_absolute_percentage_error", r.meanAbsolutePercentageError());
        metrics.put("max_error", r.maxError());
        put(metrics, findings, "explained_variance_score", r.explainedVariance(), "fewer than two rows");
        metrics.put("sum_on_target", r.sumOnTarget());
        metrics.put("mean_on_target", r.meanOnTarget());
    }

    // ---- slices and fairness ----------------------------------------------------------------------

    private List<EvaluateResult.SliceMetrics> slices(EvaluateRequest request, Columns c, List<Finding> findings,
            Double threshold) throws DataFormatException {
        List<EvaluateResult.SliceMetrics> slices = new ArrayList<>();
        for (int s = 0; s < request.sliceColumns().size(); s++) {
            String column = request.sliceColumns().get(s);
            Map<String, List<Integer>> groups = new TreeMap<>();
            String[] values = c.sliceValues.get(s).toArray();
            for (int i = 0; i < values.length; i++) {
                groups.computeIfAbsent(values[i] == null ? MISSING : values[i], k -> new ArrayList<>()).add(i);
            }
            for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
                String key = column + "=" + group.getKey();
                int[] rows = group.getValue().stream().mapToInt(Integer::intValue).toArray();
                if (rows.length < request.minSliceSize()) {
                    findings.add(new Finding("evaluate.slice_size", key, Severity.INFO, false, key + ": "
                            + Plural.of(rows.length, "row") + ", under the minimum of " + request.minSliceSize() + "; not evaluated",
                            String.valueOf(rows.length), ">= " + request.minSliceSize()));
                    slices.add(new EvaluateResult.SliceMetrics(key, column, group.getKey(), rows.length, false, null));
                    continue;
                }
                Map<String, Double> sliceMetrics = new LinkedHashMap<>();
                List<Finding> ignored = new ArrayList<>();
                EvaluateRequest sliceRequest = new EvaluateRequest(request.predictions(), request.format(), request.csv(),
                        request.task(), request.label(), request.scoreColumns(), request.predictionColumn(), List.of(),
                        request.minSliceSize(), threshold, null, request.positiveLabel(), 0, request.level(),
                        request.seed(), null, null, request.curvePoints());
                Columns subset = c.subset(rows);
                try {
                    switch (request.task()) {
                        case BINARY:
                            binary(sliceRequest, subset, sliceMetrics, new LinkedHashMap<>(), new LinkedHashMap<>(), ignored);
                            break;
                        case MULTICLASS:
                            multiclass(sliceRequest, subset, sliceMetrics, new LinkedHashMap<>(), ignored);
                            break;
                        default:
                            regression(sliceRequest, subset, sliceMetrics, new LinkedHashMap<>(), ignored);
                    }
                } catch (IllegalArgumentException undefined) {
                    findings.add(new Finding("evaluate.slice_undefined", key, Severity.INFO, false, key
                            + ": metrics undefined on this slice: " + undefined.getMessage(), String.valueOf(rows.length),
                            "metrics"));
                    slices.add(new EvaluateResult.SliceMetrics(key, column, group.getKey(), rows.length, false, null));
                    continue;
                }
                slices.add(new EvaluateResult.SliceMetrics(key, column, group.getKey(), rows.length, true, sliceMetrics));
            }
        }
        return slices;
    }

    private static EvaluateResult.FairnessView fairness(EvaluateRequest request, Columns c, Double threshold,
            Map<String, Double> metrics, Map<String, EvaluateResult.IntervalView> intervals) {
        if (request.sensitiveColumn() == null) {
            return null;
        }
        String[] groups = c.sensitive.toArray();
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groups[i] == null ? MISSING : groups[i];
        }
        int[] labels = c.binaryLabels();
        int[] predicted;
        if (c.predictedLabels != null) {
            predicted = c.binaryPredictions();
        } else {
            double[] scores = c.scores(0);
            predicted = new int[scores.length];
            for (int i = 0; i < scores.length; i++) {
                predicted[i] = scores[i] >= threshold ? 1 : 0;
            }
        }
        Fairness.Report report = Fairness.evaluate(labels, predicted, groups, Fairness.Method.BETWEEN_GROUPS);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("demographic_parity_difference", report.demographicParityDifference());
        values.put("demographic_parity_ratio", report.demographicParityRatio());
        values.put("equalized_odds_difference", report.equalizedOddsDifference());
        values.put("equalized_odds_ratio", report.equalizedOddsRatio());
        values.put("equal_opportunity_difference", report.equalOpportunityDifference());
        values.forEach((name, value) -> {
            if (!Double.isNaN(value)) {
                metrics.put(name, value);
            }
        });
        List<EvaluateResult.GroupView> rates = new ArrayList<>();
        for (Fairness.GroupRates g : report.groups()) {
            rates.add(new EvaluateResult.GroupView(g.group(), g.count(), g.selectionRate(), g.truePositiveRate(),
                    g.falsePositiveRate()));
        }
        values.values().removeIf(v -> Double.isNaN(v));
        if (request.resamples() > 0) {
            putIntervals(intervals, metrics, request, List.of(MetricKernels.fairness(labels, predicted, groups)));
        }
        return new EvaluateResult.FairnessView(request.sensitiveColumn(), values, rates);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A metric, or a finding saying why it is undefined (NaN is not a number JSON can carry). */
    static void put(Map<String, Double> metrics, List<Finding> findings, String name, double value, String why) {
        if (Double.isNaN(value)) {
            findings.add(new Finding(ReportNumbers.METRIC_UNDEFINED, name, Severity.WARNING, false,
                    name + " is undefined: " + why, "undefined", "a number"));
        } else {
            metrics.put(name, value);
        }
    }

    private static void putIntervals(Map<String, EvaluateResult.IntervalView> target, String[] names,
            ConfidenceInterval[] intervals) {
        for (int i = 0; i < names.length; i++) {
            if (!Double.isNaN(intervals[i].lower())) {
                target.put(names[i], EvaluateResult.IntervalView.of(intervals[i]));
            }
        }
    }

    /**
     * The bootstrap intervals of every metric {@code kernels} compute that the evaluation reports (a metric
     * left out as undefined gets none; neither does one undefined on every resample).
     */
    private static void putIntervals(Map<String, EvaluateResult.IntervalView> target, Map<String, Double> metrics,
            EvaluateRequest request, List<ResampleKernel> kernels) {
        Bootstrap.intervals(metrics.get("example_count").intValue(), kernels, request.resamples(), request.level(),
                request.seed(), Runtime.getRuntime().availableProcessors()).forEach((name, ci) -> {
                    if (metrics.containsKey(name) && !Double.isNaN(ci.lower())) {
                        target.put(name, EvaluateResult.IntervalView.of(ci));
                    }
                });
    }

    private static EvaluateResult.CurveView curve(String x, String y, Curve curve) {
        double[] thresholds = curve.thresholds().clone();
        for (int i = 0; i < thresholds.length; i++) {
            // scikit-learn starts ROC thresholds at +inf, which JSON cannot carry.
            if (Double.isInfinite(thresholds[i])) {
                thresholds[i] = thresholds[i] > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
            }
        }
        return new EvaluateResult.CurveView(x, y, curve.x(), curve.y(), thresholds);
    }

    private static String digest(Path file) throws IOException {
        return ValidateData.digest(file);
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** Growable column of text values. */
    static final class TextColumn {
        private String[] values = new String[1024];
        private int size;

        void add(String value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        String[] toArray() {
            return Arrays.copyOf(values, size);
        }

        String get(int i) {
            return values[i];
        }
    }

    /** Growable column of numbers. */
    static final class NumberColumn {
        private double[] values = new double[1024];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }

        int size() {
            return size;
        }
    }

    /** The columns the evaluation needs, read in one pass; values are checked as they arrive. */
    static final class Columns implements RowSink {
        private final EvaluateRequest request;
        private final Path file;
        int rows;
        TextColumn labels = new TextColumn();
        TextColumn predictedLabels;
        List<NumberColumn> scores = new ArrayList<>();
        NumberColumn championScores;
        List<TextColumn> sliceValues = new ArrayList<>();
        TextColumn sensitive;
        private int labelIndex;
        private int predictionIndex = -1;
        private int[] scoreIndex;
        private int championIndex = -1;
        private int[] sliceIndex;
        private int sensitiveIndex = -1;
        private long[] lines = new long[1024];
        /** The row being read: one of the two is set. */
        private String[] stringRow;
        private TextRow textRow;
        /** Up to this many distinct values of a text column share their Strings across rows. */
        private static final int SHARED_VALUES = 16;
        private final String[] seenLabels = new String[SHARED_VALUES];
        private final String[] seenPredictions = new String[SHARED_VALUES];
        private final String[] seenSensitive = new String[SHARED_VALUES];
        private String[][] seenSlices;
        /** The file's SHA-256 when the reader computed it in the same read, else null. */
        byte[] sha256;

        private final boolean championInFile;

        Columns(EvaluateRequest request, Path file) {
            this(request, file, true);
        }

        /** @param championInFile whether the champion's score column is read from this file */
        Columns(EvaluateRequest request, Path file, boolean championInFile) {
            this.request = request;
            this.file = file;
            this.championInFile = championInFile;
        }

        @Override
        public void fileSha256(byte[] sha256) {
            this.sha256 = sha256;
        }

        @Override
        public void header(List<String> names) throws DataFormatException {
            labelIndex = index(names, request.label(), "--label");
            if (request.predictionColumn() != null) {
                predictionIndex = index(names, request.predictionColumn(), "--prediction");
                predictedLabels = new TextColumn();
            }
            scoreIndex = new int[request.scoreColumns().size()];
            for (int i = 0; i < scoreIndex.length; i++) {
                scoreIndex[i] = index(names, request.scoreColumns().get(i), "--score");
                scores.add(new NumberColumn());
            }
            if (request.championScoreColumn() != null && championInFile) {
                championIndex = index(names, request.championScoreColumn(), "--champion-score");
                championScores = new NumberColumn();
            }
            sliceIndex = new int[request.sliceColumns().size()];
            seenSlices = new String[sliceIndex.length][SHARED_VALUES];
            for (int i = 0; i < sliceIndex.length; i++) {
                sliceIndex[i] = index(names, request.sliceColumns().get(i), "--slice");
                sliceValues.add(new TextColumn());
            }
            if (request.sensitiveColumn() != null) {
                sensitiveIndex = index(names, request.sensitiveColumn(), "--sensitive");
                sensitive = new TextColumn();
            }
        }

        private int index(List<String> names, String column, String option) throws DataFormatException {
            int index = names.indexOf(column);
            if (index < 0) {
                throw new DataFormatException(file, 0, null, option + ": no column '" + column + "'; the columns are "
                        + String.join(", ", names));
            }
            return index;
        }

        @Override
        public void row(long row, long line, String[] values) throws DataFormatException {
            stringRow = values;
            textRow = null;
            accept(line);
        }

        /** A CSV row, read in place: scores parsed from the reader's buffer, repeated labels sharing one String. */
        @Override
        public void row(long row, long line, TextRow values) throws DataFormatException {
            textRow = values;
            stringRow = null;
            accept(line);
        }

        private String text(int index, String[] seen) {
            return textRow == null ? stringRow[index] : textRow.value(index, seen);
        }

        private void accept(long line) throws DataFormatException {
            String label = text(labelIndex, seenLabels);
            if (label == null) {
                throw new DataFormatException(file, line, request.label(), "the label is missing");
            }
            labels.add(label);
            if (predictedLabels != null) {
                String predicted = text(predictionIndex, seenPredictions);
                if (predicted == null) {
                    throw new DataFormatException(file, line, request.predictionColumn(), "the prediction is missing");
                }
                predictedLabels.add(predicted);
            }
            for (int i = 0; i < scoreIndex.length; i++) {
                scores.get(i).add(number(scoreIndex[i], line, request.scoreColumns().get(i)));
            }
            if (championIndex >= 0) {
                championScores.add(number(championIndex, line, request.championScoreColumn()));
            }
            for (int i = 0; i < sliceIndex.length; i++) {
                sliceValues.get(i).add(text(sliceIndex[i], seenSlices[i]));
            }
            if (sensitive != null) {
                sensitive.add(text(sensitiveIndex, seenSensitive));
            }
            if (rows == lines.length) {
                lines = Arrays.copyOf(lines, rows * 2);
            }
            lines[rows++] = line;
        }

        private double number(int index, long line, String column) throws DataFormatException {
            if (textRow != null) {
                double value = textRow.finiteNumberOrNaN(index);
                if (!Double.isNaN(value)) {
                    return value;
                }
                return finiteNumber(file, textRow.value(index), line, column); // says what is wrong with it
            }
            return finiteNumber(file, stringRow[index], line, column);
        }

        double[] scores(int i) {
            return scores.get(i).toArray();
        }

        double[] championScores() {
            return championScores.toArray();
        }

        int[] binaryLabels() {
            return binary(labels, request.label());
        }

        int[] binaryPredictions() {
            return binary(predictedLabels, request.predictionColumn());
        }

        private int[] binary(TextColumn column, String name) {
            int[] out = new int[rows];
            String positive = request.positiveLabel();
            TreeSet<String> seen = new TreeSet<>();
            String previous = null; // labels read in place share a String per value: most rows repeat the last
            int previousLabel = 0;
            for (int i = 0; i < rows; i++) {
                String value = column.get(i);
                if (value == previous) {
                    out[i] = previousLabel;
                    continue;
                }
                int label;
                if (positive != null) {
                    label = value.equals(positive) ? 1 : 0;
                    seen.add(value);
                    if (seen.size() > 2) {
                        throw new BadInput(new DataFormatException(file, lines[i], name, "a third label '" + value
                                + "' in a binary task (seen " + seen + ")"));
                    }
                } else {
                    label = switch (value.strip().toLowerCase(Locale.ROOT)) {
                        case "1", "1.0", "true", "yes" -> 1;
                        case "0", "0.0", "false", "no" -> 0;
                        default -> throw new BadInput(new DataFormatException(file, lines[i], name, "label '" + value
                                + "' is not 0/1, true/false or yes/no; name the positive class with --positive-label"));
                    };
                }
                out[i] = label;
                previous = value;
                previousLabel = label;
            }
            return out;
        }

        double[] numericLabels() {
            return numbers(labels, request.label());
        }

        double[] numericPredictions() {
            return numbers(predictedLabels, request.predictionColumn());
        }

        private double[] numbers(TextColumn column, String name) {
            double[] out = new double[rows];
            for (int i = 0; i < rows; i++) {
                Double value = ColumnType.parseDouble(column.get(i));
                if (value == null) {
                    throw new BadInput(new DataFormatException(file, lines[i], name, "'" + column.get(i)
                            + "' is not a finite number"));
                }
                out[i] = value;
            }
            return out;
        }

        List<String> classesOfLabelsAndPredictions() {
            TreeSet<String> classes = new TreeSet<>(EvaluateModel::compareClasses);
            for (int i = 0; i < rows; i++) {
                classes.add(ColumnType.canonicalNumber(labels.get(i)));
                classes.add(ColumnType.canonicalNumber(predictedLabels.get(i)));
            }
            return new ArrayList<>(classes);
        }

        int[] classIndices(TextColumn column, List<String> classes, String name) throws DataFormatException {
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < classes.size(); i++) {
                index.put(classes.get(i), i);
            }
            int[] out = new int[rows];
            for (int i = 0; i < rows; i++) {
                String value = column.get(i);
                Integer k = index.get(value);
                if (k == null) {
                    k = index.get(ColumnType.canonicalNumber(value));
                }
                if (k == null) {
                    throw new DataFormatException(file, lines[i], name, "label '" + value + "' is outside the known classes "
                            + (classes.size() <= 10 ? classes.toString() : "0.." + (classes.size() - 1))
                            + " (one --score column per class, in class order)");
                }
                out[i] = k;
            }
            return out;
        }

        double[][] probabilityRows() {
            int k = scores.size();
            double[][] columns = new double[k][];
            for (int j = 0; j < k; j++) {
                columns[j] = scores.get(j).toArray();
            }
            double[][] out = new double[rows][k];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < k; j++) {
                    out[i][j] = columns[j][i];
                }
            }
            return out;
        }

        /** The rows at {@code indices}, for a slice. */
        Columns subset(int[] indices) {
            Columns sub = new Columns(request, file);
            sub.labels = pick(labels, indices);
            sub.predictedLabels = predictedLabels == null ? null : pick(predictedLabels, indices);
            for (NumberColumn column : scores) {
                NumberColumn picked = new NumberColumn();
                double[] all = column.toArray();
                for (int i : indices) {
                    picked.add(all[i]);
                }
                sub.scores.add(picked);
            }
            sub.rows = indices.length;
            sub.lines = new long[indices.length];
            for (int j = 0; j < indices.length; j++) {
                sub.lines[j] = lines[indices[j]];
            }
            return sub;
        }

        private static TextColumn pick(TextColumn column, int[] indices) {
            TextColumn picked = new TextColumn();
            for (int i : indices) {
                picked.add(column.get(i));
            }
            return picked;
        }
    }

    /** A score or value: present and a finite number, or an error naming file, line and column. */
    static double finiteNumber(Path file, String text, long line, String column) throws DataFormatException {
        if (text == null) {
            throw new DataFormatException(file, line, column, "the value is missing");
        }
        Double value = ColumnType.parseDouble(text);
        if (value == null) {
            throw new DataFormatException(file, line, column, "'" + text + "' is not a finite number");
        }
        return value;
    }

    /** Numbers before text, numerically; then text in order. */
    static int compareClasses(String a, String b) {
        Double x = ColumnType.parseDouble(a);
        Double y = ColumnType.parseDouble(b);
        if (x != null && y != null) {
            int byValue = Double.compare(x, y);
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        if (x != null || y != null) {
            return x != null ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** Carries a {@link DataFormatException} out of code that cannot declare it. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(DataFormatException cause) {
            super(cause.getMessage(), cause);
        }

        DataFormatException unwrap() {
            return (DataFormatException) getCause();
        }
    }
}
