package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;

import java.util.SplittableRandom;
import org.junit.Test;

/** The pairwise summation's structure (bitwise equality with NumPy is checked by EvalMetricsIT). */
public class NumpySumTest {
    @Test
    public void smallArraysAreSummedLeftToRight() {
        double[] a = {0.1, 0.2, 0.3, 1e16, -1e16, 0.4, 0.5};
        double expected = 0.0;
        for (double v : a) {
            expected += v;
        }
        assertEquals(expected, NumpySum.sum(a), 0.0);
    }

    @Test
    public void eightAccumulatorsBetween8And128() {
        double[] a = new double[10];
        java.util.Arrays.fill(a, 0.1);
        // r0..r7 = 0.1 each, ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) = 0.8, then + 0.1 + 0.1
        double expected = ((0.1 + 0.1) + (0.1 + 0.1)) + ((0.1 + 0.1) + (0.1 + 0.1));
        expected += 0.1;
        expected += 0.1;
        assertEquals(expected, NumpySum.sum(a), 0.0);
    }

    @Test
    public void largeArraysSplitAtAMultipleOfEight() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] a = new double[1001];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        // n = 1001: n2 = 500 - 500 % 8 = 496
        assertEquals(NumpySum.sum(a, 0, 496) + NumpySum.sum(a, 496, 505), NumpySum.sum(a), 0.0);
        double naive = 0;
        for (double v : a) {
            naive += v;
        }
        assertEquals(naive, NumpySum.sum(a), 1e-12);
        assertEquals(NumpySum.sum(a) / a.length, NumpySum.mean(a), 0.0);
    }
}
