package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;
import java.util.Objects;

/**
 * Whose metric a reference reads: the candidate's (no prefix), the champion's, one slice's, or every
 * / some slice's (a quantifier over the slices of the evaluation).
 *
 * @param column the slice column, for {@link Kind#SLICE} only
 * @param value the slice value, for {@link Kind#SLICE} only
 */
public record Subject(Kind kind, String column, String value) implements Serializable {
    public enum Kind {
        CANDIDATE, CHAMPION, SLICE, ALL_SLICES, ANY_SLICE
    }

    public static final Subject CANDIDATE = new Subject(Kind.CANDIDATE, null, null);
    public static final Subject CHAMPION = new Subject(Kind.CHAMPION, null, null);
    public static final Subject ALL_SLICES = new Subject(Kind.ALL_SLICES, null, null);
    public static final Subject ANY_SLICE = new Subject(Kind.ANY_SLICE, null, null);

    public Subject {
        Objects.requireNonNull(kind, "kind");
        boolean slice = kind == Kind.SLICE;
        if (slice ? column == null || value == null : column != null || value != null) {
            throw new IllegalArgumentException("a slice subject needs a column and a value, no other subject has them");
        }
    }

    public static Subject slice(String column, String value) {
        return new Subject(Kind.SLICE, column, value);
    }

    /** {@code COLUMN=VALUE}, the key of the slice in {@link GateContext#slices()}; null if not a slice. */
    public String sliceKey() {
        return kind == Kind.SLICE ? column + "=" + value : null;
    }

    public boolean isQuantifier() {
        return kind == Kind.ALL_SLICES || kind == Kind.ANY_SLICE;
    }

    /** How the subject is written before {@code .metric}: {@code ""}, {@code champion.}, {@code slice[region=EU].}... */
    public String prefix() {
        switch (kind) {
            case CHAMPION:
                return "champion.";
            case SLICE:
                return "slice[" + column + "=" + quoteIfNeeded(value) + "].";
            case ALL_SLICES:
                return "all slices.";
            case ANY_SLICE:
                return "any slice.";
            default:
                return "";
        }
    }

    private static String quoteIfNeeded(String value) {
        boolean plain = !value.isEmpty() && !value.contains("]") && value.strip().equals(value)
                && value.charAt(0) != '"' && value.charAt(0) != '\'';
        if (plain) {
            return value;
        }
        return value.contains("\"") ? "'" + value + "'" : "\"" + value + "\"";
    }
}
