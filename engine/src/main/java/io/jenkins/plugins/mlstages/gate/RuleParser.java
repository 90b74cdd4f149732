package io.jenkins.plugins.mlstages.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.jenkins.plugins.mlstages.gate.RuleLexer.Kind;
import io.jenkins.plugins.mlstages.gate.RuleLexer.Token;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.Spelling;

/**
 * Parses rules of the gate language (grammar in docs/gate.md) by recursive descent. Every syntax
 * error is a {@link RuleSyntaxException} naming the rule, the column and what was expected.
 */
public final class RuleParser {
    /** Words that cannot be metric names. */
    static final Set<String> RESERVED = Set.of("champion", "slice", "all", "any");

    /**
     * Limits that keep a hostile or generated rule from exhausting the stack (the parser and the
     * evaluator recurse over the expression): far beyond any rule a person writes, far within the
     * stack of any thread. A rule beyond them is a syntax error of one line.
     */
    static final int MAX_LENGTH = 1000;
    /** Parentheses and unary minuses inside each other. */
    static final int MAX_NESTING = 32;
    /** Arithmetic operators in the rule ({@code a + b + c} is a tree as deep as its operators). */
    static final int MAX_OPERATORS = 64;

    private static final String OPERAND = ", expected a number, a metric or '('";
    private static final String COMPARISONS = ">=, <=, >, <, == or !=";
    private static final List<String> THRESHOLD_ARGUMENTS = List.of("metric", "threshold", "min_absolute_change",
            "min_relative_change", "greater_is_better");

    private final int number;
    private final String text;
    private final List<Token> tokens;
    private int pos;
    private int nesting;
    private int operators;
    /** The first quantified subject seen, and where, to refuse mixing 'all slices' with 'any slice'. */
    private Subject quantifier;

    private RuleParser(int number, String text, List<Token> tokens) {
        this.number = number;
        this.text = text;
        this.tokens = tokens;
    }

