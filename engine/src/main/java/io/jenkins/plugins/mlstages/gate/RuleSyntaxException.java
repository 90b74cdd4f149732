package io.jenkins.plugins.mlstages.gate;

import io.jenkins.plugins.mlstages.report.Printable;

/**
 * A rule that does not follow the grammar of docs/gate.md. The message has three lines: the problem
 * and its column, the rule, and a caret under the column:
 *
 * <pre>
 * rule 2: unexpected '&gt;' at column 11, expected a number, a metric or '('
 *   f1_score &gt;&gt; 0.8
 *             ^
 * </pre>
 *
 * The first line alone is {@link #getProblemLine()}; columns count characters from 1. Control
 * characters of the rule are shown escaped ({@link Printable}), the caret still under its column.
 */
public class RuleSyntaxException extends GateException {
    private static final long serialVersionUID = 1L;

    private final int ruleNumber;
    private final String rule;
    private final int column;
    private final String problemLine;

    /**
     * @param ruleNumber 1-based position of the rule in its gate
     * @param rule the rule as written
     * @param column 1-based column of the problem ({@code rule.length() + 1} for the end of the rule)
     * @param problem what is wrong, read before " at column N", e.g. {@code unexpected '>'}
     * @param hint read after the column, e.g. {@code , expected a number}; empty for none
     */
    public RuleSyntaxException(int ruleNumber, String rule, int column, String problem, String hint) {
        this(ruleNumber, rule, column, "rule " + ruleNumber + ": " + problem + " at column " + column + hint, true);
    }

    /**
     * A rule beyond the parser's limits (too long, nested too deep): one line, without the rule, which
     * may be thousands of characters of no use on a screen.
     */
    static RuleSyntaxException oneLine(int ruleNumber, String rule, int column, String problem) {
        return new RuleSyntaxException(ruleNumber, rule, column, "rule " + ruleNumber + ": " + problem, false);
    }

    private RuleSyntaxException(int ruleNumber, String rule, int column, String problemLine, boolean showRule) {
        super(showRule ? Printable.escape(problemLine) + "\n  " + Printable.escape(rule) + "\n  " + caretPad(rule, column) + "^"
                : Printable.escape(problemLine));
        this.ruleNumber = ruleNumber;
        this.rule = rule;
        this.column = column;
        this.problemLine = Printable.escape(problemLine);
    }

    /**
     * Spaces up to the column, keeping the rule's tabs so that the caret lines up in a terminal, and as
     * wide as the escape of each control character, which the rule line shows escaped.
     */
    private static String caretPad(String rule, int column) {
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < column - 1; i++) {
            char c = i < rule.length() ? rule.charAt(i) : ' ';
            if (c == '\t') {
                pad.append('\t');
            } else {
                pad.append(Printable.isEscaped(c) ? " ".repeat(Printable.WIDTH) : " ");
            }
        }
        return pad.toString();
    }

    public int getRuleNumber() {
        return ruleNumber;
    }

    public String getRule() {
        return rule;
    }

    public int getColumn() {
        return column;
    }

    /** The first line of the message: {@code rule N: <problem> at column C<hint>}. */
    public String getProblemLine() {
        return problemLine;
    }
}
