package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a schema says about one column. Every rule is optional (null = not checked).
 *
 * @param nullable false means no value may be missing
 * @param maxNullFraction the largest share of missing values allowed
 * @param min smallest allowed value: a number for numeric columns, an ISO date or timestamp for those types
 * @param drift the drift test for this column, or null for the default
 */
public record ColumnRules(String name, Rule<ColumnType> type, Rule<Boolean> nullable, Rule<Double> maxNullFraction,
        Rule<String> min, Rule<String> max, Rule<Set<String>> allowedValues, Rule<Pattern> regex, Rule<Boolean> unique,
        Rule<Integer> maxLength, DriftSetting drift) implements Serializable {

    /** The declared type, or null when the schema does not declare one. */
    public ColumnType declaredType() {
        return type == null ? null : type.value();
    }

    /**
     * A column's drift test and threshold; either may be null for the default. {@code off}: the
     * column is not compared (e.g. an id, which changes by design).
     */
    public record DriftSetting(DriftMethod method, Double threshold, boolean off) implements Serializable {
    }
}
