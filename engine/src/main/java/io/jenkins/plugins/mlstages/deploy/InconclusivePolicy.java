package io.jenkins.plugins.mlstages.deploy;

import java.util.Locale;

/** What a canary does once its inconclusive limit is reached (analyses in a row without a number to judge). */
public enum InconclusivePolicy {
    /** Roll back at once: no data is treated as no evidence that the canary is healthy. */
    ROLLBACK,
    /**
     * Keep the current weight and keep analysing at the step's cadence until an analysis passes (the
     * canary then proceeds), fails up to the failure limit (rollback), or the hold timeout runs out
     * (rollback). A held canary never advances without a passing analysis.
     */
    HOLD;

    public static InconclusivePolicy parse(String value) {
        for (InconclusivePolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(value.strip())) {
                return policy;
            }
        }
        throw new CanarySettingException("onInconclusive", "unknown inconclusive policy '" + value + "': use rollback or hold");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
