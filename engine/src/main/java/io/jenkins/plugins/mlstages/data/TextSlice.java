package io.jenkins.plugins.mlstages.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A value as a slice of a reader's char buffer, reused from value to value: what the profilers and
 * validators read instead of a String per field. Only what must outlive the value (a new category, an
 * error example) becomes a String, through {@link #toString()}.
 */
final class TextSlice implements CharSequence {
    private char[] chars = new char[0];
    private int start;
    private int length;
    /** The String the characters come from, when there is one: its hash is cached, its identity compared. */
    private String string;
    /** Whether {@link #string}'s characters are in {@link #copy} yet: copied only when someone reads the buffer. */
    private boolean copied = true;
    private char[] copy = new char[64];

    TextSlice set(char[] chars, int start, int length) {
        this.chars = chars;
        this.start = start;
        this.length = length;
        this.string = null;
        this.copied = true;
        return this;
    }

    TextSlice set(String value) {
        return set(value.toCharArray(), 0, value.length());
    }

    /**
     * The characters of {@code value}, copied into a buffer of this slice's own (which the next value reuses)
     * only when {@link #buffer()} is asked for: a value that is only looked up, compared or read char by char
     * (a known category, a rule) is never copied.
     */
    TextSlice setString(String value) {
        string = value;
        start = 0;
        length = value.length();
        copied = false;
        return this;
    }

    /** The String this slice was copied from ({@link #setString}), or null. */
    String string() {
        return string;
    }

    char[] buffer() {
        if (!copied) {
            if (copy.length < length) {
                copy = new char[Math.max(length, copy.length * 2)];
            }
            string.getChars(0, length, copy, 0);
            chars = copy;
            copied = true;
        }
        return chars;
    }

    int start() {
        return start;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return copied ? chars[start + Objects.checkIndex(index, length)] : string.charAt(index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        return copied ? new String(chars, start + from, to - from) : string.substring(from, to);
    }

    /** The same hash as {@link String#hashCode()} of the same characters. */
    int stringHash() {
        if (string != null) {
            return string.hashCode(); // computed once per String, then cached in it
        }
        // two characters a step (31^2 = 961): the same sum as String's, half as long a chain of multiplications
        int h = 0;
        int i = start;
        int end = start + length;
        for (int pairsEnd = end - 1; i < pairsEnd; i += 2) {
            h = 961 * h + 31 * chars[i] + chars[i + 1];
        }
        if (i < end) {
            h = 31 * h + chars[i];
        }
        return h;
    }

    boolean contentEquals(String text) {
        return copied ? sameChars(text, chars, start, length) : string.equals(text);
    }

    /** Whether {@code text} holds exactly the {@code length} characters of {@code chars} from {@code start}. */
    static boolean sameChars(String text, char[] chars, int start, int length) {
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

    /** Whether this slice holds exactly the {@code length} characters of {@code text} from {@code from}. */
    boolean contentEquals(char[] text, int from, int length) {
        if (length != this.length) {
            return false;
        }
        char[] chars = buffer();
        if (length > 32) {
            return Arrays.equals(chars, start, start + length, text, from, from + length);
        }
        for (int i = 0; i < length; i++) { // short values (most categories): a plain loop is faster than a vectorised one
            if (chars[start + i] != text[from + i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return string != null ? string : new String(chars, start, length);
    }
}
