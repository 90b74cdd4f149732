package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.report.Severity;

/**
 * A dataset schema (docs/schema.md): dataset-level rules, per-column rules in column order, and
 * drift settings. Read it with {@link SchemaLoader}.
 */
public record DataSchema(DatasetRules dataset, Map<String, ColumnRules> columns, DriftSettings drift)
        implements Serializable {
    public DataSchema {
        dataset = dataset == null ? DatasetRules.NONE : dataset;
        columns = columns == null ? Map.of() : new LinkedHashMap<>(columns);
        drift = drift == null ? DriftSettings.DEFAULT : drift;
    }

    /** No rules at all: profile (and drift) only. */
    public static final DataSchema EMPTY = new DataSchema(null, null, null);

    /**
     * @param minRows, maxRows row count bounds, or null
     * @param requiredColumns columns that must be present (besides those listed under columns)
     * @param allowUnexpectedColumns false: a column not named in the schema is a violation
     * @param columnOrder true: the columns must appear in the schema's order
     */
    public record DatasetRules(Long minRows, Long maxRows, List<String> requiredColumns, boolean allowUnexpectedColumns,
            boolean columnOrder, Severity severity) implements Serializable {
        public static final DatasetRules NONE = new DatasetRules(null, null, List.of(), true, false, Severity.ERROR);

        public DatasetRules {
            requiredColumns = requiredColumns == null ? List.of() : List.copyOf(requiredColumns);
            severity = severity == null ? Severity.ERROR : severity;
        }
    }

    /**
     * @param driftShare dataset drift when at least this share of the compared columns drifted
     * @param severity of a dataset drift finding
     * @param columnSeverity of a single drifted column's finding
     */
    public record DriftSettings(double driftShare, Severity severity, Severity columnSeverity) implements Serializable {
        public static final DriftSettings DEFAULT = new DriftSettings(0.5, Severity.ERROR, Severity.WARNING);
    }
}
