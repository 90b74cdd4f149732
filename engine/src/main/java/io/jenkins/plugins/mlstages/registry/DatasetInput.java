package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A dataset used by a run, with its input tags (e.g. {@code mlflow.data.context = training}). */
public record DatasetInput(Dataset dataset, List<Tag> tags) implements Serializable {
    public static final String CONTEXT_TAG = "mlflow.data.context";

    public DatasetInput {
        Objects.requireNonNull(dataset, "dataset");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static DatasetInput of(Dataset dataset, String context) {
        return new DatasetInput(dataset, List.of(new Tag(CONTEXT_TAG, context)));
    }

    public Optional<String> context() {
        return Optional.ofNullable(Tag.toMap(tags).get(CONTEXT_TAG));
    }
}
