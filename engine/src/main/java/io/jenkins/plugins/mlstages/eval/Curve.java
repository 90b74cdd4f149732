package io.jenkins.plugins.mlstages.eval;

import java.util.Arrays;

/**
 * Points of a curve for the report, in the order scikit-learn returns them, with the score threshold
 * that produced each point.
 *
 * <ul>
 *   <li>ROC ({@link BinaryMetrics#rocCurve}): {@code x} = fpr, {@code y} = tpr, {@code thresholds} as
 *       {@code sklearn.metrics.roc_curve} (first threshold {@code +inf}).</li>
 *   <li>Precision-recall ({@link BinaryMetrics#precisionRecallCurve}): {@code x} = recall, {@code y} =
 *       precision, as {@code sklearn.metrics.precision_recall_curve}; that function returns one threshold
 *       fewer than points, so the last point (recall 0, precision 1) has threshold NaN here.</li>
 * </ul>
 *
 * @param x the x coordinates
 * @param y the y coordinates (same length)
 * @param thresholds the threshold of each point (same length; NaN where there is none)
 */
public record Curve(double[] x, double[] y, double[] thresholds) {

    public Curve {
        if (x.length != y.length || x.length != thresholds.length) {
            throw new IllegalArgumentException("curve arrays differ in length: x " + x.length + ", y " + y.length
                    + ", thresholds " + thresholds.length);
        }
    }

    public int size() {
        return x.length;
    }

    /**
     * At most {@code maxPoints} points of this curve, always including the first and the last: the points
     * at indices {@code round(j (size - 1) / (maxPoints - 1))} for {@code j = 0 .. maxPoints - 1}. A curve
     * that is already small enough is returned as is.
     *
     * @throws IllegalArgumentException when {@code maxPoints < 2}
     */
    public Curve downsample(int maxPoints) {
        return downsample(this, maxPoints);
    }

    /** See {@link #downsample(int)}. */
    public static Curve downsample(Curve curve, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints is " + maxPoints + ": a curve needs at least 2 points");
        }
        int m = curve.size();
        if (m <= maxPoints) {
            return curve;
        }
        double[] x = new double[maxPoints];
        double[] y = new double[maxPoints];
        double[] t = new double[maxPoints];
        for (int j = 0; j < maxPoints; j++) {
            int i = (int) Math.round((double) j * (m - 1) / (maxPoints - 1));
            x[j] = curve.x[i];
            y[j] = curve.y[i];
            t[j] = curve.thresholds[i];
        }
        return new Curve(x, y, t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Curve c && Arrays.equals(x, c.x) && Arrays.equals(y, c.y)
                && Arrays.equals(thresholds, c.thresholds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(x) + Arrays.hashCode(y)) + Arrays.hashCode(thresholds);
    }

    @Override
    public String toString() {
        return "Curve[" + x.length + " points]";
    }
}
