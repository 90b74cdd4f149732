package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;
import java.util.Objects;

import io.jenkins.plugins.mlstages.report.Severity;

/**
 * One rule of a schema: its value (a bound, a pattern, a set of values...), how much a violation
 * matters, and the share of values that must satisfy it ({@code mostly}, 1.0 = all, as in Great
 * Expectations).
 */
public record Rule<T>(T value, Severity severity, double mostly) implements Serializable {
    public Rule {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(severity, "severity");
        if (!(mostly > 0 && mostly <= 1)) {
            throw new IllegalArgumentException("mostly must be in (0, 1], was " + mostly);
        }
    }

    /** Whether {@code failing} bad values out of {@code checked} still satisfy the rule. */
    public boolean holds(long failing, long checked) {
        if (failing == 0) {
            return true;
        }
        return checked > 0 && (double) (checked - failing) / checked >= mostly;
    }
}
