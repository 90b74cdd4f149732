package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The profile of one column, computed in one pass and bounded memory. Numeric fields are null for
 * non-numeric columns. {@code sample}, {@code psiEdges}, {@code psiCounts} and {@code categories} are
 * what a later drift check needs from a reference; they are kept in a saved profile and dropped from
 * the report ({@link #summary()}).
 *
 * @param count rows with a value; {@code nulls} rows without
 * @param distinct distinct values (exact when {@code distinctExact}, else an HLL estimate, ±2 %)
 * @param std sample standard deviation (n − 1), as pandas reports it
 * @param quantiles p01 … p99 from a KLL sketch (rank error ≤ 1.65 %, or exact when the column fits the sample)
 * @param sample a uniform reservoir sample of the numeric values (all of them up to the sample size), sorted
 * @param sampledFrom how many numeric values the sample was drawn from
 * @param psiEdges this column's own decile edges, and {@code psiCounts} its values counted into them: the
 *        bins used when this profile is the reference
 * @param referenceBinCounts every numeric value counted into the reference's bins during the pass (null
 *        without a reference): what a drift check compares with the reference's {@code psiCounts}
 * @param nonFinite values spelling NaN or an infinity ({@link ColumnType#isNonFiniteNumber}); null when none.
 *        They count in {@code count} but not in the numeric statistics, and drift leaves them out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnProfile(String name, ColumnType type, long count, long nulls, long distinct, boolean distinctExact,
        Double min, Double max, Double mean, Double std, Map<String, Double> quantiles, Histogram histogram,
        List<ValueCount> topValues, double[] sample, Long sampledFrom, double[] psiEdges, long[] psiCounts,
        Map<String, Long> categories, Boolean categoriesTruncated, long[] referenceBinCounts, Long nonFinite)
        implements Serializable {

    /** Values that are neither missing nor NaN/infinity: what a drift test sees. */
    public long finiteCount() {
        return nonFinite == null ? count : count - nonFinite;
    }

    public long rows() {
        return count + nulls;
    }

    public double nullFraction() {
        long rows = rows();
        return rows == 0 ? 0 : (double) nulls / rows;
    }

    /** The profile without what only drift needs: what the report shows. */
    public ColumnProfile summary() {
        return new ColumnProfile(name, type, count, nulls, distinct, distinctExact, min, max, mean, std, quantiles,
                histogram, topValues, null, sampledFrom, null, null, null, null, null, nonFinite);
    }

    /** A value and how often it occurs. */
    public record ValueCount(String value, long count) implements Serializable {
    }

    /** Equal-width bins from min to max: {@code edges} has one more entry than {@code counts}. */
    public record Histogram(double[] edges, long[] counts) implements Serializable {
    }
}
