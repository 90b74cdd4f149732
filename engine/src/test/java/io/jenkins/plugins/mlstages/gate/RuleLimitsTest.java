package io.jenkins.plugins.mlstages.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.RuleStatus;

/**
 * Rules beyond the parser's limits (length, nesting, operators) are one-line syntax errors naming the
 * rule, not a StackOverflowError; the deepest rule within them parses and evaluates.
 */
public class RuleLimitsTest {
    private static RuleSyntaxException error(String rule) {
        return assertThrows(RuleSyntaxException.class, () -> RuleParser.parse(3, rule));
    }

    private static void assertOneLine(RuleSyntaxException e, String expected) {
        assertEquals(expected, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    public void thousandsOfParenthesesAreRefusedAtTheFirstTooDeep() {
        String rule = "(".repeat(2800) + "f1_score" + ")".repeat(2800) + " >= 0";
        assertOneLine(error(rule), "rule 3: too long (5613 characters; a rule has at most 1000)");
        String deep = "(".repeat(RuleParser.MAX_NESTING + 1) + "f1_score" + ")".repeat(RuleParser.MAX_NESTING + 1) + " >= 0";
        assertOneLine(error(deep), "rule 3: nested more than 32 deep at column 33 (parentheses and unary minuses)");
    }

    @Test
    public void unaryMinusesCountAsNesting() {
        assertOneLine(error("-".repeat(5600) + "f1_score >= 0"), "rule 3: too long (5613 characters; a rule has at most 1000)");
        assertOneLine(error("-".repeat(40) + "f1_score >= 0"),
                "rule 3: nested more than 32 deep at column 33 (parentheses and unary minuses)");
        assertOneLine(error("(-(-(" + "-(".repeat(20) + "f1_score" + ")".repeat(23) + " >= 0"),
                "rule 3: nested more than 32 deep at column 33 (parentheses and unary minuses)");
    }

    @Test
    public void chainedOperatorsAreCountedOnBothSides() {
        assertOneLine(error("f1_score" + " + 1".repeat(5200) + " >= 0"),
                "rule 3: too long (20813 characters; a rule has at most 1000)");
        assertOneLine(error("f1_score" + "+1".repeat(65) + " >= 0"),
                "rule 3: more than 64 arithmetic operators at column 137, split it into several rules");
        assertOneLine(error("f1_score" + "*1".repeat(40) + " >= 0" + "/1".repeat(25)),
                "rule 3: more than 64 arithmetic operators at column 142, split it into several rules");
    }

    @Test
    public void theLargestRuleWithinTheLimitsParsesAndEvaluates() throws Exception {
        String nested = "(".repeat(16) + "-".repeat(16) + "f1_score" + ")".repeat(16);
        String rule = "warning: " + nested + " + 0".repeat(RuleParser.MAX_OPERATORS) + " >= 0";
        Rule parsed = RuleParser.parse(1, rule);
        GateContext context = GateContext.builder().metric("f1_score", 0.5).build();
        RuleOutcome outcome = Gate.parse(List.of(rule)).evaluate(context, FirstModelPolicy.ABSOLUTE_ONLY).outcomes().get(0);
        assertEquals(RuleStatus.PASSED, outcome.status());
        assertEquals(0.5, outcome.observed(), 0);
        // Written back with only the parentheses it needs: the tree is as deep as its operators.
        assertEquals("-".repeat(16) + "f1_score" + " + 0".repeat(RuleParser.MAX_OPERATORS) + " >= 0", parsed.body().toString());
    }

    @Test
    public void aRuleOfExactlyTheMaximumLengthIsParsed() throws Exception {
        String rule = "f1_score >= " + "0".repeat(RuleParser.MAX_LENGTH - 12);
        assertEquals(RuleParser.MAX_LENGTH, rule.length());
        RuleParser.parse(1, rule);
        assertOneLine(error(rule + "0"), "rule 3: too long (1001 characters; a rule has at most 1000)");
    }
}
