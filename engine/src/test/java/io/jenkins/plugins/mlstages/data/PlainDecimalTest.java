package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.Test;

/** The in-place fast path for plain decimals gives exactly what {@link Double#parseDouble} gives, or leaves the text to the general parser. */
public class PlainDecimalTest {

    @Test
    public void randomPlainDecimalsParseExactlyAsDoubleParseDouble() {
        SplittableRandom random = new SplittableRandom(14);
        char[] buffer = new char[64];
        long fast = 0;
        int n = 3_000_000;
        for (int k = 0; k < n; k++) {
            String text = randomDecimal(random);
            int at = random.nextInt(8);
            text.getChars(0, text.length(), buffer, at);
            buffer[at + text.length()] = '7'; // a neighbour that must not be read
            double parsed = ColumnType.plainDecimal(buffer, at, text.length());
            double expected = Double.parseDouble(text);
            if (!Double.isNaN(parsed)) {
                fast++;
                assertEquals(text, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(parsed));
            } else {
                assertTrue(text + " is plain and short: the fast path must take it", !isShortPlain(text));
            }
            assertEquals(text, Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(ColumnType.parseDoubleOrNaN(buffer, at, text.length())));
        }
        assertTrue("the fast path took " + fast + " of " + n, fast > n / 2);
    }

    @Test
    public void edgeCasesAgreeWithDoubleParseDouble() {
        List<String> cases = List.of("0", "-0", "+0", "0.0", "-0.0", "0.", ".0", "5.", ".5", "-.5", "+.5", "007", "-007.50",
                "9007199254740992", "9007199254740993", "-9007199254740993", "9007199254740991.5", "900719925474099.25",
                "0.1", "0.2", "0.3", "1.7976931348623157", "123456789012345678", "1234567890123456789",
                "0.000000000000000001", "0.0000000000000000001", "1.00000000000000000", "4.35", "2.675", "1.15", "8.41",
                "99999999999999999", "0.999999999999999999", "1e5", "1.5E-3", "-2.5e+10");
        for (String text : cases) {
            char[] chars = text.toCharArray();
            double parsed = ColumnType.plainDecimal(chars, 0, chars.length);
            if (!Double.isNaN(parsed)) {
                assertEquals(text, Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(parsed));
            }
            assertEquals(text, Double.doubleToRawLongBits(Double.parseDouble(text)),
                    Double.doubleToRawLongBits(ColumnType.parseDoubleOrNaN(chars, 0, chars.length)));
        }
        assertEquals(-0.0, ColumnType.plainDecimal("-0".toCharArray(), 0, 2), 0.0);
        assertTrue(1 / ColumnType.plainDecimal("-0".toCharArray(), 0, 2) < 0);
    }

    @Test
    public void leavesEverythingElseToTheGeneralParser() {
        for (String text : List.of("", "-", "+", ".", "-.", "1e5", "1.5E-3", "1..2", "1.2.3", "--1", "+-1", "1-", " 1",
                "1 ", "1d", "1f", "0x10", "NaN", "Infinity", "1,5", "12:30", "2024-01-01", "١٢")) {
            char[] chars = text.toCharArray();
            assertTrue(text, Double.isNaN(ColumnType.plainDecimal(chars, 0, chars.length)));
        }
        String tooLong = "1234567890.1234567890";
        assertTrue(Double.isNaN(ColumnType.plainDecimal(tooLong.toCharArray(), 0, tooLong.length())));
        assertEquals(Double.parseDouble(tooLong), ColumnType.parseDoubleOrNaN(tooLong.toCharArray(), 0, tooLong.length()), 0.0);
        assertFalse(Double.isNaN(ColumnType.plainDecimal("1.5".toCharArray(), 0, 3)));
    }

    /** Digits (1 to 20, sometimes with leading zeros, sometimes many nines), a point anywhere or none, a sign, sometimes an exponent. */
    private static String randomDecimal(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int sign = random.nextInt(4);
        text.append(sign == 0 ? "-" : sign == 1 ? "+" : "");
        int digits = 1 + random.nextInt(random.nextBoolean() ? 8 : 20);
        int point = random.nextInt(digits + 2) - 1; // -1: no point; digits: a trailing point
        int style = random.nextInt(8);
        for (int i = 0; i < digits; i++) {
            if (i == point) {
                text.append('.');
            }
            char digit = style == 0 ? '9' : style == 1 && i < digits / 2 ? '0' : (char) ('0' + random.nextInt(10));
            text.append(digit);
        }
        if (point == digits) {
            text.append('.');
        }
        if (random.nextInt(20) == 0) {
            text.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(-30, 30));
        }
        return text.toString();
    }

    /** Whether the fast path must take the text: a plain decimal of at most 15 digits (so at most 2^53). */
    private static boolean isShortPlain(String text) {
        if (!text.matches("[+-]?[0-9]*\\.?[0-9]*") || !text.matches(".*[0-9].*")) {
            return false;
        }
        return text.replaceAll("[^0-9]", "").length() <= 15;
    }
}
