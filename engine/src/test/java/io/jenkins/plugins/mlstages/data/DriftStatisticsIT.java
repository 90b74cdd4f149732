package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Checks every {@link DriftStatistics} function against live SciPy 1.17.1 / NumPy 2.4.6
 * ({@code engine/src/test/python/drift_oracle.py}) on seeded random data.
 *
 * <p>Tolerance: every value must satisfy {@code |java - scipy| <= 1e-9 |scipy|}. The only absolute floors
 * are {@code 1e-12} for statistics and distances near 0 (the Jensen-Shannon distance of two nearly equal
 * histograms is the square root of a sum with cancellation; distances of identical samples are 0) and
 * {@link Double#MIN_NORMAL} for p-values (SciPy returns subnormal tails such as 5e-321, where a double has
 * few significant bits). P-values are held to the same 1e-9 relative bound (down to 2.2e-308) on both KS
 * branches: the Java code ports SciPy's own algorithms (the exact lattice-path counts, and {@code kstwo.sf}
 * with Ruben-Gambino, Durbin, Pomeranz, Pelz-Good and {@code smirnov}) rather than another approximation,
 * so no p-value needs a looser bound. The worst differences seen are printed at the end of the run
 * (about 5e-13 relative for the asymptotic KS p-values, 0 for the exact ones).
 */
public class DriftStatisticsIT {
    private static final double REL = 1e-9;
    private static final double ABS = 1e-12;

    private static final List<Case> CASES = new ArrayList<>();
    private static final List<double[]> KSTWO_POINTS = new ArrayList<>();
    private static final List<double[]> QUANTILE_VALUES = new ArrayList<>();
    private static final double[] QUANTILE_RANKS = {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};
    private static final Map<String, Double> WORST = new TreeMap<>();
    private static final Map<String, Double> WORST_ABS = new TreeMap<>();
    private static JsonNode oracle;

    /** One generated case: numeric samples and/or category counts. */
    private record Case(String name, double[] reference, double[] current, Map<String, Long> refCats,
                        Map<String, Long> curCats) {
    }

