package io.jenkins.plugins.mlstages.gate;

import static io.jenkins.plugins.mlstages.gate.Contexts.candidate;
import static io.jenkins.plugins.mlstages.gate.Contexts.evaluate;
import static io.jenkins.plugins.mlstages.gate.Contexts.withChampion;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.RuleStatus;
import io.jenkins.plugins.mlstages.report.Status;

public class FirstModelPolicyTest {
    private static final double EPS = 1e-12;
    private static final String RELATIVE = "f1_score >= champion.f1_score - 0.01";
    private static final String THRESHOLD_AND_CHANGE =
            "threshold(metric=f1_score, threshold=0.8, min_absolute_change=0.01, greater_is_better=true)";
    private final GateContext first = candidate().build();

    @Test
    public void passPolicy() throws Exception {
        RuleOutcome o = evaluate(RELATIVE, first, FirstModelPolicy.PASS);
        assertEquals("PASS f1_score >= champion.f1_score - 0.01: no champion yet, passes under first-model policy pass "
                + "(observed 0.8421)", o.explanation());
        assertEquals(RuleStatus.PASSED, o.status());
        assertEquals(0.8421, o.observed(), EPS);
        assertNull(o.required());
        assertNull(o.champion());
        assertNull(o.margin());
    }

    @Test
    public void failPolicy() throws Exception {
        RuleOutcome o = evaluate(RELATIVE, first, FirstModelPolicy.FAIL);
        assertEquals("FAIL f1_score >= champion.f1_score - 0.01: no champion yet, fails under first-model policy fail "
                + "(observed 0.8421)", o.explanation());
        assertEquals(RuleStatus.FAILED, o.status());
        assertEquals(Status.FAILED, o.verdict());
    }

    @Test
    public void absoluteOnlyPolicy() throws Exception {
        RuleOutcome o = evaluate(RELATIVE, first, FirstModelPolicy.ABSOLUTE_ONLY);
        assertEquals("SKIP f1_score >= champion.f1_score - 0.01: no champion yet, skipped under first-model policy "
                + "absolute-only (observed 0.8421)", o.explanation());
        assertEquals(RuleStatus.SKIPPED, o.status());
        assertEquals(Status.PASSED, o.verdict());
    }

    @Test
    public void absoluteRulesAreEvaluatedUnderEveryPolicy() throws Exception {
        for (FirstModelPolicy policy : FirstModelPolicy.values()) {
            assertEquals("FAIL roc_auc >= 0.95: 0.9100 vs required 0.9500, margin -0.0400",
                    evaluate("roc_auc >= 0.95", first, policy).explanation());
            assertEquals("PASS all slices.recall_score >= 0.7: all 3 slices pass, worst region=EU 0.7500 vs required 0.7000, "
                    + "margin +0.0500", evaluate("all slices.recall_score >= 0.7", first, policy).explanation());
        }
    }

    @Test
    public void pairedNeedsTheChampionsPredictionsOnly() throws Exception {
        // The paired interval comes from the champion's predictions on the same rows: that is the champion.
        GateContext c = candidate().paired("f1_score", -0.004, 0.009).build();
        assertEquals("PASS paired(f1_score) >= -0.01: -0.0040 vs required -0.0100, margin +0.0060",
                evaluate("paired(f1_score) >= -0.01", c, FirstModelPolicy.ABSOLUTE_ONLY).explanation());
        GateContext without = candidate().build();
        assertEquals("SKIP paired(f1_score) >= -0.01: no champion yet, skipped under first-model policy absolute-only",
                evaluate("paired(f1_score) >= -0.01", without, FirstModelPolicy.ABSOLUTE_ONLY).explanation());
    }

    @Test
    public void observedIsLeftOutWhenTheLeftSideNeedsTheChampionOrSlices() throws Exception {
        RuleOutcome o = evaluate("champion.log_loss >= log_loss", first, FirstModelPolicy.PASS);
        assertEquals("PASS champion.log_loss >= log_loss: no champion yet, passes under first-model policy pass", o.explanation());
        assertNull(o.observed());
        assertEquals("FAIL all slices.recall_score >= champion.recall_score: no champion yet, fails under first-model policy fail",
                evaluate("all slices.recall_score >= champion.recall_score", first, FirstModelPolicy.FAIL).explanation());
        GateContext nan = candidate().metric("f1_score", Double.NaN).build();
        assertEquals("PASS f1_score >= champion.f1_score - 0.01: no champion yet, passes under first-model policy pass",
                evaluate(RELATIVE, nan, FirstModelPolicy.PASS).explanation());
    }

