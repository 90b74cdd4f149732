package io.jenkins.plugins.mlstages.report;

/**
 * User input made safe to echo: a rule, a column name or a server's text may hold control characters
 * (an ANSI escape that recolours or clears the terminal, a carriage return that overwrites the line, a
 * newline that forges a second log line, a bidirectional override that reorders what is shown). Each is
 * written as the Java escape {@code \}{@code uXXXX} (ESC as {@code \}{@code u001b}), which is visible,
 * unambiguous and six characters wide ({@link #WIDTH}) for carets. Tabs are kept; they are harmless and
 * carets repeat them.
 */
public final class Printable {
    /** How many characters an escaped character takes: {@code \}{@code uXXXX}. */
    public static final int WIDTH = 6;

    private Printable() {
    }

    /** Whether {@code c} is written escaped: C0 and C1 controls but tab, DEL, line separators, bidi controls. */
    public static boolean isEscaped(char c) {
        return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
                || c == '\u061c';
    }

    /** {@code text} on one line, every escaped character written as {@code \}{@code uXXXX}; null stays null. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** As {@link #escape(String)} but keeping newlines: for a message whose lines are meant (a caret under a rule). */
    public static String escapeLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepNewlines) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escaped = isEscaped(c) && !(keepNewlines && c == '\n');
            if (escaped && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
