package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.deploy.behaviour.Answer;
import io.jenkins.plugins.mlstages.deploy.behaviour.ModelEndpoint;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * Blue/green on the canary's driver with in-memory ports and a virtual clock: smoke checks against green, the
 * switch 0 -> 100, the analysis window, the switch back, and kill -9 plus resume at every saved transition.
 */
public class BlueGreenRunTest {
    static final String ERRORS = CanaryRunTest.ERRORS;
    static final Duration WINDOW = Duration.ofMinutes(10);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    TestTime time;
    Fakes.Router router;
    Fakes.Metrics metrics;
    Fakes.Aliases aliases;
    Fakes.Store store;
    Path smokeFile;
    /** What green answers to each request (by its JSON text). */
    Function<String, Answer> green = request -> request.contains("\"amount\":9800") ? Answer.ofScore(0.94, 5)
            : Answer.ofLabel("legit", 5);
    final List<String> lines = new ArrayList<>();
    int smokeRuns;
    int files;

    @Before
    public void setUp() throws Exception {
        time = new TestTime();
        router = new Fakes.Router(0);
        metrics = new Fakes.Metrics(router);
        aliases = new Fakes.Aliases();
        aliases.aliases.put("champion", "1");
        newStore();
        smokeFile = folder.newFile("smoke.jsonl").toPath();
        Files.writeString(smokeFile, "{\"request\": {\"amount\": 12.5}, \"expected\": \"legit\"}\n"
                + "{\"request\": {\"amount\": 9800}, \"expected\": 0.93, \"tolerance\": 0.05}\n");
    }

    void newStore() {
        store = new Fakes.Store(folder.getRoot().toPath().resolve("bg-state-" + ++files + ".json"));
    }

