package io.jenkins.plugins.mlstages.eval;

import java.util.Arrays;

/**
 * A reliability diagram: {@code sklearn.calibration.calibration_curve(y_true, y_prob, n_bins=10,
 * strategy='uniform')} plus the row count of each returned bin. Empty bins are left out, as scikit-learn
 * does, so the arrays have one entry per non-empty bin, in bin order.
 *
 * @param probTrue fraction of positives in each bin ({@code prob_true})
 * @param probPred mean predicted probability in each bin ({@code prob_pred})
 * @param binIndex which of the bins {@code 0 .. bins-1} each entry is
 * @param counts rows in each bin
 * @param bins the number of equal-width bins on [0, 1]
 */
public record CalibrationCurve(double[] probTrue, double[] probPred, int[] binIndex, long[] counts, int bins) {

    public int size() {
        return probTrue.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalibrationCurve c && bins == c.bins && Arrays.equals(probTrue, c.probTrue)
                && Arrays.equals(probPred, c.probPred) && Arrays.equals(binIndex, c.binIndex)
                && Arrays.equals(counts, c.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(probTrue) * 31 + Arrays.hashCode(counts) + bins;
    }

    @Override
    public String toString() {
        return "CalibrationCurve[" + probTrue.length + " of " + bins + " bins]";
    }
}
