package io.jenkins.plugins.mlstages.eval;

/**
 * Binary-classification metrics over primitive arrays, each equal to the scikit-learn 1.9 function named in
 * its documentation (checked against live scikit-learn 1.9.1 to 1e-9 by {@code EvalMetricsIT}).
 *
 * <p>Inputs: {@code labels[i]} is 0 or 1 (1 = the positive class) and {@code scores[i]} the model's score
 * for class 1, normally a probability. A row is <em>predicted positive</em> when {@code score >= threshold}
 * (default {@value #DEFAULT_THRESHOLD}); the oracle thresholds the same way and passes the 0/1 predictions
 * to scikit-learn. Metrics that need probabilities (log loss, Brier score, calibration) reject scores
 * outside [0, 1], as scikit-learn does; the rank metrics (ROC AUC, average precision, curves) accept any
 * finite score.
 *
 * <p>Errors: empty input, arrays of different lengths, a label other than 0/1 and a NaN or infinite score
 * are rejected with an {@link IllegalArgumentException} naming the index. Degenerate but valid input does
 * not throw: with one class only, {@link #rocAuc} is NaN (scikit-learn warns and returns NaN) and the caller
 * reports a finding; with no predicted positives, precision is 0.0 (scikit-learn's default
 * {@code zero_division="warn"} value).
 *
 * <p>MLflow names ({@code mlflow/models/evaluation/evaluators/classifier.py}, MLflow 3.17.2):
 * {@code accuracy_score}, {@code precision_score}, {@code recall_score}, {@code f1_score},
 * {@code true_negatives}, {@code false_positives}, {@code false_negatives}, {@code true_positives},
 * {@code log_loss}, {@code roc_auc} and {@code precision_recall_auc} — the last is
 * {@code sklearn.metrics.average_precision_score} in current MLflow (its {@code _gen_classifier_curve}
 * returns AP "because AP is more appropriate for summarizing a precision-recall curve"); MLflow's first
 * default evaluator (1.2x) used {@code sklearn.metrics.auc(recall, precision)}, available here as
 * {@link #precisionRecallTrapezoidAuc}.
 */
public final class BinaryMetrics {
    /** The default decision threshold: predicted positive when {@code score >= 0.5}. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** Bins of the calibration curve and of the expected calibration error. */
    public static final int CALIBRATION_BINS = 10;
    /** {@code np.finfo(np.float64).eps}: scikit-learn 1.9 clips probabilities to {@code [eps, 1 - eps]} in log loss. */
    static final double EPS = Math.ulp(1.0);

    private BinaryMetrics() {
    }

    /** What {@link #bestThreshold} maximises. */
    public enum ThresholdMetric {
        /** {@code f1_score}. */
        F1,
        /** {@code accuracy_score}. */
        ACCURACY
    }

    /**
     * A threshold chosen by {@link #bestThreshold}.
     *
     * @param metric what was maximised
     * @param threshold the chosen threshold (one of the scores; predicted positive when {@code score >= threshold})
     * @param value the metric at that threshold
     * @param counts the confusion matrix at that threshold
     */
    public record ThresholdChoice(ThresholdMetric metric, double threshold, double value, ConfusionCounts counts) {
    }

    // ------------------------------------------------------------------------------------------------
    // Threshold metrics

    /**
     * {@code sklearn.metrics.confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()} with
     * {@code y_pred = (scores >= threshold)}.
     */
    public static ConfusionCounts confusion(int[] labels, double[] scores, double threshold) {
        check(labels, scores);
        EvalInputs.threshold(threshold);
        long tn = 0;
        long fp = 0;
        long fn = 0;
        long tp = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (labels[i] == 1) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionCounts(tn, fp, fn, tp);
    }

