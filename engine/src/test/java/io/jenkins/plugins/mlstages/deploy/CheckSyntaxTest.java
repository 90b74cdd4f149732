package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** The check syntax of the CLI and the Jenkinsfile. */
public class CheckSyntaxTest {
    static final String RATIO = "sum(rate(http_requests_total{version=\"canary\",code=~\"5..|4..\"}[1m])) "
            + "/ sum(rate(http_requests_total{version=\"canary\"}[1m]))";

    @Test
    public void boundsAtTheEnd() {
        AnalysisCheck max = CheckSyntax.parse("error_rate: " + RATIO + " <= 0.01");
        assertEquals("error_rate", max.name());
        assertEquals(RATIO, max.query());
        assertNull(max.min());
        assertEquals(0.01, max.max(), 0);

        AnalysisCheck min = CheckSyntax.parse("throughput:   sum(rate(x[1m]))>=1e-3");
        assertEquals("sum(rate(x[1m]))", min.query());
        assertEquals(0.001, min.min(), 0);
        assertNull(min.max());

        AnalysisCheck range = CheckSyntax.parse("score.mean: -0.5 <= avg(score{v=\"2\"}) - 1 <= .5");
        assertEquals("avg(score{v=\"2\"}) - 1", range.query());
        assertEquals(-0.5, range.min(), 0);
        assertEquals(0.5, range.max(), 0);
    }

    @Test
    public void recordingRuleNamesWithColonsAreNotCheckNames() {
        AnalysisCheck check = CheckSyntax.parse("errors: job:errors:ratio_rate1m <= 0.02");
        assertEquals("job:errors:ratio_rate1m", check.query());
        assertEquals("analysis check 'job:errors:ratio_rate1m <= 0.02' has no name: write 'NAME: QUERY <= MAX', "
                + "'NAME: QUERY >= MIN' or 'NAME: MIN <= QUERY <= MAX'", assertThrows(IllegalArgumentException.class,
                        () -> CheckSyntax.parse("job:errors:ratio_rate1m <= 0.02")).getMessage());
    }

    @Test
    public void stableQueriesMakeChecksRelative() {
        List<AnalysisCheck> checks = CheckSyntax.parse(List.of("p95: p95{v=\"canary\"} <= 0.05", "errors: e <= 0.01"),
                List.of("p95: p95{v=\"stable\"}"));
        assertEquals("p95{v=\"stable\"}", checks.get(0).stableQuery());
        assertNull(checks.get(1).stableQuery());
        assertEquals("two stable queries for analysis check 'p95'", assertThrows(IllegalArgumentException.class,
                () -> CheckSyntax.parse(List.of("p95: a <= 1"), List.of("p95: b", "p95: c"))).getMessage());
    }

    @Test
    public void mistakesAreNamed() {
        assertEquals("analysis check 'e' has no bound at its end: write 'NAME: QUERY <= MAX', 'NAME: QUERY >= MIN' or "
                + "'NAME: MIN <= QUERY <= MAX'", assertThrows(IllegalArgumentException.class,
                        () -> CheckSyntax.parse("e: rate(x[1m])")).getMessage());
        assertEquals("analysis check 'e': bounds are inclusive, use <= or >= (write 'NAME: QUERY <= MAX', "
                + "'NAME: QUERY >= MIN' or 'NAME: MIN <= QUERY <= MAX')",
                assertThrows(IllegalArgumentException.class, () -> CheckSyntax.parse("e: x > 1")).getMessage());
        assertEquals("analysis check 'e': min 2.0 is above max 1.0",
                assertThrows(IllegalArgumentException.class, () -> CheckSyntax.parse("e: 2 <= x <= 1")).getMessage());
        assertEquals("analysis check 'e': bound 1e999 is not a finite number",
                assertThrows(IllegalArgumentException.class, () -> CheckSyntax.parse("e: x <= 1e999")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CheckSyntax.parse("e: <= 1"));
    }

    @Test
    public void mistakesNameTheSettingTheyComeFrom() {
        assertEquals("analysis", assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parse(List.of("e: x > 1"), List.of())).setting());
        assertEquals("analysis", assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parse(List.of("e: 2 <= x <= 1"), List.of())).setting());
        assertEquals("stableQuery", assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parse(List.of("e: x <= 1"), List.of("f: y"))).setting());
        assertEquals("stableQuery", assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parse(List.of("e: x <= 1"), List.of("e: y", "e: z"))).setting());
        assertEquals("stableQuery", assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parse(List.of("e: x <= 1"), List.of("no name"))).setting());
    }

    @Test
    public void aHugeCheckOrStableQueryIsRefusedInOneLineWithoutBacktrackingThroughIt() {
        String huge = "error_rate: " + "sum(rate(x[1m])) + ".repeat(60_000) + "1 <= 0.01";
        long start = System.nanoTime();
        CanarySettingException e = assertThrows(CanarySettingException.class, () -> CheckSyntax.parse(huge));
        assertEquals("analysis check 'error_rate' is " + huge.length() + " characters long; at most 4096 are accepted", e.getMessage());
        assertEquals("analysis", e.setting());
        CanarySettingException nameless = assertThrows(CanarySettingException.class, () -> CheckSyntax.parse("(".repeat(100_000)));
        assertEquals("an analysis check is 100000 characters long; at most 4096 are accepted", nameless.getMessage());
        CanarySettingException stable = assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parse(List.of("p95: x <= 1"), List.of("p95: " + "y".repeat(5000))));
        assertEquals("stable query 'p95' is 5005 characters long; at most 4096 are accepted", stable.getMessage());
        assertEquals("stableQuery", stable.setting());
        assertTrue("took " + (System.nanoTime() - start) / 1_000_000 + " ms", System.nanoTime() - start < 2_000_000_000L);
        String longest = "error_rate: " + "x".repeat(CheckSyntax.MAX_LENGTH - 20) + " <= 0.01";
        assertEquals(CheckSyntax.MAX_LENGTH, longest.length());
        assertEquals(0.01, CheckSyntax.parse(longest).max(), 0);
    }
}
