package io.jenkins.plugins.mlstages.dvc;

import java.util.Locale;

import io.jenkins.plugins.mlstages.report.Severity;

/**
 * How a stage treats a DVC-tracked file that is not the one DVC recorded ({@code --dvc-check}): a
 * WARNING finding (the default), an ERROR finding (the stage FAILS), or no comparison at all (the
 * DVC digest is still recorded, and the file is not read a second time for its MD5).
 */
public enum DvcPolicy {
    ERROR, WARNING, OFF;

    /** The severity of the {@code dvc.modified} finding; null for {@link #OFF}. */
    public Severity severity() {
        return this == ERROR ? Severity.ERROR : this == WARNING ? Severity.WARNING : null;
    }

    /** Parses an option's value ({@code error}, {@code warning}, {@code off}); null or blank gives the default, WARNING. */
    public static DvcPolicy parseOption(String value, String option) {
        if (value == null || value.isBlank()) {
            return WARNING;
        }
        for (DvcPolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(value.strip())) {
                return policy;
            }
        }
        throw new IllegalArgumentException(option + ": expected error, warning or off, not '" + value + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
