package io.jenkins.plugins.mlstages.gate;

import static io.jenkins.plugins.mlstages.gate.Contexts.candidate;
import static io.jenkins.plugins.mlstages.gate.Contexts.evaluate;
import static io.jenkins.plugins.mlstages.gate.Contexts.withChampion;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.RuleStatus;

public class GateEvaluatorTest {
    private static final double EPS = 1e-12;
    private final GateContext ctx = withChampion().build();

    private RuleOutcome eval(String rule) throws GateException {
        return evaluate(rule, ctx);
    }

    private void assertLine(String rule, String explanation) throws GateException {
        assertEquals(explanation, eval(rule).explanation());
    }

    @Test
    public void explanationOfTheIssueExample() throws Exception {
        RuleOutcome o = eval("f1_score >= champion.f1_score - 0.01");
        assertEquals("PASS f1_score >= champion.f1_score - 0.01: 0.8421 vs required 0.8300 (champion 0.8400), margin +0.0121",
                o.explanation());
        assertEquals(RuleStatus.PASSED, o.status());
        assertEquals(0.8421, o.observed(), EPS);
        assertEquals(0.83, o.required(), EPS);
        assertEquals(0.84, o.champion(), EPS);
        assertEquals(0.0121, o.margin(), EPS);
        assertEquals(">=", o.comparison());
        assertEquals(1, o.number());
        assertEquals("f1_score >= champion.f1_score - 0.01", o.rule());
        assertNull(o.slice());
    }

    @Test
    public void greaterOrEqual() throws Exception {
        assertLine("f1_score >= 0.8", "PASS f1_score >= 0.8: 0.8421 vs required 0.8000, margin +0.0421");
        assertLine("f1_score >= 0.85", "FAIL f1_score >= 0.85: 0.8421 vs required 0.8500, margin -0.0079");
        assertLine("f1_score >= 0.8421", "PASS f1_score >= 0.8421: 0.8421 vs required 0.8421, margin +0.0000");
    }

    @Test
    public void lessOrEqual() throws Exception {
        assertLine("log_loss <= 0.35", "PASS log_loss <= 0.35: 0.3000 vs required 0.3500, margin +0.0500");
        assertLine("log_loss <= 0.25", "FAIL log_loss <= 0.25: 0.3000 vs required 0.2500, margin -0.0500");
        assertLine("log_loss <= 0.3", "PASS log_loss <= 0.3: 0.3000 vs required 0.3000, margin +0.0000");
    }

    @Test
    public void strictComparisonsFailOnEquality() throws Exception {
        assertLine("f1_score > 0.8421", "FAIL f1_score > 0.8421: 0.8421 vs required 0.8421, margin +0.0000");
        assertLine("f1_score > 0.8", "PASS f1_score > 0.8: 0.8421 vs required 0.8000, margin +0.0421");
        assertLine("log_loss < 0.3", "FAIL log_loss < 0.3: 0.3000 vs required 0.3000, margin +0.0000");
        assertLine("log_loss < 0.4", "PASS log_loss < 0.4: 0.3000 vs required 0.4000, margin +0.1000");
    }

    @Test
    public void equality() throws Exception {
        assertLine("accuracy_score == 0.9", "PASS accuracy_score == 0.9: 0.9000 vs required 0.9000, margin +0.0000");
        assertLine("accuracy_score == 0.8", "FAIL accuracy_score == 0.8: 0.9000 vs required 0.8000, margin -0.1000");
        assertLine("accuracy_score != 0.8", "PASS accuracy_score != 0.8: 0.9000 vs required 0.8000, margin +0.1000");
        assertLine("accuracy_score != 0.9", "FAIL accuracy_score != 0.9: 0.9000 vs required 0.9000, margin +0.0000");
        assertLine("example_count == 1000", "PASS example_count == 1000: 1000.0000 vs required 1000.0000, margin +0.0000");
    }

    @Test
    public void relativeToTheChampion() throws Exception {
        assertLine("log_loss <= champion.log_loss * 1.02",
                "PASS log_loss <= champion.log_loss * 1.02: 0.3000 vs required 0.3060 (champion 0.3000), margin +0.0060");
        assertLine("f1_score - champion.f1_score >= 0.01",
                "FAIL f1_score - champion.f1_score >= 0.01: 0.0021 vs required 0.0100 (champion 0.8400), margin -0.0079");
        assertLine("roc_auc / champion.roc_auc >= 1",
                "PASS roc_auc / champion.roc_auc >= 1: 1.0111 vs required 1.0000 (champion 0.9000), margin +0.0111");
    }

