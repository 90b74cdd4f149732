package io.jenkins.plugins.mlstages.gate;

import java.util.ArrayList;
import java.util.List;

/** Splits a rule into tokens. Columns are 1-based character positions in the rule as written. */
final class RuleLexer {
    enum Kind {
        NUMBER, IDENT, COMPARE, PLUS, MINUS, STAR, SLASH, LPAREN, RPAREN, DOT, COLON, COMMA, ASSIGN,
        /** {@code [COLUMN=VALUE]}, already split. */
        SELECTOR,
        END
    }

    /**
     * @param text as written; for SELECTOR the whole {@code [...]}
     * @param selectorColumn, selectorValue for SELECTOR only
     */
    record Token(Kind kind, String text, int column, String selectorColumn, String selectorValue) {
        Token(Kind kind, String text, int column) {
            this(kind, text, column, null, null);
        }

        boolean is(Kind k) {
            return kind == k;
        }

        boolean isWord(String word) {
            return kind == Kind.IDENT && text.equals(word);
        }

        /** {@code 'text'}, or {@code end of rule}: how an unexpected token is named. */
        String describe() {
            return kind == Kind.END ? "end of rule" : "'" + text + "'";
        }
    }

    private final int ruleNumber;
    private final String rule;
    private int pos;

    private RuleLexer(int ruleNumber, String rule) {
        this.ruleNumber = ruleNumber;
        this.rule = rule;
    }

    static List<Token> tokens(int ruleNumber, String rule) throws RuleSyntaxException {
        return new RuleLexer(ruleNumber, rule).run();
    }

    private RuleSyntaxException error(int column, String problem, String hint) {
        return new RuleSyntaxException(ruleNumber, rule, column, problem, hint);
    }

