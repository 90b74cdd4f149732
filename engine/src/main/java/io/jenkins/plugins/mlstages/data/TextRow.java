package io.jenkins.plugins.mlstages.data;

import java.util.Arrays;

/**
 * One row as slices of a single char buffer, filled by a reader and reused for the next row, so that
 * a reader hands over its fields without a String per field. A missing value (an empty CSV field) has
 * length -1.
 */
public final class TextRow {
    private char[] chars = new char[1024];
    private int used;
    private final int[] starts;
    private final int[] lengths;
    private final String[] strings;

    TextRow(int width) {
        starts = new int[width];
        lengths = new int[width];
        strings = new String[width];
        Arrays.fill(lengths, -1);
    }

    public int width() {
        return lengths.length;
    }

    /** Starts the next row: every value missing until set. */
    void clear() {
        used = 0;
        Arrays.fill(lengths, -1);
    }

    /** Copies one field in; an empty field is a missing value. */
    void set(int index, char[] source, int offset, int length) {
        if (length == 0) {
            lengths[index] = -1;
            return;
        }
        if (used + length > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, used + length));
        }
        System.arraycopy(source, offset, chars, used, length);
        starts[index] = used;
        lengths[index] = length;
        used += length;
    }

    char[] chars() {
        return chars;
    }

    /** Characters used by this row's values, from the start of {@link #chars()}. */
    int used() {
        return used;
    }

    int start(int index) {
        return starts[index];
    }

    /** The value's length, or -1 when it is missing. */
    int length(int index) {
        return lengths[index];
    }

    /** The value as a String, or null when it is missing. */
    public String value(int index) {
        return lengths[index] < 0 ? null : new String(chars, starts[index], lengths[index]);
    }

    /**
     * The value as a String (null when missing), reusing an equal String from {@code seen} or keeping
     * the new one in its first free slot: a column of few distinct values (labels) makes no String per row.
     */
    public String value(int index, String[] seen) {
        int length = lengths[index];
        if (length < 0) {
            return null;
        }
        int start = starts[index];
        for (int i = 0; i < seen.length; i++) {
            String candidate = seen[i];
            if (candidate == null) {
                return seen[i] = new String(chars, start, length);
            }
            if (equals(candidate, start, length)) {
                return candidate;
            }
        }
        return new String(chars, start, length);
    }

    private boolean equals(String text, int start, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) != chars[start + i]) {
                return false;
            }
        }
        return true;
    }

    /** The value as a finite number read in place, as {@link ColumnType#parseDouble}; NaN when missing or not one. */
    public double finiteNumberOrNaN(int index) {
        return lengths[index] < 0 ? Double.NaN : ColumnType.parseDoubleOrNaN(chars, starts[index], lengths[index]);
    }

    /** Every value as a String (null when missing), in an array reused for the next row. */
    public String[] toStrings() {
        for (int i = 0; i < strings.length; i++) {
            strings[i] = value(i);
        }
        return strings;
    }
}
