package io.jenkins.plugins.mlstages.eval;

import java.util.List;

/**
 * Several metrics of one bootstrap resample computed together: one pass over the counts (or over rows
 * sorted once) serves them all, which is what keeps intervals for every metric affordable. Same contract
 * as {@link ResampleMetric}: {@code counts[i]} is how often row {@code i} was drawn; do not modify it; be
 * safe to call from several threads at once; write NaN for a metric undefined on the resample.
 */
public interface ResampleKernel {
    /** The metrics {@link #apply} writes, in order. */
    List<String> names();

    /** Writes metric {@code m} of the resample to {@code out[m]} ({@code out.length == names().size()}). */
    void apply(int[] counts, double[] out);

    /** One metric as a kernel. */
    static ResampleKernel of(String name, ResampleMetric metric) {
        List<String> names = List.of(name);
        return new ResampleKernel() {
            @Override
            public List<String> names() {
                return names;
            }

            @Override
            public void apply(int[] counts, double[] out) {
                out[0] = metric.apply(counts);
            }
        };
    }
}
