package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;

/**
 * A confidence interval of a metric (bootstrap percentile), or of the paired difference candidate −
 * champion. NaN bounds are allowed (a metric undefined in some resamples); a rule reading one fails
 * with an explanation.
 */
public record Interval(double lower, double upper) implements Serializable {
    public Interval {
        if (lower > upper) {
            throw new IllegalArgumentException("interval lower bound " + lower + " is above its upper bound " + upper);
        }
    }
}
