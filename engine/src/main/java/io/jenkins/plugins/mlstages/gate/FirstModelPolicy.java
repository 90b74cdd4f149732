package io.jenkins.plugins.mlstages.gate;

import java.util.Locale;

/**
 * What rules that reference the champion ({@code champion.x}, {@code paired(x)}, the change
 * arguments of {@code threshold(...)}) do while there is no champion yet.
 */
public enum FirstModelPolicy {
    /** They pass, with a note saying so. */
    PASS,
    /** They fail (what MLflow's {@code validate_evaluation_results} does without a baseline). */
    FAIL,
    /** They are skipped and reported as skipped; only absolute rules decide. */
    ABSOLUTE_ONLY;

    /** Parses {@code pass}, {@code fail} or {@code absolute-only} ({@code absolute_only}), in any case. */
    public static FirstModelPolicy parse(String value) {
        String name = value.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (FirstModelPolicy policy : values()) {
            if (policy.name().equals(name)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown first-model policy '" + value + "': use pass, fail or absolute-only");
    }

    /** {@code pass}, {@code fail} or {@code absolute-only}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
