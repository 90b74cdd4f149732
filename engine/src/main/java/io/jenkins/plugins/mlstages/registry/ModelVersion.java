package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A model version. {@code version} is a string as on the wire; {@code aliases} may be missing from
 * search results (read a version with get or by alias to see them).
 */
public record ModelVersion(String name, String version, Long creationTimestamp, Long lastUpdatedTimestamp,
        String description, String source, String runId, ModelVersionStatus status, String statusMessage,
        List<Tag> tags, String runLink, List<String> aliases, String modelId) implements Serializable {
    public ModelVersion {
        tags = tags == null ? List.of() : List.copyOf(tags);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        status = status == null ? ModelVersionStatus.UNKNOWN : status;
    }

    public Map<String, String> tagMap() {
        return Tag.toMap(tags);
    }

    /** {@code name/version}, for messages. */
    public String label() {
        return name + "/" + version;
    }
}