    @Test
    public void severalChampionMetricsAreAllShown() throws Exception {
        RuleOutcome o = eval("f1_score - log_loss >= champion.f1_score - champion.log_loss");
        assertEquals("PASS f1_score - log_loss >= champion.f1_score - champion.log_loss: 0.5421 vs required 0.5400 "
                + "(champion f1_score 0.8400, log_loss 0.3000), margin +0.0021", o.explanation());
        assertEquals(0.84, o.champion(), EPS);
    }

    @Test
    public void arithmetic() throws Exception {
        assertLine("(f1_score + accuracy_score) / 2 >= 0.87", "PASS (f1_score + accuracy_score) / 2 >= 0.87: 0.8711 vs required 0.8700, margin +0.0010");
        assertLine("-log_loss >= -0.2", "FAIL -log_loss >= -0.2: -0.3000 vs required -0.2000, margin -0.1000");
        assertLine("2 * precision_score * recall_score / (precision_score + recall_score) >= 0.82",
                "PASS 2 * precision_score * recall_score / (precision_score + recall_score) >= 0.82: 0.8242 vs required 0.8200, margin +0.0042");
    }

    @Test
    public void confidenceBounds() throws Exception {
        RuleOutcome o = eval("f1_score.lower >= champion.f1_score");
        assertEquals("FAIL f1_score.lower >= champion.f1_score: 0.8312 vs required 0.8400 (champion 0.8400), margin -0.0088",
                o.explanation());
        assertEquals(0.8312, o.observed(), EPS);
        assertLine("f1_score.upper >= champion.f1_score",
                "PASS f1_score.upper >= champion.f1_score: 0.8530 vs required 0.8400 (champion 0.8400), margin +0.0130");
        assertLine("f1_score.upper - f1_score.lower <= 0.02",
                "FAIL f1_score.upper - f1_score.lower <= 0.02: 0.0218 vs required 0.0200, margin -0.0018");
        assertLine("roc_auc.lower >= 0.8", "FAIL roc_auc.lower >= 0.8: cannot evaluate, no confidence interval for roc_auc");
    }

    @Test
    public void pairedBootstrap() throws Exception {
        RuleOutcome o = eval("paired(f1_score) >= -0.01");
        assertEquals("PASS paired(f1_score) >= -0.01: -0.0040 vs required -0.0100 (champion 0.8400), margin +0.0060",
                o.explanation());
        assertEquals(-0.004, o.observed(), EPS);
        assertLine("paired(f1_score).upper <= 0.005",
                "FAIL paired(f1_score).upper <= 0.005: 0.0090 vs required 0.0050 (champion 0.8400), margin -0.0040");
        assertLine("paired(f1_score) > 0", "FAIL paired(f1_score) > 0: -0.0040 vs required 0.0000 (champion 0.8400), margin -0.0040");
        assertLine("paired(roc_auc) >= -0.01", "FAIL paired(roc_auc) >= -0.01: cannot evaluate, "
                + "no paired interval for roc_auc (needs the champion's predictions on the same rows)");
    }

    @Test
    public void nanFailsWithAnExplanation() throws Exception {
        GateContext c = withChampion().metric("roc_auc", Double.NaN).build();
        RuleOutcome o = evaluate("roc_auc >= 0.85", c);
        assertEquals("FAIL roc_auc >= 0.85: cannot evaluate, roc_auc is NaN (undefined)", o.explanation());
        assertEquals(RuleStatus.FAILED, o.status());
        assertNull(o.observed());
        assertEquals(0.85, o.required(), EPS);
        assertNull(o.margin());
        assertEquals("FAIL roc_auc != 0.5: cannot evaluate, roc_auc is NaN (undefined)", evaluate("roc_auc != 0.5", c).explanation());
    }

