package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.Objects;

/**
 * A dataset as MLflow records it for lineage. {@code digest} is at most 36 characters; {@code source}
 * is by convention a JSON object such as {@code {"uri": "..."}}; {@code schema} and {@code profile}
 * are optional JSON strings.
 */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile)
        implements Serializable {
    public static final int MAX_DIGEST_LENGTH = 36;
    public static final int MAX_NAME_LENGTH = 500;

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(source, "source");
    }
}
