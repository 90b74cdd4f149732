package io.jenkins.plugins.mlstages.eval;

import java.util.Arrays;

/**
 * The distinct scores in descending order with the cumulative true- and false-positive counts at each,
 * i.e. scikit-learn's {@code confusion_matrix_at_thresholds} ({@code _binary_clf_curve} in older
 * releases): {@code tps[g]} positives and {@code fps[g]} negatives have a score {@code >= thresholds[g]}.
 * Everything rank-based (ROC AUC, average precision, the ROC and precision-recall curves, the best
 * threshold) derives from it.
 *
 * <p>Built without an index sort: the scores of each class are copied, sorted with {@link Arrays#sort}
 * and merged from the top. {@code -0.0} is folded into {@code 0.0} (NumPy's {@code diff} treats them as
 * one threshold). Memory: 8 bytes per row while building, then 16 bytes per distinct score.
 */
final class ScoreRanking {
    /** Distinct scores, descending. */
    final double[] thresholds;
    /** Positives with a score {@code >=} the threshold; increasing, {@code tps[last] == positives}. */
    final long[] tps;
    /** Negatives with a score {@code >=} the threshold; increasing, {@code fps[last] == negatives}. */
    final long[] fps;
    final long positives;
    final long negatives;

    private ScoreRanking(double[] thresholds, long[] tps, long[] fps, long positives, long negatives) {
        this.thresholds = thresholds;
        this.tps = tps;
        this.fps = fps;
        this.positives = positives;
        this.negatives = negatives;
    }

    int size() {
        return thresholds.length;
    }

    /** Labels are 0/1 (or {@code labels[i] == positiveClass} marks positives) and scores finite: checked by the caller. */
    static ScoreRanking of(int[] labels, int positiveClass, double[] scores) {
        double[][] split = split(labels, positiveClass, scores);
        double[] pos = split[0];
        double[] neg = split[1];
        int distinct = 0;
        int i = pos.length - 1;
        int j = neg.length - 1;
        while (i >= 0 || j >= 0) {
            double t = top(pos, i, neg, j);
            while (i >= 0 && pos[i] == t) {
                i--;
            }
            while (j >= 0 && neg[j] == t) {
                j--;
            }
            distinct++;
        }
        double[] thresholds = new double[distinct];
        long[] tps = new long[distinct];
        long[] fps = new long[distinct];
        i = pos.length - 1;
        j = neg.length - 1;
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < distinct; g++) {
            double t = top(pos, i, neg, j);
            while (i >= 0 && pos[i] == t) {
                i--;
                tp++;
            }
            while (j >= 0 && neg[j] == t) {
                j--;
                fp++;
            }
            thresholds[g] = t;
            tps[g] = tp;
            fps[g] = fp;
        }
        return new ScoreRanking(thresholds, tps, fps, pos.length, neg.length);
    }

    /**
     * The ranking from aggregates: the distinct scores (or, for a histogram, each bin's lowest score) in descending
     * order with the positives and negatives at each (not cumulative), as a GROUP BY over a table gives them
     * (TableEvaluate). Counts are longs: a table may hold more rows than an array.
     */
    static ScoreRanking ofGroups(double[] descending, long[] positivesAt, long[] negativesAt) {
        int m = descending.length;
        long[] tps = new long[m];
        long[] fps = new long[m];
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < m; g++) {
            if (g > 0 && !(descending[g] < descending[g - 1])) {
                throw new IllegalArgumentException("scores are not distinct and descending at group " + g);
            }
            tp += positivesAt[g];
            fp += negativesAt[g];
            tps[g] = tp;
            fps[g] = fp;
        }
        return new ScoreRanking(descending.clone(), tps, fps, tp, fp);
    }

    /**
     * The ROC AUC straight from the two sorted classes, without building the table (the fast path):
     * the trapezoidal area under scikit-learn's ROC curve, which equals the Mann-Whitney statistic
     * with ties counted one half, accumulated exactly in integers. NaN when a class is absent.
     */
    static double rocAuc(int[] labels, int positiveClass, double[] scores) {
        double[][] split = split(labels, positiveClass, scores);
        double[] pos = split[0];
        double[] neg = split[1];
        if (pos.length == 0 || neg.length == 0) {
            return Double.NaN;
        }
        long twiceArea = 0;
        long tpBefore = 0;
        int i = pos.length - 1;
        int j = neg.length - 1;
        while (j >= 0) {
            double t = top(pos, i, neg, j);
            long dTp = 0;
            long dFp = 0;
            while (i >= 0 && pos[i] == t) {
                i--;
                dTp++;
            }
            while (j >= 0 && neg[j] == t) {
                j--;
                dFp++;
            }
            twiceArea += dFp * (2 * tpBefore + dTp);
            tpBefore += dTp;
        }
        return twiceArea / (2.0 * pos.length * (double) neg.length);
    }

    /** The ROC AUC from the table (same formula as {@link #rocAuc(int[], int, double[])}). */
    double rocAuc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // twice the area in 128 bits: it reaches 2·P·N, past a long from about 4.3e9 rows (a table, not a file)
        long low = 0;
        long high = 0;
        long prevTp = 0;
        long prevFp = 0;
        for (int g = 0; g < thresholds.length; g++) {
            long width = fps[g] - prevFp;
            long heights = tps[g] + prevTp;
            long product = width * heights;
            long sum = low + product;
            high += Math.multiplyHigh(width, heights) + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
            low = sum;
            prevTp = tps[g];
            prevFp = fps[g];
        }
        double twiceArea = high == 0 && low >= 0 ? low : high * 0x1p64 + unsigned(low);
        return twiceArea / (2.0 * positives * (double) negatives);
    }

    private static double unsigned(long bits) {
        return (bits >>> 1) * 2.0 + (bits & 1);
    }

    private static double top(double[] pos, int i, double[] neg, int j) {
        if (i < 0) {
            return neg[j];
        }
        if (j < 0) {
            return pos[i];
        }
        return Math.max(pos[i], neg[j]);
    }

    private static double[][] split(int[] labels, int positiveClass, double[] scores) {
        int p = 0;
        for (int label : labels) {
            if (label == positiveClass) {
                p++;
            }
        }
        double[] pos = new double[p];
        double[] neg = new double[labels.length - p];
        int a = 0;
        int b = 0;
        for (int k = 0; k < labels.length; k++) {
            double s = scores[k] + 0.0; // -0.0 -> 0.0
            if (labels[k] == positiveClass) {
                pos[a++] = s;
            } else {
                neg[b++] = s;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        return new double[][] {pos, neg};
    }
}
