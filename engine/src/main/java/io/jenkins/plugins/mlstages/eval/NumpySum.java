package io.jenkins.plugins.mlstages.eval;

/**
 * NumPy's float64 summation ({@code np.sum}, {@code np.mean}) reproduced bit for bit: the pairwise
 * algorithm of {@code numpy/_core/src/umath/loops_utils.h.src} ({@code pairwise_sum}: a plain loop below
 * 8 values, eight unrolled accumulators up to the block size of 128, halving at a multiple of 8 above).
 * NumPy applies it to a contiguous float64 reduction in one call, so {@code np.sum(a)} equals
 * {@code sum(a, 0, a.length)} exactly (checked for sizes 1 .. 100 001, including the {@code (n, 1)}
 * {@code axis=0} reductions scikit-learn uses for regression metrics).
 *
 * <p>Matching the rounding matters where scikit-learn branches on an exact zero: {@code r2_score} and
 * {@code explained_variance_score} test {@code numerator != 0} and {@code denominator != 0}, which for a
 * constant {@code y_true} depends on whether {@code y - mean(y)} rounds to exactly zero.
 */
final class NumpySum {
    private static final int BLOCK = 128;

    private NumpySum() {
    }

    /** {@code np.sum(a[from:from+n])}. */
    static double sum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else if (n <= BLOCK) {
            double r0 = a[from];
            double r1 = a[from + 1];
            double r2 = a[from + 2];
            double r3 = a[from + 3];
            double r4 = a[from + 4];
            double r5 = a[from + 5];
            double r6 = a[from + 6];
            double r7 = a[from + 7];
            int i;
            int end = n - (n % 8);
            for (i = 8; i < end; i += 8) {
                int k = from + i;
                r0 += a[k];
                r1 += a[k + 1];
                r2 += a[k + 2];
                r3 += a[k + 3];
                r4 += a[k + 4];
                r5 += a[k + 5];
                r6 += a[k + 6];
                r7 += a[k + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return sum(a, from, n2) + sum(a, from + n2, n - n2);
        }
    }

    /** {@code np.sum(a)}. */
    static double sum(double[] a) {
        return sum(a, 0, a.length);
    }

    /** {@code np.mean(a)}: the pairwise sum divided by the count. */
    static double mean(double[] a) {
        return sum(a, 0, a.length) / a.length;
    }
}
