package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line or in a Jenkinsfile: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1m30s}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    /** No setting needs more than this; a longer duration is a typo (and would overflow milliseconds). */
    public static final Duration MAX = Duration.ofDays(365);

    /** Parses {@code 30s}, {@code 1m30s}, {@code 250ms}, {@code 2h}, or ISO-8601 ({@code PT30S}); at most {@link #MAX}. */
    public static Duration parse(String text) {
        Duration duration;
        try {
            duration = parseUnbounded(text);
        } catch (ArithmeticException e) {
            throw tooLong(text);
        }
        if (duration.compareTo(MAX) > 0) {
            throw tooLong(text);
        }
        return duration;
    }

    private static Duration parseUnbounded(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher matcher = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                throw invalid(text);
            }
            double amount = Double.parseDouble(matcher.group(1));
            long unitMillis = switch (matcher.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            total = total.plusMillis(Math.round(amount * unitMillis));
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw invalid(text);
        }
        return total;
    }

    /** {@code 30 s}, {@code 2 min 30 s}, {@code 250 ms}, {@code 24 h}: for log lines. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        long rest = seconds % 60;
        if (minutes >= 120 && rest == 0) {
            return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        return minutes + " min" + (rest == 0 ? "" : " " + rest + " s");
    }

    /** For adapters' messages: whole seconds when they are, milliseconds otherwise ({@code 30 s}, {@code 1500 ms}). */
    static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("'" + text + "' is too long: a duration is at most " + MAX.toDays() + " days");
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 30s, 5m, 1m30s, 500ms or PT30S");
    }
}
