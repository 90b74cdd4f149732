package io.jenkins.plugins.mlstages.gate;

import static io.jenkins.plugins.mlstages.gate.Contexts.evaluate;
import static io.jenkins.plugins.mlstages.gate.Contexts.withChampion;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.RuleStatus;

/** Slices: EU recall 0.75 precision 0.80, US recall 0.81 precision 0.70, APAC recall 0.90 (no precision). */
public class SliceRuleTest {
    private static final double EPS = 1e-12;
    private final GateContext ctx = withChampion().build();

    private void assertLine(String rule, String explanation) throws GateException {
        assertEquals(explanation, evaluate(rule, ctx).explanation());
    }

    @Test
    public void oneSlice() throws Exception {
        RuleOutcome o = evaluate("slice[region=EU].recall_score >= 0.8", ctx);
        assertEquals("FAIL slice[region=EU].recall_score >= 0.8: 0.7500 vs required 0.8000, margin -0.0500", o.explanation());
        assertEquals(0.75, o.observed(), EPS);
        assertNull(o.slice());
        assertLine("slice[region=US].precision_score <= slice[region=EU].precision_score",
                "PASS slice[region=US].precision_score <= slice[region=EU].precision_score: 0.7000 vs required 0.8000, margin +0.1000");
        assertLine("slice[region=APAC].precision_score >= 0.5",
                "FAIL slice[region=APAC].precision_score >= 0.5: cannot evaluate, slice region=APAC has no precision_score");
    }

    @Test
    public void allSlicesPass() throws Exception {
        RuleOutcome o = evaluate("all slices.recall_score >= 0.7", ctx);
        assertEquals("PASS all slices.recall_score >= 0.7: all 3 slices pass, worst region=EU 0.7500 vs required 0.7000, "
                + "margin +0.0500", o.explanation());
        assertEquals(RuleStatus.PASSED, o.status());
        assertEquals("region=EU", o.slice());
        assertEquals(0.75, o.observed(), EPS);
        assertEquals(0.05, o.margin(), EPS);
    }

    @Test
    public void allSlicesFail() throws Exception {
        assertLine("all slices.recall_score >= 0.8", "FAIL all slices.recall_score >= 0.8: 1 of 3 slices fails, "
                + "worst region=EU 0.7500 vs required 0.8000, margin -0.0500");
        assertLine("all slices.recall_score >= 0.95", "FAIL all slices.recall_score >= 0.95: 3 of 3 slices fail, "
                + "worst region=EU 0.7500 vs required 0.9500, margin -0.2000");
    }

    @Test
    public void allSlicesRangesOverTheSlicesThatHaveTheMetric() throws Exception {
        assertLine("all slices.precision_score >= 0.75", "FAIL all slices.precision_score >= 0.75: 1 of 2 slices fails, "
                + "worst region=US 0.7000 vs required 0.7500, margin -0.0500");
        assertLine("all slices.recall_score >= all slices.precision_score",
                "FAIL all slices.recall_score >= all slices.precision_score: 1 of 2 slices fails, "
                        + "worst region=EU 0.7500 vs required 0.8000, margin -0.0500");
        assertLine("all slices.f1_score >= 0.5", "FAIL all slices.f1_score >= 0.5: cannot evaluate, no slice has f1_score");
    }

    @Test
    public void slicesComparedWithOverallAndChampion() throws Exception {
        assertLine("all slices.recall_score >= recall_score * 0.9", "FAIL all slices.recall_score >= recall_score * 0.9: "
                + "1 of 3 slices fails, worst region=EU 0.7500 vs required 0.7650, margin -0.0150");
        RuleOutcome o = evaluate("all slices.recall_score >= champion.recall_score - 0.1", ctx);
        assertEquals("PASS all slices.recall_score >= champion.recall_score - 0.1: all 3 slices pass, "
                + "worst region=EU 0.7500 vs required 0.7000 (champion 0.8000), margin +0.0500", o.explanation());
        assertEquals(0.8, o.champion(), EPS);
    }

