package io.jenkins.plugins.mlstages.data;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The types a schema can declare for a column, and how a text value is checked against each. */
public enum ColumnType {
    INTEGER, NUMBER, BOOLEAN, DATE, TIMESTAMP, CATEGORY, STRING;

    /** Numeric columns get numeric statistics and numeric drift tests; the others are categorical. */
    public boolean isNumeric() {
        return this == INTEGER || this == NUMBER;
    }

    /** Whether {@code text} (never null) is a valid value of this type. */
    public boolean accepts(String text) {
        switch (this) {
            case INTEGER:
                return parseLong(text) != null;
            case NUMBER:
                return parseDouble(text) != null;
            case BOOLEAN:
                return parseBoolean(text) != null;
            case DATE:
                return isDate(text);
            case TIMESTAMP:
                return isTimestamp(text);
            default:
                return true;
        }
    }

    public static ColumnType parse(String value) {
        for (ColumnType type : values()) {
            if (type.name().equalsIgnoreCase(value.strip())) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown type '" + value
                + "': use integer, number, string, boolean, date, timestamp or category");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Long parseLong(String text) {
        int length = text.length();
        if (length == 0 || length > 20) {
            return null;
        }
        int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (start == length) {
            return null;
        }
        for (int i = start; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooBig) {
            return null;
        }
    }

    /** A finite number in the usual notations; null for anything else (including NaN and infinities). */
    static Double parseDouble(String text) {
        int length = text.length();
        if (length == 0) {
            return null;
        }
        char first = text.charAt(0);
        // Double.parseDouble accepts "NaN", "Infinity", hex and trailing 'd'/'f': not numbers in a data file.
        if (!(first >= '0' && first <= '9' || first == '-' || first == '+' || first == '.')) {
            return null;
        }
        char last = text.charAt(length - 1);
        if (!(last >= '0' && last <= '9' || last == '.')) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    static Boolean parseBoolean(String text) {
        if ("true".equalsIgnoreCase(text)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(text)) {
            return Boolean.FALSE;
        }
        return null;
    }

    static boolean isDate(String text) {
        if (text.length() != 10) {
            return false;
        }
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** ISO-8601 date-time with 'T' or a space, with or without an offset or 'Z'. */
    static boolean isTimestamp(String text) {
        if (text.length() < 16) {
            return false;
        }
        String iso = text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            LocalDateTime.parse(iso);
            return true;
        } catch (DateTimeParseException local) {
            try {
                OffsetDateTime.parse(iso);
                return true;
            } catch (DateTimeParseException offset) {
                return false;
            }
        }
    }
}