    @Test
    public void thresholdWithChangesUnderEachPolicy() throws Exception {
        assertEquals("PASS " + THRESHOLD_AND_CHANGE + ": 0.8421 vs required 0.8000, margin +0.0421; "
                + "no champion yet, min_absolute_change passes under first-model policy pass",
                evaluate(THRESHOLD_AND_CHANGE, first, FirstModelPolicy.PASS).explanation());
        // MLflow's validate_evaluation_results without a baseline fails the comparison (missing_baseline)
        RuleOutcome failed = evaluate(THRESHOLD_AND_CHANGE, first, FirstModelPolicy.FAIL);
        assertEquals("FAIL " + THRESHOLD_AND_CHANGE + ": 0.8421 vs required 0.8000, margin +0.0421; "
                + "no champion yet, min_absolute_change fails under first-model policy fail", failed.explanation());
        assertEquals(RuleStatus.FAILED, failed.status());
        RuleOutcome absolute = evaluate(THRESHOLD_AND_CHANGE, first, FirstModelPolicy.ABSOLUTE_ONLY);
        assertEquals("PASS " + THRESHOLD_AND_CHANGE + ": 0.8421 vs required 0.8000, margin +0.0421; "
                + "no champion yet, min_absolute_change skipped under first-model policy absolute-only", absolute.explanation());
        assertEquals(RuleStatus.PASSED, absolute.status());
        assertEquals(0.8, absolute.required(), EPS);
    }

    @Test
    public void thresholdPartStillDecidesWithoutChampion() throws Exception {
        String rule = "threshold(metric=f1_score, threshold=0.9, min_absolute_change=0.01, min_relative_change=0.02, "
                + "greater_is_better=true)";
        for (FirstModelPolicy policy : List.of(FirstModelPolicy.PASS, FirstModelPolicy.ABSOLUTE_ONLY)) {
            RuleOutcome o = evaluate(rule, first, policy);
            assertEquals(RuleStatus.FAILED, o.status());
            assertEquals(-0.0579, o.margin(), EPS);
        }
        assertEquals("FAIL " + rule + ": 0.8421 vs required 0.9000, margin -0.0579; no champion yet, "
                + "min_absolute_change and min_relative_change pass under first-model policy pass",
                evaluate(rule, first, FirstModelPolicy.PASS).explanation());
    }

    @Test
    public void thresholdWithOnlyChangesFollowsThePolicyLikeAComparison() throws Exception {
        String rule = "threshold(metric=f1_score, min_relative_change=0.02, greater_is_better=true)";
        assertEquals("SKIP " + rule + ": no champion yet, skipped under first-model policy absolute-only (observed 0.8421)",
                evaluate(rule, first, FirstModelPolicy.ABSOLUTE_ONLY).explanation());
        assertEquals(Status.FAILED, evaluate(rule, first, FirstModelPolicy.FAIL).verdict());
        assertEquals(Status.PASSED, evaluate(rule, first, FirstModelPolicy.PASS).verdict());
    }

    @Test
    public void policyIsIgnoredWhenThereIsAChampion() throws Exception {
        GateContext c = withChampion().build();
        for (FirstModelPolicy policy : FirstModelPolicy.values()) {
            assertEquals("PASS f1_score >= champion.f1_score - 0.01: 0.8421 vs required 0.8300 (champion 0.8400), margin +0.0121",
                    evaluate(RELATIVE, c, policy).explanation());
        }
    }

    @Test
    public void resultRecordsChampionAndPolicy() throws Exception {
        GateResult without = Gate.parse(List.of(RELATIVE)).evaluate(first, FirstModelPolicy.ABSOLUTE_ONLY);
        assertFalse(without.championPresent());
        assertEquals(FirstModelPolicy.ABSOLUTE_ONLY, without.policy());
        assertEquals(Status.PASSED, without.verdict());
        assertEquals(1, without.count(RuleStatus.SKIPPED));
        GateResult with = Gate.parse(List.of(RELATIVE)).evaluate(withChampion().build(), FirstModelPolicy.ABSOLUTE_ONLY);
        assertTrue(with.championPresent());
    }

    @Test
    public void emptyOptionalMeansNoChampion() throws Exception {
        GateContext c = candidate().champion(Optional.empty()).build();
        assertFalse(c.champion().isPresent());
        assertEquals(RuleStatus.SKIPPED, evaluate(RELATIVE, c, FirstModelPolicy.ABSOLUTE_ONLY).status());
    }

    @Test
    public void parse() {
        assertEquals(FirstModelPolicy.PASS, FirstModelPolicy.parse("pass"));
        assertEquals(FirstModelPolicy.FAIL, FirstModelPolicy.parse(" FAIL "));
        assertEquals(FirstModelPolicy.ABSOLUTE_ONLY, FirstModelPolicy.parse("absolute-only"));
        assertEquals(FirstModelPolicy.ABSOLUTE_ONLY, FirstModelPolicy.parse("Absolute_Only"));
        assertEquals("absolute-only", FirstModelPolicy.ABSOLUTE_ONLY.toString());
        try {
            FirstModelPolicy.parse("skip");
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("unknown first-model policy 'skip': use pass, fail or absolute-only", e.getMessage());
        }
    }
}
