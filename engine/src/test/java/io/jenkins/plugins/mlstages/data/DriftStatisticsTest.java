package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * Hand-checked values and edge cases of {@link DriftStatistics} and {@link DriftMethod}. The comparison with
 * live SciPy on random data is {@link DriftStatisticsIT}; every number here is derived by hand in a comment.
 */
public class DriftStatisticsTest {
    private static final double TOL = 1e-12;

    // ---------------------------------------------------------------------------------------------- KS

    @Test
    public void ksCompleteSeparationEqualSizes() {
        // D = 1; exact P(D >= 1) = 2 / C(6, 3) = 0.1 (all of one sample below all of the other)
        DriftScore s = DriftStatistics.ks(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(1.0, s.statistic(), 0.0);
        assertEquals(0.1, s.pValue(), TOL);
    }

    @Test
    public void ksCompleteSeparationUnequalSizes() {
        // D = 1; exact P = 2 / C(5, 2) = 0.2
        DriftScore s = DriftStatistics.ks(new double[] {3, 4, 5}, new double[] {1, 2});
        assertEquals(1.0, s.statistic(), 0.0);
        assertEquals(0.2, s.pValue(), TOL);
    }

    @Test
    public void ksStatisticWithTies() {
        // F_ref at 1, 2, 3 = 2/4, 3/4, 1; F_cur = 1/4, 2/4, 1 -> D = 1/4 (ties handled by counting <= v)
        DriftScore s = DriftStatistics.ks(new double[] {1, 1, 2, 3}, new double[] {1, 2, 3, 3});
        assertEquals(0.25, s.statistic(), 0.0);
        assertTrue(s.pValue() > 0.9 && s.pValue() <= 1.0);
    }

    @Test
    public void ksIdenticalAndConstantSamplesGiveZeroAndOne() {
        double[] x = new Random(1).doubles(500).toArray();
        assertEquals(new DriftScore(0.0, 1.0), DriftStatistics.ks(x, x.clone()));
        assertEquals(new DriftScore(0.0, 1.0), DriftStatistics.ks(new double[] {2, 2, 2}, new double[] {2, 2}));
        // asymptotic branch (n > 10000): kstwo.sf(0, n) = 1
        double[] big = new Random(2).doubles(12_000).toArray();
        assertEquals(new DriftScore(0.0, 1.0), DriftStatistics.ks(big, big.clone()));
    }

    @Test
    public void ksTreatsSignedZerosAsEqual() {
        assertEquals(0.0, DriftStatistics.ks(new double[] {-0.0, 1}, new double[] {0.0, 1}).statistic(), 0.0);
    }

    @Test
    public void ksLeavesInputsUnsorted() {
        double[] ref = {3, 1, 2};
        DriftStatistics.ks(ref, new double[] {0.5});
        assertArrayEquals(new double[] {3, 1, 2}, ref, 0.0);
    }

    @Test
    public void ksRejectsEmptyNanAndUnsorted() {
        assertMessage("reference sample is empty", () -> DriftStatistics.ks(new double[0], new double[] {1}));
        assertMessage("current sample is empty", () -> DriftStatistics.ks(new double[] {1}, new double[0]));
        assertMessage("NaN", () -> DriftStatistics.ks(new double[] {1, Double.NaN}, new double[] {1}));
        assertMessage("not sorted", () -> DriftStatistics.ksSorted(new double[] {2, 1}, new double[] {1}));
    }

    @Test
    public void kstwoClosedForms() {
        // Ruben-Gambino upper tail: P(D_n >= x) = 2 (1 - x)^n for n x >= n - 1
        assertEquals(2 * Math.pow(0.2, 5), DriftStatistics.kstwoSf(0.8, 5), 1e-15);
        // support: 1 at or below 1/(2n), 0 at 1
        assertEquals(1.0, DriftStatistics.kstwoSf(0.05, 10), 0.0);
        assertEquals(0.0, DriftStatistics.kstwoSf(1.0, 10), 0.0);
        // Ruben-Gambino lower tail: P(D_n <= x) = n!/n^n (2nx - 1)^n for 1/2n < x <= 1/n; n = 2, x = 0.4 -> 2/4 * 0.6^2
        assertEquals(1 - 0.5 * 0.36, DriftStatistics.kstwoSf(0.4, 2), 1e-15);
        // large n approaches Kolmogorov's limit: P(sqrt(n) D >= 1.36) ~ 0.0494
        assertEquals(0.0494, DriftStatistics.kstwoSf(1.36 / Math.sqrt(200_000), 200_000), 1e-3);
    }

    @Test
    public void smirnovClosedForms() {
        assertEquals(0.7, DriftStatistics.smirnovSf(1, 0.3), 1e-15);
        // x >= 1 - 1/n: (1 - x)^n
        assertEquals(Math.pow(0.1, 3), DriftStatistics.smirnovSf(3, 0.9), 1e-15);
        // n = 2, 1/2 < x < 1: only the v = 0 term, (1 - x)^2
        assertEquals(0.16, DriftStatistics.smirnovSf(2, 0.6), 1e-15);
        // x <= 1/n: P(D_n+ < x) = x (1 + x)^(n-1); n = 2, x = 0.4 -> 1 - 0.4 * 1.4
        assertEquals(0.44, DriftStatistics.smirnovSf(2, 0.4), 1e-15);
        // n = 3, x = 0.5 (1/n < x < 1 - 1/n): x [ (1-x)^3/x + 3 (1-x-1/3)^2 ] = 0.125 + 1.5/36
        assertEquals(0.125 + 1.5 / 36, DriftStatistics.smirnovSf(3, 0.5), 1e-15);
    }

    // ----------------------------------------------------------------------------------------- Wasserstein

    @Test
    public void wassersteinHandChecked() {
        // scipy doc example: wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5; np.std([0, 1, 3]) = sqrt(42/27)
        assertEquals(5.0 / Math.sqrt(42.0 / 27.0),
                DriftStatistics.wassersteinNormed(new double[] {0, 1, 3}, new double[] {5, 6, 8}), TOL);
        assertEquals(0.0, DriftStatistics.wassersteinNormed(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 0.0);
    }

    @Test
    public void wassersteinConstantReferenceUsesTheFloor() {
        // W = integral |F - G| over [2, 3] = 1 - 2/3; std 0 -> 0.001
        assertEquals((1.0 / 3.0) / 0.001,
                DriftStatistics.wassersteinNormed(new double[] {2, 2, 2}, new double[] {2, 2, 3}), 1e-9);
    }

    // ------------------------------------------------------------------------------------- bins and PSI

    @Test
    public void decileEdgesOfOneToTen() {
        // np.quantile(1..10, 0.1) = x[0] + 0.9 (x[1] - x[0]) = 1.9, ...
        double[] edges = DriftStatistics.psiBinEdges(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertArrayEquals(new double[] {1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1}, edges, 1e-12);
        assertEquals(5.5, DriftStatistics.quantile(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.5), 0.0);
        assertEquals(10.0, DriftStatistics.quantile(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 1.0), 0.0);
        assertArrayEquals(new double[] {4, 4, 4, 4, 4, 4, 4, 4, 4}, DriftStatistics.psiBinEdges(new double[] {4}), 0.0);
    }

    @Test
    public void binIndexIsSearchsortedLeft() {
        double[] edges = {1, 2, 2, 3};
        assertEquals(0, DriftStatistics.binIndex(edges, 0.5));
        assertEquals(0, DriftStatistics.binIndex(edges, 1)); // (-inf, 1]
        assertEquals(1, DriftStatistics.binIndex(edges, 1.5));
        assertEquals(1, DriftStatistics.binIndex(edges, 2)); // first edge >= 2
        assertEquals(3, DriftStatistics.binIndex(edges, 2.5));
        assertEquals(3, DriftStatistics.binIndex(edges, 3));
        assertEquals(4, DriftStatistics.binIndex(edges, 3.5));
        assertEquals(4, DriftStatistics.binIndex(edges, Double.NaN));
        assertArrayEquals(new long[] {2, 1, 0, 1, 1}, DriftStatistics.binCounts(edges, new double[] {0, 1, 2, 3, 9}));
    }

    @Test
    public void psiHandChecked() {
        // (0.5 - 0.25) ln 2 + (0.5 - 0.75) ln(2/3) = 0.25 ln 3
        assertEquals(0.25 * Math.log(3), DriftStatistics.psi(new long[] {50, 50}, new long[] {25, 75}), TOL);
        assertEquals(0.0, DriftStatistics.psi(new long[] {1, 2, 3}, new long[] {10, 20, 30}), TOL);
    }

    @Test
    public void psiReplacesEmptySharesAsEvidently() {
        // reference shares (1, 0 -> 0.0001): (1 - 0.5) ln 2 + (0.0001 - 0.5) ln(0.0002)
        double expected = 0.5 * Math.log(2) + (0.0001 - 0.5) * Math.log(0.0001 / 0.5);
        assertEquals(expected, DriftStatistics.psi(new long[] {100, 0}, new long[] {50, 50}), TOL);
        // smallest non-zero share 1e-5 <= 1e-4 -> an empty bin gets 1e-5 / 1e6
        double r0 = 99_999 / 100_000.0;
        double r1 = 1 / 100_000.0;
        double r2 = 1e-5 / 1e6;
        double c = 1 / 3.0;
        double expectedTiny = (r0 - c) * Math.log(r0 / c) + (r1 - c) * Math.log(r1 / c) + (r2 - c) * Math.log(r2 / c);
        assertEquals(expectedTiny, DriftStatistics.psi(new long[] {99_999, 1, 0}, new long[] {1, 1, 1}), 1e-12);
    }

    @Test
    public void psiOnCategories() {
        assertEquals(0.25 * Math.log(3), DriftStatistics.psi(Map.of("a", 50L, "b", 50L), Map.of("a", 25L, "b", 75L)), TOL);
    }

    @Test
    public void binnedStatisticsRejectBadInput() {
        assertMessage("2 bins but current has 3", () -> DriftStatistics.psi(new long[] {1, 2}, new long[] {1, 2, 3}));
        assertMessage("current sample is empty", () -> DriftStatistics.psi(new long[] {1, 2}, new long[] {0, 0}));
        assertMessage("negative", () -> DriftStatistics.jensenShannon(new long[] {1, -2}, new long[] {1, 2}));
        assertMessage("reference sample is empty", () -> DriftStatistics.chiSquare(Map.of(), Map.of("a", 1L)));
        assertMessage("reference sample is empty", () -> DriftStatistics.chiSquare(Map.of("a", 0L), Map.of("a", 3L)));
        assertMessage("reference sample is empty", () -> DriftStatistics.psiBinEdges(new double[0]));
    }

    // -------------------------------------------------------------------------------------- chi-square

    @Test
    public void chiSquareHandChecked() {
        // expected = ref * 60/60 = (10, 20, 30); statistic = 100/10 + 0 + 100/30; 2 degrees of freedom: sf = exp(-x/2)
        DriftScore s = DriftStatistics.chiSquare(Map.of("a", 10L, "b", 20L, "c", 30L), Map.of("a", 20L, "b", 20L, "c", 20L));
        double stat = 10 + 100.0 / 30;
        assertEquals(stat, s.statistic(), TOL);
        assertEquals(Math.exp(-stat / 2), s.pValue(), 1e-14);
    }

    @Test
    public void chiSquareScalesExpectedToTheCurrentTotal() {
        // expected = (100, 100) * 20/200 = (10, 10); statistic = (16 + 16) / 10 = 3.2; 1 dof
        DriftScore s = DriftStatistics.chiSquare(Map.of("a", 100L, "b", 100L), Map.of("a", 14L, "b", 6L));
        assertEquals(3.2, s.statistic(), TOL);
        assertTrue(s.pValue() > 0.07 && s.pValue() < 0.08); // chi2.sf(3.2, 1) = 0.0736
    }

    @Test
    public void chiSquareCurrentOnlyCategoryGetsAFilledShare() {
        // shares (0.5, 0.5, 0.0001) / 1.0001 times 100
        DriftScore s = DriftStatistics.chiSquare(Map.of("a", 50L, "b", 50L), Map.of("a", 40L, "b", 40L, "c", 20L));
        double eAB = 0.5 / 1.0001 * 100;
        double eC = 0.0001 / 1.0001 * 100;
        double stat = 2 * (40 - eAB) * (40 - eAB) / eAB + (20 - eC) * (20 - eC) / eC;
        assertEquals(stat, s.statistic(), 1e-9 * stat);
        assertTrue(Double.isFinite(s.statistic()));
        assertEquals(0.0, s.pValue(), 1e-300);
        assertTrue(DriftMethod.CHI_SQUARE.drifted(s, 0.05));
    }

    @Test
    public void chiSquareSingleCategoryIsNoDrift() {
        assertEquals(new DriftScore(0.0, 1.0), DriftStatistics.chiSquare(Map.of("a", 5L), Map.of("a", 9L, "b", 0L)));
    }

    // ---------------------------------------------------------------------------------- Jensen-Shannon

    @Test
    public void jensenShannonHandChecked() {
        // disjoint: m = (1/2, 1/2), KL(p||m) = KL(q||m) = ln 2 -> sqrt((2 ln 2) / 2)
        assertEquals(Math.sqrt(Math.log(2)), DriftStatistics.jensenShannon(new long[] {5, 0}, new long[] {0, 7}), TOL);
        assertEquals(Math.sqrt(Math.log(2)), DriftStatistics.jensenShannon(Map.of("a", 3L), Map.of("b", 1L)), TOL);
        assertEquals(0.0, DriftStatistics.jensenShannon(new long[] {1, 2, 3}, new long[] {2, 4, 6}), 0.0);
        // p = (1/2, 1/2), q = (1, 0): m = (3/4, 1/4); KL(p||m) = 1/2 ln(2/3) + 1/2 ln 2, KL(q||m) = ln(4/3)
        double js = 0.5 * Math.log(2.0 / 3) + 0.5 * Math.log(2) + Math.log(4.0 / 3);
        assertEquals(Math.sqrt(js / 2), DriftStatistics.jensenShannon(Map.of("a", 1L, "b", 1L), Map.of("a", 4L)), TOL);
    }

    // ------------------------------------------------------------------------------------- DriftMethod

    @Test
    public void methodNamesAndDefaults() {
        assertEquals("ks", DriftMethod.KS.reportName());
        assertEquals("wasserstein", DriftMethod.WASSERSTEIN.reportName());
        assertEquals("psi", DriftMethod.PSI.reportName());
        assertEquals("chisquare", DriftMethod.CHI_SQUARE.reportName());
        assertEquals("jensenshannon", DriftMethod.JENSEN_SHANNON.reportName());
        assertTrue(DriftMethod.KS.hasPValue() && DriftMethod.CHI_SQUARE.hasPValue());
        assertFalse(DriftMethod.PSI.hasPValue() || DriftMethod.WASSERSTEIN.hasPValue() || DriftMethod.JENSEN_SHANNON.hasPValue());
        assertEquals(0.05, DriftMethod.KS.defaultThreshold(), 0.0);
        assertEquals(0.05, DriftMethod.CHI_SQUARE.defaultThreshold(), 0.0);
        assertEquals(0.1, DriftMethod.WASSERSTEIN.defaultThreshold(), 0.0);
        assertEquals(0.1, DriftMethod.PSI.defaultThreshold(), 0.0);
        assertEquals(0.1, DriftMethod.JENSEN_SHANNON.defaultThreshold(), 0.0);
    }

    @Test
    public void driftComparisonsMatchEvidentlyAtTheBoundary() {
        assertTrue(DriftMethod.KS.drifted(new DriftScore(0.3, 0.05), 0.05)); // p_value <= threshold
        assertFalse(DriftMethod.CHI_SQUARE.drifted(new DriftScore(3.0, 0.05), 0.05)); // p_value < threshold
        assertTrue(DriftMethod.CHI_SQUARE.drifted(new DriftScore(3.0, 0.0499), 0.05));
        assertTrue(DriftMethod.PSI.drifted(DriftScore.distance(0.1), 0.1)); // value >= threshold
        assertFalse(DriftMethod.WASSERSTEIN.drifted(DriftScore.distance(0.0999), 0.1));
        assertTrue(DriftMethod.JENSEN_SHANNON.drifted(DriftScore.distance(0.2), 0.1));
        assertFalse(DriftMethod.KS.drifted(new DriftScore(0.0, Double.NaN), 0.05));
        assertEquals(0.2, DriftMethod.JENSEN_SHANNON.score(DriftScore.distance(0.2)), 0.0);
        assertEquals(0.04, DriftMethod.KS.score(new DriftScore(0.3, 0.04)), 0.0);
        assertFalse(DriftScore.distance(0.2).hasPValue());
    }

    @Test
    public void defaultMethodFollowsEvidently() {
        DriftMethod.Kind num = DriftMethod.Kind.NUMERICAL;
        DriftMethod.Kind cat = DriftMethod.Kind.CATEGORICAL;
        DriftMethod.Kind text = DriftMethod.Kind.TEXT;
        assertSame(DriftMethod.KS, DriftMethod.defaultFor(num, 1000, 6));
        assertSame(DriftMethod.CHI_SQUARE, DriftMethod.defaultFor(num, 1000, 5));
        assertSame(DriftMethod.CHI_SQUARE, DriftMethod.defaultFor(num, 1000, 3));
        assertSame(DriftMethod.Z, DriftMethod.defaultFor(num, 10, 2));
        assertSame(DriftMethod.Z, DriftMethod.defaultFor(num, 10, 1));
        assertSame(DriftMethod.CHI_SQUARE, DriftMethod.defaultFor(cat, 1000, 500));
        assertSame(DriftMethod.CHI_SQUARE, DriftMethod.defaultFor(cat, 1000, 3));
        assertSame(DriftMethod.Z, DriftMethod.defaultFor(cat, 1000, 2));
        assertSame(DriftMethod.WASSERSTEIN, DriftMethod.defaultFor(num, 1001, 6));
        assertSame(DriftMethod.JENSEN_SHANNON, DriftMethod.defaultFor(num, 1001, 5));
        assertSame(DriftMethod.JENSEN_SHANNON, DriftMethod.defaultFor(num, 1001, 2));
        assertSame(DriftMethod.JENSEN_SHANNON, DriftMethod.defaultFor(cat, 5_000_000, 3));
        assertSame(DriftMethod.JENSEN_SHANNON, DriftMethod.defaultFor(cat, 1001, 2));
        assertSame(DriftMethod.PERC_TEXT, DriftMethod.defaultFor(text, 1000, 900));
        assertSame(DriftMethod.ABS_TEXT, DriftMethod.defaultFor(text, 1001, 900));
    }

    @Test
    public void zTestIsThePooledTwoProportionTest() {
        // ref: 30 of 100 are "b"; cur: 50 of 100. P = 0.4, z = -0.2 / sqrt(0.24 * 0.02)
        DriftScore z = DriftStatistics.zTest(Map.of("a", 70L, "b", 30L), Map.of("a", 50L, "b", 50L),
                java.util.Comparator.naturalOrder());
        double expected = -0.2 / Math.sqrt(0.4 * 0.6 * (2 / 100.0));
        assertEquals(expected, z.statistic(), 1e-12);
        // 2 (1 - Phi(2.88675)), as scipy.stats.norm.cdf gives it
        assertEquals(0.0038924171227785, z.pValue(), 1e-13);
        assertTrue(DriftMethod.Z.drifted(z, 0.05));
        assertEquals(new DriftScore(0.0, 1.0), DriftStatistics.zTest(Map.of("a", 5L), Map.of("a", 9L),
                java.util.Comparator.naturalOrder()));
        // which value counts 1 changes only the sign of z
        DriftScore flipped = DriftStatistics.zTest(Map.of("a", 70L, "b", 30L), Map.of("a", 50L, "b", 50L),
                java.util.Comparator.<String>reverseOrder());
        assertEquals(-expected, flipped.statistic(), 1e-12);
        assertEquals(z.pValue(), flipped.pValue(), 1e-15);
        assertFalse("p = 0.05 exactly is not drift (p < threshold)", DriftMethod.Z.drifted(new DriftScore(1, 0.05), 0.05));
    }

    @Test
    public void parseAcceptsReportAndConstantNames() {
        for (DriftMethod m : DriftMethod.values()) {
            assertSame(m, DriftMethod.parse(m.reportName()));
            assertSame(m, DriftMethod.parse(m.name()));
        }
        assertSame(DriftMethod.CHI_SQUARE, DriftMethod.parse(" Chi-Square "));
        assertSame(DriftMethod.JENSEN_SHANNON, DriftMethod.parse("jensen_shannon"));
        assertMessage("unknown drift method 'anderson': use ks, wasserstein, psi, chisquare, jensenshannon, z, perc_text_content_drift or abs_text_content_drift",
                () -> DriftMethod.parse("anderson"));
        assertMessage("drift method missing", () -> DriftMethod.parse(null));
    }

    private static void assertMessage(String part, org.junit.function.ThrowingRunnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue("message '" + e.getMessage() + "' should contain '" + part + "'", e.getMessage().contains(part));
    }
}
