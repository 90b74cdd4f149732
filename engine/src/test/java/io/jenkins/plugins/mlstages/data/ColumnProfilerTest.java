package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/** {@link ColumnProfiler}: statistics, inferred types, exact quantiles, histogram and the seeded reservoir sample. */
public class ColumnProfilerTest {
    private static final double TOL = 1e-12;

    private static ColumnProfile profile(ColumnType declared, String... values) {
        ColumnProfiler profiler = new ColumnProfiler("c", declared, 100, 42, null);
        for (String value : values) {
            profiler.accept(value);
        }
        return profiler.finish();
    }

    private static ColumnType inferred(String... values) {
        ColumnProfiler profiler = new ColumnProfiler("c", null, 100, 42, null);
        for (String value : values) {
            profiler.accept(value);
        }
        return profiler.inferredType();
    }

    // ------------------------------------------------------------------------------------- statistics

    @Test
    public void countsAndMoments() {
        // 2 4 4 4 5 5 7 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, std (n-1) = sqrt(32/7)
        ColumnProfile p = profile(null, "2", "4", null, "4", "4", "5", "5", null, "7", "9");
        assertEquals("c", p.name());
        assertEquals(ColumnType.INTEGER, p.type());
        assertEquals(8, p.count());
        assertEquals(2, p.nulls());
        assertEquals(10, p.rows());
        assertEquals(0.2, p.nullFraction(), 0.0);
        assertEquals(5.0, p.mean(), TOL);
        assertEquals(Math.sqrt(32.0 / 7), p.std(), TOL);
        assertEquals(2.0, p.min(), 0.0);
        assertEquals(9.0, p.max(), 0.0);
        assertEquals(5, p.distinct());
        assertTrue(p.distinctExact());
        assertEquals(Long.valueOf(8), p.sampledFrom());
        assertArrayEquals(new double[] {2, 4, 4, 4, 5, 5, 7, 9}, p.sample(), 0.0);
        assertArrayEquals("the sample is sorted", new double[] {2, 4, 4, 4, 5, 5, 7, 9},
                profile(null, "9", "5", "4", "2", "4", "7", "5", "4").sample(), 0.0);
        assertEquals(List.of(new ColumnProfile.ValueCount("4", 3), new ColumnProfile.ValueCount("5", 2),
                new ColumnProfile.ValueCount("2", 1), new ColumnProfile.ValueCount("7", 1), new ColumnProfile.ValueCount("9", 1)),
                p.topValues());
        // few distinct numbers are also kept as categories, most frequent first
        Map<String, Long> categories = new LinkedHashMap<>();
        categories.put("4", 3L);
        categories.put("5", 2L);
        categories.put("2", 1L);
        categories.put("7", 1L);
        categories.put("9", 1L);
        assertEquals(categories, p.categories());
        assertEquals(List.copyOf(categories.keySet()), List.copyOf(p.categories().keySet()));
        assertNull(p.categoriesTruncated());
    }

    @Test
    public void stdOfOneValueIsZero() {
        ColumnProfile p = profile(null, "3.5");
        assertEquals(ColumnType.NUMBER, p.type());
        assertEquals(3.5, p.mean(), 0.0);
        assertEquals(0.0, p.std(), 0.0);
        assertEquals(3.5, p.min(), 0.0);
        assertEquals(3.5, p.max(), 0.0);
    }

    @Test
    public void acceptReturnsTheNumber() {
        ColumnProfiler profiler = new ColumnProfiler("c", null, 100, 42, null);
        assertEquals(Double.valueOf(-1.5e3), profiler.accept("-1.5e3"));
        assertNull(profiler.accept("abc"));
        assertNull(profiler.accept("NaN"));
        assertNull(profiler.accept(null));
        ColumnProfile p = profiler.finish();
        assertEquals(3, p.count());
        assertEquals(1, p.nulls());
        assertEquals(ColumnType.STRING, p.type());
    }

