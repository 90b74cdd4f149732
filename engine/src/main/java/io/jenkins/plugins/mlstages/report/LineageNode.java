package io.jenkins.plugins.mlstages.report;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * A node of the lineage graph (dataset → run → logged model → model version → alias/deployment).
 *
 * @param type {@code dataset}, {@code run}, {@code logged_model}, {@code model_version}, {@code alias}, {@code deployment}
 * @param id a stable identifier within its type (a dataset digest, a run id, {@code name/version})
 */
public record LineageNode(String type, String id, String name, Map<String, String> attributes) implements Serializable {
    public LineageNode {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