    @BeforeClass
    public static void generateAndAskScipy() {
        Random random = new Random(20_261_127L);
        // tiny samples: exact KS, n1 != n2 (lattice-path recursion) and n1 == n2 (Hodges' sum)
        add("tiny 5 vs 7", normal(random, 5, 0, 1), normal(random, 7, 0.3, 1),
                cats(random, 40, "a", "b", "c"), cats(random, 25, "a", "b", "c"));
        add("tiny equal 20 vs 20, shifted", normal(random, 20, 0, 1), normal(random, 20, 1.0, 1), null, null);
        add("tiny 30 vs 12 with ties", rounded(normal(random, 30, 0, 2), 1.0), rounded(normal(random, 12, 0.5, 2), 1.0),
                cats(random, 30, "x", "y", "z", "w"), cats(random, 12, "x", "y", "v"));
        add("tiny 9 vs 6 separated", normal(random, 9, 0, 1), normal(random, 6, 10, 1), null, null);
        // medium: exact path with a large lcm
        add("medium 2000 vs 3000, same", normal(random, 2000, 0, 1), normal(random, 3000, 0, 1),
                cats(random, 2000, "red", "green", "blue", "cyan", "magenta"),
                cats(random, 3000, "red", "green", "blue", "cyan", "magenta"));
        add("medium 2000 vs 3000, shifted", normal(random, 2000, 0, 1), normal(random, 3000, 0.15, 1),
                cats(random, 2000, "red", "green", "blue", "black"),
                cats(random, 3000, "green", "blue", "black", "white", "orange"));
        add("medium 1500 vs 2500 integer ties", poissonLike(random, 1500, 3.0), poissonLike(random, 2500, 3.4), null, null);
        add("medium equal 3000 vs 3000, scaled", normal(random, 3000, 0, 1), normal(random, 3000, 0, 1.1), null, null);
        add("exact boundary 10000 vs 7000", normal(random, 10_000, 0, 1), normal(random, 7000, 0.04, 1), null, null);
        // large: asymptotic path (kstwo.sf with n = round(n1 n2 / (n1 + n2)))
        add("asymptotic boundary 10001 vs 7000", normal(random, 10_001, 0, 1), normal(random, 7000, 0.04, 1), null, null);
        add("large 50000 vs 40000, same", normal(random, 50_000, 5, 2), normal(random, 40_000, 5, 2),
                cats(random, 50_000, "A", "B", "C", "D", "E", "F", "G", "H"),
                cats(random, 40_000, "A", "B", "C", "D", "E", "F", "G", "H"));
        add("large 50000 vs 40000, small shift", normal(random, 50_000, 0, 1), normal(random, 40_000, 0.03, 1),
                cats(random, 50_000, "A", "B", "C"), cats(random, 40_000, "A", "B", "C", "NEW"));
        add("large 50000 vs 40000, big shift", normal(random, 50_000, 0, 1), normal(random, 40_000, 0.3, 1), null, null);
        add("large 50000 vs 40000 rounded ties", rounded(normal(random, 50_000, 0, 1), 0.1),
                rounded(normal(random, 40_000, 0.01, 1), 0.1), null, null);
        add("small vs large 60 vs 12000 (asymptotic, n <= 140)", normal(random, 60, 0, 1), normal(random, 12_000, 0.2, 1),
                null, null);
        add("small vs large 90 vs 15000, same", normal(random, 90, 0, 1), normal(random, 15_000, 0, 1), null, null);
        // identical and constant columns
        double[] same = normal(random, 800, 2, 3);
        add("identical samples", same, same.clone(), cats(random, 500, "p", "q"), null);
        add("constant reference", constant(200, 3.0), mix(random, 300, 3.0, 4.0), null, null);
        add("both constant", constant(50, 7.0), constant(70, 7.0), null, null);
        // categories missing on one side only
        add("categories only", null, null, Map.of("a", 500L, "b", 300L, "c", 200L), Map.of("b", 10L, "c", 900L, "d", 90L));
        add("categories, one missing in current", null, null, Map.of("a", 5L, "b", 3L, "c", 2L), Map.of("a", 6L, "b", 4L));
        add("categories, rare new one", null, null, Map.of("a", 100_000L, "b", 50_000L),
                Map.of("a", 60_000L, "b", 40_000L, "zz", 1L));

        int[] ns = {1, 2, 3, 7, 20, 60, 139, 140, 141, 300, 1000, 5000, 22_222, 100_000, 100_001, 400_000};
        for (int n : ns) {
            for (double c : new double[] {0.05, 0.3, 0.7, 1.0, 1.5, 2.1, 2.3, 4.5}) {
                KSTWO_POINTS.add(new double[] {n, Math.min(1.0, Math.sqrt(c / n))});
            }
            for (double x : new double[] {0.6 / n, 0.9 / n, 0.25, 0.55, 0.9, 1 - 1.0 / (n + 1)}) {
                if (x > 0 && x < 1) {
                    KSTWO_POINTS.add(new double[] {n, x});
                }
            }
        }
        QUANTILE_VALUES.add(sorted(normal(random, 11, 0, 1)));
        QUANTILE_VALUES.add(sorted(rounded(normal(random, 1001, 0, 1), 0.5)));
        QUANTILE_VALUES.add(new double[] {4.0});
        QUANTILE_VALUES.add(new double[] {1, 2});

        ObjectNode request = PythonOracle.JSON.createObjectNode();
        ArrayNode cases = request.putArray("cases");
        for (Case c : CASES) {
            ObjectNode node = cases.addObject();
            if (c.reference() != null) {
                ArrayNode ref = node.putArray("reference");
                Arrays.stream(c.reference()).forEach(ref::add);
                ArrayNode cur = node.putArray("current");
                Arrays.stream(c.current()).forEach(cur::add);
            }
            if (c.refCats() != null) {
                ObjectNode ref = node.putObject("ref_cats");
                c.refCats().forEach(ref::put);
                ObjectNode cur = node.putObject("cur_cats");
                c.curCats().forEach(cur::put);
            }
        }
        ArrayNode points = request.putArray("kstwo");
        for (double[] p : KSTWO_POINTS) {
            points.addArray().add((int) p[0]).add(p[1]);
        }
        ArrayNode quantiles = request.putArray("quantiles");
        for (double[] values : QUANTILE_VALUES) {
            ObjectNode q = quantiles.addObject();
            ArrayNode v = q.putArray("values");
            Arrays.stream(values).forEach(v::add);
            ArrayNode r = q.putArray("q");
            Arrays.stream(QUANTILE_RANKS).forEach(r::add);
        }
        oracle = PythonOracle.run("drift_oracle.py", request);
        assertEquals("the oracle pins SciPy", "1.17.1", oracle.get("scipy").asText());
        assertEquals(CASES.size(), oracle.get("cases").size());
    }

