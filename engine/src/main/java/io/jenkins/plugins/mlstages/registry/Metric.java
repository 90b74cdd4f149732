package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.Objects;

/** One metric point: MLflow keeps every point, so logging the same key again adds to its history. */
public record Metric(String key, double value, long timestamp, long step) implements Serializable {
    public Metric {
        Objects.requireNonNull(key, "key");
    }

    public static Metric of(String key, double value) {
        return new Metric(key, value, System.currentTimeMillis(), 0);
    }
}
