package io.jenkins.plugins.mlstages.report;

import java.io.Serializable;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One result of one check, in the vocabulary all stages share: which check, how much it matters,
 * a one-line message, and what was observed against what was expected. {@code passed} findings are
 * kept too, so that a report shows every check, not only the failures.
 *
 * @param check a stable identifier such as {@code column.min} or {@code dataset.row_count}
 * @param subject what was checked: a column, a metric, a rule; null for the whole dataset
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String check, String subject, Severity severity, boolean passed, String message,
        String observed, String expected) implements Serializable {
    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    /** One line for a log: {@code ERROR column.min age: 1 of 3 values are below 0 (row 2: '-4')}. */
    public String line() {
        return severity.name() + " " + check + " " + message;
    }

    /** The status this finding gives its stage. */
    public Status status() {
        return passed ? Status.PASSED : severity.failedStatus();
    }
}