    @AfterClass
    public static void printWorst() {
        StringBuilder report = new StringBuilder("DriftStatisticsIT worst relative difference to SciPy per statistic:");
        WORST.forEach((k, v) -> report.append(String.format("%n  %-28s %.3e", k, v)));
        report.append(String.format("%nworst absolute difference for values below 1e-6 (not p-values):"));
        WORST_ABS.forEach((k, v) -> report.append(String.format("%n  %-28s %.3e", k, v)));
        System.out.println(report);
    }

    @Test
    public void ksEqualsScipyKs2samp() {
        int exact = 0;
        int asymptotic = 0;
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            if (c.reference() == null) {
                continue;
            }
            JsonNode expected = oracle.get("cases").get(i).get("ks");
            DriftScore actual = DriftStatistics.ks(c.reference(), c.current());
            assertClose("ks.statistic", c.name(), expected.get("statistic").asDouble(), actual.statistic());
            assertCloseP(expected.get("exact").asBoolean() ? "ks.pvalue (exact)" : "ks.pvalue (asymptotic)", c.name(),
                    expected.get("pvalue").asDouble(), actual.pValue());
            if (expected.get("exact").asBoolean()) {
                exact++;
            } else {
                asymptotic++;
            }
        }
        assertTrue("both KS branches covered", exact >= 8 && asymptotic >= 6);
    }

    @Test
    public void wassersteinNormedEqualsScipy() {
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            if (c.reference() == null) {
                continue;
            }
            JsonNode expected = oracle.get("cases").get(i);
            double[] ref = sorted(c.reference());
            double[] cur = sorted(c.current());
            assertClose("wasserstein", c.name(), expected.get("wasserstein").asDouble(),
                    DriftStatistics.wassersteinSorted(ref, cur));
            assertClose("np.std", c.name(), expected.get("std_reference").asDouble(), DriftStatistics.std(ref));
            assertClose("wasserstein_normed", c.name(), expected.get("wasserstein_normed").asDouble(),
                    DriftStatistics.wassersteinNormed(c.reference(), c.current()));
        }
    }

    @Test
    public void decileBinsPsiAndJensenShannonEqualNumpy() {
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            if (c.reference() == null) {
                continue;
            }
            JsonNode expected = oracle.get("cases").get(i);
            double[] edges = DriftStatistics.psiBinEdges(sorted(c.reference()));
            JsonNode expectedEdges = expected.get("psi_edges");
            assertEquals(expectedEdges.size(), edges.length);
            for (int e = 0; e < edges.length; e++) {
                assertClose("psi_edges", c.name() + " edge " + e, expectedEdges.get(e).asDouble(), edges[e]);
            }
            long[] refBins = DriftStatistics.binCounts(edges, c.reference());
            long[] curBins = DriftStatistics.binCounts(edges, c.current());
            assertArrayEquals(c.name() + ": reference bins", longs(expected.get("ref_bins")), refBins);
            assertArrayEquals(c.name() + ": current bins", longs(expected.get("cur_bins")), curBins);
            assertClose("psi", c.name(), expected.get("psi").asDouble(), DriftStatistics.psi(refBins, curBins));
            assertClose("jensenshannon (bins)", c.name(), expected.get("jensenshannon_bins").asDouble(),
                    DriftStatistics.jensenShannon(refBins, curBins));
        }
    }

    @Test
    public void categoricalStatisticsEqualScipy() {
        int compared = 0;
        int evidentlyCompared = 0;
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            if (c.refCats() == null) {
                continue;
            }
            JsonNode expected = oracle.get("cases").get(i);
            DriftScore chi = DriftStatistics.chiSquare(c.refCats(), c.curCats());
            JsonNode expectedChi = expected.get("chisquare");
            if (expectedChi.isNull()) {
                // one category in total: SciPy has no p-value (0 degrees of freedom); ours is documented as (0, 1)
                assertEquals(0.0, chi.statistic(), 0.0);
                assertEquals(1.0, chi.pValue(), 0.0);
            } else {
                assertClose("chisquare.statistic", c.name(), expectedChi.get("statistic").asDouble(), chi.statistic());
                assertCloseP("chisquare.pvalue", c.name(), expectedChi.get("pvalue").asDouble(), chi.pValue());
                compared++;
            }
            JsonNode evidently = expected.get("evidently_chisquare");
            if (!evidently.isNull()) {
                // every current category is in the reference: the result is exactly Evidently's
                assertClose("chisquare vs Evidently", c.name(), evidently.get("statistic").asDouble(), chi.statistic());
                assertCloseP("chisquare vs Evidently", c.name(), evidently.get("pvalue").asDouble(), chi.pValue());
                evidentlyCompared++;
            }
            assertClose("jensenshannon (categories)", c.name(), expected.get("jensenshannon_cats").asDouble(),
                    DriftStatistics.jensenShannon(c.refCats(), c.curCats()));
            assertClose("psi (categories)", c.name(), expected.get("psi_cats").asDouble(),
                    DriftStatistics.psi(c.refCats(), c.curCats()));
        }
        assertTrue(compared >= 8 && evidentlyCompared >= 3);
    }

    @Test
    public void kstwoAndSmirnovEqualScipyOnAGrid() {
        JsonNode expected = oracle.get("kstwo");
        assertEquals(KSTWO_POINTS.size(), expected.size());
        for (int i = 0; i < KSTWO_POINTS.size(); i++) {
            int n = (int) KSTWO_POINTS.get(i)[0];
            double x = KSTWO_POINTS.get(i)[1];
            String label = "n=" + n + " x=" + x;
            assertCloseP("kstwo.sf", label, expected.get(i).get("sf").asDouble(), DriftStatistics.kstwoSf(x, n));
            assertCloseP("smirnov", label, expected.get(i).get("smirnov").asDouble(), DriftStatistics.smirnovSf(n, x));
        }
    }

    @Test
    public void quantileEqualsNumpyLinear() {
        JsonNode expected = oracle.get("quantiles");
        for (int i = 0; i < QUANTILE_VALUES.size(); i++) {
            for (int r = 0; r < QUANTILE_RANKS.length; r++) {
                assertClose("np.quantile", "set " + i + " q=" + QUANTILE_RANKS[r], expected.get(i).get(r).asDouble(),
                        DriftStatistics.quantile(QUANTILE_VALUES.get(i), QUANTILE_RANKS[r]));
            }
        }
    }

    @Test
    public void identicalSamplesGiveNoDrift() {
        int i = indexOf("identical samples");
        JsonNode expected = oracle.get("cases").get(i);
        assertEquals(0.0, expected.get("ks").get("statistic").asDouble(), 0.0);
        assertEquals(1.0, expected.get("ks").get("pvalue").asDouble(), 0.0);
        assertEquals(0.0, expected.get("wasserstein_normed").asDouble(), 0.0);
        assertEquals(0.0, expected.get("psi").asDouble(), 0.0);
        DriftScore ks = DriftStatistics.ks(CASES.get(i).reference(), CASES.get(i).current());
        assertEquals(new DriftScore(0.0, 1.0), ks);
        assertFalse(DriftMethod.KS.drifted(ks, 0.05));
    }

    // ------------------------------------------------------------------------------------------------

    /** For statistics and distances: relative 1e-9, or absolute 1e-12 near 0. */
    private static void assertClose(String statistic, String where, double expected, double actual) {
        assertWithin(statistic, where, expected, actual, ABS);
    }

    /** For p-values and probabilities: relative 1e-9 down to the smallest normal doubles. */
    private static void assertCloseP(String statistic, String where, double expected, double actual) {
        assertWithin(statistic, where, expected, actual, Double.MIN_NORMAL);
    }

    private static void assertWithin(String statistic, String where, double expected, double actual, double abs) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(statistic + " [" + where + "]", expected, actual, 0.0);
            return;
        }
        double diff = Math.abs(actual - expected);
        double rel = diff == 0 ? 0 : expected == 0 ? Double.POSITIVE_INFINITY : diff / Math.abs(expected);
        if (abs == Double.MIN_NORMAL || Math.abs(expected) >= 1e-6) {
            WORST.merge(statistic, rel, Math::max);
        } else {
            WORST_ABS.merge(statistic, diff, Math::max);
        }
        if (!(diff <= REL * Math.abs(expected) || diff <= abs)) {
            fail(statistic + " [" + where + "]: SciPy " + expected + ", Java " + actual + " (relative " + rel + ")");
        }
    }

    private static void add(String name, double[] ref, double[] cur, Map<String, Long> refCats, Map<String, Long> curCats) {
        CASES.add(new Case(name, ref, cur, refCats, curCats == null && refCats != null ? refCats : curCats));
    }

    private static int indexOf(String name) {
        for (int i = 0; i < CASES.size(); i++) {
            if (CASES.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no case " + name);
    }

    private static double[] normal(Random random, int n, double mean, double sd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean + sd * random.nextGaussian();
        }
        return x;
    }

    private static double[] rounded(double[] x, double step) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.round(x[i] / step) * step;
        }
        return out;
    }

    /** Small non-negative integers (a Poisson-like count): many ties. */
    private static double[] poissonLike(Random random, int n, double lambda) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double l = Math.exp(-lambda);
            double p = 1;
            int k = 0;
            do {
                k++;
                p *= random.nextDouble();
            } while (p > l);
            x[i] = k - 1;
        }
        return x;
    }

    private static double[] constant(int n, double value) {
        double[] x = new double[n];
        Arrays.fill(x, value);
        return x;
    }

    private static double[] mix(Random random, int n, double a, double b) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble() < 0.8 ? a : b;
        }
        return x;
    }

    /** Category counts of {@code n} draws with uneven weights over the given categories. */
    private static Map<String, Long> cats(Random random, int n, String... names) {
        double[] w = new double[names.length];
        double total = 0;
        for (int i = 0; i < names.length; i++) {
            w[i] = 0.2 + random.nextDouble();
            total += w[i];
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int d = 0; d < n; d++) {
            double u = random.nextDouble() * total;
            int i = 0;
            while (i < names.length - 1 && u >= w[i]) {
                u -= w[i];
                i++;
            }
            counts.merge(names[i], 1L, Long::sum);
        }
        return counts;
    }

    private static double[] sorted(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }

    private static long[] longs(JsonNode array) {
        assertNotNull(array);
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
