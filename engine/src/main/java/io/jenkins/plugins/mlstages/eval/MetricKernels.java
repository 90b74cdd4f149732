package io.jenkins.plugins.mlstages.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The bootstrap kernels of every metric evaluateModel reports (except {@code example_count}, the same on
 * every resample): each kernel computes its metrics of a resample in one pass over the counts (two for
 * regression), equal to the metric of {@link BinaryMetrics}, {@link MulticlassMetrics},
 * {@link RegressionMetrics} or {@link Fairness} on the resampled rows. Per-row constants (cells, log-loss terms, calibration
 * bins) are computed once; memory is a few bytes per row, plus, for the multiclass ROC AUC, an index sort
 * per class (5 bytes per row and class, refused above {@link #MAX_MULTICLASS_AUC_CELLS}).
 */
final class MetricKernels {
    /** rows x classes above which the multiclass ROC AUC gets no interval (about 250 MB of sorted indices). */
    static final long MAX_MULTICLASS_AUC_CELLS = 50_000_000L;

    static final List<String> CONFUSION = List.of("accuracy_score", "precision_score", "recall_score", "f1_score",
            "true_negatives", "false_positives", "false_negatives", "true_positives", "positive_count", "negative_count");
    static final List<String> PROBABILITY = List.of("log_loss", "brier_score_loss", "expected_calibration_error");
    static final List<String> MULTICLASS = List.of("accuracy_score", "precision_score", "recall_score", "f1_score",
            "precision_macro", "precision_micro", "recall_macro", "recall_micro", "f1_macro", "f1_micro");
    static final List<String> MULTICLASS_AUC = List.of("roc_auc", "roc_auc_macro", "roc_auc_weighted");
    static final List<String> REGRESSION = List.of("mean_absolute_error", "mean_squared_error",
            "root_mean_squared_error", "r2_score", "mean_absolute_percentage_error", "max_error",
            "explained_variance_score", "sum_on_target", "mean_on_target");

    private MetricKernels() {
    }

    /** {@code roc_auc} and {@code precision_recall_auc} (average precision) from one pass over the rows sorted once. */
    static ResampleKernel binaryRanking(int[] labels, double[] scores) {
        BinaryMetrics.check(labels, scores);
        Bootstrap.WeightedAuc auc = new Bootstrap.WeightedAuc(labels, scores);
        return kernel(List.of("roc_auc", "precision_recall_auc"), (counts, out) -> {
            double[] ap = new double[1];
            out[0] = auc.pass(counts, ap);
            out[1] = ap[0];
        });
    }

    /**
     * The confusion metrics at the predictions ({@link #CONFUSION}) and, when {@code scores} are given (all in
     * [0, 1]), {@link #PROBABILITY}: log loss, Brier score and the expected calibration error over
     * {@link BinaryMetrics#CALIBRATION_BINS} bins.
     */
    static ResampleKernel binaryRows(int[] labels, int[] predicted, double[] scores) {
        int n = labels.length;
        byte[] cell = new byte[n];
        for (int i = 0; i < n; i++) {
            cell[i] = (byte) (labels[i] * 2 + predicted[i]);
        }
        List<String> names = new ArrayList<>(CONFUSION);
        double[] logTerm;
        byte[] bin;
        int bins = BinaryMetrics.CALIBRATION_BINS;
        if (scores != null) {
            names.addAll(PROBABILITY);
            logTerm = new double[n];
            bin = new byte[n];
            double[] edges = BinaryMetrics.calibrationEdges(bins);
            for (int i = 0; i < n; i++) {
                logTerm[i] = -Math.log(BinaryMetrics.clip(labels[i] == 1 ? scores[i] : 1 - scores[i]));
                bin[i] = (byte) BinaryMetrics.calibrationBin(scores[i], edges);
            }
        } else {
            logTerm = null;
            bin = null;
        }
        return kernel(names, (counts, out) -> {
            ConfusionCounts cc = ConfusionCounts.weighted(cell, counts);
            long total = cc.total();
            out[0] = cc.accuracy();
            out[1] = cc.precision();
            out[2] = cc.recall();
            out[3] = cc.f1();
            out[4] = cc.tn();
            out[5] = cc.fp();
            out[6] = cc.fn();
            out[7] = cc.tp();
            out[8] = cc.positives();
            out[9] = cc.negatives();
            if (logTerm == null) {
                return;
            }
            double log = 0;
            double brier = 0;
            double[] sumProb = new double[bins];
            double[] sumTrue = new double[bins];
            long[] inBin = new long[bins];
            for (int i = 0; i < n; i++) {
                int c = counts[i];
                double y = labels[i];
                double p = scores[i];
                double a = (1 - y) - (1 - p);
                double b = y - p;
                log += c * logTerm[i];
                brier += c * (a * a + b * b);
                sumProb[bin[i]] += c * p;
                sumTrue[bin[i]] += c * y;
                inBin[bin[i]] += c;
            }
            double ece = 0;
            for (int b = 0; b < bins; b++) {
                if (inBin[b] != 0) {
                    ece += Math.abs(sumTrue[b] / inBin[b] - sumProb[b] / inBin[b]) * inBin[b] / total;
                }
            }
            out[10] = log / total;
            out[11] = brier / total * 0.5;
            out[12] = ece;
        });
    }

    /**
     * {@link #MULTICLASS}: accuracy and the weighted (MLflow's {@code precision_score}, ...), macro and micro
     * averages from the resample's confusion matrix, plus {@code log_loss} when {@code probabilities} are given.
     */
    static ResampleKernel multiclassRows(int[] labels, int[] predicted, int k, double[][] probabilities) {
        int n = labels.length;
        List<String> names = new ArrayList<>(MULTICLASS);
        double[] logTerm = null;
        if (probabilities != null) {
            names.add("log_loss");
            logTerm = new double[n];
            for (int i = 0; i < n; i++) {
                logTerm[i] = -Math.log(BinaryMetrics.clip(probabilities[i][labels[i]]));
            }
        }
        double[] log = logTerm;
        return kernel(names, (counts, out) -> {
            long[][] cm = new long[k][k];
            long total = 0;
            double loss = 0;
            for (int i = 0; i < n; i++) {
                int c = counts[i];
                if (c != 0) {
                    cm[labels[i]][predicted[i]] += c;
                    total += c;
                    if (log != null) {
                        loss += c * log[i];
                    }
                }
            }
            long correct = 0;
            for (int c = 0; c < k; c++) {
                correct += cm[c][c];
            }
            double[] weighted = MulticlassMetrics.prf(cm, MulticlassMetrics.Average.WEIGHTED);
            double[] macro = MulticlassMetrics.prf(cm, MulticlassMetrics.Average.MACRO);
            double[] micro = MulticlassMetrics.prf(cm, MulticlassMetrics.Average.MICRO);
            out[0] = (double) correct / total;
            out[1] = weighted[0];
            out[2] = weighted[1];
            out[3] = weighted[2];
            out[4] = macro[0];
            out[5] = micro[0];
            out[6] = macro[1];
            out[7] = micro[1];
            out[8] = macro[2];
            out[9] = micro[2];
            if (log != null) {
                out[10] = loss / total;
            }
        });
    }

    /**
     * {@link #MULTICLASS_AUC}: the one-vs-rest AUC of each class (its rows sorted once) averaged weighted by
     * the resample's support ({@code roc_auc}, {@code roc_auc_weighted}; a class absent from the resample
     * weighs 0) and unweighted ({@code roc_auc_macro}; NaN when a class is absent). Rows must sum to 1.
     */
    static ResampleKernel multiclassAuc(int[] labels, double[][] probabilities, int k) {
        int n = labels.length;
        Bootstrap.WeightedAuc[] perClass = new Bootstrap.WeightedAuc[k];
        int[] positive = new int[n];
        double[] column = new double[n];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                positive[i] = labels[i] == c ? 1 : 0;
                column[i] = probabilities[i][c];
            }
            perClass[c] = new Bootstrap.WeightedAuc(positive, column);
        }
        return kernel(MULTICLASS_AUC, (counts, out) -> {
            long[] support = new long[k];
            long total = 0;
            for (int i = 0; i < n; i++) {
                support[labels[i]] += counts[i];
                total += counts[i];
            }
            double weighted = 0;
            double macro = 0;
            for (int c = 0; c < k; c++) {
                double auc = support[c] == 0 ? Double.NaN : perClass[c].apply(counts);
                macro += auc;
                if (support[c] != 0) {
                    weighted += auc * support[c];
                }
            }
            out[0] = weighted / total;
            out[1] = macro / k;
            out[2] = out[0];
        });
    }

    /** {@link #REGRESSION} of a resample, in two passes (the means first, then the squared deviations from them). */
    static ResampleKernel regression(double[] truth, double[] predicted) {
        int n = truth.length;
        // the per-row percentage error is a constant: one division per row, not per row and resample
        double[] percentageTerm = new double[n];
        for (int i = 0; i < n; i++) {
            percentageTerm[i] = Math.abs(truth[i] - predicted[i]) / Math.max(Math.abs(truth[i]), RegressionMetrics.EPS);
        }
        return kernel(REGRESSION, (counts, out) -> {
            double total = 0;
            double absolute = 0;
            double squared = 0;
            double percentage = 0;
            double sumTruth = 0;
            double sumError = 0;
            double max = 0;
            // no branch on the count: a row drawn 0 times adds 0, and about a third of the rows are
            for (int i = 0; i < n; i++) {
                int c = counts[i];
                double t = truth[i];
                double e = t - predicted[i];
                double abs = Math.abs(e);
                total += c;
                absolute += c * abs;
                squared += c * (e * e);
                percentage += c * percentageTerm[i];
                sumTruth += c * t;
                sumError += c * e;
                max = Math.max(max, c == 0 ? 0 : abs);
            }
            double meanTruth = sumTruth / total;
            double meanError = sumError / total;
            double truthDeviation = 0;
            double errorDeviation = 0;
            for (int i = 0; i < n; i++) {
                int c = counts[i];
                double dt = truth[i] - meanTruth;
                double de = (truth[i] - predicted[i]) - meanError;
                truthDeviation += c * (dt * dt);
                errorDeviation += c * (de * de);
            }
            boolean twoRows = total >= 2;
            out[0] = absolute / total;
            out[1] = squared / total;
            out[2] = Math.sqrt(squared / total);
            out[3] = twoRows ? RegressionMetrics.fraction(squared, truthDeviation) : Double.NaN;
            out[4] = percentage / total;
            out[5] = max;
            out[6] = twoRows ? RegressionMetrics.fraction(errorDeviation / total, truthDeviation / total) : Double.NaN;
            out[7] = sumTruth;
            out[8] = meanTruth;
        });
    }

    /** The fairness metrics evaluateModel reports, in the order {@link #fairness} writes them. */
    static final List<String> FAIRNESS = List.of("demographic_parity_difference", "demographic_parity_ratio",
            "equalized_odds_difference", "equalized_odds_ratio", "equal_opportunity_difference");

    /**
     * {@link #FAIRNESS} between groups of a resample: each group's confusion counts weighted by the counts
     * (a group drawn no row is left out, as it would be from the resampled rows), then {@link Fairness#report}.
     */
    static ResampleKernel fairness(int[] labels, int[] predicted, String[] groups) {
        int n = labels.length;
        java.util.TreeMap<String, Integer> index = new java.util.TreeMap<>();
        for (String g : groups) {
            index.putIfAbsent(g, 0);
        }
        String[] names = index.keySet().toArray(new String[0]);
        for (int j = 0; j < names.length; j++) {
            index.put(names[j], j);
        }
        int[] group = new int[n];
        byte[] cell = new byte[n];
        for (int i = 0; i < n; i++) {
            group[i] = index.get(groups[i]);
            cell[i] = (byte) (labels[i] * 2 + predicted[i]);
        }
        return kernel(FAIRNESS, (counts, out) -> {
            long[][] cells = new long[names.length][4];
            long[] overall = new long[4];
            for (int i = 0; i < n; i++) {
                cells[group[i]][cell[i]] += counts[i];
                overall[cell[i]] += counts[i];
            }
            java.util.TreeMap<String, long[]> drawn = new java.util.TreeMap<>();
            for (int j = 0; j < names.length; j++) {
                if (cells[j][0] + cells[j][1] + cells[j][2] + cells[j][3] > 0) {
                    drawn.put(names[j], cells[j]);
                }
            }
            Fairness.Report r = Fairness.report(drawn, new ConfusionCounts(overall[0], overall[1], overall[2], overall[3]),
                    Fairness.Method.BETWEEN_GROUPS);
            out[0] = r.demographicParityDifference();
            out[1] = r.demographicParityRatio();
            out[2] = r.equalizedOddsDifference();
            out[3] = r.equalizedOddsRatio();
            out[4] = r.equalOpportunityDifference();
        });
    }

    /**
     * {@code candidate - champion} on the same resample, metric by metric (the kernels must compute the same
     * names): the paired bootstrap of a difference between two models.
     */
    static ResampleKernel difference(ResampleKernel candidate, ResampleKernel champion) {
        if (!candidate.names().equals(champion.names())) {
            throw new IllegalArgumentException("kernels of different metrics: " + candidate.names() + " and "
                    + champion.names());
        }
        int size = candidate.names().size();
        return kernel(candidate.names(), (counts, out) -> {
            double[] theirs = new double[size];
            candidate.apply(counts, out);
            champion.apply(counts, theirs);
            for (int m = 0; m < size; m++) {
                out[m] -= theirs[m];
            }
        });
    }

    private interface Body {
        void apply(int[] counts, double[] out);
    }

    private static ResampleKernel kernel(List<String> names, Body body) {
        List<String> copy = List.copyOf(names);
        return new ResampleKernel() {
            @Override
            public List<String> names() {
                return copy;
            }

            @Override
            public void apply(int[] counts, double[] out) {
                body.apply(counts, out);
            }
        };
    }
}
