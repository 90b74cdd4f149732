package io.jenkins.plugins.mlstages.table;

import java.util.List;

/**
 * The whole result of one query: its columns, and its rows as Java values: {@code Long} for every integer type,
 * {@code Double} for floating and decimal types (a decimal of scale 0 may come as {@code Long}), {@code String},
 * {@code Boolean}, {@code java.time} values for dates and timestamps, a {@code List} of these for an array (the
 * quantile grid: {@code percentile_disc}/{@code percentile_approx} of an array of ranks), or null.
 */
public record SqlResult(List<SqlColumn> columns, List<List<Object>> rows) {
    public SqlResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
