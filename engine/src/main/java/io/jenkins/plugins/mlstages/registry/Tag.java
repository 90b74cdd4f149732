package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A key and a value, as MLflow stores tags and parameters. */
public record Tag(String key, String value) implements Serializable {
    public Tag {
        Objects.requireNonNull(key, "key");
        value = value == null ? "" : value;
    }

    /** Tags as a map in their order; a key given twice keeps its last value, as the server does. */
    public static Map<String, String> toMap(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(tag -> map.put(tag.key(), tag.value()));
        return map;
    }

    public static List<Tag> fromMap(Map<String, String> map) {
        return map.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
    }
}