    @Test
    public void psiBinsAreTheDecilesOfTheSample() {
        // sorted 2 4 4 4 5 5 7 9; deciles (NumPy linear): 3.4 4 4 4 4.5 5 5 6.2 7.6
        ColumnProfile p = profile(null, "9", "4", "2", "5", "4", "7", "5", "4");
        assertArrayEquals(new double[] {3.4, 4, 4, 4, 4.5, 5, 5, 6.2, 7.6}, p.psiEdges(), TOL);
        // bins (-inf, 3.4], (3.4, 4], (4, 4], (4, 4], (4, 4.5], (4.5, 5], (5, 5], (5, 6.2], (6.2, 7.6], (7.6, inf)
        assertArrayEquals(new long[] {1, 3, 0, 0, 0, 2, 0, 0, 1, 1}, p.psiCounts());
    }

    @Test
    public void psiCountsUseTheReferenceEdgesWhenGiven() {
        double[] edges = {2.5, 5};
        ColumnProfiler profiler = new ColumnProfiler("c", null, 100, 42, edges);
        for (String v : new String[] {"1", "2", "3", "4", "5", "6"}) {
            profiler.accept(v);
        }
        ColumnProfile p = profiler.finish();
        assertArrayEquals(new long[] {2, 3, 1}, p.referenceBinCounts());
        // its own bins stay its own deciles, so that the profile can be the next reference
        assertArrayEquals(DriftStatistics.psiBinEdges(new double[] {1, 2, 3, 4, 5, 6}), p.psiEdges(), 0);
        assertArrayEquals(DriftStatistics.binCounts(p.psiEdges(), new double[] {1, 2, 3, 4, 5, 6}), p.psiCounts());
    }

    @Test
    public void nonNumericColumnHasNoNumericFields() {
        ColumnProfile p = profile(null, "a", "b", "a", "b", null);
        assertEquals(ColumnType.CATEGORY, p.type());
        assertEquals(4, p.count());
        assertEquals(1, p.nulls());
        assertEquals(2, p.distinct());
        assertNull(p.min());
        assertNull(p.max());
        assertNull(p.mean());
        assertNull(p.std());
        assertNull(p.quantiles());
        assertNull(p.histogram());
        assertNull(p.sample());
        assertNull(p.sampledFrom());
        assertEquals(Map.of("a", 2L, "b", 2L), p.categories());
        assertEquals(Boolean.FALSE, p.categoriesTruncated());
        assertEquals(List.of(new ColumnProfile.ValueCount("a", 2), new ColumnProfile.ValueCount("b", 2)), p.topValues());
    }

