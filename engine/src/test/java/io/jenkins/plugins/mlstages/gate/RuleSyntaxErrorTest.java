package io.jenkins.plugins.mlstages.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.Printable;

/** Every syntax error: exact first line, and the caret under the reported column. */
public class RuleSyntaxErrorTest {

    private static RuleSyntaxException error(int number, String rule) {
        try {
            RuleParser.parse(number, rule);
        } catch (RuleSyntaxException e) {
            return e;
        }
        fail("parsed: " + rule);
        return null;
    }

    /** Asserts the whole three-line message: problem line, the rule indented by 2, the caret. */
    private static void assertError(String rule, int column, String problemLine) {
        RuleSyntaxException e = error(1, rule);
        assertEquals(problemLine, e.getProblemLine());
        assertEquals(column, e.getColumn());
        assertEquals(problemLine + "\n  " + Printable.escape(rule) + "\n  " + " ".repeat(column - 1) + "^", e.getMessage());
    }

    @Test
    public void exampleFromTheIssue() {
        RuleSyntaxException e = error(2, "f1_score >> 0.8");
        assertEquals("rule 2: unexpected '>' at column 11, expected a number, a metric or '('\n"
                + "  f1_score >> 0.8\n"
                + "            ^", e.getMessage());
        assertEquals(2, e.getRuleNumber());
        assertEquals(11, e.getColumn());
        assertEquals("f1_score >> 0.8", e.getRule());
    }

    @Test
    public void parseAllNamesTheFailingRule() {
        try {
            RuleParser.parseAll(List.of("roc_auc >= 0.85", "f1_score >= ", "bad bad"));
            fail();
        } catch (RuleSyntaxException e) {
            assertEquals("rule 2: unexpected end of rule at column 13, expected a number, a metric or '('", e.getProblemLine());
        }
    }

    @Test
    public void caretKeepsTabs() {
        RuleSyntaxException e = error(1, "a\t>= >");
        assertEquals("rule 1: unexpected '>' at column 6, expected a number, a metric or '('\n"
                + "  a\t>= >\n"
                + "   \t   ^", e.getMessage());
    }

    @Test
    public void emptyRules() {
        assertError("", 1, "rule 1: unexpected end of rule at column 1, expected a comparison such as roc_auc >= 0.85");
        assertError("   ", 4, "rule 1: unexpected end of rule at column 4, expected a comparison such as roc_auc >= 0.85");
        assertError("warning:", 9, "rule 1: unexpected end of rule at column 9, expected a comparison such as roc_auc >= 0.85");
        RuleSyntaxException e = error(1, null);
        assertEquals("rule 1: unexpected end of rule at column 1, expected a comparison such as roc_auc >= 0.85", e.getProblemLine());
    }

    @Test
    public void severity() {
        assertError("fatal: a >= 1", 1, "rule 1: unknown severity 'fatal' at column 1, use error or warning");
        assertError("info: a >= 1", 1, "rule 1: unknown severity 'info' at column 1, use error or warning");
    }

    @Test
    public void operands() {
        assertError("f1_score >= ", 13, "rule 1: unexpected end of rule at column 13, expected a number, a metric or '('");
        assertError(">= 0.8", 1, "rule 1: unexpected '>=' at column 1, expected a number, a metric or '('");
        assertError("a >= * 2", 6, "rule 1: unexpected '*' at column 6, expected a number, a metric or '('");
        assertError("a >= +2", 6, "rule 1: unexpected '+' at column 6, expected a number, a metric or '('");
        assertError("a >= (0.5 + b", 14, "rule 1: unexpected end of rule at column 14, expected ')' to close '(' at column 6");
        assertError("a >= (0.5 b)", 11, "rule 1: unexpected 'b' at column 11, expected ')' to close '(' at column 6");
        assertError("a >= ()", 7, "rule 1: unexpected ')' at column 7, expected a number, a metric or '('");
    }

