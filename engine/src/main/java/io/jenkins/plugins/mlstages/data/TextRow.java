package io.jenkins.plugins.mlstages.data;

import java.util.Arrays;

/**
 * One row as slices of a single char buffer, filled by a reader and reused for the next row, so that
 * a reader hands over its fields without a String per field. A value's length is -1 ({@link #MISSING})
 * when it is missing (an empty CSV field). A binary reader (Parquet) may instead hand a decoded number
 * ({@link #DOUBLE} or {@link #LONG} in place of the length, the number in {@link #bits}): its text is the
 * one that reader would write, made only when someone asks for it.
 */
public final class TextRow {
    static final int MISSING = -1;
    /** A finite double, as the raw bits of {@link Double#doubleToRawLongBits}; its text {@link #doubleText}. */
    static final int DOUBLE = -2;
    /** A signed integer; its text {@link Long#toString(long)}. */
    static final int LONG = -3;

    private char[] chars = new char[1024];
    private int used;
    private final int[] starts;
    private final int[] lengths;
    private final long[] bits;
    private final String[] strings;

    TextRow(int width) {
        starts = new int[width];
        lengths = new int[width];
        bits = new long[width];
        strings = new String[width];
        Arrays.fill(lengths, MISSING);
    }

    public int width() {
        return lengths.length;
    }

    /** Starts the next row: every value missing until set. */
    void clear() {
        used = 0;
        Arrays.fill(lengths, MISSING);
    }

    /** Copies one field in; an empty field is a missing value. */
    void set(int index, char[] source, int offset, int length) {
        if (length == 0) {
            lengths[index] = MISSING;
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

    /** Copies a present value in, an empty one included (JSON and binary formats tell missing from empty). */
    void setPresent(int index, char[] source, int offset, int length) {
        if (used + length > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, used + length));
        }
        System.arraycopy(source, offset, chars, used, length);
        starts[index] = used;
        lengths[index] = length;
        used += length;
    }

    /** Copies a present value in, an empty one included (JSON and binary formats tell missing from empty). */
    void set(int index, String value) {
        int length = value.length();
        if (used + length > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, used + length));
        }
        value.getChars(0, length, chars, used);
        starts[index] = used;
        lengths[index] = length;
        used += length;
    }

    /** A finite double, kept as a number. */
    void setDouble(int index, double value) {
        lengths[index] = DOUBLE;
        bits[index] = Double.doubleToRawLongBits(value);
    }

    /** A signed integer, kept as a number. */
    void setLong(int index, long value) {
        lengths[index] = LONG;
        bits[index] = value;
    }

    /** A number kept as such: {@code kind} {@link #DOUBLE} (raw bits) or {@link #LONG}. */
    void setNumber(int index, int kind, long bits) {
        lengths[index] = kind;
        this.bits[index] = bits;
    }

    /** The number of a {@link #DOUBLE} or {@link #LONG} value. */
    long bits(int index) {
        return bits[index];
    }

    /** The text of a number kept as {@link #DOUBLE} or {@link #LONG}. */
    static String numberText(int kind, long bits) {
        return kind == LONG ? Long.toString(bits) : doubleText(Double.longBitsToDouble(bits));
    }

    /** The number of a number kept as {@link #DOUBLE} or {@link #LONG}: what parsing its text gives. */
    static double number(int kind, long bits) {
        return kind == LONG ? (double) bits : Double.longBitsToDouble(bits);
    }

    private static String doubleText(double value) {
        return ParquetReader.Numbers.doubleText(value);
    }

    /** The value as a String, or null when it is missing. */
    public String value(int index) {
        int length = lengths[index];
        if (length < 0) {
            return length == MISSING ? null : numberText(length, bits[index]);
        }
        return new String(chars, starts[index], length);
    }

    /**
     * The value as a String (null when missing), reusing an equal String from {@code seen} or keeping
     * the new one in its first free slot: a column of few distinct values (labels) makes no String per row.
     */
    public String value(int index, String[] seen) {
        int length = lengths[index];
        if (length < 0) {
            String number = value(index);
            for (int i = 0; number != null && i < seen.length; i++) {
                if (seen[i] == null) {
                    return seen[i] = number;
                }
                if (number.equals(seen[i])) {
                    return seen[i];
                }
            }
            return number;
        }
        int start = starts[index];
        for (int i = 0; i < seen.length; i++) {
            String candidate = seen[i];
            if (candidate == null) {
                return seen[i] = new String(chars, start, length);
            }
            if (TextSlice.sameChars(candidate, chars, start, length)) {
                return candidate;
            }
        }
        return new String(chars, start, length);
    }

    /** The value as a finite number read in place, as {@link ColumnType#parseDouble}; NaN when missing or not one. */
    public double finiteNumberOrNaN(int index) {
        int length = lengths[index];
        if (length < 0) {
            return length == MISSING ? Double.NaN : number(length, bits[index]);
        }
        return ColumnType.parseDoubleOrNaN(chars, starts[index], length);
    }

    /** Every value as a String (null when missing), in an array reused for the next row. */
    public String[] toStrings() {
        for (int i = 0; i < strings.length; i++) {
            strings[i] = value(i);
        }
        return strings;
    }
}