    @Test
    public void nanChampionAndNanInterval() throws Exception {
        GateContext c = candidate().champion(Map.of("roc_auc", Double.NaN)).interval("roc_auc", Double.NaN, Double.NaN)
                .paired("roc_auc", Double.NaN, 0.1).build();
        assertEquals("FAIL roc_auc >= champion.roc_auc: cannot evaluate, champion.roc_auc is NaN (undefined)",
                evaluate("roc_auc >= champion.roc_auc", c).explanation());
        assertEquals("FAIL roc_auc.lower >= 0.8: cannot evaluate, roc_auc.lower is NaN (undefined)",
                evaluate("roc_auc.lower >= 0.8", c).explanation());
        assertEquals("FAIL paired(roc_auc) >= 0: cannot evaluate, paired(roc_auc) is NaN (undefined)",
                evaluate("paired(roc_auc) >= 0", c).explanation());
    }

    @Test
    public void knownMetricWithoutValueFails() throws Exception {
        assertLine("precision_recall_auc >= 0.5",
                "FAIL precision_recall_auc >= 0.5: cannot evaluate, no value for precision_recall_auc");
        assertLine("accuracy_score >= champion.accuracy_score",
                "FAIL accuracy_score >= champion.accuracy_score: cannot evaluate, the champion has no accuracy_score");
    }

    @Test
    public void divisionByZeroFailsWithAnExplanation() throws Exception {
        assertLine("f1_score / (champion.f1_score - 0.84) >= 1",
                "FAIL f1_score / (champion.f1_score - 0.84) >= 1: cannot evaluate, "
                        + "division by zero in 'f1_score / (champion.f1_score - 0.84)' (champion.f1_score - 0.84 is 0)");
        assertLine("f1_score >= 1 / 0", "FAIL f1_score >= 1 / 0: cannot evaluate, division by zero in '1 / 0'");
        RuleOutcome o = eval("f1_score >= 1 / 0");
        assertEquals(0.8421, o.observed(), EPS);
        assertNull(o.required());
    }

    @Test
    public void infinity() throws Exception {
        GateContext c = candidate().metric("log_loss", Double.POSITIVE_INFINITY).build();
        assertEquals("FAIL log_loss <= 1: inf vs required 1.0000, margin -inf", evaluate("log_loss <= 1", c).explanation());
        assertEquals("FAIL log_loss - log_loss >= 0: cannot evaluate, 'log_loss - log_loss' is NaN (inf - inf)",
                evaluate("log_loss - log_loss >= 0", c).explanation());
    }

    @Test
    public void numberFormats() throws Exception {
        GateContext c = GateContext.builder().metric("mean_squared_error", 12345678.9).metric("max_error", 0.00001234).build();
        assertEquals("FAIL mean_squared_error <= 1e7: 1.2346e+07 vs required 1.0000e+07, margin -2345678.9000",
                evaluate("mean_squared_error <= 1e7", c).explanation());
        assertEquals("PASS max_error <= 0.001: 1.2340e-05 vs required 0.0010, margin +9.8766e-04",
                evaluate("max_error <= 0.001", c).explanation());
    }

    @Test
    public void unknownMetricListsTheKnownOnes() throws Exception {
        try {
            Gate.parse(List.of("roc_auc >= 0.85", "f1 >= 0.8")).evaluate(ctx, FirstModelPolicy.FAIL);
            fail();
        } catch (GateException e) {
            assertEquals("unknown metric 'f1' in rule 2; known: accuracy_score, example_count, f1_score, log_loss, "
                    + "precision_recall_auc, precision_score, recall_score, roc_auc", e.getMessage());
        }
    }

    @Test
    public void unknownMetricsAreFoundEverywhere() throws Exception {
        String[] rules = {"champion.f1 >= 0.8", "paired(f1) >= 0", "slice[region=EU].f1 >= 0.8", "all slices.f1 >= 0.8",
            "f1.lower >= 0.8", "threshold(metric=f1, threshold=0.8, greater_is_better=true)", "0.8 <= 2 * f1"};
        for (String rule : rules) {
            try {
                evaluate(rule, ctx);
                fail(rule);
            } catch (GateException e) {
                assertEquals(rule, "unknown metric 'f1' in rule 1; known: accuracy_score, example_count, f1_score, "
                        + "log_loss, precision_recall_auc, precision_score, recall_score, roc_auc", e.getMessage());
            }
        }
    }

    @Test
    public void unknownMetricsAreCheckedBeforeSlices() throws Exception {
        try {
            Gate.parse(List.of("slice[region=XX].recall_score >= 0.8", "f1 >= 0.8")).evaluate(ctx, FirstModelPolicy.FAIL);
            fail();
        } catch (GateException e) {
            assertEquals("unknown metric 'f1' in rule 2; known: accuracy_score, example_count, f1_score, log_loss, "
                    + "precision_recall_auc, precision_score, recall_score, roc_auc", e.getMessage());
        }
    }