    /** Parses the rules of a gate, numbered from 1 in the order given; stops at the first error. */
    public static List<Rule> parseAll(List<String> rules) throws RuleSyntaxException {
        List<Rule> parsed = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            parsed.add(parse(i + 1, rules.get(i)));
        }
        return List.copyOf(parsed);
    }

    /**
     * Parses one rule.
     *
     * @param number the rule's 1-based position in its gate, for messages
     */
    public static Rule parse(int number, String rule) throws RuleSyntaxException {
        if (rule == null) {
            rule = "";
        }
        if (rule.length() > MAX_LENGTH) {
            throw RuleSyntaxException.oneLine(number, rule, MAX_LENGTH + 1, "too long (" + rule.length()
                    + " characters; a rule has at most " + MAX_LENGTH + ")");
        }
        return new RuleParser(number, rule, RuleLexer.tokens(number, rule)).rule();
    }

    private RuleSyntaxException error(Token at, String problem, String hint) {
        return new RuleSyntaxException(number, text, at.column(), problem, hint);
    }

    private RuleSyntaxException unexpected(Token at, String hint) {
        return error(at, "unexpected " + at.describe(), hint);
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int offset) {
        return tokens.get(Math.min(pos + offset, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) {
            pos++;
        }
        return t;
    }

    private Token expect(Kind kind, String hint) throws RuleSyntaxException {
        if (!peek().is(kind)) {
            throw unexpected(peek(), hint);
        }
        return take();
    }

    private Rule rule() throws RuleSyntaxException {
        Severity severity = Severity.ERROR;
        if (peek().is(Kind.IDENT) && peek(1).is(Kind.COLON)) {
            Token word = take();
            String name = word.text().toLowerCase(Locale.ROOT);
            if (name.equals("error")) {
                severity = Severity.ERROR;
            } else if (name.equals("warning")) {
                severity = Severity.WARNING;
            } else {
                throw error(word, "unknown severity '" + word.text() + "'", ", use error or warning");
            }
            take();
        }
        if (peek().is(Kind.END)) {
            throw unexpected(peek(), ", expected a comparison such as roc_auc >= 0.85");
        }
        RuleBody body;
        if (peek().isWord("threshold") && peek(1).is(Kind.LPAREN)) {
            body = threshold();
            if (!peek().is(Kind.END)) {
                throw unexpected(peek(), ", threshold(...) is a whole rule");
            }
        } else {
            body = comparison();
        }
        return new Rule(number, text.strip(), severity, body);
    }

    private RuleBody.Comparison comparison() throws RuleSyntaxException {
        Expr left = expr();
        Token op = peek();
        if (op.is(Kind.ASSIGN)) {
            throw error(op, "single '='", ", use '==' to compare");
        }
        if (op.is(Kind.END)) {
            throw error(op, "missing comparison", ", expected " + COMPARISONS);
        }
        if (!op.is(Kind.COMPARE)) {
            throw unexpected(op, ", expected +, -, *, / or a comparison (" + COMPARISONS + ")");
        }
        take();
        Expr right = expr();
        Token end = peek();
        if (end.is(Kind.COMPARE) || end.is(Kind.ASSIGN)) {
            throw unexpected(end, ", a rule has exactly one comparison");
        }
        if (!end.is(Kind.END)) {
            throw unexpected(end, ", expected +, -, *, / or the end of the rule");
        }
        return new RuleBody.Comparison(left, Op.of(op.text()), right);
    }

    // expr := term (('+'|'-') term)*
    private Expr expr() throws RuleSyntaxException {
        Expr left = term();
        while (peek().is(Kind.PLUS) || peek().is(Kind.MINUS)) {
            char op = operator().text().charAt(0);
            left = new Expr.Binary(left, op, term());
        }
        return left;
    }

    // term := factor (('*'|'/') factor)*
    private Expr term() throws RuleSyntaxException {
        Expr left = factor();
        while (peek().is(Kind.STAR) || peek().is(Kind.SLASH)) {
            char op = operator().text().charAt(0);
            left = new Expr.Binary(left, op, factor());
        }
        return left;
    }

    /** Takes a binary operator, counting it against {@link #MAX_OPERATORS}. */
    private Token operator() throws RuleSyntaxException {
        Token op = take();
        if (++operators > MAX_OPERATORS) {
            throw RuleSyntaxException.oneLine(number, text, op.column(), "more than " + MAX_OPERATORS
                    + " arithmetic operators at column " + op.column() + ", split it into several rules");
        }
        return op;
    }

    /** Enters a '(' or a unary '-', counting the nesting against {@link #MAX_NESTING}. */
    private void nest(Token at) throws RuleSyntaxException {
        if (++nesting > MAX_NESTING) {
            throw RuleSyntaxException.oneLine(number, text, at.column(), "nested more than " + MAX_NESTING
                    + " deep at column " + at.column() + " (parentheses and unary minuses)");
        }
    }

    // factor := number | ref | paired | '(' expr ')' | '-' factor
    private Expr factor() throws RuleSyntaxException {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER:
                take();
                return Expr.Num.of(t.text());
            case MINUS: {
                nest(take());
                Expr operand = factor();
                nesting--;
                return new Expr.Neg(operand);
            }
            case LPAREN: {
                nest(take());
                Expr inner = expr();
                if (!peek().is(Kind.RPAREN)) {
                    throw unexpected(peek(), ", expected ')' to close '(' at column " + t.column());
                }
                take();
                nesting--;
                return inner;
            }
            case IDENT:
                return reference();
            default:
                throw unexpected(t, OPERAND);
        }
    }

    private Expr reference() throws RuleSyntaxException {
        Token word = peek();
        String w = word.text();
        if (w.equals("threshold") && peek(1).is(Kind.LPAREN)) {
            throw error(word, "threshold(...) inside a comparison", ", threshold(...) is a whole rule");
        }
        if (w.equals("paired") && peek(1).is(Kind.LPAREN)) {
            return paired();
        }
        Subject subject = Subject.CANDIDATE;
        if (w.equals("champion")) {
            take();
            subject = Subject.CHAMPION;
            expect(Kind.DOT, ", expected '.' after 'champion', as in champion.f1_score");
        } else if (w.equals("slice")) {
            take();
            Token selector = expect(Kind.SELECTOR, ", expected '[' after 'slice', as in slice[region=EU].recall_score");
            subject = Subject.slice(selector.selectorColumn(), selector.selectorValue());
            expect(Kind.DOT, ", expected '.' after 'slice" + selector.text() + "'");
        } else if (w.equals("all") || w.equals("any")) {
            take();
            boolean all = w.equals("all");
            String noun = all ? "slices" : "slice";
            if (!peek().isWord(noun)) {
                throw unexpected(peek(), ", expected '" + noun + "' after '" + w + "'");
            }
            take();
            subject = all ? Subject.ALL_SLICES : Subject.ANY_SLICE;
            if (quantifier != null && !quantifier.equals(subject)) {
                throw error(word, "'" + w + " " + noun + "' mixed with '" + quantifierText(quantifier) + "'",
                        ", a rule quantifies over the slices once");
            }
            quantifier = subject;
            expect(Kind.DOT, ", expected '.' after '" + w + " " + noun + "'");
        }
        Token metricToken = peek();
        String metric = metricName();
        Bound bound = Bound.VALUE;
        if (subject.kind() == Subject.Kind.CANDIDATE) {
            misspeltSubject(metricToken);
        }
        if (peek().is(Kind.DOT)) {
            take();
            Token b = bound();
            bound = b.text().equals("lower") ? Bound.LOWER : Bound.UPPER;
            if (subject.kind() != Subject.Kind.CANDIDATE) {
                String whose = subject.kind() == Subject.Kind.CHAMPION ? "champion metrics" : "slice metrics";
                throw error(b, "no confidence interval for " + whose,
                        ", only the candidate's metrics and paired(...) have .lower and .upper");
            }
        }
        return new Expr.Ref(subject, metric, bound);
    }

    /**
     * A metric name followed by what only follows {@code champion} or {@code slice} ({@code champoin.f1_score},
     * {@code slcie[region=EU]}): the name was meant to be one of them when it is close to it.
     */
    private void misspeltSubject(Token word) throws RuleSyntaxException {
        boolean selector = peek().is(Kind.SELECTOR);
        boolean notABound = peek().is(Kind.DOT) && peek(1).is(Kind.IDENT) && !peek(1).text().equals("lower")
                && !peek(1).text().equals("upper");
        if (selector || notABound) {
            Optional<String> meant = Spelling.closest(word.text(), selector ? List.of("slice") : List.of("champion", "slice"));
            if (meant.isPresent()) {
                throw error(word, "unknown name '" + word.text() + "'", "; did you mean '" + meant.get() + "'?");
            }
        }
    }

    private static String quantifierText(Subject subject) {
        return subject == Subject.ALL_SLICES ? "all slices" : "any slice";
    }

    private String metricName() throws RuleSyntaxException {
        Token t = peek();
        if (!t.is(Kind.IDENT) || RESERVED.contains(t.text())) {
            throw unexpected(t, ", expected a metric name");
        }
        return take().text();
    }

    private Token bound() throws RuleSyntaxException {
        Token t = peek();
        if (!t.is(Kind.IDENT)) {
            throw unexpected(t, ", expected lower or upper");
        }
        if (!t.text().equals("lower") && !t.text().equals("upper")) {
            throw error(t, "unknown bound '" + t.text() + "'", ", expected lower or upper");
        }
        return take();
    }

    // paired := 'paired' '(' metric ')' ['.' bound]
    private Expr paired() throws RuleSyntaxException {
        take();
        Token open = take();
        String metric = metricName();
        if (!peek().is(Kind.RPAREN)) {
            throw unexpected(peek(), ", expected ')' to close '(' at column " + open.column());
        }
        take();
        Bound bound = Bound.LOWER;
        if (peek().is(Kind.DOT)) {
            take();
            bound = bound().text().equals("lower") ? Bound.LOWER : Bound.UPPER;
        }
        return new Expr.Paired(metric, bound);
    }

    // threshold := 'threshold' '(' [arg (',' arg)* [',']] ')' ; arg := name '=' value
    private RuleBody threshold() throws RuleSyntaxException {
        Token start = take();
        Token open = take();
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, Token> where = new LinkedHashMap<>();
        while (!peek().is(Kind.RPAREN)) {
            Token name = peek();
            if (!name.is(Kind.IDENT)) {
                throw unexpected(name, peek().is(Kind.END)
                        ? ", expected ')' to close '(' at column " + open.column()
                        : ", expected an argument name such as threshold=0.8");
            }
            if (!THRESHOLD_ARGUMENTS.contains(name.text())) {
                throw error(name, "unknown argument '" + name.text() + "'", name.text().equals("higher_is_better")
                        ? ", use greater_is_better (MLflow removed higher_is_better)"
                        : ", expected metric, threshold, min_absolute_change, min_relative_change or greater_is_better");
            }
            if (args.containsKey(name.text())) {
                throw error(name, "duplicate argument '" + name.text() + "'", "");
            }
            take();
            if (!peek().is(Kind.ASSIGN)) {
                throw unexpected(peek(), ", expected '=' after '" + name.text() + "'");
            }
            take();
            Token value = peek();
            args.put(name.text(), argument(name.text()));
            where.put(name.text(), value);
            if (peek().is(Kind.COMMA)) {
                take();
            } else if (!peek().is(Kind.RPAREN)) {
                throw unexpected(peek(), ", expected ',' or ')' to close '(' at column " + open.column());
            }
        }
        Token close = take();
        // The checks and their order are MLflow's MetricThreshold.__init__ (validation.py).
        if (!args.containsKey("metric")) {
            throw error(close, "missing metric", ", write threshold(metric=NAME, ...)");
        }
        Double minAbsolute = (Double) args.get("min_absolute_change");
        if (minAbsolute != null && !(minAbsolute > 0)) {
            throw error(where.get("min_absolute_change"), "min_absolute_change must be a positive number", "");
        }
        Double minRelative = (Double) args.get("min_relative_change");
        if (minRelative != null && !(minRelative >= 0 && minRelative <= 1)) {
            throw error(where.get("min_relative_change"), "min_relative_change must be between 0 and 1", "");
        }
        Boolean greater = (Boolean) args.get("greater_is_better");
        if (greater == null) {
            throw error(close, "missing greater_is_better", ", write greater_is_better=true or greater_is_better=false");
        }
        Double threshold = (Double) args.get("threshold");
        if (threshold == null && minAbsolute == null && minRelative == null) {
            throw error(start, "no threshold was specified",
                    ", give threshold, min_absolute_change or min_relative_change");
        }
        return new RuleBody.MetricThreshold((String) args.get("metric"), threshold, minAbsolute, minRelative, greater);
    }

    private Object argument(String name) throws RuleSyntaxException {
        Token t = peek();
        switch (name) {
            case "metric":
                return metricName();
            case "greater_is_better":
                if (t.is(Kind.IDENT) && (t.text().equals("true") || t.text().equals("True"))) {
                    take();
                    return Boolean.TRUE;
                }
                if (t.is(Kind.IDENT) && (t.text().equals("false") || t.text().equals("False"))) {
                    take();
                    return Boolean.FALSE;
                }
                throw error(t, name + " must be true or false", "");
            default:
                boolean negative = false;
                if (t.is(Kind.MINUS)) {
                    take();
                    negative = true;
                }
                Token n = peek();
                if (!n.is(Kind.NUMBER)) {
                    throw error(t, name + " must be a number", "");
                }
                take();
                double value = Double.parseDouble(n.text());
                return negative ? -value : value;
        }
    }
}