    @Test
    public void comparisonOperator() {
        assertError("f1_score = 0.8", 10, "rule 1: single '=' at column 10, use '==' to compare");
        assertError("f1_score", 9, "rule 1: missing comparison at column 9, expected >=, <=, >, <, == or !=");
        assertError("f1_score 0.8", 10,
                "rule 1: unexpected '0.8' at column 10, expected +, -, *, / or a comparison (>=, <=, >, <, == or !=)");
        assertError("f1_score => 0.8", 10, "rule 1: unexpected '=>' at column 10, use '>='");
        assertError("f1_score =< 0.8", 10, "rule 1: unexpected '=<' at column 10, use '<='");
        assertError("a ! 0.8", 3, "rule 1: unexpected character '!' at column 3, use '!=' for not equal");
        assertError("a \u2265 0.8", 3, "rule 1: unexpected character '\u2265' at column 3, use '>='");
        assertError("a \u2264 0.8", 3, "rule 1: unexpected character '\u2264' at column 3, use '<='");
        assertError("a \u2260 0.8", 3, "rule 1: unexpected character '\u2260' at column 3, use '!='");
    }

    @Test
    public void oneComparisonPerRule() {
        assertError("a >= 0.5 >= 0.2", 10, "rule 1: unexpected '>=' at column 10, a rule has exactly one comparison");
        assertError("a >= 0.5 = 0.2", 10, "rule 1: unexpected '=' at column 10, a rule has exactly one comparison");
        assertError("a >= 0.5 b", 10, "rule 1: unexpected 'b' at column 10, expected +, -, *, / or the end of the rule");
        assertError("a >= 0.5)", 9, "rule 1: unexpected ')' at column 9, expected +, -, *, / or the end of the rule");
    }

    @Test
    public void characters() {
        assertError("a >= 0.8 # comment", 10, "rule 1: unexpected character '#' at column 10");
        assertError("a >= 0.8;", 9, "rule 1: unexpected character ';' at column 9");
        assertError("a >= 0.8\n", 9, "rule 1: unexpected character U+000A at column 9");
        assertError("a-b >= 0,8", 9, "rule 1: unexpected ',' at column 9, expected +, -, *, / or the end of the rule");
    }

    @Test
    public void numbers() {
        assertError("a >= 1e", 6, "rule 1: malformed number '1e' at column 6, write e.g. 1e-3");
        assertError("a >= 1e+x", 6, "rule 1: malformed number '1e+x' at column 6, write e.g. 1e-3");
        assertError("a >= 2x", 6, "rule 1: malformed number '2x' at column 6, a metric name starts with a letter or '_'");
        assertError("1st_metric >= 2", 1,
                "rule 1: malformed number '1st_metric' at column 1, a metric name starts with a letter or '_'");
        assertError("a >= 1e999", 6, "rule 1: number '1e999' out of range at column 6");
        assertError("a >= 0.8.1", 9, "rule 1: unexpected '.1' at column 9, expected +, -, *, / or the end of the rule");
    }

    @Test
    public void champion() {
        assertError("champion f1 >= 1", 10,
                "rule 1: unexpected 'f1' at column 10, expected '.' after 'champion', as in champion.f1_score");
        assertError("a >= champion", 14,
                "rule 1: unexpected end of rule at column 14, expected '.' after 'champion', as in champion.f1_score");
        assertError("champion. >= 1", 11, "rule 1: unexpected '>=' at column 11, expected a metric name");
        assertError("champion.slice[a=b].f1 >= 1", 10, "rule 1: unexpected 'slice' at column 10, expected a metric name");
        assertError("champion.f1_score.lower >= 0.8", 19, "rule 1: no confidence interval for champion metrics at column 19, "
                + "only the candidate's metrics and paired(...) have .lower and .upper");
    }

    @Test
    public void bounds() {
        assertError("f1_score.low >= 0.8", 10, "rule 1: unknown bound 'low' at column 10, expected lower or upper");
        assertError("f1_score. >= 0.8", 11, "rule 1: unexpected '>=' at column 11, expected lower or upper");
        assertError("f1_score.lower.upper >= 0.8", 15,
                "rule 1: unexpected '.' at column 15, expected +, -, *, / or a comparison (>=, <=, >, <, == or !=)");
    }

