package io.jenkins.plugins.mlstages.table;

import java.util.List;

/**
 * The whole result of one query: its columns, and its rows as Java values ({@code Long}, {@code Double},
 * {@code String}, {@code Boolean}, {@code java.time} values, or null).
 */
public record SqlResult(List<SqlColumn> columns, List<List<Object>> rows) {
    public SqlResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
