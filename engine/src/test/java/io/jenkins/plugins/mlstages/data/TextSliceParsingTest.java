package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

/** The checks on a slice of a reader's buffer give what the same checks give on the value as a String. */
public class TextSliceParsingTest {
    private static final List<String> VALUES = List.of("0", "-1", "+7", "1.5", ".5", "5.", "1e3", "-2.5E-3", "1e400",
            "12345678901234567890", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "007",
            "NaN", "nan", "-inf", "+Infinity", "INF", "infinity1", "true", "FALSE", "True ", "yes", "1,5", "0x10", "1d",
            "2024-02-29", "2023-02-29", "2024-01-31T23:59:59.123Z", "2024-01-31 10:00", "2024-01-31T10:00+18:00",
            "2024-01-31T10:00+18:30", "-", "+", ".", "e", "1-2", " 1", "1 ", "caf\u00e9", "\u0130nf");

    @Test
    public void sliceAndStringAgree() {
        for (String value : VALUES) {
            char[] buffer = ("xx" + value + "yy").toCharArray();
            TextSlice slice = new TextSlice().set(buffer, 2, value.length());
            assertEquals(value, slice.toString());
            assertEquals(value, value.hashCode(), slice.stringHash());
            Double number = ColumnType.parseDouble(value);
            assertEquals(value, number == null ? Double.NaN : number, ColumnType.parseDoubleOrNaN(slice), 0.0);
            assertEquals(value, ColumnType.parseLong(value) != null, ColumnType.isLong(slice));
            assertEquals(value, ColumnType.isNonFiniteNumber(value), ColumnType.isNonFiniteNumber(slice));
            for (ColumnType type : ColumnType.values()) {
                assertEquals(value + " as " + type, type.accepts(value), type.accepts(slice));
            }
        }
    }

    /** A slice of a String reads it without copying until the buffer is asked for: every check gives the same. */
    @Test
    public void sliceOfAStringAgreesBeforeAndAfterItsCharactersAreCopied() {
        TextSlice slice = new TextSlice();
        slice.set("a much longer value than any of these".toCharArray(), 3, 20); // a previous value's buffer
        for (String value : VALUES) {
            for (boolean copied : new boolean[] {false, true}) {
                slice.setString(value);
                if (copied) {
                    assertEquals(value, new String(slice.buffer(), slice.start(), slice.length()));
                }
                assertEquals(value, slice.toString());
                assertEquals(value, value.hashCode(), slice.stringHash());
                assertEquals(value, value.length(), slice.length());
                for (int i = 0; i < value.length(); i++) {
                    assertEquals(value, value.charAt(i), slice.charAt(i));
                }
                assertEquals(value, true, slice.contentEquals(value));
                assertEquals(value, false, slice.contentEquals(value + "x"));
                assertEquals(value, ColumnType.isNonFiniteNumber(value), ColumnType.isNonFiniteNumber(slice));
                for (ColumnType type : ColumnType.values()) {
                    assertEquals(value + " as " + type, type.accepts(value), type.accepts(slice));
                }
            }
        }
    }

    @Test
    public void wordsIgnoreCaseAsStringEqualsIgnoreCaseDoes() {
        for (String value : List.of("nan", "NAN", "nAn", "inf", "\u0130nf", "\u0131nf", "-\u0130nf", "+\u0131NF", "xnan", "-x", "true", "TRUE", "tru\u00e9", "fal\u017fe")) {
            assertEquals(value, value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"),
                    ColumnType.parseBoolean(new TextSlice().set(value)) != null);
            String unsigned = value.replaceFirst("^[+-]", "");
            assertEquals(value, unsigned.equalsIgnoreCase("nan") || unsigned.equalsIgnoreCase("inf"),
                    ColumnType.isNonFiniteNumber(new TextSlice().set(value)));
        }
    }
}
