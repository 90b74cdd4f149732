package io.jenkins.plugins.mlstages.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Accumulates the profile of one column, value by value, in bounded memory: counts, Welford mean and
 * variance, min/max, a KLL quantile sketch, an HLL distinct-count sketch, exact category counts up
 * to {@link #MAX_CATEGORIES}, a seeded reservoir sample of the numbers, and which types the values
 * fit. Whether the column is numeric is decided at the end (declared type, else inferred), so both
 * numeric and categorical material is gathered during the pass.
 */
final class ColumnProfiler {
    static final int MAX_CATEGORIES = 10_000;
    static final int TOP_VALUES = 10;
    static final int HISTOGRAM_BINS = 20;
    static final int SMALL_CARDINALITY = 50;
    private static final int KLL_K = 200;
    private static final int KLL_BATCH = 256;
    private static final int HLL_LG_K = 12;
    private static final String[] QUANTILE_NAMES = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};
    private static final double[] QUANTILE_RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    private static final ColumnType[] TYPE_CANDIDATES = {ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.BOOLEAN,
        ColumnType.DATE, ColumnType.TIMESTAMP};

    private final String name;
    private final ColumnType declared;
    private final int sampleSize;
    private final double[] referenceEdges;
    private final long[] referenceBinCounts;

    private long count;
    private long nulls;
    private long numbers;
    private long nonFinite;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private final KllDoublesSketch quantiles = KllDoublesSketch.newHeapInstance(KLL_K);
    /** Numbers not yet in {@link #quantiles}: the sketch takes them many at a time (one copy, not a call each). */
    private final double[] forQuantiles = new double[KLL_BATCH];
    private int forQuantilesCount;
    private final HllSketch distinct = new HllSketch(HLL_LG_K);
    private final CategoryCounts categories = new CategoryCounts(MAX_CATEGORIES);
    /** The UTF-8 bytes of an ASCII value, for the distinct-count sketch without a String per value. */
    private final ByteBuffer asciiBytes = ByteBuffer.allocate(256);
    private final TextSlice text = new TextSlice();
    private boolean categoriesTruncated;
    private double[] sample;
    private final SplittableRandom random;
    /** Types every value so far fits; bit i = ColumnType.values()[i]. */
    private int fits = (1 << ColumnType.INTEGER.ordinal()) | (1 << ColumnType.NUMBER.ordinal())
            | (1 << ColumnType.BOOLEAN.ordinal()) | (1 << ColumnType.DATE.ordinal())
            | (1 << ColumnType.TIMESTAMP.ordinal());

    /**
     * @param referenceEdges the reference's bin edges, to count this column's values into; null without a reference
     */
    ColumnProfiler(String name, ColumnType declared, int sampleSize, long seed, double[] referenceEdges) {
        this.name = name;
        this.declared = declared;
        this.sampleSize = sampleSize;
        this.sample = new double[Math.min(sampleSize, 1024)];
        this.random = new SplittableRandom(seed ^ name.hashCode());
        this.referenceEdges = referenceEdges;
        this.referenceBinCounts = referenceEdges == null ? null : new long[referenceEdges.length + 1];
    }

    String name() {
        return name;
    }

    /** One value; null when missing. Returns the value as a number when it is one, else null. */
    Double accept(String value) {
        if (value == null) {
            acceptMissing();
            return null;
        }
        double number = acceptValue(text.set(value));
        return Double.isNaN(number) ? null : number;
    }

    void acceptMissing() {
        nulls++;
    }

    /**
     * One present value, read in place; returns it as a number when it is one, else NaN. A value seen
     * before (a kept category) only counts: the distinct-count sketch and the type checks already saw it.
     */
    double acceptValue(TextSlice value) {
        int seen = countCategory(value);
        // a kept category was parsed when it was added: the same characters give the same number
        return acceptValue(value, seen == CategoryCounts.NOT_KEPT ? ColumnType.parseDoubleOrNaN(value)
                : categories.lastNumber(), seen);
    }

    /** As {@link #acceptValue(TextSlice)}, with the value's number already known (NaN: not one). */
    double acceptValue(TextSlice value, double number) {
        return acceptValue(value, number, countCategory(value));
    }

    private double acceptValue(TextSlice value, double number, int seen) {
        count++;
        boolean known = seen == CategoryCounts.KNOWN;
        if (Double.isNaN(number) && ColumnType.isNonFiniteNumber(value)) {
            // NaN or an infinity: keeps a numeric column numeric (pandas reads it as a float), stays out of the numbers
            nonFinite++;
            fits &= ~(1 << ColumnType.BOOLEAN.ordinal() | 1 << ColumnType.DATE.ordinal() | 1 << ColumnType.TIMESTAMP.ordinal());
            if (!known) {
                countDistinct(value, seen);
            }
            return Double.NaN;
        }
        if (!known) {
            narrowTypes(value, number);
        }
        if (!Double.isNaN(number)) {
            if (!known) {
                distinct.update(number);
            }
            addNumber(number);
        } else if (!known) {
            countDistinct(value, seen);
        }
        return number;
    }

    /**
     * {@code times} more occurrences of the value {@link #acceptValue(TextSlice)} has just taken, a text that
     * is no number (nor NaN or an infinity): the same as that many more calls. Such a value changes nothing
     * but the counts once seen: its types and its distinct count were taken, and it stays a kept category
     * or one not kept (the table only ever forgets everything, for a numeric column, which a text rules out).
     */
    void acceptRepeats(TextSlice value, long times) {
        count += times;
        if (!categoriesTruncated || !categories.isEmpty()) {
            categories.count(value, times);
        }
    }

    /** Whether values are still counted as categories, so that a number must come with its text. */
    boolean keepsCategories() {
        return !(categoriesTruncated && categories.isEmpty());
    }

    /**
     * A value that a reader handed on as a finite number, once {@link #keepsCategories()} is false: the
     * same as {@link #acceptValue} on its text, which only the type checks would read, and a number's
     * text fits NUMBER, INTEGER when it is an integer's, and none of the other types.
     */
    void acceptNumber(double number, boolean integer) {
        count++;
        fits &= (1 << ColumnType.NUMBER.ordinal()) | (integer ? 1 << ColumnType.INTEGER.ordinal() : 0);
        distinct.update(number);
        addNumber(number);
    }

    /** The sketch sees a value's UTF-8 bytes, as HllSketch.update(String) would give it. */
    private void countDistinct(TextSlice value, int seen) {
        if (seen == CategoryCounts.ADDED) {
            distinct.update(categories.lastAdded());
            return;
        }
        int length = value.length();
        if (length <= asciiBytes.capacity()) {
            asciiBytes.clear();
            char[] chars = value.buffer();
            for (int i = value.start(), end = i + length; i < end; i++) {
                char c = chars[i];
                if (c >= 0x80) {
                    distinct.update(value.toString());
                    return;
                }
                asciiBytes.put((byte) c);
            }
            distinct.update(asciiBytes.flip());
            return;
        }
        distinct.update(value.toString());
    }

    /** Counts the value among the categories: {@link CategoryCounts#KNOWN}, ADDED or NOT_KEPT. */
    private int countCategory(TextSlice value) {
        if (categoriesTruncated && categories.isEmpty()) {
            return CategoryCounts.NOT_KEPT;
        }
        // A numeric column with many values keeps no categories (only few-valued ones are compared as
        // such): stop paying a hash look-up per value once that is clear.
        if (!categoriesTruncated && categories.size() > SMALL_CARDINALITY
                && (has(ColumnType.INTEGER) || has(ColumnType.NUMBER))) {
            categoriesTruncated = true;
            categories.clear();
            return CategoryCounts.NOT_KEPT;
        }
        int seen = categories.count(value);
        if (seen == CategoryCounts.NOT_KEPT) {
            // Past the limit new values are not kept; the kept ones go on being counted exactly.
            categoriesTruncated = true;
        }
        return seen;
    }

    /** Drops the types this value does not fit; the number is parsed once, by the caller (NaN: not one). */
    private void narrowTypes(TextSlice value, double number) {
        if (fits == 0) {
            return;
        }
        for (ColumnType type : TYPE_CANDIDATES) {
            int bit = 1 << type.ordinal();
            if ((fits & bit) == 0) {
                continue;
            }
            boolean fitsType = type == ColumnType.NUMBER ? !Double.isNaN(number)
                    : type == ColumnType.INTEGER ? !Double.isNaN(number) && ColumnType.isLong(value)
                    : type.accepts(value);
            if (!fitsType) {
                fits &= ~bit;
            }
        }
    }

    private void addNumber(double x) {
        numbers++;
        double delta = x - mean;
        mean += delta / numbers;
        m2 += delta * (x - mean);
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
        forQuantiles[forQuantilesCount++] = x;
        if (forQuantilesCount == KLL_BATCH) {
            flushQuantiles();
        }
        if (numbers <= sampleSize) {
            if (numbers > sample.length) {
                sample = Arrays.copyOf(sample, (int) Math.min(sampleSize, (long) sample.length * 2));
            }
            sample[(int) numbers - 1] = x;
        } else {
            long slot = random.nextLong(numbers);
            if (slot < sampleSize) {
                sample[(int) slot] = x;
            }
        }
        if (referenceBinCounts != null) {
            referenceBinCounts[DriftStatistics.binIndex(referenceEdges, x)]++;
        }
    }

    private void flushQuantiles() {
        quantiles.update(forQuantiles, 0, forQuantilesCount);
        forQuantilesCount = 0;
    }

    /** The type the values suggest: the narrowest that all of them fit. */
    ColumnType inferredType() {
        if (count == 0) {
            return ColumnType.STRING;
        }
        if (numbers > 0 && has(ColumnType.INTEGER) && nonFinite == 0) {
            return ColumnType.INTEGER;
        }
        if (numbers > 0 && has(ColumnType.NUMBER)) {
            return ColumnType.NUMBER;
        }
        if (has(ColumnType.BOOLEAN)) {
            return ColumnType.BOOLEAN;
        }
        if (has(ColumnType.DATE)) {
            return ColumnType.DATE;
        }
        if (has(ColumnType.TIMESTAMP)) {
            return ColumnType.TIMESTAMP;
        }
        if (!categoriesTruncated && categories.size() <= 50 && categories.size() * 2L <= count) {
            return ColumnType.CATEGORY;
        }
        return ColumnType.STRING;
    }

    private boolean has(ColumnType type) {
        return (fits & (1 << type.ordinal())) != 0;
    }

    ColumnProfile finish() {
        flushQuantiles();
        ColumnType type = declared != null ? declared : inferredType();
        boolean exactDistinct = !categoriesTruncated;
        long distinctCount = exactDistinct ? categories.size() : Math.round(distinct.getEstimate());
        List<ColumnProfile.ValueCount> top = topValues();
        if (!type.isNumeric() || numbers == 0) {
            return new ColumnProfile(name, type, count, nulls, distinctCount, exactDistinct, null, null, null, null,
                    null, null, top, null, null, null, null, categoryCounts(), categoriesTruncated, null, nonFiniteOrNull());
        }
        double[] kept = Arrays.copyOf(sample, (int) Math.min(numbers, sampleSize));
        boolean complete = numbers <= sampleSize;
        Map<String, Double> q = new LinkedHashMap<>();
        double[] sorted = kept.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < QUANTILE_RANKS.length; i++) {
            q.put(QUANTILE_NAMES[i], complete ? DriftStatistics.quantile(sorted, QUANTILE_RANKS[i])
                    : quantiles.getQuantile(QUANTILE_RANKS[i]));
        }
        double std = numbers > 1 ? Math.sqrt(m2 / (numbers - 1)) : 0.0;
        // Own deciles, so that a saved profile bins like any reference; counts against a given reference's
        // edges were kept apart, from every value, for the drift check of this pass.
        double[] edges = DriftStatistics.psiBinEdges(sorted);
        long[] binCounts = countInto(edges, sorted);
        // Few distinct numbers (a label, a rating) are also compared as categories, as Evidently does.
        Map<String, Long> smallCategories = exactDistinct && categories.size() <= SMALL_CARDINALITY ? categoryCounts() : null;
        return new ColumnProfile(name, type, count, nulls, distinctCount, exactDistinct, min, max, mean, std, q,
                histogram(), top, sorted, numbers, edges, binCounts, smallCategories, null,
                referenceBinCounts == null ? null : referenceBinCounts.clone(), nonFiniteOrNull());
    }

    private Long nonFiniteOrNull() {
        return nonFinite == 0 ? null : nonFinite;
    }

    /** Category counts, most frequent first. */
    private Map<String, Long> categoryCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        sortedCategories().forEach(v -> counts.put(v.value(), v.count()));
        return counts;
    }

    /** Every kept category, most frequent first, then by value. */
    private List<ColumnProfile.ValueCount> sortedCategories() {
        List<ColumnProfile.ValueCount> all = new ArrayList<>(categories.size());
        categories.forEach((value, count) -> all.add(new ColumnProfile.ValueCount(value, count)));
        all.sort(Comparator.comparingLong(ColumnProfile.ValueCount::count).reversed()
                .thenComparing(ColumnProfile.ValueCount::value));
        return all;
    }

    private static long[] countInto(double[] edges, double[] values) {
        long[] counts = new long[edges.length + 1];
        for (double value : values) {
            counts[DriftStatistics.binIndex(edges, value)]++;
        }
        return counts;
    }

    private ColumnProfile.Histogram histogram() {
        if (numbers == 0) {
            return null;
        }
        if (min == max) {
            return new ColumnProfile.Histogram(new double[] {min, max}, new long[] {numbers});
        }
        double[] edges = new double[HISTOGRAM_BINS + 1];
        for (int i = 0; i < HISTOGRAM_BINS; i++) {
            edges[i] = min + (max - min) * i / HISTOGRAM_BINS;
        }
        edges[HISTOGRAM_BINS] = max;
        // Counts from the KLL sketch (approximate past the sketch's size): a value on an inner edge
        // falls in the lower bin, unlike numpy.histogram; the display does not depend on it.
        double[] split = Arrays.copyOfRange(edges, 1, HISTOGRAM_BINS);
        double[] pmf = quantiles.getPMF(split);
        long[] counts = new long[HISTOGRAM_BINS];
        long assigned = 0;
        for (int i = 0; i < HISTOGRAM_BINS; i++) {
            counts[i] = i == HISTOGRAM_BINS - 1 ? numbers - assigned : Math.round(pmf[i] * numbers);
            assigned += counts[i];
        }
        return new ColumnProfile.Histogram(edges, counts);
    }

    private List<ColumnProfile.ValueCount> topValues() {
        List<ColumnProfile.ValueCount> all = sortedCategories();
        return all.size() > TOP_VALUES ? List.copyOf(all.subList(0, TOP_VALUES)) : all;
    }
}
