package io.jenkins.plugins.mlstages.eval;

/**
 * A percentile bootstrap confidence interval.
 *
 * @param estimate the metric on the original rows (every count 1)
 * @param lower the {@code (1 - level) / 2} quantile of the resampled values
 * @param upper the {@code 1 - (1 - level) / 2} quantile of the resampled values
 * @param level the confidence level, e.g. 0.95
 * @param resamples resamples drawn
 * @param undefined resamples on which the metric was NaN (left out of the quantiles); when all were,
 *     {@code lower} and {@code upper} are NaN
 * @param seed the seed that reproduces this interval
 */
public record ConfidenceInterval(double estimate, double lower, double upper, double level, int resamples,
        int undefined, long seed) {

    /** Whether {@code value} lies in {@code [lower, upper]}. */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }

    /** {@code upper - lower}. */
    public double width() {
        return upper - lower;
    }
}
