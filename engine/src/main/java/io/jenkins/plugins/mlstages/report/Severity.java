package io.jenkins.plugins.mlstages.report;

import java.util.Locale;

/** How much a failed check matters: an ERROR fails the stage, a WARNING makes it WARNING, INFO only informs. */
public enum Severity {
    ERROR, WARNING, INFO;

    /** The status a failed check of this severity gives the stage. */
    public Status failedStatus() {
        switch (this) {
            case ERROR:
                return Status.FAILED;
            case WARNING:
                return Status.WARNING;
            default:
                return Status.PASSED;
        }
    }

    /** Parses {@code error}, {@code warning} or {@code info}, in any case. */
    public static Severity parse(String value) {
        for (Severity severity : values()) {
            if (severity.name().equalsIgnoreCase(value.strip())) {
                return severity;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + value + "': use error, warning or info");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
