package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import org.junit.Test;

/**
 * The bootstrap against a naive reference (draw the indices, copy the rows, recompute the metric from
 * scratch), determinism, thread-count independence, and that the interval holds the point estimate.
 */
public class BootstrapTest {
    private static final int[] Y;
    private static final double[] S;

    static {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 80;
        Y = new int[n];
        S = new double[n];
        for (int i = 0; i < n; i++) {
            Y[i] = rnd.nextDouble() < 0.4 ? 1 : 0;
            S[i] = Math.round(1 / (1 + Math.exp(-(rnd.nextGaussian() + Y[i]))) * 20) / 20.0; // ties
        }
    }

    /** The naive bootstrap: same generators and draws, but copied arrays and the plain metric. */
    private static double[] naive(int[] y, double[] s, int resamples, long seed,
            ToDoubleBiFunction<int[], double[]> metric) {
        SplittableRandom[] generators = Bootstrap.generators(seed, resamples);
        double[] values = new double[resamples];
        int n = y.length;
        for (int r = 0; r < resamples; r++) {
            int[] yr = new int[n];
            double[] sr = new double[n];
            for (int j = 0; j < n; j++) {
                int idx = Bootstrap.index(generators[r], n);
                yr[j] = y[idx];
                sr[j] = s[idx];
            }
            values[r] = metric.applyAsDouble(yr, sr);
        }
        return values;
    }

    @Test
    public void aucKernelEqualsTheNaiveBootstrapExactly() {
        double[] kernel = Bootstrap.resampledValues(Y.length, Bootstrap.rocAuc(Y, S), 300, 42L, 1);
        double[] naive = naive(Y, S, 300, 42L, BinaryMetrics::rocAuc);
        assertArrayEquals(naive, kernel, 0.0);
        ConfidenceInterval ci = Bootstrap.ci(Y.length, Bootstrap.rocAuc(Y, S), 300, 0.9, 42L, 1);
        ConfidenceInterval reference = Bootstrap.interval(BinaryMetrics.rocAuc(Y, S), naive, 0.9, 42L);
        assertEquals(reference, ci);
    }

    @Test
    public void thresholdKernelsEqualTheNaiveBootstrapExactly() {
        for (double threshold : new double[] {0.3, 0.5, 0.75}) {
            assertArrayEquals(naive(Y, S, 200, 7L, (y, s) -> BinaryMetrics.f1(y, s, threshold)),
                    Bootstrap.resampledValues(Y.length, Bootstrap.atThreshold(Y, S, threshold, ConfusionCounts::f1),
                            200, 7L, 2), 0.0);
            assertArrayEquals(naive(Y, S, 200, 7L, (y, s) -> BinaryMetrics.accuracy(y, s, threshold)),
                    Bootstrap.resampledValues(Y.length,
                            Bootstrap.atThreshold(Y, S, threshold, ConfusionCounts::accuracy), 200, 7L, 2), 0.0);
            assertArrayEquals(naive(Y, S, 200, 7L, (y, s) -> BinaryMetrics.precision(y, s, threshold)),
                    Bootstrap.resampledValues(Y.length,
                            Bootstrap.atThreshold(Y, S, threshold, ConfusionCounts::precision), 200, 7L, 2), 0.0);
        }
    }