    @Test
    public void anySlice() throws Exception {
        RuleOutcome o = evaluate("any slice.recall_score >= 0.85", ctx);
        assertEquals("PASS any slice.recall_score >= 0.85: 1 of 3 slices passes, best region=APAC 0.9000 vs required 0.8500, "
                + "margin +0.0500", o.explanation());
        assertEquals("region=APAC", o.slice());
        assertLine("any slice.recall_score >= 0.8", "PASS any slice.recall_score >= 0.8: 2 of 3 slices pass, "
                + "best region=APAC 0.9000 vs required 0.8000, margin +0.1000");
        assertLine("any slice.recall_score >= 0.95", "FAIL any slice.recall_score >= 0.95: none of the 3 slices passes, "
                + "best region=APAC 0.9000 vs required 0.9500, margin -0.0500");
    }

    @Test
    public void nanSlice() throws Exception {
        Map<String, Double> latam = new LinkedHashMap<>();
        latam.put("recall_score", Double.NaN);
        GateContext c = withChampion().slice("region=LATAM", latam).build();
        RuleOutcome all = evaluate("all slices.recall_score >= 0.7", c);
        assertEquals("FAIL all slices.recall_score >= 0.7: 1 of 4 slices fails, region=LATAM: cannot evaluate, "
                + "slice[region=LATAM].recall_score is NaN (undefined)", all.explanation());
        assertEquals("region=LATAM", all.slice());
        assertNull(all.margin());
        assertEquals("PASS any slice.recall_score >= 0.85: 1 of 4 slices passes, best region=APAC 0.9000 vs required 0.8500, "
                + "margin +0.0500", evaluate("any slice.recall_score >= 0.85", c).explanation());
        GateContext onlyNan = GateContext.builder().slice("region=LATAM", latam).build();
        assertEquals("FAIL any slice.recall_score >= 0.85: the only slice fails, region=LATAM: cannot evaluate, "
                + "slice[region=LATAM].recall_score is NaN (undefined)", evaluate("any slice.recall_score >= 0.85", onlyNan).explanation());
    }

    @Test
    public void singleSlice() throws Exception {
        GateContext c = GateContext.builder().slice("region=EU", Map.of("recall_score", 0.75)).build();
        assertEquals("PASS all slices.recall_score >= 0.7: the only slice passes, worst region=EU 0.7500 vs required 0.7000, "
                + "margin +0.0500", evaluate("all slices.recall_score >= 0.7", c).explanation());
        assertEquals("FAIL all slices.recall_score >= 0.8: 1 of 1 slice fails, worst region=EU 0.7500 vs required 0.8000, "
                + "margin -0.0500", evaluate("all slices.recall_score >= 0.8", c).explanation());
        assertEquals("FAIL any slice.recall_score >= 0.8: the only slice fails, best region=EU 0.7500 vs required 0.8000, "
                + "margin -0.0500", evaluate("any slice.recall_score >= 0.8", c).explanation());
    }

    @Test
    public void quotedSliceValue() throws Exception {
        GateContext c = GateContext.builder().slice("segment=a]b", Map.of("recall_score", 0.75)).build();
        assertEquals("PASS slice[segment=\"a]b\"].recall_score >= 0.7: 0.7500 vs required 0.7000, margin +0.0500",
                evaluate("slice[segment=\"a]b\"].recall_score >= 0.7", c).explanation());
    }

    @Test
    public void worstIsTheFirstOfEqualMargins() throws Exception {
        GateContext c = GateContext.builder().slice("a=1", Map.of("m", 0.5)).slice("a=2", Map.of("m", 0.5)).build();
        assertEquals("a=1", evaluate("all slices.m >= 0.6", c).slice());
        assertEquals("a=1", evaluate("any slice.m >= 0.6", c).slice());
    }
}
