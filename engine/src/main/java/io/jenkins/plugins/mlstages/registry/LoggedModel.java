package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.List;

/** An MLflow 3 logged model (the model entity that versions can be registered from). */
public record LoggedModel(String modelId, String experimentId, String name, String artifactUri, String status,
        String modelType, String sourceRunId, Long creationTimestampMs, List<Tag> tags) implements Serializable {
    public LoggedModel {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The URI a model version registered from this model uses as its source. */
    public String modelsUri() {
        return "models:/" + modelId;
    }
}