    @Test
    public void slices() {
        assertError("slice.recall >= 0.8", 6,
                "rule 1: unexpected '.' at column 6, expected '[' after 'slice', as in slice[region=EU].recall_score");
        assertError("slice[region].recall >= 0.8", 13,
                "rule 1: missing '=' in slice[...] at column 13, write slice[COLUMN=VALUE]");
        assertError("slice[=EU].recall >= 0.8", 7,
                "rule 1: missing column name in slice[...] at column 7, write slice[COLUMN=VALUE]");
        assertError("slice[region=].recall >= 0.8", 14,
                "rule 1: missing value in slice[...] at column 14, write slice[COLUMN=VALUE]");
        assertError("slice[region=EU.recall >= 0.8", 30,
                "rule 1: unexpected end of rule at column 30, expected ']' to close '[' at column 6");
        assertError("slice[region=\"EU].recall >= 0.8", 32,
                "rule 1: unexpected end of rule at column 32, expected \" to close the quote at column 14");
        assertError("slice[region='EU' x].r >= 1", 19,
                "rule 1: unexpected 'x' at column 19, expected ']' after the quoted value");
        assertError("slice[region=EU] >= 0.8", 18,
                "rule 1: unexpected '>=' at column 18, expected '.' after 'slice[region=EU]'");
        assertError("slice[region=EU].recall.upper >= 0.8", 25, "rule 1: no confidence interval for slice metrics at column 25, "
                + "only the candidate's metrics and paired(...) have .lower and .upper");
        assertError("a >= [region=EU].recall", 6, "rule 1: unexpected '[region=EU]' at column 6, expected a number, a metric or '('");
    }

    @Test
    public void quantifiers() {
        assertError("all slice.recall >= 0.8", 5, "rule 1: unexpected 'slice' at column 5, expected 'slices' after 'all'");
        assertError("any slices.recall >= 0.8", 5, "rule 1: unexpected 'slices' at column 5, expected 'slice' after 'any'");
        assertError("all >= 1", 5, "rule 1: unexpected '>=' at column 5, expected 'slices' after 'all'");
        assertError("all slices recall >= 0.8", 12,
                "rule 1: unexpected 'recall' at column 12, expected '.' after 'all slices'");
        assertError("all slices.recall >= any slice.precision", 22,
                "rule 1: 'any slice' mixed with 'all slices' at column 22, a rule quantifies over the slices once");
        assertError("all slices.recall.lower >= 0.8", 19, "rule 1: no confidence interval for slice metrics at column 19, "
                + "only the candidate's metrics and paired(...) have .lower and .upper");
    }

    @Test
    public void paired() {
        assertError("paired(f1_score >= 0", 17, "rule 1: unexpected '>=' at column 17, expected ')' to close '(' at column 7");
        assertError("paired() >= 0", 8, "rule 1: unexpected ')' at column 8, expected a metric name");
        assertError("paired(champion.f1) >= 0", 8, "rule 1: unexpected 'champion' at column 8, expected a metric name");
        assertError("paired(f1_score).mid >= 0", 18, "rule 1: unknown bound 'mid' at column 18, expected lower or upper");
    }

    @Test
    public void thresholdIsAWholeRule() {
        assertError("a >= threshold(metric=a, threshold=1, greater_is_better=true)", 6,
                "rule 1: threshold(...) inside a comparison at column 6, threshold(...) is a whole rule");
        assertError("threshold(metric=a, threshold=1, greater_is_better=true) >= 1", 58,
                "rule 1: unexpected '>=' at column 58, threshold(...) is a whole rule");
    }

