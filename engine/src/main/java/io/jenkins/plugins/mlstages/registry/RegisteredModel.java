package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A registered model with its tags and aliases. */
public record RegisteredModel(String name, String description, Long creationTimestamp, Long lastUpdatedTimestamp,
        List<Tag> tags, List<Alias> aliases) implements Serializable {
    public RegisteredModel {
        tags = tags == null ? List.of() : List.copyOf(tags);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    public Map<String, String> tagMap() {
        return Tag.toMap(tags);
    }

    /** Alias name to version. */
    public Map<String, String> aliasMap() {
        Map<String, String> map = new LinkedHashMap<>();
        aliases.forEach(a -> map.put(a.alias(), a.version()));
        return map;
    }

    /** An alias and the version it points at. */
    public record Alias(String alias, String version) implements Serializable {
    }
}
