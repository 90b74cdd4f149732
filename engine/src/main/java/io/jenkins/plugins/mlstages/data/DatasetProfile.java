package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The profile of a whole dataset: one {@link ColumnProfile} per column in file order. Saved with
 * {@code --save-profile}, it can serve as the reference of a later drift check, which then reads only
 * the new data.
 */
public record DatasetProfile(String schema, long rows, List<ColumnProfile> columns) implements Serializable {
    public static final String SCHEMA = "ml-stages/profile-v1";

    public DatasetProfile {
        schema = schema == null ? SCHEMA : schema;
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    public Optional<ColumnProfile> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Without the drift material: what the report shows. */
    public DatasetProfile summary() {
        return new DatasetProfile(schema, rows, columns.stream().map(ColumnProfile::summary).toList());
    }
}
