package io.jenkins.plugins.mlstages.eval;

import java.util.Arrays;

/**
 * Multiclass metrics over primitive arrays, each equal to the scikit-learn 1.9 function named in its
 * documentation. Classes are {@code 0 .. k-1}; {@code labels[i]} is the true class of row {@code i},
 * {@code probabilities[i][c]} the model's probability of class {@code c} ({@code n x k}), and the predicted
 * class is {@link #argmax} of a row (the first maximum, as {@code np.argmax}) unless predicted labels are
 * given directly.
 *
 * <p>Averages follow scikit-learn's {@code precision_recall_fscore_support} with {@code labels=None}: the
 * classes averaged over are those present in the labels or the predictions ({@code unique_labels(y_true,
 * y_pred)}), so a class absent from both is ignored; a 0/0 ratio is 0.0 ({@code zero_division="warn"}).
 * MLflow logs the {@code weighted} average under {@code precision_score}, {@code recall_score},
 * {@code f1_score} and {@code roc_auc} ({@code _get_multiclass_classifier_metrics} in
 * {@code mlflow/models/evaluation/evaluators/classifier.py}).
 *
 * <p>Errors: empty input, mismatched lengths, a label outside {@code 0..k-1}, a ragged probability row and
 * a NaN or infinite probability are rejected with an {@link IllegalArgumentException} naming the index.
 */
public final class MulticlassMetrics {
    /** {@code np.allclose(1, row_sum)} tolerances used by scikit-learn's multiclass {@code roc_auc_score}. */
    private static final double ALLCLOSE_RTOL = 1e-5;
    private static final double ALLCLOSE_ATOL = 1e-8;

    private MulticlassMetrics() {
    }

    /** The {@code average=} argument of scikit-learn's precision, recall, F1 and ROC AUC. */
    public enum Average {
        /** Unweighted mean over classes. */
        MACRO,
        /** Global counts (precision = recall = F1 = accuracy for single-label multiclass). */
        MICRO,
        /** Mean over classes weighted by their support (true count). */
        WEIGHTED
    }

    /**
     * Precision, recall and F1 of each class and their averages.
     *
     * @param classes the classes averaged over (present in labels or predictions), ascending
     * @param precision per class in {@code classes}
     * @param recall per class in {@code classes}
     * @param f1 per class in {@code classes}
     * @param support true count per class in {@code classes}
     */
    public record PerClass(int[] classes, double[] precision, double[] recall, double[] f1, long[] support) {
    }

    /**
     * All multiclass metrics.
     *
     * @param k number of classes
     * @param exampleCount rows
     * @param accuracy {@code accuracy_score}
     * @param precisionMacro {@code precision_score(average='macro')}
     * @param precisionMicro {@code precision_score(average='micro')}
     * @param precisionWeighted {@code precision_score(average='weighted')} (MLflow's {@code precision_score})
     * @param recallMacro {@code recall_score(average='macro')}
     * @param recallMicro {@code recall_score(average='micro')}
     * @param recallWeighted {@code recall_score(average='weighted')}
     * @param f1Macro {@code f1_score(average='macro')}
     * @param f1Micro {@code f1_score(average='micro')}
     * @param f1Weighted {@code f1_score(average='weighted')}
     * @param rocAucMacro {@code roc_auc_score(multi_class='ovr', average='macro', labels=range(k))}; NaN when a
     *     class is absent from the labels or no probabilities were given
     * @param rocAucWeighted {@code roc_auc_score(multi_class='ovr', average='weighted', labels=range(k))}
     * @param rocAucPerClass one-vs-rest AUC of each class (NaN for a class absent from the labels)
     * @param logLoss {@code log_loss(labels=range(k))}; NaN without probabilities
     * @param confusionMatrix {@code confusion_matrix(labels=range(k))}: rows true class, columns predicted
     * @param perClass per-class precision, recall, F1 and support
     * @param probabilitiesSumToOne whether every row sums to 1 within {@code np.allclose}; when not, the ROC AUC
     *     values are NaN (scikit-learn refuses them)
     */
    public record Result(int k, long exampleCount, double accuracy, double precisionMacro, double precisionMicro,
            double precisionWeighted, double recallMacro, double recallMicro, double recallWeighted, double f1Macro,
            double f1Micro, double f1Weighted, double rocAucMacro, double rocAucWeighted, double[] rocAucPerClass,
            double logLoss, long[][] confusionMatrix, PerClass perClass, boolean probabilitiesSumToOne) {
    }

