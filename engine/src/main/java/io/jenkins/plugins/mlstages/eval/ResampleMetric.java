package io.jenkins.plugins.mlstages.eval;

/**
 * A metric evaluated on one bootstrap resample, described by multiplicities: {@code counts[i]} is how many
 * times original row {@code i} was drawn (the counts sum to n). Evaluating on counts instead of copied arrays
 * lets a kernel keep work done once (a sort, a thresholding) across resamples, and lets several metrics —
 * or a candidate and a champion on the same rows (a paired bootstrap of a difference) — share one resample.
 *
 * <p>Implementations must not modify {@code counts} and must be safe to call from several threads at once
 * ({@link Bootstrap#ci} runs resamples in parallel). Return NaN when the metric is undefined on a resample
 * (e.g. ROC AUC when the resample holds one class only).
 */
@FunctionalInterface
public interface ResampleMetric {
    double apply(int[] counts);
}