    /** {@code sklearn.metrics.confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()} for 0/1 predictions. */
    public static ConfusionCounts confusion(int[] labels, int[] predicted) {
        EvalInputs.notNull(labels, "labels");
        EvalInputs.notNull(predicted, "predicted");
        EvalInputs.rows("labels", labels.length, "predicted", predicted.length);
        EvalInputs.binaryLabels(labels);
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] != 0 && predicted[i] != 1) {
                throw new IllegalArgumentException("predicted label at index " + i + " is " + predicted[i]
                        + ": binary predictions must be 0 or 1");
            }
        }
        long[] cells = new long[4];
        for (int i = 0; i < labels.length; i++) {
            cells[labels[i] * 2 + predicted[i]]++;
        }
        return new ConfusionCounts(cells[0], cells[1], cells[2], cells[3]);
    }

    /** {@code sklearn.metrics.accuracy_score(y_true, scores >= threshold)}. */
    public static double accuracy(int[] labels, double[] scores, double threshold) {
        return confusion(labels, scores, threshold).accuracy();
    }

    /** {@code sklearn.metrics.precision_score(y_true, scores >= threshold)} (0.0 when nothing is predicted positive). */
    public static double precision(int[] labels, double[] scores, double threshold) {
        return confusion(labels, scores, threshold).precision();
    }

    /** {@code sklearn.metrics.recall_score(y_true, scores >= threshold)} (0.0 when there are no positives). */
    public static double recall(int[] labels, double[] scores, double threshold) {
        return confusion(labels, scores, threshold).recall();
    }

    /** {@code sklearn.metrics.f1_score(y_true, scores >= threshold)} (0.0 when {@code 2tp + fp + fn == 0}). */
    public static double f1(int[] labels, double[] scores, double threshold) {
        return confusion(labels, scores, threshold).f1();
    }

    // ------------------------------------------------------------------------------------------------
    // Rank metrics

    /**
     * {@code sklearn.metrics.roc_auc_score(y_true, scores)}: the trapezoidal area under {@link #rocCurve},
     * computed as the Mann-Whitney statistic with tied scores counted one half (exactly the same area;
     * accumulated in integers, so the only rounding is the final division). NaN when only one class is
     * present (scikit-learn warns {@code UndefinedMetricWarning} and returns NaN).
     * Cost: one sort of each class's scores (about 0.5 s for 5 M rows).
     */
    public static double rocAuc(int[] labels, double[] scores) {
        check(labels, scores);
        return ScoreRanking.rocAuc(labels, 1, scores);
    }

    /**
     * {@code sklearn.metrics.average_precision_score(y_true, scores)}: {@code sum_k (R_k - R_{k-1}) P_k}
     * over the distinct scores in descending order ({@code -sum(diff(recall) * precision[:-1])} on
     * {@link #precisionRecallCurve}, clipped at 0). With no positives, recall is 1 everywhere and the
     * result is 0.0, as in scikit-learn.
     */
    public static double averagePrecision(int[] labels, double[] scores) {
        check(labels, scores);
        return averagePrecision(ScoreRanking.of(labels, 1, scores));
    }

    /**
     * MLflow's {@code precision_recall_auc} (MLflow 3.x): {@link #averagePrecision}, see the class comment.
     */
    public static double precisionRecallAuc(int[] labels, double[] scores) {
        return averagePrecision(labels, scores);
    }

    /**
     * {@code sklearn.metrics.auc(recall, precision)} on {@code precision_recall_curve(y_true, scores)}: the
     * trapezoidal area (MLflow 1.2x's {@code precision_recall_auc}). With no positives scikit-learn's curve
     * is recall 1 at every threshold then (0, 1), whose area is 0.5.
     */
    public static double precisionRecallTrapezoidAuc(int[] labels, double[] scores) {
        check(labels, scores);
        return precisionRecallTrapezoidAuc(ScoreRanking.of(labels, 1, scores));
    }

    /**
     * {@code sklearn.metrics.roc_curve(y_true, scores)} with its defaults ({@code drop_intermediate=True}):
     * the points are (0, 0) at threshold {@code +inf}, then one per distinct score in descending order,
     * leaving out points collinear with both neighbours ({@code np.diff(fps, 2) == 0 and np.diff(tps, 2)
     * == 0}). fpr (tpr) is NaN everywhere when there are no negatives (positives), as in scikit-learn.
     */
    public static Curve rocCurve(int[] labels, double[] scores) {
        check(labels, scores);
        return rocCurve(ScoreRanking.of(labels, 1, scores));
    }

    /**
     * {@code sklearn.metrics.precision_recall_curve(y_true, scores)} ({@code drop_intermediate=False}):
     * one point per distinct score in <em>ascending</em> score order (recall decreasing), then the point
     * (recall 0, precision 1) whose threshold is NaN here. With no positives recall is 1 everywhere.
     */
    public static Curve precisionRecallCurve(int[] labels, double[] scores) {
        check(labels, scores);
        return precisionRecallCurve(ScoreRanking.of(labels, 1, scores));
    }

    /**
     * The threshold among the distinct scores that maximises {@code metric}, a row being predicted positive
     * when {@code score >= threshold}; among equal values, the highest threshold wins. Computed from the
     * cumulative counts in one pass after the sort.
     */
    public static ThresholdChoice bestThreshold(int[] labels, double[] scores, ThresholdMetric metric) {
        check(labels, scores);
        EvalInputs.notNull(metric, "metric");
        return bestThreshold(ScoreRanking.of(labels, 1, scores), metric);
    }

    // ------------------------------------------------------------------------------------------------
    // Probability metrics

    /**
     * {@code sklearn.metrics.log_loss(y_true, scores, labels=[0, 1])} (MLflow passes the label list): the
     * mean of {@code -log(p)} for positives and {@code -log(1 - p)} for negatives, where scikit-learn 1.9
     * first stacks {@code [1 - p, p]} and clips to {@code [eps, 1 - eps]} with {@code eps} the float64
     * machine epsilon ({@code np.finfo(y_proba.dtype).eps}, 2.22e-16; older releases used 1e-15).
     *
     * @throws IllegalArgumentException when a score is outside [0, 1] (scikit-learn raises ValueError)
     */
    public static double logLoss(int[] labels, double[] scores) {
        checkProbabilities(labels, scores);
        double[] losses = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            double p = labels[i] == 1 ? scores[i] : 1 - scores[i];
            losses[i] = -Math.log(clip(p));
        }
        return NumpySum.mean(losses);
    }

    /**
     * {@code sklearn.metrics.brier_score_loss(y_true, scores)}: {@code 0.5 * mean(((1 - y) - (1 - p))^2 +
     * (y - p)^2)}, i.e. the mean squared difference between the label and the probability of class 1.
     *
     * @throws IllegalArgumentException when a score is outside [0, 1]
     */
    public static double brierScore(int[] labels, double[] scores) {
        checkProbabilities(labels, scores);
        return brier(labels, scores);
    }

    /**
     * {@code sklearn.calibration.calibration_curve(y_true, scores, n_bins=10, strategy='uniform')} plus the
     * count of each bin. See {@link #calibrationCurve(int[], double[], int)}.
     */
    public static CalibrationCurve calibrationCurve(int[] labels, double[] scores) {
        return calibrationCurve(labels, scores, CALIBRATION_BINS);
    }

    /**
     * {@code sklearn.calibration.calibration_curve(y_true, scores, n_bins=bins, strategy='uniform')}: the
     * bin edges are {@code np.linspace(0, 1, bins + 1)} ({@code i * (1.0 / bins)}, last edge 1.0) and a row
     * falls in bin {@code np.searchsorted(edges[1:-1], p)}, i.e. bin {@code b} holds
     * {@code edges[b] < p <= edges[b + 1]} (bin 0 also holds 0). Empty bins are omitted.
     *
     * @throws IllegalArgumentException when a score is outside [0, 1] or {@code bins < 1}
     */
    public static CalibrationCurve calibrationCurve(int[] labels, double[] scores, int bins) {
        checkProbabilities(labels, scores);
        if (bins < 1) {
            throw new IllegalArgumentException("bins is " + bins + ": need at least 1");
        }
        return calibration(labels, scores, bins);
    }

    /**
     * Expected calibration error over 10 equal-width bins on [0, 1] (no scikit-learn function):
     * {@code sum_b |acc_b - conf_b| * n_b / N}, where {@code acc_b} is the fraction of positives and
     * {@code conf_b} the mean score of the rows in bin {@code b} — the bins and values of
     * {@link #calibrationCurve} ({@code prob_true}, {@code prob_pred}); empty bins contribute nothing.
     *
     * @throws IllegalArgumentException when a score is outside [0, 1]
     */
    public static double expectedCalibrationError(int[] labels, double[] scores) {
        checkProbabilities(labels, scores);
        return expectedCalibrationError(calibration(labels, scores, CALIBRATION_BINS), labels.length);
    }

    // ------------------------------------------------------------------------------------------------
    // Everything at once

    /**
     * All binary metrics, sorting the scores once.
     *
     * @param counts confusion matrix at {@code threshold}
     * @param threshold the decision threshold used
     * @param accuracy {@code accuracy_score}
     * @param precision {@code precision_score}
     * @param recall {@code recall_score}
     * @param f1 {@code f1_score}
     * @param rocAuc {@code roc_auc} (NaN with one class only)
     * @param precisionRecallAuc MLflow's {@code precision_recall_auc} = {@code average_precision_score}
     * @param precisionRecallTrapezoidAuc {@code auc(recall, precision)}
     * @param logLoss {@code log_loss} (NaN when the scores are not all in [0, 1])
     * @param brierScore {@code brier_score_loss} (NaN when the scores are not all in [0, 1])
     * @param expectedCalibrationError see {@link #expectedCalibrationError} (NaN when not probabilities)
     * @param scoresAreProbabilities whether every score lies in [0, 1]
     * @param roc the full ROC curve
     * @param precisionRecall the full precision-recall curve
     * @param calibration the calibration curve (null when not probabilities)
     * @param bestF1 the threshold maximising F1
     * @param bestAccuracy the threshold maximising accuracy
     */
    public record Result(ConfusionCounts counts, double threshold, double accuracy, double precision, double recall,
            double f1, double rocAuc, double precisionRecallAuc, double precisionRecallTrapezoidAuc, double logLoss,
            double brierScore, double expectedCalibrationError, boolean scoresAreProbabilities, Curve roc,
            Curve precisionRecall, CalibrationCurve calibration, ThresholdChoice bestF1,
            ThresholdChoice bestAccuracy) {

        /** Rows. */
        public long exampleCount() {
            return counts.total();
        }

        /** Rows with label 1. */
        public long positives() {
            return counts.positives();
        }

        /** Rows with label 0. */
        public long negatives() {
            return counts.negatives();
        }
    }

    /** Every metric of this class at {@code threshold}, with one sort of the scores. */
    public static Result evaluate(int[] labels, double[] scores, double threshold) {
        ConfusionCounts counts = confusion(labels, scores, threshold);
        ScoreRanking ranking = ScoreRanking.of(labels, 1, scores);
        boolean probabilities = EvalInputs.allProbabilities(scores);
        double logLoss = Double.NaN;
        double brier = Double.NaN;
        double ece = Double.NaN;
        CalibrationCurve calibration = null;
        if (probabilities) {
            logLoss = logLoss(labels, scores);
            brier = brier(labels, scores);
            calibration = calibration(labels, scores, CALIBRATION_BINS);
            ece = expectedCalibrationError(calibration, labels.length);
        }
        return new Result(counts, threshold, counts.accuracy(), counts.precision(), counts.recall(), counts.f1(),
                ranking.rocAuc(), averagePrecision(ranking), precisionRecallTrapezoidAuc(ranking), logLoss, brier,
                ece, probabilities, rocCurve(ranking), precisionRecallCurve(ranking), calibration,
                bestThreshold(ranking, ThresholdMetric.F1), bestThreshold(ranking, ThresholdMetric.ACCURACY));
    }

    /**
     * Sums over rows whose scores are probabilities, as a database computes them (TableEvaluate): the log-loss terms
     * {@code -log(clip(p))} (p of the row's class), the Brier terms {@code ((1 - y) - (1 - p))^2 + (y - p)^2}, and
     * per calibration bin ({@link #CALIBRATION_BINS} bins, {@link #calibrationEdges}) the rows, scores and labels.
     */
    public record ProbabilitySums(double logLossSum, double brierSum, long[] binCounts, double[] binScoreSums,
            double[] binLabelSums) {
    }

    /**
     * Every metric of {@link #evaluate} from aggregates instead of rows: the scores' groups (distinct scores, or a
     * histogram's bins each named by its lowest score, descending) with the positives and negatives in each, the
     * confusion counts at {@code threshold}, and, when every score is a probability, {@code sums} (else null). With
     * distinct scores the result equals {@link #evaluate} on the rows up to the order of the floating-point sums.
     */
    public static Result fromAggregates(double[] descending, long[] positivesAt, long[] negativesAt,
            ConfusionCounts counts, double threshold, ProbabilitySums sums) {
        ScoreRanking ranking = ScoreRanking.ofGroups(descending, positivesAt, negativesAt);
        double logLoss = Double.NaN;
        double brier = Double.NaN;
        double ece = Double.NaN;
        CalibrationCurve calibration = null;
        long n = counts.total();
        if (sums != null) {
            logLoss = sums.logLossSum() / n;
            brier = sums.brierSum() / n * 0.5;
            int nonEmpty = 0;
            for (long c : sums.binCounts()) {
                nonEmpty += c != 0 ? 1 : 0;
            }
            double[] probTrue = new double[nonEmpty];
            double[] probPred = new double[nonEmpty];
            int[] index = new int[nonEmpty];
            long[] binCounts = new long[nonEmpty];
            int k = 0;
            for (int b = 0; b < sums.binCounts().length; b++) {
                long c = sums.binCounts()[b];
                if (c != 0) {
                    probTrue[k] = sums.binLabelSums()[b] / c;
                    probPred[k] = sums.binScoreSums()[b] / c;
                    index[k] = b;
                    binCounts[k] = c;
                    k++;
                }
            }
            calibration = new CalibrationCurve(probTrue, probPred, index, binCounts, sums.binCounts().length);
            ece = expectedCalibrationError(calibration, n);
        }
        return new Result(counts, threshold, counts.accuracy(), counts.precision(), counts.recall(), counts.f1(),
                ranking.rocAuc(), averagePrecision(ranking), precisionRecallTrapezoidAuc(ranking), logLoss, brier, ece,
                sums != null, rocCurve(ranking), precisionRecallCurve(ranking), calibration,
                bestThreshold(ranking, ThresholdMetric.F1), bestThreshold(ranking, ThresholdMetric.ACCURACY));
    }

    /** The edges of the calibration bins, {@code np.linspace(0, 1, bins + 1)}: a database bins scores with them. */
    public static double[] calibrationBinEdges() {
        return calibrationEdges(CALIBRATION_BINS);
    }

    // ------------------------------------------------------------------------------------------------
    // Kernels over a ranking

    static double averagePrecision(ScoreRanking r) {
        int m = r.size();
        // precision_recall_curve reversed back to descending scores: precision_k, recall_k; the sum
        // -sum(diff(recall) * precision[:-1]) over the ascending arrays equals sum_k (R_k - R_{k-1}) P_k here.
        double[] terms = new double[m];
        double prevRecall = r.positives == 0 ? 1.0 : 0.0;
        for (int g = 0; g < m; g++) {
            double recall = r.positives == 0 ? 1.0 : (double) r.tps[g] / r.positives;
            double precision = (double) r.tps[g] / (r.tps[g] + r.fps[g]);
            terms[g] = (recall - prevRecall) * precision;
            prevRecall = recall;
        }
        // with no positives scikit-learn's last term is (0 - 1) * precision at the top score = -(0/x) = 0
        return Math.max(0.0, NumpySum.sum(terms));
    }

    static double precisionRecallTrapezoidAuc(ScoreRanking r) {
        Curve pr = precisionRecallCurve(r);
        return trapezoid(pr.x(), pr.y());
    }

    /** {@code sklearn.metrics.auc(x, y)}: {@code direction * np.trapezoid(y, x)}, x monotonic. */
    static double trapezoid(double[] x, double[] y) {
        boolean anyDecrease = false;
        boolean allNonIncreasing = true;
        for (int i = 1; i < x.length; i++) {
            double dx = x[i] - x[i - 1];
            if (dx < 0) {
                anyDecrease = true;
            } else if (dx > 0) {
                allNonIncreasing = false;
            }
        }
        double direction = 1;
        if (anyDecrease) {
            if (!allNonIncreasing) {
                throw new IllegalArgumentException("x is neither increasing nor decreasing");
            }
            direction = -1;
        }
        if (x.length < 2) {
            return 0.0;
        }
        double[] terms = new double[x.length - 1];
        for (int i = 1; i < x.length; i++) {
            terms[i - 1] = (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
        }
        return direction * NumpySum.sum(terms);
    }

    static Curve rocCurve(ScoreRanking r) {
        int m = r.size();
        boolean[] keep = new boolean[m];
        int kept = 0;
        for (int g = 0; g < m; g++) {
            boolean k = m <= 2 || g == 0 || g == m - 1
                    || (long) r.fps[g + 1] - 2L * r.fps[g] + r.fps[g - 1] != 0
                    || (long) r.tps[g + 1] - 2L * r.tps[g] + r.tps[g - 1] != 0;
            keep[g] = k;
            if (k) {
                kept++;
            }
        }
        double[] fpr = new double[kept + 1];
        double[] tpr = new double[kept + 1];
        double[] thr = new double[kept + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        double fpTotal = r.negatives;
        double tpTotal = r.positives;
        fpr[0] = fpTotal > 0 ? 0.0 : Double.NaN;
        tpr[0] = tpTotal > 0 ? 0.0 : Double.NaN;
        int k = 1;
        for (int g = 0; g < m; g++) {
            if (keep[g]) {
                fpr[k] = fpTotal > 0 ? r.fps[g] / fpTotal : Double.NaN;
                tpr[k] = tpTotal > 0 ? r.tps[g] / tpTotal : Double.NaN;
                thr[k] = r.thresholds[g];
                k++;
            }
        }
        return new Curve(fpr, tpr, thr);
    }

    static Curve precisionRecallCurve(ScoreRanking r) {
        int m = r.size();
        double[] recall = new double[m + 1];
        double[] precision = new double[m + 1];
        double[] thr = new double[m + 1];
        for (int g = 0; g < m; g++) {
            int k = m - 1 - g; // ascending scores
            long ps = r.tps[g] + r.fps[g];
            precision[k] = ps != 0 ? (double) r.tps[g] / ps : 0.0;
            recall[k] = r.positives == 0 ? 1.0 : (double) r.tps[g] / r.positives;
            thr[k] = r.thresholds[g];
        }
        precision[m] = 1.0;
        recall[m] = 0.0;
        thr[m] = Double.NaN;
        return new Curve(recall, precision, thr);
    }

    static ThresholdChoice bestThreshold(ScoreRanking r, ThresholdMetric metric) {
        long n = (long) r.positives + r.negatives;
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < r.size(); g++) {
            long tp = r.tps[g];
            long fp = r.fps[g];
            long fn = r.positives - tp;
            long tn = r.negatives - fp;
            double value = metric == ThresholdMetric.F1
                    ? ConfusionCounts.divide(2 * tp, 2 * tp + fp + fn)
                    : (double) (tp + tn) / n;
            if (value > bestValue) {
                bestValue = value;
                best = g;
            }
        }
        long tp = r.tps[best];
        long fp = r.fps[best];
        ConfusionCounts counts = new ConfusionCounts(r.negatives - fp, fp, r.positives - tp, tp);
        return new ThresholdChoice(metric, r.thresholds[best], bestValue, counts);
    }

    static CalibrationCurve calibration(int[] labels, double[] scores, int bins) {
        double[] edges = calibrationEdges(bins);
        double[] sumProb = new double[bins];
        double[] sumTrue = new double[bins];
        long[] total = new long[bins];
        for (int i = 0; i < labels.length; i++) {
            double p = scores[i];
            int b = calibrationBin(p, edges);
            sumProb[b] += p;
            sumTrue[b] += labels[i];
            total[b]++;
        }
        int nonEmpty = 0;
        for (long t : total) {
            if (t != 0) {
                nonEmpty++;
            }
        }
        double[] probTrue = new double[nonEmpty];
        double[] probPred = new double[nonEmpty];
        int[] index = new int[nonEmpty];
        long[] counts = new long[nonEmpty];
        int k = 0;
        for (int b = 0; b < bins; b++) {
            if (total[b] != 0) {
                probTrue[k] = sumTrue[b] / total[b];
                probPred[k] = sumProb[b] / total[b];
                index[k] = b;
                counts[k] = total[b];
                k++;
            }
        }
        return new CalibrationCurve(probTrue, probPred, index, counts, bins);
    }

    /** The edges of {@code bins} equal-width bins on [0, 1]: {@code np.linspace(0, 1, bins + 1)}. */
    static double[] calibrationEdges(int bins) {
        double[] edges = new double[bins + 1];
        double step = 1.0 / bins;
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step;
        }
        edges[bins] = 1.0;
        return edges;
    }

    /** The bin of {@code p}: {@code np.searchsorted(edges[1:-1], p)} (bin b holds edges[b] < p <= edges[b + 1]). */
    static int calibrationBin(double p, double[] edges) {
        int bins = edges.length - 1;
        int b = Math.min((int) (p * bins), bins - 1);
        while (b > 0 && !(edges[b] < p)) {
            b--;
        }
        while (b < bins - 1 && edges[b + 1] < p) {
            b++;
        }
        return b;
    }

    static double expectedCalibrationError(CalibrationCurve c, long n) {
        double ece = 0;
        for (int k = 0; k < c.size(); k++) {
            ece += Math.abs(c.probTrue()[k] - c.probPred()[k]) * c.counts()[k] / n;
        }
        return ece;
    }

    static double brier(int[] labels, double[] scores) {
        double[] terms = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            double y = labels[i];
            double p = scores[i];
            double a = (1 - y) - (1 - p);
            double b = y - p;
            terms[i] = a * a + b * b;
        }
        return NumpySum.mean(terms) * 0.5;
    }

    static double clip(double p) {
        return Math.min(Math.max(p, EPS), 1 - EPS);
    }

    // ------------------------------------------------------------------------------------------------

    static void check(int[] labels, double[] scores) {
        EvalInputs.notNull(labels, "labels");
        EvalInputs.notNull(scores, "scores");
        EvalInputs.rows("labels", labels.length, "scores", scores.length);
        EvalInputs.binaryLabels(labels);
        EvalInputs.finite(scores, "score");
    }

    private static void checkProbabilities(int[] labels, double[] scores) {
        check(labels, scores);
        EvalInputs.probabilities(scores, "score");
    }
}
