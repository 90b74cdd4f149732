package io.jenkins.plugins.mlstages.gate;

/** Which value of a metric a reference reads: the point estimate or a bound of its confidence interval. */
public enum Bound {
    /** The metric's value. */
    VALUE,
    /** The lower bound of its confidence interval ({@code f1_score.lower}). */
    LOWER,
    /** The upper bound of its confidence interval ({@code f1_score.upper}). */
    UPPER;

    /** {@code ""}, {@code ".lower"} or {@code ".upper"}: how the bound is written after a metric. */
    public String suffix() {
        switch (this) {
            case LOWER:
                return ".lower";
            case UPPER:
                return ".upper";
            default:
                return "";
        }
    }

    /** The bound of an interval, or null for {@link #VALUE}. */
    Double of(Interval interval) {
        switch (this) {
            case LOWER:
                return interval.lower();
            case UPPER:
                return interval.upper();
            default:
                return null;
        }
    }
}
