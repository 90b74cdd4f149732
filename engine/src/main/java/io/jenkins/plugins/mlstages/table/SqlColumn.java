package io.jenkins.plugins.mlstages.table;

import io.jenkins.plugins.mlstages.data.ColumnType;

/**
 * A column of a query's result, with the type the source declares mapped to ours.
 *
 * @param sourceType the type as the source names it (e.g. {@code double precision}, {@code DecimalType(10,2)}),
 *        for messages
 */
public record SqlColumn(String name, ColumnType type, String sourceType) {
}
