package io.jenkins.plugins.mlstages.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/** The types a schema can declare for a column, and how a text value is checked against each. */
public enum ColumnType {
    INTEGER, NUMBER, BOOLEAN, DATE, TIMESTAMP, CATEGORY, STRING;

    /** Numeric columns get numeric statistics and numeric drift tests; the others are categorical. */
    public boolean isNumeric() {
        return this == INTEGER || this == NUMBER;
    }

    /** Whether {@code text} (never null) is a valid value of this type. */
    public boolean accepts(CharSequence text) {
        switch (this) {
            case INTEGER:
                return isLong(text);
            case NUMBER:
                return !Double.isNaN(parseDoubleOrNaN(text));
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

    static Long parseLong(CharSequence text) {
        return isLong(text) ? Long.parseLong(text, 0, text.length(), 10) : null;
    }

    /** Whether the text is an integer that fits a long (an optional sign and digits only). */
    static boolean isLong(CharSequence text) {
        int length = text.length();
        if (length == 0 || length > 20) {
            return false;
        }
        int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (start == length) {
            return false;
        }
        for (int i = start; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        if (length - start < 19) {
            return true; // at most 18 digits always fit
        }
        try {
            Long.parseLong(text, 0, length, 10);
            return true;
        } catch (NumberFormatException tooBig) {
            return false;
        }
    }

    /**
     * The value with numbers written one way, so that 1, 1.0 and 1.00 are one category or class (a
     * Parquet int column against a float one); text that is not a number is returned as it is.
     */
    public static String canonicalNumber(String text) {
        Double number = parseDouble(text);
        if (number == null) {
            return text;
        }
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString(number.longValue())
                : Double.toString(number);
    }

    /** A value as a number for min/max: the number itself, days since 1970 for dates, seconds for timestamps. */
    static Double comparable(ColumnType type, CharSequence text) {
        if (type == ColumnType.DATE) {
            try {
                return (double) LocalDate.parse(text).toEpochDay();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (type == ColumnType.TIMESTAMP) {
            String value = text.toString();
            String iso = value.length() > 10 && value.charAt(10) == ' ' ? value.substring(0, 10) + 'T' + value.substring(11) : value;
            try {
                Instant at = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
                return at.getEpochSecond() + at.getNano() / 1e9;
            } catch (DateTimeParseException local) {
                try {
                    Instant at = OffsetDateTime.parse(iso).toInstant();
                    return at.getEpochSecond() + at.getNano() / 1e9;
                } catch (DateTimeParseException e) {
                    return null;
                }
            }
        }
        return ColumnType.parseDouble(text);
    }

    /** A finite number in the usual notations; null for anything else (including NaN and infinities). */
    public static Double parseDouble(CharSequence text) {
        double value = parseDoubleOrNaN(text);
        return Double.isNaN(value) ? null : value;
    }

    /** As {@link #parseDouble}, without boxing: NaN for anything that is not a finite number. */
    static double parseDoubleOrNaN(CharSequence text) {
        if (text instanceof TextSlice slice) {
            return parseDoubleOrNaN(slice.buffer(), slice.start(), slice.length());
        }
        int length = text.length();
        if (length == 0 || !firstAndLastFit(text.charAt(0), text.charAt(length - 1))) {
            return Double.NaN;
        }
        for (int i = 1; i < length - 1; i++) {
            if (!isNumberChar(text.charAt(i))) {
                return Double.NaN;
            }
        }
        try {
            double value = JavaDoubleParser.parseDouble(text);
            return Double.isFinite(value) ? value : Double.NaN;
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }

    /** As {@link #parseDoubleOrNaN(CharSequence)}, in place on a slice of a char buffer. */
    static double parseDoubleOrNaN(char[] chars, int start, int length) {
        double plain = plainDecimal(chars, start, length);
        if (!Double.isNaN(plain)) {
            return plain;
        }
        if (length <= 0 || !firstAndLastFit(chars[start], chars[start + length - 1])) {
            return Double.NaN;
        }
        for (int i = start + 1, end = start + length - 1; i < end; i++) {
            if (!isNumberChar(chars[i])) {
                return Double.NaN;
            }
        }
        try {
            double value = JavaDoubleParser.parseDouble(chars, start, length);
            return Double.isFinite(value) ? value : Double.NaN;
        } catch (NumberFormatException notANumber) {
            return Double.NaN;
        }
    }

    /** 10^0 to 10^22: every one exactly a double (10^22 = 2^22 * 5^22, and 5^22 < 2^53). */
    private static final double[] EXACT_POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * The fast path for the numbers of most data files, a plain decimal ({@code [+-]digits[.digits]}, at
     * most 18 digits, at most 22 after the point), with exactly {@link Double#parseDouble}'s result; NaN for
     * anything else, which the general parser then reads. Clinger's fast path: when the digits as an integer
     * are at most 2^53 they are exactly a double, and so is 10^k for k ≤ 22, so the one division IEEE 754
     * rounds correctly is the correctly rounded value of the decimal.
     */
    static double plainDecimal(char[] chars, int start, int length) {
        int end = start + length;
        int i = start;
        if (length <= 0 || length > 20) {
            return Double.NaN;
        }
        char first = chars[i];
        boolean negative = first == '-';
        if (negative || first == '+') {
            i++;
        }
        long digits = 0;
        int digitsStart = i;
        for (int d; i < end && (d = chars[i] - '0') >= 0 && d <= 9; i++) {
            digits = digits * 10 + d;
        }
        int integerDigits = i - digitsStart;
        int fractionDigits = 0;
        if (i < end && chars[i] == '.') {
            int fractionStart = ++i;
            for (int d; i < end && (d = chars[i] - '0') >= 0 && d <= 9; i++) {
                digits = digits * 10 + d;
            }
            fractionDigits = i - fractionStart;
        }
        // at most 18 digits: the long cannot overflow, and the power of ten is at most 10^18
        if (i != end || integerDigits + fractionDigits == 0 || integerDigits + fractionDigits > 18 || digits > 1L << 53) {
            return Double.NaN;
        }
        double value = fractionDigits == 0 ? (double) digits : (double) digits / EXACT_POWERS_OF_TEN[fractionDigits];
        return negative ? -value : value;
    }

    // Double.parseDouble accepts "NaN", "Infinity", hex and trailing 'd'/'f': not numbers in a data file.
    private static boolean firstAndLastFit(char first, char last) {
        return (first >= '0' && first <= '9' || first == '-' || first == '+' || first == '.')
                && (last >= '0' && last <= '9' || last == '.');
    }

    /** Only the characters of a decimal number: rules out dates and times cheaply, without an exception. */
    private static boolean isNumberChar(char c) {
        return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
    }

    /**
     * Whether the text spells NaN or an infinity as pandas' CSV reader reads it into a float column
     * ({@code nan}, {@code inf}, {@code infinity}, any case, optionally signed). Such a value is not a
     * {@link #NUMBER}, but it does not make a numeric column text either: drift leaves it out, as Evidently
     * drops NaN and infinities before testing.
     */
    public static boolean isNonFiniteNumber(CharSequence text) {
        int length = text.length();
        if (length < 3 || length > 9) {
            return false;
        }
        int from = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        char first = text.charAt(from);
        if (first != 'n' && first != 'N' && first != 'i' && first != 'I' && first < 0x80) {
            return false; // most text, cheaply: no other ASCII character is n or i in any case
        }
        return isWord(text, from, "nan") || isWord(text, from, "inf") || isWord(text, from, "infinity");
    }

    /** Whether the text from {@code from} to its end is {@code word}, ignoring case as {@link String#equalsIgnoreCase} does. */
    private static boolean isWord(CharSequence text, int from, String word) {
        if (text.length() - from != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = text.charAt(from + i);
            char w = word.charAt(i);
            if (c != w) {
                char cu = Character.toUpperCase(c);
                char wu = Character.toUpperCase(w);
                if (cu != wu && Character.toLowerCase(cu) != Character.toLowerCase(wu)) {
                    return false;
                }
            }
        }
        return true;
    }

    static Boolean parseBoolean(CharSequence text) {
        if (isWord(text, 0, "true")) {
            return Boolean.TRUE;
        }
        if (isWord(text, 0, "false")) {
            return Boolean.FALSE;
        }
        return null;
    }

    static boolean isDate(CharSequence text) {
        return text.length() == 10 && dateAt(text, 0);
    }

    /**
     * ISO-8601 date-time: {@code yyyy-MM-dd[T or space]HH:mm[:ss[.fraction]]} and an optional
     * {@code Z} or {@code ±HH:mm} offset. Checked by hand: java.time's parsers cost a microsecond
     * and an exception per value, which a column of millions of timestamps cannot afford.
     */
    static boolean isTimestamp(CharSequence text) {
        int length = text.length();
        if (length < 16 || !dateAt(text, 0) || text.charAt(10) != 'T' && text.charAt(10) != ' '
                || !twoDigits(text, 11, 23) || text.charAt(13) != ':' || !twoDigits(text, 14, 59)) {
            return false;
        }
        int i = 16;
        if (i < length && text.charAt(i) == ':') {
            if (!twoDigits(text, i + 1, 59)) {
                return false;
            }
            i += 3;
            if (i < length && text.charAt(i) == '.') {
                int start = ++i;
                while (i < length && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                if (i == start || i - start > 9) {
                    return false;
                }
            }
        }
        if (i == length) {
            return true;
        }
        char zone = text.charAt(i);
        if (zone == 'Z') {
            return i + 1 == length;
        }
        return (zone == '+' || zone == '-') && length == i + 6 && twoDigits(text, i + 1, 18)
                && text.charAt(i + 3) == ':' && twoDigits(text, i + 4, 59)
                && (text.charAt(i + 1) != '1' || text.charAt(i + 2) != '8' || text.charAt(i + 4) == '0' && text.charAt(i + 5) == '0');
    }

    private static boolean dateAt(CharSequence text, int at) {
        for (int i = at; i < at + 10; i++) {
            char c = text.charAt(i);
            boolean dash = i == at + 4 || i == at + 7;
            if (dash ? c != '-' : c < '0' || c > '9') {
                return false;
            }
        }
        int year = Integer.parseInt(text, at, at + 4, 10);
        int month = Integer.parseInt(text, at + 5, at + 7, 10);
        int day = Integer.parseInt(text, at + 8, at + 10, 10);
        return month >= 1 && month <= 12 && day >= 1 && day <= java.time.YearMonth.of(year, month).lengthOfMonth();
    }

    private static boolean twoDigits(CharSequence text, int at, int max) {
        if (at + 2 > text.length()) {
            return false;
        }
        char a = text.charAt(at);
        char b = text.charAt(at + 1);
        return a >= '0' && a <= '9' && b >= '0' && b <= '9' && (a - '0') * 10 + (b - '0') <= max;
    }
}
