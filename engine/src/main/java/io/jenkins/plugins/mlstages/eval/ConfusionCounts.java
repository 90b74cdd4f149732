package io.jenkins.plugins.mlstages.eval;

/**
 * A binary confusion matrix, {@code sklearn.metrics.confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()}
 * = {@code (tn, fp, fn, tp)}, with the threshold-dependent scores derived from it exactly as scikit-learn
 * 1.9 computes them for {@code average='binary'}, {@code pos_label=1} and the default
 * {@code zero_division="warn"}, which returns 0.0 where a ratio is 0/0 ({@code _prf_divide},
 * {@code _check_zero_division} in {@code sklearn/metrics/_classification.py}).
 *
 * @param tn negatives predicted negative
 * @param fp negatives predicted positive
 * @param fn positives predicted negative
 * @param tp positives predicted positive
 */
public record ConfusionCounts(long tn, long fp, long fn, long tp) {

    /**
     * The confusion matrix of a resample: row {@code i} falls in cell {@code label * 2 + predicted} and is
     * drawn {@code counts[i]} times. Branch-free, since it runs once per row of every resample.
     */
    static ConfusionCounts weighted(byte[] cell, int[] counts) {
        long total = 0;
        long positives = 0;
        long predicted = 0;
        long tp = 0;
        for (int i = 0; i < cell.length; i++) {
            long c = counts[i];
            int label = cell[i] >> 1;
            int pred = cell[i] & 1;
            total += c;
            positives += c & -label;
            predicted += c & -pred;
            tp += c & -(label & pred);
        }
        long fp = predicted - tp;
        long fn = positives - tp;
        return new ConfusionCounts(total - positives - fp, fp, fn, tp);
    }

    /** Rows: {@code tn + fp + fn + tp}. */
    public long total() {
        return tn + fp + fn + tp;
    }

    /** Rows whose label is 1 ({@code tp + fn}). */
    public long positives() {
        return tp + fn;
    }

    /** Rows whose label is 0 ({@code tn + fp}). */
    public long negatives() {
        return tn + fp;
    }

    /** Rows predicted 1 ({@code tp + fp}). */
    public long predictedPositives() {
        return tp + fp;
    }

    /** {@code accuracy_score}: {@code (tp + tn) / total}. */
    public double accuracy() {
        return (double) (tp + tn) / total();
    }

    /** {@code precision_score}: {@code tp / (tp + fp)}, 0.0 when nothing is predicted positive. */
    public double precision() {
        return divide(tp, tp + fp);
    }

    /** {@code recall_score}: {@code tp / (tp + fn)}, 0.0 when there are no positives. */
    public double recall() {
        return divide(tp, tp + fn);
    }

    /**
     * {@code f1_score}: {@code 2 tp / (2 tp + fp + fn)} (scikit-learn's form, {@code (1 + beta^2) tp /
     * (beta^2 true_sum + pred_sum)}), 0.0 when the denominator is 0.
     */
    public double f1() {
        return divide(2 * tp, 2 * tp + fp + fn);
    }

    /** False-positive rate {@code fp / (fp + tn)}, 0.0 when there are no negatives (fairlearn's convention). */
    public double falsePositiveRate() {
        return divide(fp, fp + tn);
    }

    /** Selection rate {@code (tp + fp) / total} (fairlearn's {@code selection_rate}). */
    public double selectionRate() {
        return (double) (tp + fp) / total();
    }

    static double divide(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