    private List<Token> run() throws RuleSyntaxException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (pos < rule.length() && isSpace(rule.charAt(pos))) {
                pos++;
            }
            if (pos >= rule.length()) {
                tokens.add(new Token(Kind.END, "", rule.length() + 1));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek(int offset) {
        int i = pos + offset;
        return i < rule.length() ? rule.charAt(i) : '\0';
    }

    private Token next() throws RuleSyntaxException {
        int start = pos;
        int column = start + 1;
        char c = rule.charAt(pos);
        if (isIdentStart(c)) {
            while (pos < rule.length() && (isIdentStart(rule.charAt(pos)) || isDigit(rule.charAt(pos)))) {
                pos++;
            }
            return new Token(Kind.IDENT, rule.substring(start, pos), column);
        }
        if (isDigit(c) || c == '.' && isDigit(peek(1))) {
            return number();
        }
        switch (c) {
            case '>':
            case '<':
            case '!':
            case '=':
                if (c == '=' && (peek(1) == '>' || peek(1) == '<')) {
                    throw error(column, "unexpected '=" + peek(1) + "'", ", use '" + peek(1) + "='");
                }
                if (peek(1) == '=') {
                    pos += 2;
                    return new Token(Kind.COMPARE, rule.substring(start, pos), column);
                }
                if (c == '!') {
                    throw error(column, "unexpected character '!'", ", use '!=' for not equal");
                }
                pos++;
                return new Token(c == '=' ? Kind.ASSIGN : Kind.COMPARE, String.valueOf(c), column);
            case '+':
                return single(Kind.PLUS);
            case '-':
                return single(Kind.MINUS);
            case '*':
                return single(Kind.STAR);
            case '/':
                return single(Kind.SLASH);
            case '(':
                return single(Kind.LPAREN);
            case ')':
                return single(Kind.RPAREN);
            case '.':
                return single(Kind.DOT);
            case ':':
                return single(Kind.COLON);
            case ',':
                return single(Kind.COMMA);
            case '[':
                return selector();
            case '\u2265':
                throw error(column, "unexpected character '\u2265'", ", use '>='");
            case '\u2264':
                throw error(column, "unexpected character '\u2264'", ", use '<='");
            case '\u2260':
                throw error(column, "unexpected character '\u2260'", ", use '!='");
            default:
                throw error(column, "unexpected character " + describeChar(c), "");
        }
    }

    private static String describeChar(char c) {
        if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private Token single(Kind kind) {
        pos++;
        return new Token(kind, rule.substring(pos - 1, pos), pos);
    }

    private Token number() throws RuleSyntaxException {
        int start = pos;
        while (isDigit(peek(0))) {
            pos++;
        }
        if (peek(0) == '.' && isDigit(peek(1))) {
            pos++;
            while (isDigit(peek(0))) {
                pos++;
            }
        }
        if (peek(0) == 'e' || peek(0) == 'E') {
            pos++;
            if (peek(0) == '+' || peek(0) == '-') {
                pos++;
            }
            if (!isDigit(peek(0))) {
                while (pos < rule.length() && (isIdentStart(peek(0)) || isDigit(peek(0)))) {
                    pos++;
                }
                throw error(start + 1, "malformed number '" + rule.substring(start, pos) + "'", ", write e.g. 1e-3");
            }
            while (isDigit(peek(0))) {
                pos++;
            }
        }
        if (isIdentStart(peek(0))) {
            int end = pos;
            while (end < rule.length() && (isIdentStart(rule.charAt(end)) || isDigit(rule.charAt(end)))) {
                end++;
            }
            throw error(start + 1, "malformed number '" + rule.substring(start, end) + "'",
                    ", a metric name starts with a letter or '_'");
        }
        String text = rule.substring(start, pos);
        if (Double.isInfinite(Double.parseDouble(text))) {
            throw error(start + 1, "number '" + text + "' out of range", "");
        }
        return new Token(Kind.NUMBER, text, start + 1);
    }

    /** {@code [COLUMN=VALUE]}; VALUE may be quoted with ' or " to hold ']' or surrounding spaces. */
    private Token selector() throws RuleSyntaxException {
        int open = pos;
        pos++;
        int nameStart = pos;
        while (pos < rule.length() && rule.charAt(pos) != '=' && rule.charAt(pos) != ']') {
            pos++;
        }
        if (pos >= rule.length()) {
            throw error(rule.length() + 1, "unexpected end of rule", ", expected ']' to close '[' at column " + (open + 1));
        }
        if (rule.charAt(pos) == ']') {
            throw error(pos + 1, "missing '=' in slice[...]", ", write slice[COLUMN=VALUE]");
        }
        String name = rule.substring(nameStart, pos).strip();
        if (name.isEmpty()) {
            throw error(pos + 1, "missing column name in slice[...]", ", write slice[COLUMN=VALUE]");
        }
        pos++; // '='
        while (pos < rule.length() && isSpace(rule.charAt(pos))) {
            pos++;
        }
        String value;
        char quote = peek(0);
        if (quote == '"' || quote == '\'') {
            int quoteAt = pos;
            int close = rule.indexOf(quote, pos + 1);
            if (close < 0) {
                throw error(rule.length() + 1, "unexpected end of rule",
                        ", expected " + quote + " to close the quote at column " + (quoteAt + 1));
            }
            value = rule.substring(pos + 1, close);
            pos = close + 1;
            while (pos < rule.length() && isSpace(rule.charAt(pos))) {
                pos++;
            }
            if (pos >= rule.length()) {
                throw error(rule.length() + 1, "unexpected end of rule", ", expected ']' to close '[' at column " + (open + 1));
            }
            if (rule.charAt(pos) != ']') {
                throw error(pos + 1, "unexpected " + describeChar(rule.charAt(pos)), ", expected ']' after the quoted value");
            }
        } else {
            int valueStart = pos;
            while (pos < rule.length() && rule.charAt(pos) != ']') {
                pos++;
            }
            if (pos >= rule.length()) {
                throw error(rule.length() + 1, "unexpected end of rule", ", expected ']' to close '[' at column " + (open + 1));
            }
            value = rule.substring(valueStart, pos).strip();
            if (value.isEmpty()) {
                throw error(pos + 1, "missing value in slice[...]", ", write slice[COLUMN=VALUE]");
            }
        }
        pos++; // ']'
        return new Token(Kind.SELECTOR, rule.substring(open, pos), open + 1, name, value);
    }
}