    // ------------------------------------------------------------------------------------------------

    /** {@code np.argmax(probabilities, axis=1)}: the first class with the largest probability in each row. */
    public static int[] argmax(double[][] probabilities) {
        int k = checkProbabilities(probabilities);
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            double[] row = probabilities[i];
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /** {@code sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k))}: {@code [true][predicted]}. */
    public static long[][] confusionMatrix(int[] labels, int[] predicted, int k) {
        checkPredicted(labels, predicted, k);
        long[][] cm = new long[k][k];
        for (int i = 0; i < labels.length; i++) {
            cm[labels[i]][predicted[i]]++;
        }
        return cm;
    }

    /** {@code sklearn.metrics.accuracy_score(y_true, y_pred)}. */
    public static double accuracy(int[] labels, int[] predicted) {
        EvalInputs.notNull(labels, "labels");
        EvalInputs.notNull(predicted, "predicted");
        int n = EvalInputs.rows("labels", labels.length, "predicted", predicted.length);
        long correct = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == predicted[i]) {
                correct++;
            }
        }
        return (double) correct / n;
    }

    /** {@code sklearn.metrics.precision_score(y_true, y_pred, average=...)}. */
    public static double precision(int[] labels, int[] predicted, int k, Average average) {
        return prf(confusionMatrix(labels, predicted, k), average)[0];
    }

    /** {@code sklearn.metrics.recall_score(y_true, y_pred, average=...)}. */
    public static double recall(int[] labels, int[] predicted, int k, Average average) {
        return prf(confusionMatrix(labels, predicted, k), average)[1];
    }

    /** {@code sklearn.metrics.f1_score(y_true, y_pred, average=...)}. */
    public static double f1(int[] labels, int[] predicted, int k, Average average) {
        return prf(confusionMatrix(labels, predicted, k), average)[2];
    }

    /** Per-class scores, {@code precision_recall_fscore_support(y_true, y_pred, average=None)}. */
    public static PerClass perClass(int[] labels, int[] predicted, int k) {
        return perClass(confusionMatrix(labels, predicted, k));
    }

    /**
     * One-vs-rest ROC AUC of each class: {@code roc_auc_score(y_true == c, probabilities[:, c])}, NaN for a
     * class absent from the labels (or when every row is that class).
     */
    public static double[] rocAucPerClass(int[] labels, double[][] probabilities) {
        int k = check(labels, probabilities);
        return perClassAuc(labels, probabilities, k);
    }

    /**
     * {@code sklearn.metrics.roc_auc_score(y_true, probabilities, multi_class='ovr', average=...,
     * labels=range(k))}: the per-class AUCs averaged unweighted ({@code MACRO}; NaN when a class is absent
     * from the labels) or weighted by support ({@code WEIGHTED}; an absent class has weight 0 and its NaN is
     * replaced by 0 first, as in {@code _average_binary_score}). {@code MICRO} is not offered.
     *
     * @throws IllegalArgumentException when a row does not sum to 1 within {@code np.allclose} (scikit-learn
     *     raises "Target scores need to be probabilities for multiclass roc_auc")
     */
    public static double rocAucOvr(int[] labels, double[][] probabilities, Average average) {
        int k = check(labels, probabilities);
        EvalInputs.notNull(average, "average");
        if (average == Average.MICRO) {
            throw new IllegalArgumentException("average must be MACRO or WEIGHTED for the one-vs-rest ROC AUC");
        }
        int bad = rowNotSummingToOne(probabilities);
        if (bad >= 0) {
            throw new IllegalArgumentException("probabilities in row " + bad + " sum to "
                    + Arrays.stream(probabilities[bad]).sum() + ": the one-vs-rest ROC AUC needs rows summing to 1");
        }
        double[] perClass = perClassAuc(labels, probabilities, k);
        return average == Average.MACRO ? macro(perClass) : weighted(perClass, support(labels, k));
    }

    /**
     * {@code sklearn.metrics.log_loss(y_true, probabilities, labels=range(k))}: the mean of
     * {@code -log(clip(p[i][y_i], eps, 1 - eps))} with {@code eps} the float64 machine epsilon. scikit-learn
     * 1.9 only warns when rows do not sum to 1 and does not renormalise them; neither does this.
     *
     * @throws IllegalArgumentException when a probability is outside [0, 1]
     */
    public static double logLoss(int[] labels, double[][] probabilities) {
        check(labels, probabilities);
        for (int i = 0; i < probabilities.length; i++) {
            for (int c = 0; c < probabilities[i].length; c++) {
                double p = probabilities[i][c];
                if (p < 0 || p > 1) {
                    throw new IllegalArgumentException("probability at row " + i + ", class " + c + " is " + p
                            + ": probabilities must be in [0, 1]");
                }
            }
        }
        double[] losses = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            losses[i] = -Math.log(BinaryMetrics.clip(probabilities[i][labels[i]]));
        }
        return NumpySum.mean(losses);
    }

    /** Every metric from probabilities (the predicted class is the {@link #argmax}). */
    public static Result evaluate(int[] labels, double[][] probabilities) {
        int k = check(labels, probabilities);
        int[] predicted = argmax(probabilities);
        boolean inRange = true;
        for (double[] row : probabilities) {
            for (double p : row) {
                if (p < 0 || p > 1) {
                    inRange = false;
                }
            }
        }
        double logLoss = inRange ? logLoss(labels, probabilities) : Double.NaN;
        boolean sumToOne = rowNotSummingToOne(probabilities) < 0;
        double[] perClassAuc = perClassAuc(labels, probabilities, k);
        double macro = sumToOne ? macro(perClassAuc) : Double.NaN;
        double weighted = sumToOne ? weighted(perClassAuc, support(labels, k)) : Double.NaN;
        return result(labels, predicted, k, macro, weighted, perClassAuc, logLoss, sumToOne);
    }

    /** Every metric available from predicted classes alone (the ROC AUC and log loss are NaN). */
    public static Result evaluate(int[] labels, int[] predicted, int k) {
        checkPredicted(labels, predicted, k);
        double[] nan = new double[k];
        Arrays.fill(nan, Double.NaN);
        return result(labels, predicted, k, Double.NaN, Double.NaN, nan, Double.NaN, false);
    }

    // ------------------------------------------------------------------------------------------------

    private static Result result(int[] labels, int[] predicted, int k, double aucMacro, double aucWeighted,
            double[] aucPerClass, double logLoss, boolean sumToOne) {
        long[][] cm = confusionMatrix(labels, predicted, k);
        double[] macro = prf(cm, Average.MACRO);
        double[] micro = prf(cm, Average.MICRO);
        double[] weighted = prf(cm, Average.WEIGHTED);
        long correct = 0;
        for (int c = 0; c < k; c++) {
            correct += cm[c][c];
        }
        return new Result(k, labels.length, (double) correct / labels.length, macro[0], micro[0], weighted[0],
                macro[1], micro[1], weighted[1], macro[2], micro[2], weighted[2], aucMacro, aucWeighted,
                aucPerClass, logLoss, cm, perClass(cm), sumToOne);
    }

    /** {@code precision_recall_fscore_support} with {@code labels=None}: {precision, recall, f1}. */
    static double[] prf(long[][] cm, Average average) {
        PerClass pc = perClass(cm);
        if (average == Average.MICRO) {
            long tp = 0;
            long pred = 0;
            long tru = 0;
            for (int j = 0; j < pc.classes.length; j++) {
                int c = pc.classes[j];
                tp += cm[c][c];
                tru += pc.support[j];
                pred += predictedCount(cm, c);
            }
            return new double[] {ConfusionCounts.divide(tp, pred), ConfusionCounts.divide(tp, tru),
                ConfusionCounts.divide(2 * tp, tru + pred)};
        }
        if (average == Average.MACRO) {
            return new double[] {mean(pc.precision, null), mean(pc.recall, null), mean(pc.f1, null)};
        }
        return new double[] {mean(pc.precision, pc.support), mean(pc.recall, pc.support), mean(pc.f1, pc.support)};
    }

    private static PerClass perClass(long[][] cm) {
        int k = cm.length;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (trueCount(cm, c) > 0 || predictedCount(cm, c) > 0) {
                present++;
            }
        }
        int[] classes = new int[present];
        double[] precision = new double[present];
        double[] recall = new double[present];
        double[] f1 = new double[present];
        long[] support = new long[present];
        int j = 0;
        for (int c = 0; c < k; c++) {
            long tru = trueCount(cm, c);
            long pred = predictedCount(cm, c);
            if (tru == 0 && pred == 0) {
                continue;
            }
            long tp = cm[c][c];
            classes[j] = c;
            precision[j] = ConfusionCounts.divide(tp, pred);
            recall[j] = ConfusionCounts.divide(tp, tru);
            f1[j] = ConfusionCounts.divide(2 * tp, tru + pred);
            support[j] = tru;
            j++;
        }
        return new PerClass(classes, precision, recall, f1, support);
    }

    /** {@code np.average(values, weights=weights)} (unweighted mean when weights is null). */
    private static double mean(double[] values, long[] weights) {
        if (weights == null) {
            return NumpySum.mean(values);
        }
        double[] products = new double[values.length];
        double[] w = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            products[i] = values[i] * weights[i];
            w[i] = weights[i];
        }
        double total = NumpySum.sum(w);
        return total == 0 ? 0.0 : NumpySum.sum(products) / total;
    }

    private static double macro(double[] perClassAuc) {
        return NumpySum.mean(perClassAuc);
    }

    private static double weighted(double[] perClassAuc, long[] support) {
        double[] scores = perClassAuc.clone();
        for (int c = 0; c < scores.length; c++) {
            if (support[c] == 0) {
                scores[c] = 0; // _average_binary_score: "Scores with 0 weights are forced to be 0"
            }
        }
        return mean(scores, support);
    }

    private static double[] perClassAuc(int[] labels, double[][] probabilities, int k) {
        double[] auc = new double[k];
        double[] column = new double[labels.length];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < labels.length; i++) {
                column[i] = probabilities[i][c];
            }
            auc[c] = ScoreRanking.rocAuc(labels, c, column);
        }
        return auc;
    }

    private static long[] support(int[] labels, int k) {
        long[] support = new long[k];
        for (int label : labels) {
            support[label]++;
        }
        return support;
    }

    private static long trueCount(long[][] cm, int c) {
        long s = 0;
        for (long v : cm[c]) {
            s += v;
        }
        return s;
    }

    private static long predictedCount(long[][] cm, int c) {
        long s = 0;
        for (long[] row : cm) {
            s += row[c];
        }
        return s;
    }

    /** The first row whose sum fails {@code np.allclose(1, sum)}, or -1. */
    private static int rowNotSummingToOne(double[][] probabilities) {
        for (int i = 0; i < probabilities.length; i++) {
            double s = NumpySum.sum(probabilities[i]);
            if (!(Math.abs(1 - s) <= ALLCLOSE_ATOL + ALLCLOSE_RTOL * Math.abs(s))) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------------

    private static int check(int[] labels, double[][] probabilities) {
        EvalInputs.notNull(labels, "labels");
        EvalInputs.notNull(probabilities, "probabilities");
        EvalInputs.rows("labels", labels.length, "probabilities", probabilities.length);
        int k = checkProbabilities(probabilities);
        EvalInputs.classLabels(labels, k, "label");
        return k;
    }

    /** Rows present, rectangular, at least 2 columns, finite values; returns k. */
    private static int checkProbabilities(double[][] probabilities) {
        EvalInputs.notNull(probabilities, "probabilities");
        if (probabilities.length == 0) {
            throw new IllegalArgumentException("no rows: probabilities is empty");
        }
        if (probabilities[0] == null) {
            throw new IllegalArgumentException("probabilities row 0 is null");
        }
        int k = probabilities[0].length;
        if (k < 2) {
            throw new IllegalArgumentException("probabilities have " + k + " column(s): need one per class, at least 2");
        }
        for (int i = 0; i < probabilities.length; i++) {
            double[] row = probabilities[i];
            if (row == null || row.length != k) {
                throw new IllegalArgumentException("probabilities row " + i + " has "
                        + (row == null ? "no" : String.valueOf(row.length)) + " values, expected " + k);
            }
            for (int c = 0; c < k; c++) {
                if (!Double.isFinite(row[c])) {
                    throw new IllegalArgumentException("probability at row " + i + ", class " + c + " is "
                            + EvalInputs.describe(row[c]) + ": probabilities must be finite numbers");
                }
            }
        }
        return k;
    }

    private static void checkPredicted(int[] labels, int[] predicted, int k) {
        EvalInputs.notNull(labels, "labels");
        EvalInputs.notNull(predicted, "predicted");
        EvalInputs.rows("labels", labels.length, "predicted", predicted.length);
        if (k < 2) {
            throw new IllegalArgumentException("k is " + k + ": need at least 2 classes");
        }
        EvalInputs.classLabels(labels, k, "label");
        EvalInputs.classLabels(predicted, k, "predicted label");
    }
}
