package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.SplittableRandom;
import org.junit.Test;

public class RadixArgsortTest {
    @Test
    public void sortsDescendingStablyWithNegativesZerosAndTies() {
        SplittableRandom rnd = new SplittableRandom(8);
        int n = 20_000;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(6);
            v[i] = switch (kind) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> Math.round(rnd.nextGaussian() * 10) / 10.0;
                case 3 -> rnd.nextGaussian() * 1e300;
                case 4 -> Double.MIN_VALUE * (rnd.nextBoolean() ? 1 : -1);
                default -> rnd.nextDouble();
            };
        }
        RadixArgsort.Sorted sorted = RadixArgsort.descending(v);
        int[] idx = sorted.index();
        boolean[] seen = new boolean[n];
        for (int k = 0; k < n; k++) {
            assertTrue(!seen[idx[k]]);
            seen[idx[k]] = true;
            if (k > 0) {
                double prev = v[idx[k - 1]] + 0.0;
                double cur = v[idx[k]] + 0.0;
                assertTrue(prev + " before " + cur, prev >= cur);
                if (prev == cur) {
                    assertTrue("stable", idx[k - 1] < idx[k]);
                    assertEquals(sorted.keys()[k - 1], sorted.keys()[k]);
                } else {
                    assertTrue(sorted.keys()[k - 1] != sorted.keys()[k]);
                }
            }
        }
    }

    @Test
    public void emptyAndSingle() {
        assertEquals(0, RadixArgsort.descending(new double[0]).index().length);
        assertEquals(0, RadixArgsort.descending(new double[] {3.0}).index()[0]);
    }
}
