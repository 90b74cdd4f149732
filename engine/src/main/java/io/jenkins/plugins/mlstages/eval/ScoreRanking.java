package io.jenkins.plugins.mlstages.eval;

import java.util.Arrays;

/**
 * The distinct scores in descending order with the cumulative true- and false-positive counts at each,
 * i.e. scikit-learn's {@code confusion_matrix_at_thresholds} ({@code _binary_clf_curve} in older
 * releases): {@code tps[g]} positives and {@code fps[g]} negatives have a score {@code >= thresholds[g]}.
 * Everything rank-based (ROC AUC, average precision, the ROC and precision-recall curves, the best
 * threshold) derives from it.
 *
 * <p>Built without an index sort. Scores with few distinct values (rounded probabilities, the usual
 * case) are counted per class in a hash table in one pass, and only the distinct values are sorted;
 * past {@link #MAX_HASHED_DISTINCT} distinct values the scores of each class are copied, sorted with
 * {@link Arrays#sort} and merged from the top. Both give the same table. {@code -0.0} is folded into
 * {@code 0.0} (NumPy's {@code diff} treats them as one threshold). Memory: at most 8 bytes per row
 * (the sort) or 3 MB (the hash table) while building, then 24 bytes per distinct score.
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

    /** Distinct scores counted in a hash table at most: past it, sorting the rows is the cheaper way. */
    static final int MAX_HASHED_DISTINCT = 1 << 16;

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
        ScoreRanking counted = byCounting(labels, positiveClass, scores);
        return counted != null ? counted : bySorting(labels, positiveClass, scores);
    }

    /**
     * The table from per-score counts in a hash table (open addressing on the score's bits), or null as
     * soon as there are more than {@link #MAX_HASHED_DISTINCT} distinct scores.
     */
    static ScoreRanking byCounting(int[] labels, int positiveClass, double[] scores) {
        int capacity = Integer.highestOneBit(Math.max(16, Math.min(2 * MAX_HASHED_DISTINCT, 2 * scores.length)) - 1) << 1;
        int shift = 64 - Integer.numberOfTrailingZeros(capacity);
        int mask = capacity - 1;
        long[] keys = new long[capacity];
        boolean[] used = new boolean[capacity];
        long[] positivesAt = new long[capacity];
        long[] negativesAt = new long[capacity];
        int distinct = 0;
        for (int k = 0; k < scores.length; k++) {
            long bits = Double.doubleToRawLongBits(scores[k] + 0.0); // -0.0 -> 0.0
            int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> shift);
            while (used[slot] && keys[slot] != bits) {
                slot = (slot + 1) & mask;
            }
            if (!used[slot]) {
                if (++distinct > MAX_HASHED_DISTINCT) {
                    return null;
                }
                used[slot] = true;
                keys[slot] = bits;
            }
            if (labels[k] == positiveClass) {
                positivesAt[slot]++;
            } else {
                negativesAt[slot]++;
            }
        }
        double[] values = new double[distinct];
        int n = 0;
        for (int slot = 0; slot < capacity; slot++) {
            if (used[slot]) {
                values[n++] = Double.longBitsToDouble(keys[slot]);
            }
        }
        Arrays.sort(values);
        double[] descending = new double[distinct];
        long[] pos = new long[distinct];
        long[] neg = new long[distinct];
        for (int g = 0; g < distinct; g++) {
            double t = values[distinct - 1 - g];
            long bits = Double.doubleToRawLongBits(t);
            int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> shift);
            while (keys[slot] != bits) {
                slot = (slot + 1) & mask;
            }
            descending[g] = t;
            pos[g] = positivesAt[slot];
            neg[g] = negativesAt[slot];
        }
        return ofGroups(descending, pos, neg);
    }

    /** The table from the scores of each class sorted and merged from the top. */
    static ScoreRanking bySorting(int[] labels, int positiveClass, double[] scores) {
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
        ScoreRanking counted = byCounting(labels, positiveClass, scores);
        if (counted != null) {
            return counted.rocAuc(); // the same sum, in the same integers
        }
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