    @Test
    public void topValuesAreCappedAtTen() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            for (int k = 0; k <= i; k++) {
                values.add("v" + i);
            }
        }
        ColumnProfile p = profile(null, values.toArray(new String[0]));
        assertEquals(10, p.topValues().size());
        assertEquals(new ColumnProfile.ValueCount("v11", 12), p.topValues().get(0));
        assertEquals(new ColumnProfile.ValueCount("v2", 3), p.topValues().get(9));
        assertEquals(12, p.distinct());
    }

    @Test
    public void declaredTypeDecidesTheKindOfProfile() {
        ColumnProfile text = profile(ColumnType.STRING, "1", "2", "3");
        assertEquals(ColumnType.STRING, text.type());
        assertNull(text.mean());

        // values that are not numbers count as values but not in the numeric statistics
        ColumnProfile numbers = profile(ColumnType.NUMBER, "1", "abc", "3");
        assertEquals(ColumnType.NUMBER, numbers.type());
        assertEquals(3, numbers.count());
        assertEquals(Long.valueOf(2), numbers.sampledFrom());
        assertEquals(2.0, numbers.mean(), 0.0);
        assertEquals(3, numbers.distinct());

        ColumnProfile noNumbers = profile(ColumnType.INTEGER, "a", "b");
        assertEquals(ColumnType.INTEGER, noNumbers.type());
        assertNull(noNumbers.mean());
        assertNull(noNumbers.histogram());
    }

    @Test
    public void manyDistinctValuesAreEstimated() {
        ColumnProfiler profiler = new ColumnProfiler("c", null, 100, 42, null);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            profiler.accept("value-" + i);
        }
        ColumnProfile p = profiler.finish();
        assertEquals(ColumnType.STRING, p.type());
        assertFalse(p.distinctExact());
        assertEquals(Boolean.TRUE, p.categoriesTruncated());
        // past the limit new values are not kept; the kept ones are counted exactly
        assertEquals(ColumnProfiler.MAX_CATEGORIES, p.categories().size());
        assertEquals(Long.valueOf(1), p.categories().get("value-0"));
        assertEquals(ColumnProfiler.TOP_VALUES, p.topValues().size());
        // HLL with lgK = 12: relative standard error about 1.6 %
        assertTrue("distinct " + p.distinct(), Math.abs(p.distinct() - n) < n * 0.05);
    }

    @Test
    public void numericColumnWithManyValuesKeepsNoCategories() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add(String.valueOf(i));
            values.add(String.valueOf(i));
        }
        ColumnProfile p = profile(null, values.toArray(new String[0]));
        assertEquals(ColumnType.INTEGER, p.type());
        assertNull(p.categories());
        assertFalse(p.distinctExact());
        assertTrue("distinct " + p.distinct(), Math.abs(p.distinct() - 100) <= 2);
        assertEquals(49.5, p.mean(), TOL);

        // 50 distinct numbers: still compared as categories too
        ColumnProfile few = profile(null, values.subList(0, 100).toArray(new String[0]));
        assertTrue(few.distinctExact());
        assertEquals(50, few.distinct());
        assertEquals(50, few.categories().size());
        assertEquals(Long.valueOf(2), few.categories().get("49"));
    }

    // ------------------------------------------------------------------------------------- inferred types

    @Test
    public void inferredTypes() {
        assertEquals(ColumnType.INTEGER, inferred("1", "-2", "+3", "007"));
        assertEquals(ColumnType.NUMBER, inferred("1", "2.5", "-3e2"));
        assertEquals(ColumnType.BOOLEAN, inferred("true", "false", "TRUE"));
        assertEquals(ColumnType.DATE, inferred("2024-01-01", "2024-02-29"));
        assertEquals(ColumnType.TIMESTAMP, inferred("2024-01-01T10:00:00", "2024-01-01 10:00:00+01:00", "2024-01-01T10:00Z"));
        // at most 50 distinct values, each seen twice on average: a category; otherwise free text
        assertEquals(ColumnType.CATEGORY, inferred("a", "b", "a", "b"));
        assertEquals(ColumnType.STRING, inferred("a", "b", "c"));
        assertEquals(ColumnType.STRING, inferred("a", "b", "a"));
        assertEquals(ColumnType.STRING, inferred());
        assertEquals(ColumnType.STRING, inferred((String) null));
    }

    @Test
    public void mixedValuesWidenTheType() {
        assertEquals(ColumnType.NUMBER, inferred("1", "2", "2.0"));
        assertEquals(ColumnType.CATEGORY, inferred("1", "x", "1", "x"));
        assertEquals(ColumnType.STRING, inferred("2024-01-01", "2024-01-01T10:00:00"));
        // NaN and infinities keep a column numeric, as pandas reads them into a float column
        assertEquals(ColumnType.NUMBER, inferred("1", "NaN", "2"));
        assertEquals(ColumnType.NUMBER, inferred("1.5", "-inf", "Infinity"));
        assertEquals(ColumnType.STRING, inferred("nan", "inf"));
        assertEquals(ColumnType.STRING, inferred("true", "nan"));
        assertEquals(ColumnType.INTEGER, inferred("1", null, "2"));
    }

    @Test
    public void fiftyOneCategoriesAreText() {
        List<String> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add("k" + i);
            fifty.add("k" + i);
        }
        assertEquals(ColumnType.CATEGORY, inferred(fifty.toArray(new String[0])));
        fifty.add("k50");
        fifty.add("k50");
        assertEquals(ColumnType.STRING, inferred(fifty.toArray(new String[0])));
    }

    // ------------------------------------------------------------------------------------- quantiles

    @Test
    public void quantilesAreNumpyLinearWhenTheSampleIsComplete() {
        // np.quantile([1, 1, 2, 3, 4, 5, 6, 9], [.01, .05, .25, .5, .75, .95, .99]) = [1, 1, 1.75, 3.5, 5.25, 7.95, 8.79]
        ColumnProfile p = profile(null, "3", "1", "4", "1", "5", "9", "2", "6");
        Map<String, Double> q = p.quantiles();
        assertEquals(List.of("p01", "p05", "p25", "p50", "p75", "p95", "p99"), List.copyOf(q.keySet()));
        assertEquals(1.0, q.get("p01"), TOL);
        assertEquals(1.0, q.get("p05"), TOL);
        assertEquals(1.75, q.get("p25"), TOL);
        assertEquals(3.5, q.get("p50"), TOL);
        assertEquals(5.25, q.get("p75"), TOL);
        assertEquals(7.95, q.get("p95"), TOL);
        assertEquals(8.79, q.get("p99"), TOL);
    }

    @Test
    public void quantilesOfOneToEleven() {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            values.add(String.valueOf(i));
        }
        Collections.shuffle(values, new Random(3));
        Map<String, Double> q = profile(null, values.toArray(new String[0])).quantiles();
        // (n - 1) q = 10 q: 0.1, 0.5, 2.5, 5, 7.5, 9.5, 9.9 above the index's value
        assertEquals(1.1, q.get("p01"), TOL);
        assertEquals(1.5, q.get("p05"), TOL);
        assertEquals(3.5, q.get("p25"), TOL);
        assertEquals(6.0, q.get("p50"), TOL);
        assertEquals(8.5, q.get("p75"), TOL);
        assertEquals(10.5, q.get("p95"), TOL);
        assertEquals(10.9, q.get("p99"), TOL);
    }

    @Test
    public void quantilesBeyondTheSampleComeFromTheSketch() {
        ColumnProfiler profiler = new ColumnProfiler("c", null, 100, 42, null);
        for (int i = 0; i < 10_000; i++) {
            profiler.accept(String.valueOf(i));
        }
        Map<String, Double> q = profiler.finish().quantiles();
        // KLL rank error is at most 1.65 %: within 165 of the exact 4999.5
        assertTrue("p50 " + q.get("p50"), Math.abs(q.get("p50") - 4999.5) <= 165);
        assertTrue("p01 " + q.get("p01"), Math.abs(q.get("p01") - 99.99) <= 165);
    }

    // ------------------------------------------------------------------------------------- histogram

    @Test
    public void histogramCountsSumToTheNumbers() {
        ColumnProfiler profiler = new ColumnProfiler("c", ColumnType.NUMBER, 1000, 42, null);
        Random random = new Random(5);
        int numbers = 0;
        for (int i = 0; i < 50_000; i++) {
            if (i % 100 == 0) {
                profiler.accept("n/a");
            } else if (i % 101 == 0) {
                profiler.accept(null);
            } else {
                profiler.accept(String.valueOf(random.nextGaussian() * 10));
                numbers++;
            }
        }
        ColumnProfile p = profiler.finish();
        assertEquals(Long.valueOf(numbers), p.sampledFrom());
        ColumnProfile.Histogram h = p.histogram();
        assertEquals(ColumnProfiler.HISTOGRAM_BINS + 1, h.edges().length);
        assertEquals(ColumnProfiler.HISTOGRAM_BINS, h.counts().length);
        assertEquals(p.min(), h.edges()[0], 0.0);
        // min + (max - min) * 20 / 20: max up to rounding
        assertEquals(p.max(), h.edges()[ColumnProfiler.HISTOGRAM_BINS], 1e-12);
        assertEquals(numbers, Arrays.stream(h.counts()).sum());
        assertTrue(Arrays.stream(h.counts()).allMatch(c -> c >= 0));
    }

    @Test
    public void histogramOfSmallColumnIsExact() {
        // min 0.1, max 10: 20 bins of width 0.495; no value lies on an inner edge
        ColumnProfiler profiler = new ColumnProfiler("c", null, 100, 42, null);
        for (String v : new String[] {"0.1", "0.2", "0.3", "2.6", "5.1", "9.9", "10"}) {
            profiler.accept(v);
        }
        ColumnProfile.Histogram h = profiler.finish().histogram();
        long[] expected = new long[20];
        expected[0] = 3; // 0.1, 0.2, 0.3 in [0.1, 0.595)
        expected[5] = 1; // 2.6 in [2.575, 3.07)
        expected[10] = 1; // 5.1 in [5.05, 5.545)
        expected[19] = 2; // 9.9 and 10 in [9.505, 10]
        assertArrayEquals(expected, h.counts());
        double[] edges = new double[21];
        Arrays.setAll(edges, i -> 0.1 + 9.9 * i / 20);
        assertArrayEquals(edges, h.edges(), TOL);
    }

    @Test
    public void histogramOfAConstantColumnIsOneBin() {
        ColumnProfile.Histogram h = profile(null, "7", "7", "7").histogram();
        assertArrayEquals(new double[] {7, 7}, h.edges(), 0.0);
        assertArrayEquals(new long[] {3}, h.counts());
    }

    // ------------------------------------------------------------------------------------- reservoir sample

    @Test
    public void sampleKeepsEveryValueUpToTheSampleSize() {
        ColumnProfiler profiler = new ColumnProfiler("c", null, 5000, 42, null);
        double[] expected = new double[3000];
        for (int i = 0; i < 3000; i++) {
            expected[i] = i + 1; // kept sorted
            profiler.accept(String.valueOf(3000 - i));
        }
        ColumnProfile p = profiler.finish();
        assertArrayEquals(expected, p.sample(), 0.0);
        assertEquals(Long.valueOf(3000), p.sampledFrom());
    }

    @Test
    public void sampleIsCappedAndSeeded() {
        double[] a = sample(100, 42, 1000);
        double[] b = sample(100, 42, 1000);
        double[] c = sample(100, 43, 1000);
        assertEquals(100, a.length);
        assertArrayEquals("same seed, same sample", a, b, 0.0);
        assertFalse("another seed, another sample", Arrays.equals(a, c));
        // values of the input, each at most once, and not only the first ones
        assertEquals(100, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(v -> v >= 0 && v < 1000 && v == Math.rint(v)));
        assertTrue(Arrays.stream(a).anyMatch(v -> v >= 500));
    }

    @Test
    public void sampleAtExactlyTheSampleSizeIsComplete() {
        double[] s = sample(100, 42, 100);
        double[] expected = new double[100];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, s, 0.0);
    }

    @Test
    public void sampleStaysUniformOverTheStream() {
        // the mean of a uniform sample of 0..99999 is near 49999.5 (sd of the mean of 1000 draws about 913)
        double[] s = sample(1000, 7, 100_000);
        double mean = Arrays.stream(s).average().orElseThrow();
        assertTrue("mean " + mean, Math.abs(mean - 49_999.5) < 5 * 913);
    }

    private static double[] sample(int sampleSize, long seed, int values) {
        ColumnProfiler profiler = new ColumnProfiler("c", null, sampleSize, seed, null);
        for (int i = 0; i < values; i++) {
            profiler.accept(String.valueOf(i));
        }
        ColumnProfile p = profiler.finish();
        assertEquals(Long.valueOf(values), p.sampledFrom());
        return p.sample();
    }
}