    @Test
    public void knownMetricsDefaultToTheNamesInTheContext() throws Exception {
        GateContext c = GateContext.builder().metric("roc_auc", 0.9).champion(Map.of("log_loss", 0.3))
                .interval("f1_score", 0.1, 0.2).paired("brier_score", -0.1, 0.1)
                .slice("a=b", Map.of("recall_score", 0.5)).build();
        assertEquals(List.of("brier_score", "f1_score", "log_loss", "recall_score", "roc_auc"), List.copyOf(c.knownMetrics()));
        try {
            evaluate("accuracy_score >= 0.5", c);
            fail();
        } catch (GateException e) {
            assertEquals("unknown metric 'accuracy_score' in rule 1; known: brier_score, f1_score, log_loss, recall_score, roc_auc",
                    e.getMessage());
        }
        try {
            evaluate("accuracy_score >= 0.5", GateContext.builder().build());
            fail();
        } catch (GateException e) {
            assertEquals("unknown metric 'accuracy_score' in rule 1; known: none (the evaluation has no metrics)", e.getMessage());
        }
    }

    @Test
    public void namesPresentInTheContextAreKnownToo() throws Exception {
        GateContext c = candidate().metric("custom_score", 0.7).build();
        assertEquals("PASS custom_score >= 0.5: 0.7000 vs required 0.5000, margin +0.2000",
                evaluate("custom_score >= 0.5", c).explanation());
    }

    @Test
    public void missingSliceIsAnError() throws Exception {
        try {
            evaluate("slice[region=XX].recall_score >= 0.8", ctx);
            fail();
        } catch (GateException e) {
            assertEquals("no slice 'region=XX' in rule 1; slices: region=EU, region=US, region=APAC", e.getMessage());
        }
        GateContext noSlices = GateContext.builder().metric("recall_score", 0.8).build();
        try {
            evaluate("slice[region=EU].recall_score >= 0.8", noSlices);
            fail();
        } catch (GateException e) {
            assertEquals("no slice 'region=EU' in rule 1; the evaluation has no slices", e.getMessage());
        }
    }

    @Test
    public void quantifierWithoutSlicesIsAnError() throws Exception {
        GateContext noSlices = GateContext.builder().metric("recall_score", 0.8).build();
        try {
            evaluate("all slices.recall_score >= 0.8", noSlices);
            fail();
        } catch (GateException e) {
            assertEquals("rule 1 uses 'all slices' but the evaluation has no slices", e.getMessage());
        }
        try {
            evaluate("recall_score <= any slice.recall_score", noSlices);
            fail();
        } catch (GateException e) {
            assertEquals("rule 1 uses 'any slice' but the evaluation has no slices", e.getMessage());
        }
    }

    @Test
    public void syntaxErrorsComeFromGateParse() {
        try {
            Gate.parse(List.of("roc_auc >= 0.85", "f1_score >> 0.8"));
            fail();
        } catch (RuleSyntaxException e) {
            assertEquals(2, e.getRuleNumber());
        } catch (GateException e) {
            fail(e.getMessage());
        }
    }

    @Test
    public void noRulesIsAnError() {
        try {
            Gate.parse(List.of());
            fail();
        } catch (GateException e) {
            assertEquals("no rules: a gate needs at least one rule, such as roc_auc >= 0.85", e.getMessage());
        }
    }

    @Test
    public void outcomesKeepRuleOrderAndNumbers() throws Exception {
        GateResult r = Gate.parse(List.of("roc_auc >= 0.85", "warning: log_loss <= 0.2", "f1_score >= 0.9"))
                .evaluate(ctx, FirstModelPolicy.FAIL);
        assertEquals(List.of(1, 2, 3), r.outcomes().stream().map(RuleOutcome::number).collect(java.util.stream.Collectors.toList()));
        assertEquals(List.of("PASS roc_auc >= 0.85: 0.9100 vs required 0.8500, margin +0.0600",
                "FAIL warning: log_loss <= 0.2: 0.3000 vs required 0.2000, margin -0.1000",
                "FAIL f1_score >= 0.9: 0.8421 vs required 0.9000, margin -0.0579"), r.explanations());
    }
}
