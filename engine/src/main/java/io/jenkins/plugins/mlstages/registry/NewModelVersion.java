package io.jenkins.plugins.mlstages.registry;

import java.util.List;
import java.util.Objects;

/**
 * What a new model version is made from: a run's artifact path (MLflow 2 style), a {@code models:/}
 * URI, or an MLflow 3 logged model.
 */
public record NewModelVersion(String name, String source, String runId, String modelId, String description,
        List<Tag> tags, String runLink) {
    public NewModelVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** From a run: source {@code runs:/<runId>/<artifactPath>}. */
    public static NewModelVersion fromRun(String name, String runId, String artifactPath) {
        String path = artifactPath.startsWith("/") ? artifactPath.substring(1) : artifactPath;
        return new NewModelVersion(name, "runs:/" + runId + "/" + path, runId, null, null, List.of(), null);
    }

    /** From a URI such as {@code models:/<model_id>} or {@code models:/<name>/<version>}. */
    public static NewModelVersion fromSource(String name, String sourceUri) {
        return new NewModelVersion(name, sourceUri, null, null, null, List.of(), null);
    }

    /** From an MLflow 3 logged model, linking the version to it and to its source run. */
    public static NewModelVersion fromLoggedModel(String name, LoggedModel model) {
        return new NewModelVersion(name, model.modelsUri(), model.sourceRunId(), model.modelId(), null, List.of(),
                null);
    }

    public NewModelVersion withDescription(String value) {
        return new NewModelVersion(name, source, runId, modelId, value, tags, runLink);
    }

    public NewModelVersion withTags(List<Tag> value) {
        return new NewModelVersion(name, source, runId, modelId, description, value, runLink);
    }

    public NewModelVersion withRunLink(String value) {
        return new NewModelVersion(name, source, runId, modelId, description, tags, value);
    }
}