    @Test
    public void thresholdArguments() {
        assertError("threshold(metric=f1_score, threshold=0.8)", 41,
                "rule 1: missing greater_is_better at column 41, write greater_is_better=true or greater_is_better=false");
        assertError("threshold(threshold=0.8, greater_is_better=true)", 48,
                "rule 1: missing metric at column 48, write threshold(metric=NAME, ...)");
        assertError("threshold(metric=f1_score, greater_is_better=true)", 1,
                "rule 1: no threshold was specified at column 1, give threshold, min_absolute_change or min_relative_change");
        assertError("threshold(metric=f1_score, threshold=0.8, greater_is_better=yes)", 61,
                "rule 1: greater_is_better must be true or false at column 61");
        assertError("threshold(metric=f1_score, threshold=high, greater_is_better=true)", 38,
                "rule 1: threshold must be a number at column 38");
        assertError("threshold(metric=f1_score, foo=1, greater_is_better=true)", 28, "rule 1: unknown argument 'foo' at column 28, "
                + "expected metric, threshold, min_absolute_change, min_relative_change or greater_is_better");
        assertError("threshold(metric=f1_score, threshold=0.8, higher_is_better=true)", 43,
                "rule 1: unknown argument 'higher_is_better' at column 43, use greater_is_better (MLflow removed higher_is_better)");
        assertError("threshold(metric=f1_score, threshold=0.8, threshold=0.9, greater_is_better=true)", 43,
                "rule 1: duplicate argument 'threshold' at column 43");
        assertError("threshold(metric f1_score, threshold=0.8, greater_is_better=true)", 18,
                "rule 1: unexpected 'f1_score' at column 18, expected '=' after 'metric'");
        assertError("threshold(metric=f1_score threshold=0.8, greater_is_better=true)", 27,
                "rule 1: unexpected 'threshold' at column 27, expected ',' or ')' to close '(' at column 10");
        assertError("threshold(metric=f1_score,", 27,
                "rule 1: unexpected end of rule at column 27, expected ')' to close '(' at column 10");
        assertError("threshold(metric=champion, threshold=0.8, greater_is_better=true)", 18,
                "rule 1: unexpected 'champion' at column 18, expected a metric name");
        assertError("threshold(0.8)", 11,
                "rule 1: unexpected '0.8' at column 11, expected an argument name such as threshold=0.8");
    }

    /** The argument checks of MLflow's MetricThreshold.__init__ (mlflow/models/evaluation/validation.py). */
    @Test
    public void thresholdArgumentRangesAsInMlflow() {
        assertError("threshold(metric=f1_score, min_absolute_change=0, greater_is_better=true)", 48,
                "rule 1: min_absolute_change must be a positive number at column 48");
        assertError("threshold(metric=f1_score, min_absolute_change=-0.1, greater_is_better=true)", 48,
                "rule 1: min_absolute_change must be a positive number at column 48");
        assertError("threshold(metric=f1_score, min_relative_change=1.5, greater_is_better=true)", 48,
                "rule 1: min_relative_change must be between 0 and 1 at column 48");
        assertError("threshold(metric=f1_score, min_relative_change=-0.1, greater_is_better=true)", 48,
                "rule 1: min_relative_change must be between 0 and 1 at column 48");
    }

    @Test
    public void aMisspeltChampionOrSliceIsNamedWithWhatWasMeant() {
        assertError("f1_score >= champoin.f1_score", 13, "rule 1: unknown name 'champoin' at column 13; did you mean 'champion'?");
        assertError("chamipon.roc_auc <= roc_auc", 1, "rule 1: unknown name 'chamipon' at column 1; did you mean 'champion'?");
        assertError("slcie[region=EU].recall_score >= 0.7", 1, "rule 1: unknown name 'slcie' at column 1; did you mean 'slice'?");
        // Not close to either: still about the bound.
        assertError("f1_score.low >= 0.8", 10, "rule 1: unknown bound 'low' at column 10, expected lower or upper");
    }

    @Test
    public void controlCharactersAreEscapedAndTheCaretStaysUnderItsColumn() {
        RuleSyntaxException e = error(1, "\u001b[2Jf1_score >> 0.8");
        assertEquals("rule 1: unexpected character U+001B at column 1\n"
                + "  \\u001b[2Jf1_score >> 0.8\n"
                + "  ^", e.getMessage());
        e = error(1, "slice[re\rgion=EU].f1_score >> 0.8");
        String[] lines = e.getMessage().split("\n");
        assertEquals("  slice[re\\u000dgion=EU].f1_score >> 0.8", lines[1]);
        // The caret is under the second '>', in the escaped line as the terminal shows it.
        assertEquals('>', lines[1].charAt(lines[2].indexOf('^')));
        assertEquals(lines[1].indexOf(">>") + 1, lines[2].indexOf('^'));
        assertEquals(3, lines.length);
    }
}