    CanaryRun run() {
        StageLog log = new StageLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void progress(String task, double share, String detail) {
            }
        };
        ModelEndpoint endpoint = new ModelEndpoint() {
            @Override
            public Answer answer(String row) {
                return green.apply(row);
            }

            @Override
            public String describe() {
                return "green";
            }
        };
        SmokeSource smoke = plan -> {
            smokeRuns++;
            return plan.read().run(endpoint);
        };
        return new CanaryRun(store, router, metrics, aliases, log, time, time, new Backoff(3, Duration.ofSeconds(1),
                Duration.ofSeconds(4)), BehaviourSource.PROBE, smoke);
    }

    CanaryPlan plan(int analyses, int failureLimit) {
        return CanaryPlan.blueGreen("fraud", "2", new SmokePlan(smokeFile.toString(), "http://green:8080", null), WINDOW,
                analyses, List.of(CanaryRunTest.errorRate()), failureLimit, 2, null, null, null);
    }

    @Test
    public void aGoodGreenIsSmokedSwitchedAtOnceWatchedForTheWindowAndPromoted() throws Exception {
        metrics.constant(ERRORS, 0.002);
        CanaryResult result = run().start(plan(2, 1));

        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals("blue-green", result.stage());
        assertEquals(List.of(100), router.applied);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases.aliases);
        assertEquals(WINDOW, time.elapsed());
        assertEquals(List.of("started", "smoke", "switching", "weight", "analysis", "analysis", "promoting", "promoted"),
                events(result));
        TimelineEvent smoke = result.timeline().get(1);
        assertEquals(CheckVerdict.PASS, smoke.verdict());
        assertEquals(List.of("smoke line 1", "smoke line 2"), smoke.analyses().stream().map(CheckResult::check).toList());
        assertEquals(0.94, smoke.analyses().get(1).value(), 0);
        assertEquals(0.88, smoke.analyses().get(1).min(), 1e-9);
        assertTrue(lines.toString(), lines.contains("blue-green: smoke checks: PASS (2 of 2 passed); switching all traffic to green now"));
        assertEquals(1, smokeRuns);
    }

    @Test
    public void aWrongLabelFailsTheSmokeChecksAndTrafficNeverLeavesBlue() throws Exception {
        green = request -> Answer.ofLabel("fraud", 5);
        CanaryResult result = run().start(plan(1, 1));

        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(Status.FAILED, result.status());
        assertEquals("router set to 0 only (blue keeps all traffic)", List.of(0), router.applied);
        assertEquals(Map.of("champion", "1"), aliases.aliases);
        assertTrue(result.reason(), result.reason().startsWith("smoke checks failed: smoke line 1"));
        assertTrue(result.reason(), result.reason().contains("expected the label 'legit', got 'fraud'"));
        assertEquals(Duration.ZERO, time.elapsed());
        assertTrue(metrics.asked.isEmpty());
        assertEquals(2L, result.findings().stream().filter(f -> f.check().equals("blue-green.smoke")).count());
    }

    @Test
    public void aScoreOutsideItsToleranceFailsTheSmokeChecks() throws Exception {
        green = request -> request.contains("9800") ? Answer.ofScore(0.70, 5) : Answer.ofLabel("legit", 5);
        CanaryResult result = run().start(plan(1, 1));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertTrue(result.reason(), result.reason().contains("smoke line 2 0.7 [0.88..0.98] FAIL"));
    }

    @Test
    public void aGreenThatDoesNotAnswerFailsTheSmokeChecks() throws Exception {
        green = request -> Answer.failed(503, "HTTP 503", 5);
        CanaryResult result = run().start(plan(1, 1));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(List.of(0), router.applied);
    }

    @Test
    public void anUnreadableSmokeFileIsNoEvidenceAndRollsBack() throws Exception {
        CanaryPlan plan = plan(1, 1);
        Files.writeString(smokeFile, "{\"request\": {\"amount\": 1}}\n");
        CanaryResult result = run().start(plan);
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("smoke checks had no answer"));
        assertTrue(result.reason(), result.reason().contains("line 1: \"expected\" must be"));
    }

    @Test
    public void aFailingWindowSwitchesBackToBlueAtOnce() throws Exception {
        metrics.of(ERRORS, (at, weight) -> java.util.OptionalDouble.of(weight == 100 ? 0.2 : 0.001));
        CanaryResult result = run().start(plan(3, 1));

        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(List.of(100, 0), router.applied);
        assertEquals(0, router.weight);
        assertEquals(Map.of("champion", "1"), aliases.aliases);
        // the first analysis, a third into the window, failed: no waiting for the rest of the window
        assertEquals(WINDOW.dividedBy(3), time.elapsed());
        assertTrue(result.reason(), result.reason().startsWith("1 failed analysis (failure limit 1): error_rate 0.2"));
    }

    @Test
    public void aFailureBelowTheLimitExtendsTheWindowByOneAnalysis() throws Exception {
        int[] calls = {0};
        metrics.of(ERRORS, (at, weight) -> java.util.OptionalDouble.of(++calls[0] == 2 ? 0.5 : 0.001));
        CanaryResult result = run().start(plan(2, 2));
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals(WINDOW.dividedBy(2).multipliedBy(3), time.elapsed());
    }

    @Test
    public void noDataInTheWindowRollsBackAtTheInconclusiveLimit() throws Exception {
        metrics.empty(ERRORS);
        CanaryResult result = run().start(plan(2, 1));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(List.of(100, 0), router.applied);
    }

    @Test
    public void aRouterThatCannotSwitchLeavesBlueServing() throws Exception {
        metrics.constant(ERRORS, 0.002);
        router.setFails.between(1, 3);
        CanaryResult result = run().start(plan(1, 1));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(0, router.weight);
        assertEquals(Map.of("champion", "1"), aliases.aliases);
    }

    @Test
    public void abortDuringTheWindowSwitchesBack() throws Exception {
        metrics.constant(ERRORS, 0.002);
        store.crashAfter = 4; // started, smoked, switching... then the weight confirmed: the window runs
        assertThrows(Fakes.Crash.class, () -> run().start(plan(2, 1)));
        assertEquals(100, router.weight);
        assertEquals(CanaryPhase.PROGRESSING, store.load().phase());
        store.crashAfter = Integer.MAX_VALUE;
        CanaryResult result = run().abort("aborted by request");
        assertEquals(CanaryVerdict.ABORTED, result.verdict());
        assertEquals(0, router.weight);
        assertEquals(Map.of("champion", "1"), aliases.aliases);
    }

    @Test
    public void abortBeforeTheSmokeChecksRanLeavesBlueAndRunsNoSmoke() throws Exception {
        store.crashAfter = 1;
        assertThrows(Fakes.Crash.class, () -> run().start(plan(1, 1)));
        assertEquals(CanaryPhase.SMOKE, store.load().phase());
        store.crashAfter = Integer.MAX_VALUE;
        CanaryResult result = run().abort("aborted by request");
        assertEquals(CanaryVerdict.ABORTED, result.verdict());
        assertEquals(0, smokeRuns);
        assertEquals(List.of(0), router.applied);
    }

    /**
     * kill -9 right after each save of a good, a smoke-failing and a window-failing run (every phase: SMOKE,
     * PROGRESSING before and after the switch, PROMOTING, ROLLING_BACK): a resume ends where the uninterrupted run
     * ends, with router and aliases agreeing with the verdict.
     */
    @Test
    public void killedAfterAnySaveAResumeEndsConsistently() throws Exception {
        for (String scenario : List.of("good", "smoke fails", "window fails")) {
            int saves = uninterruptedSaves(scenario);
            for (int crashAt = 1; crashAt < saves; crashAt++) {
                reset(scenario);
                store.crashAfter = crashAt;
                String label = scenario + ", killed after save " + crashAt + " of " + saves;
                try {
                    run().start(plan(2, 1));
                    throw new AssertionError(label + ": no crash");
                } catch (Fakes.Crash expected) {
                    // as kill -9: the state file holds the last transition
                }
                CanaryPhase phaseAtKill = store.load().phase();
                store.crashAfter = Integer.MAX_VALUE;
                CanaryResult result = run().resume();
                CanaryVerdict expected = scenario.equals("good") ? CanaryVerdict.PROMOTED : CanaryVerdict.ROLLED_BACK;
                assertEquals(label + " (killed in " + phaseAtKill + ")", expected, result.verdict());
                assertEquals(label, expected == CanaryVerdict.PROMOTED ? 100 : 0, router.weight);
                assertEquals(label, expected == CanaryVerdict.PROMOTED ? Map.of("champion", "2", "previous", "1")
                        : Map.of("champion", "1"), aliases.aliases);
                assertTrue(label, store.load().isDone());
                if (scenario.equals("smoke fails")) {
                    assertTrue(label + ": green never got traffic " + router.applied, router.applied.stream().allMatch(w -> w == 0));
                }
            }
        }
    }

    private int uninterruptedSaves(String scenario) throws Exception {
        reset(scenario);
        run().start(plan(2, 1));
        return store.saves;
    }

    private void reset(String scenario) {
        time = new TestTime();
        router = new Fakes.Router(0);
        metrics = new Fakes.Metrics(router);
        metrics.of(ERRORS, (at, weight) -> java.util.OptionalDouble.of(scenario.equals("window fails") ? 0.3 : 0.001));
        green = scenario.equals("smoke fails") ? request -> Answer.ofLabel("fraud", 5)
                : request -> request.contains("9800") ? Answer.ofScore(0.94, 5) : Answer.ofLabel("legit", 5);
        aliases = new Fakes.Aliases();
        aliases.aliases.put("champion", "1");
        newStore();
    }

    @Test
    public void theStateFileAndTheReportRoundTripAndMergeAsBlueGreen() throws Exception {
        metrics.constant(ERRORS, 0.002);
        CanaryResult result = run().start(plan(1, 1));
        CanaryState state = store.load();
        assertNotNull(state.plan().smoke());
        assertEquals(smokeFile.toString(), state.plan().smoke().file());
        Path file = folder.newFile("report.json").toPath();
        ReportWriter.write(file, result);
        JsonNode json = ReportWriter.mapper().readTree(file.toFile());
        assertEquals("blue-green", json.path("stage").asText());
        assertEquals(1, json.path("metrics").path("blue_green_analyses").asInt());
        assertTrue(json.path("metrics").path("canary_analyses").isMissingNode());
        assertEquals("smoke", json.path("timeline").get(1).path("event").asText());
        assertTrue(json.path("lineage").toString(), json.path("lineage").toString().contains("fraud/2@blue-green"));
        BuildReport merged = BuildReport.merge(List.of(new StageReportReader().parse(Files.newInputStream(file), "bg.json")), null);
        JsonNode summary = ReportWriter.mapper().valueToTree(merged.summary());
        assertEquals("PROMOTED", summary.path("blue_green").path("verdict").asText());
        assertEquals("smoke", summary.path("blue_green").path("timeline").get(1).path("event").asText());
        assertNull(merged.summary().canary());
        assertTrue(summary.path("aliases").toString(), summary.path("aliases").toString().contains("\"stage\":\"blue-green\""));
    }

    @Test
    public void aBlueGreenPlanHasOneStepOfOneHundred() {
        CanarySettingException e = assertThrows(CanarySettingException.class, () -> new CanaryPlan("fraud", "2", List.of(50, 100),
                WINDOW, 1, List.of(), 1, 2, InconclusivePolicy.ROLLBACK, null, null, null, null,
                new SmokePlan(smokeFile.toString(), "http://green:8080", null)));
        assertEquals("steps", e.setting());
        assertEquals("probeCanaryUrl", assertThrows(CanarySettingException.class,
                () -> new SmokePlan(smokeFile.toString(), "http://user:pw@green:8080", null)).setting());
    }

    private static List<String> events(CanaryResult result) {
        return result.timeline().stream().map(TimelineEvent::event).toList();
    }
}