    @Test
    public void anyMetricCanBeBootstrappedByCopyingTheIndices() {
        ResampleMetric logLoss = counts -> {
            int[] idx = Bootstrap.indices(counts);
            int[] y = new int[idx.length];
            double[] s = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                y[j] = Y[idx[j]];
                s[j] = S[idx[j]];
            }
            return BinaryMetrics.logLoss(y, s);
        };
        double[] values = Bootstrap.resampledValues(Y.length, logLoss, 50, 3L, 2);
        // the order of the rows does not matter to log loss beyond summation rounding
        double[] naive = naive(Y, S, 50, 3L, BinaryMetrics::logLoss);
        assertArrayEquals(naive, values, 1e-12);
        assertArrayEquals(new int[] {0, 0, 2, 3, 3, 3}, Bootstrap.indices(new int[] {2, 0, 1, 3}));
    }

    @Test
    public void sameSeedSameIntervalWhateverTheThreads() {
        ResampleMetric auc = Bootstrap.rocAuc(Y, S);
        ConfidenceInterval one = Bootstrap.ci(Y.length, auc, 200, 0.95, 99L, 1);
        ConfidenceInterval four = Bootstrap.ci(Y.length, auc, 200, 0.95, 99L, 4);
        assertEquals(one, four);
        assertEquals(one, Bootstrap.ci(Y.length, auc, 200, 0.95, 99L));
        assertNotEquals(one, Bootstrap.ci(Y.length, auc, 200, 0.95, 100L, 1));
        assertEquals(99L, one.seed());
        assertEquals(200, one.resamples());
    }

    @Test
    public void sharedResamplesGiveTheSameIntervalsAsSeparateRuns() {
        ResampleMetric auc = Bootstrap.rocAuc(Y, S);
        ResampleMetric f1 = Bootstrap.atThreshold(Y, S, 0.5, ConfusionCounts::f1);
        ConfidenceInterval[] both = Bootstrap.cis(Y.length, new ResampleMetric[] {auc, f1}, 150, 0.9, 5L, 2);
        assertEquals(Bootstrap.ci(Y.length, auc, 150, 0.9, 5L, 1), both[0]);
        assertEquals(Bootstrap.ci(Y.length, f1, 150, 0.9, 5L, 1), both[1]);
        // a paired difference of a metric with itself is exactly 0 on every resample
        ConfidenceInterval zero = Bootstrap.ci(Y.length, c -> auc.apply(c) - auc.apply(c), 50, 0.9, 5L, 2);
        assertEquals(0.0, zero.lower(), 0.0);
        assertEquals(0.0, zero.upper(), 0.0);
    }

    @Test
    public void intervalHoldsThePointEstimateOnReasonableData() {
        SplittableRandom rnd = new SplittableRandom(2024);
        int n = 3000;
        int[] y = new int[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
            s[i] = 1 / (1 + Math.exp(-(rnd.nextGaussian() + 1.2 * y[i] - 0.5)));
        }
        for (long seed = 1; seed <= 5; seed++) {
            ConfidenceInterval auc = Bootstrap.ci(n, Bootstrap.rocAuc(y, s), 200, 0.95, seed);
            assertEquals(BinaryMetrics.rocAuc(y, s), auc.estimate(), 0.0);
            assertTrue(auc.toString(), auc.contains(auc.estimate()));
            assertTrue(auc.toString(), auc.width() > 0.01 && auc.width() < 0.08);
            assertEquals(0, auc.undefined());
            ConfidenceInterval f1 = Bootstrap.ci(n, Bootstrap.atThreshold(y, s, 0.5, ConfusionCounts::f1), 200, 0.95,
                    seed);
            assertEquals(BinaryMetrics.f1(y, s, 0.5), f1.estimate(), 0.0);
            assertTrue(f1.toString(), f1.contains(f1.estimate()));
        }
    }

    @Test
    public void resamplesWithOneClassAreCountedAsUndefined() {
        int[] y = new int[30];
        y[0] = 1; // a single positive: about 1/e of the resamples miss it
        double[] s = new double[30];
        for (int i = 0; i < 30; i++) {
            s[i] = i / 30.0;
        }
        ConfidenceInterval ci = Bootstrap.ci(30, Bootstrap.rocAuc(y, s), 400, 0.95, 1L, 2);
        assertTrue(ci.toString(), ci.undefined() > 80 && ci.undefined() < 220);
        assertTrue(ci.toString(), !Double.isNaN(ci.lower()) && !Double.isNaN(ci.upper()));
        ConfidenceInterval none = Bootstrap.ci(30, c -> Double.NaN, 10, 0.95, 1L, 1);
        assertEquals(10, none.undefined());
        assertTrue(Double.isNaN(none.lower()) && Double.isNaN(none.upper()));
    }

    @Test
    public void drawCountsSumToNAndIndicesAreUniform() {
        int[] counts = new int[7];
        Bootstrap.draw(new SplittableRandom(1), counts);
        assertEquals(7, Arrays.stream(counts).sum());
        long[] hist = new long[10];
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            hist[Bootstrap.index(rnd, 10)]++;
        }
        for (long h : hist) {
            assertTrue(Arrays.toString(hist), Math.abs(h - 10_000) < 500);
        }
        SplittableRandom big = new SplittableRandom(6);
        for (int i = 0; i < 1000; i++) {
            int v = Bootstrap.index(big, Integer.MAX_VALUE);
            assertTrue(v >= 0);
        }
        assertEquals(0, Bootstrap.index(big, 1));
    }

    @Test
    public void quantileIsNumpyLinear() {
        double[] x = {1, 2, 3, 4};
        assertEquals(2.5, Bootstrap.quantile(x, 0.5), 0.0);
        assertEquals(1.075, Bootstrap.quantile(x, 0.025), 1e-15); // np.quantile([1,2,3,4], 0.025)
        assertEquals(3.925, Bootstrap.quantile(x, 0.975), 1e-15);
        assertEquals(1.0, Bootstrap.quantile(x, 0.0), 0.0);
        assertEquals(4.0, Bootstrap.quantile(x, 1.0), 0.0);
        assertEquals(7.0, Bootstrap.quantile(new double[] {7}, 0.3), 0.0);
    }

    @Test
    public void badArgumentsAndFailingMetrics() {
        ResampleMetric m = c -> 0.0;
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.ci(0, m, 10, 0.95, 1L));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.ci(5, m, 0, 0.95, 1L));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.ci(5, m, 10, 1.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.ci(5, m, 10, 0.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.ci(5, m, 10, 0.95, 1L, 0));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.ci(5, null, 10, 0.95, 1L));
        assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.rocAuc(new int[] {0, 1}, new double[] {0.1, Double.NaN}));
        int[] calls = {0};
        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> Bootstrap.ci(5, c -> {
            if (calls[0]++ > 3) {
                throw new IllegalStateException("boom");
            }
            return 1.0;
        }, 50, 0.95, 1L, 3));
        assertEquals("boom", boom.getMessage());
    }
}
