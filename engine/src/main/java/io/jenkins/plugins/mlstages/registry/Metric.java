package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.Objects;

/**
 * One metric point: MLflow keeps every point, so logging the same key again adds to its history.
 *
 * @param modelId the MLflow 3 logged model the point is also attached to, or null
 * @param runId the run that logged it, as a logged model's metrics report it; null where the run is implied
 */
public record Metric(String key, double value, long timestamp, long step, String modelId, String runId)
        implements Serializable {
    public Metric {
        Objects.requireNonNull(key, "key");
    }

    /** A run metric, attached to no logged model. */
    public Metric(String key, double value, long timestamp, long step) {
        this(key, value, timestamp, step, null, null);
    }

    public static Metric of(String key, double value) {
        return new Metric(key, value, System.currentTimeMillis(), 0);
    }

    /** The same point, attached to a logged model too (MLflow 3 shows it on the model's page). */
    public Metric onModel(String value) {
        return new Metric(key, this.value, timestamp, step, value, runId);
    }
}
