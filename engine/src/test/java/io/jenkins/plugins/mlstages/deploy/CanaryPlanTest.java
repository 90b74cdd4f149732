package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.Test;

/** Plans, checks and durations refuse what makes no sense, with a message naming it. */
public class CanaryPlanTest {
    static final AnalysisCheck CHECK = AnalysisCheck.absolute("error_rate", "q", null, 0.01);

    private static String refused(List<Integer> steps) {
        return assertThrows(IllegalArgumentException.class,
                () -> CanaryPlan.of("m", "2", steps, Duration.ofSeconds(1), List.of())).getMessage();
    }

    @Test
    public void stepsMustRiseToOneHundred() {
        assertEquals("step weights must strictly increase, got [10, 10, 100]", refused(List.of(10, 10, 100)));
        assertEquals("the last step must be 100 (the promotion), got [10, 50]", refused(List.of(10, 50)));
        assertEquals("step weights are percentages from 1 to 100, got 0 in [0, 100]", refused(List.of(0, 100)));
        assertEquals("step weights are percentages from 1 to 100, got 150 in [50, 150]", refused(List.of(50, 150)));
        assertEquals("the canary needs at least one step, e.g. 10,50,100", refused(List.of()));
    }

    @Test
    public void limitsAliasesAndIntervalsAreChecked() {
        CanaryPlan plan = CanaryPlan.of("m", "2", List.of(10, 100), Duration.ofSeconds(30), List.of(CHECK));
        assertThrows(IllegalArgumentException.class, () -> plan.withFailureLimit(0));
        assertThrows(IllegalArgumentException.class, () -> plan.withAnalysesPerStep(0));
        assertThrows(IllegalArgumentException.class, () -> plan.withInconclusive(0, InconclusivePolicy.ROLLBACK, null));
        assertEquals("the champion and previous aliases must differ, both are 'prod'",
                assertThrows(IllegalArgumentException.class, () -> plan.withAliases("prod", "prod")).getMessage());
        assertEquals("canary refused: alias 'latest' is reserved by MLflow",
                assertThrows(IllegalArgumentException.class, () -> plan.withAliases("latest", "previous")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CanaryPlan.of("m", "2", List.of(100), Duration.ZERO, List.of()));
        assertEquals("two analysis checks are named 'error_rate'", assertThrows(IllegalArgumentException.class,
                () -> CanaryPlan.of("m", "2", List.of(100), Duration.ofSeconds(1), List.of(CHECK, CHECK))).getMessage());
        assertEquals(Duration.ofMinutes(5), plan.withInconclusive(2, InconclusivePolicy.HOLD, null).holdTimeout());
        assertNull(plan.withInconclusive(2, InconclusivePolicy.ROLLBACK, Duration.ofMinutes(1)).holdTimeout());
        assertEquals(Duration.ofSeconds(10), plan.withAnalysesPerStep(3).analysisSpacing());
    }

    @Test
    public void eachRefusalNamesItsSettingAsTheJenkinsfileDoes() {
        CanaryPlan plan = CanaryPlan.of("m", "2", List.of(10, 100), Duration.ofSeconds(30), List.of(CHECK));
        assertEquals("model", setting(() -> CanaryPlan.of(" ", "2", List.of(100), Duration.ofSeconds(1), List.of())));
        assertEquals("version", setting(() -> CanaryPlan.of("m", "", List.of(100), Duration.ofSeconds(1), List.of())));
        assertEquals("steps", setting(() -> CanaryPlan.of("m", "2", List.of(50), Duration.ofSeconds(1), List.of())));
        assertEquals("interval", setting(() -> CanaryPlan.of("m", "2", List.of(100), Duration.ofSeconds(-1), List.of())));
        assertEquals("analysis", setting(() -> CanaryPlan.of("m", "2", List.of(100), Duration.ofSeconds(1), List.of(CHECK, CHECK))));
        assertEquals("analysesPerStep", setting(() -> plan.withAnalysesPerStep(0)));
        assertEquals("failureLimit", setting(() -> plan.withFailureLimit(0)));
        assertEquals("inconclusiveLimit", setting(() -> plan.withInconclusive(0, InconclusivePolicy.HOLD, null)));
        assertEquals("holdTimeout", setting(() -> plan.withInconclusive(1, InconclusivePolicy.HOLD, Duration.ZERO)));
        assertEquals("championAlias", setting(() -> plan.withAliases("latest", "previous")));
        assertEquals("previousAlias", setting(() -> plan.withAliases("champion", "v2")));
        assertEquals(CanarySettingException.ALIASES, setting(() -> plan.withAliases("prod", "prod")));
        assertEquals("onInconclusive", setting(() -> InconclusivePolicy.parse("wait")));
    }

    private static String setting(org.junit.function.ThrowingRunnable refused) {
        return assertThrows(CanarySettingException.class, refused).setting();
    }

    @Test
    public void checksNeedABoundAndJudgeByIt() {
        assertEquals("analysis check 'x' needs a min or a max bound",
                assertThrows(IllegalArgumentException.class, () -> AnalysisCheck.absolute("x", "q", null, null)).getMessage());
        assertEquals("analysis check 'x': min 2.0 is above max 1.0",
                assertThrows(IllegalArgumentException.class, () -> AnalysisCheck.absolute("x", "q", 2.0, 1.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AnalysisCheck.absolute("bad name", "q", 0.0, null));
        assertThrows(IllegalArgumentException.class, () -> AnalysisCheck.absolute("x", " ", 0.0, null));
        assertThrows(IllegalArgumentException.class, () -> AnalysisCheck.absolute("x", "q", Double.NaN, null));

        AnalysisCheck range = AnalysisCheck.absolute("x", "q", 0.1, 0.3);
        assertEquals(CheckVerdict.PASS, range.judge(OptionalDouble.of(0.1), OptionalDouble.empty()).verdict());
        assertEquals(CheckVerdict.PASS, range.judge(OptionalDouble.of(0.3), OptionalDouble.empty()).verdict());
        assertEquals(CheckVerdict.FAIL, range.judge(OptionalDouble.of(0.0999), OptionalDouble.empty()).verdict());
        assertEquals(CheckVerdict.FAIL, range.judge(OptionalDouble.of(Double.POSITIVE_INFINITY), OptionalDouble.empty()).verdict());
        assertEquals(CheckVerdict.INCONCLUSIVE, range.judge(OptionalDouble.of(Double.NaN), OptionalDouble.empty()).verdict());
        assertEquals("0.1 <= value <= 0.3", range.bounds());

        AnalysisCheck relative = AnalysisCheck.relative("p95", "c", "s", null, 0.05);
        CheckResult slower = relative.judge(OptionalDouble.of(0.30), OptionalDouble.of(0.20));
        assertEquals(0.10, slower.value(), 1e-12);
        assertEquals(CheckVerdict.FAIL, slower.verdict());
        assertEquals("p95 0.1 (canary 0.3, stable 0.2) [<= 0.05] FAIL", slower.line());
        CheckResult noStable = relative.judge(OptionalDouble.of(0.30), OptionalDouble.empty());
        assertEquals(CheckVerdict.INCONCLUSIVE, noStable.verdict());
        assertEquals("the stable query returned no data", noStable.error());
        assertEquals("canary - stable <= 0.05", relative.bounds());
    }

    @Test
    public void durationsAsPeopleWriteThem() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("PT45S"));
        assertEquals("'30' is not a duration: use e.g. 30s, 5m, 1m30s, 500ms or PT30S",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("30")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("30x"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("s30"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
        assertEquals("30 s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("2 min 30 s", Durations.format(Duration.ofSeconds(150)));
        assertEquals("250 ms", Durations.format(Duration.ofMillis(250)));
    }

    @Test
    public void numbersInLogLinesAreShortAndExact() {
        assertEquals("0.002", AnalysisCheck.format(0.002));
        assertEquals("0", AnalysisCheck.format(0.0));
        assertEquals("1500", AnalysisCheck.format(1500.0));
        assertEquals("0.333333", AnalysisCheck.format(1 / 3.0));
        assertEquals("1.5e-07", AnalysisCheck.format(1.5e-7));
        assertEquals("no data", AnalysisCheck.format(null));
    }
}
