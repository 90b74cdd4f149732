package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageInput;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import io.jenkins.plugins.mlstages.report.Status;

/** The driver with in-memory ports: what it does to the router, the aliases and the state file, step by step. */
public class CanaryRunTest {
    static final String ERRORS = "sum(rate(errors{version=\"2\"}[1m])) / sum(rate(requests{version=\"2\"}[1m]))";
    static final String LATENCY = "p95{version=\"2\"}";
    static final String STABLE_LATENCY = "p95{version=\"1\"}";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    TestTime time;
    Fakes.Router router;
    Fakes.Metrics metrics;
    Fakes.Aliases aliases;
    Fakes.Store store;
    final List<String> lines = new ArrayList<>();
    int files;

    @Before
    public void setUp() throws Exception {
        time = new TestTime();
        router = new Fakes.Router(0);
        metrics = new Fakes.Metrics(router);
        aliases = new Fakes.Aliases();
        aliases.aliases.put("champion", "1");
        store = new Fakes.Store(folder.getRoot().toPath().resolve("canary-state-" + ++files + ".json"));
    }

    CanaryRun run() {
        StageLog log = new StageLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void progress(String task, double share, String detail) {
                lines.add(task);
            }
        };
        return new CanaryRun(store, router, metrics, aliases, log, time, time, new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    static CanaryPlan plan(AnalysisCheck... checks) {
        return CanaryPlan.of("fraud", "2", List.of(10, 50, 100), Duration.ofSeconds(30), List.of(checks));
    }

    static AnalysisCheck errorRate() {
        return AnalysisCheck.absolute("error_rate", ERRORS, null, 0.01);
    }

    @Test
    public void aHealthyCanaryIsPromotedStepByStep() throws Exception {
        metrics.constant(ERRORS, 0.002);
        CanaryResult result = run().start(plan(errorRate()));

        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals(Status.PASSED, result.status());
        assertEquals(List.of(10, 50, 100), router.applied);
        assertEquals(100, router.weight);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases.aliases);
        assertEquals(Map.of("champion", "2", "previous", "1"), result.aliases());
        assertEquals("1", result.stableVersion());
        // Two analysed steps of 30 s each; the promotion does not wait.
        assertEquals(Duration.ofSeconds(60), time.elapsed());
        assertEquals(List.of("started", "weight", "analysis", "weight", "analysis", "promoting", "weight", "promoted"),
                result.timeline().stream().map(TimelineEvent::event).toList());
        assertEquals(List.of(10, 10, 10, 50, 50, 50, 100, 100), result.timeline().stream().map(TimelineEvent::weight).toList());
        assertEquals(List.of(1, 1, 1, 2, 2, 3, 3, 3), result.timeline().stream().map(TimelineEvent::step).toList());
        assertTrue(store.load().isDone());
        // One log line per analysed step with the weight, the values and the time to the next step.
        assertTrue(lines.toString(), lines.contains("canary: step 1/3 at 10 %: analysis PASS (error_rate 0.002 [<= 0.01] PASS); "
                + "next step now (50 %)"));
    }

    @Test
    public void theReportHasTheTimelineInTheAgreedShape() throws Exception {
        metrics.constant(ERRORS, 0.002);
        CanaryResult result = run().start(plan(errorRate()));
        Path file = folder.newFile("report.json").toPath();
        ReportWriter.write(file, result);
        JsonNode json = ReportWriter.mapper().readTree(file.toFile());
        assertEquals("ml-stages/v1", json.path("schema").asText());
        assertEquals("canary", json.path("stage").asText());
        assertEquals("PASSED", json.path("status").asText());
        assertEquals("fraud", json.path("model").asText());
        assertEquals("2", json.path("version").asText());
        assertEquals("1", json.path("stable_version").asText());
        assertEquals("PROMOTED", json.path("verdict").asText());
        assertEquals("2", json.path("aliases").path("champion").asText());
        assertEquals("1", json.path("aliases").path("previous").asText());
        JsonNode analysis = json.path("timeline").get(2);
        assertEquals("2026-03-01T12:00:30Z", analysis.path("time").asText());
        assertEquals(1, analysis.path("step").asInt());
        assertEquals(10, analysis.path("weight").asInt());
        assertEquals("analysis", analysis.path("event").asText());
        JsonNode check = analysis.path("analyses").get(0);
        assertEquals("error_rate", check.path("check").asText());
        assertEquals(ERRORS, check.path("query").asText());
        assertEquals(0.002, check.path("value").asDouble(), 0);
        assertTrue(check.has("min"));
        assertTrue(check.path("min").isNull());
        assertEquals(0.01, check.path("max").asDouble(), 0);
        assertEquals("PASS", check.path("verdict").asText());
        assertEquals(2, json.path("metrics").path("canary_analyses").asInt());
        assertEquals(100, json.path("metrics").path("canary_final_weight").asInt());
    }

    @Test
    public void aFailingCanaryIsRolledBackAtTheFailureLimit() throws Exception {
        // Healthy at 10 %, errors once it takes half the traffic.
        metrics.of(ERRORS, (at, weight) -> OptionalDouble.of(weight >= 50 ? 0.2 : 0.001));
        CanaryResult result = run().start(plan(errorRate()).withFailureLimit(2));

        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(Status.FAILED, result.status());
        assertEquals(List.of(10, 50, 0), router.applied);
        assertEquals(Map.of("champion", "1"), aliases.aliases);
        assertEquals(Map.of("champion", "1"), result.aliases());
        // Step 1 (30 s), then two failed analyses 30 s apart at 50 %; the rollback does not wait.
        assertEquals(Duration.ofSeconds(90), time.elapsed());
        assertTrue(result.reason(), result.reason().startsWith("2 failed analyses (failure limit 2): error_rate 0.2 [<= 0.01] FAIL"));
        assertEquals("canary.analysis", result.findings().get(0).check());
        assertEquals("error_rate", result.findings().get(0).subject());
        assertEquals("0.2", result.findings().get(0).observed());
        assertEquals("value <= 0.01", result.findings().get(0).expected());
        assertEquals("canary.rolled_back", result.findings().get(1).check());
        assertEquals(2, result.findings().size());
    }

    @Test
    public void aFailureBelowTheLimitExtendsTheStepAndAPassResetsTheCount() throws Exception {
        List<Double> values = new ArrayList<>(List.of(0.5, 0.001, 0.5, 0.001, 0.001));
        metrics.of(ERRORS, (at, weight) -> OptionalDouble.of(values.remove(0)));
        CanaryResult result = run().start(plan(errorRate()).withFailureLimit(2));
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        // fail, pass (step 1 done), fail, pass (step 2 done): four analyses of 30 s.
        assertEquals(Duration.ofSeconds(120), time.elapsed());
        assertTrue(lines.toString(), lines.contains("canary: step 1/3 at 10 %: analysis FAIL (error_rate 0.5 [<= 0.01] FAIL); "
                + "next analysis in 30 s (1 of 2 failures, 0 of 2 inconclusive)"));
        assertEquals(io.jenkins.plugins.mlstages.report.Severity.INFO, result.findings().get(0).severity());
        assertEquals(Status.PASSED, result.status());
    }

    @Test
    public void aFindingNamesTheWeightOfTheStepItsLastFailureHappenedAt() throws Exception {
        // The same failing value at 10 % and at 50 %: equal check results at two steps.
        List<Double> values = new ArrayList<>(List.of(0.5, 0.001, 0.5, 0.5));
        metrics.of(ERRORS, (at, weight) -> OptionalDouble.of(values.remove(0)));
        CanaryResult result = run().start(plan(errorRate()).withFailureLimit(2));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        List<TimelineEvent> failed = result.timeline().stream().filter(e -> e.verdict() == CheckVerdict.FAIL).toList();
        assertEquals(List.of(10, 50, 50), failed.stream().map(TimelineEvent::weight).toList());
        assertEquals(failed.get(0).analyses(), failed.get(2).analyses());
        assertEquals("error_rate failed 3 of 4 analyses; last 0.5 at step weight 50 %, required value <= 0.01",
                result.findings().get(0).message());
    }

    @Test
    public void severalAnalysesPerStepAreSpreadOverTheInterval() throws Exception {
        metrics.constant(ERRORS, 0.0);
        CanaryResult result = run().start(plan(errorRate()).withAnalysesPerStep(3));
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals(6, result.timeline().stream().filter(TimelineEvent::isAnalysis).count());
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10)), time.sleeps);
    }

    @Test
    public void noDataRollsBackAtTheInconclusiveLimit() throws Exception {
        metrics.empty(ERRORS);
        CanaryResult result = run().start(plan(errorRate()));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(List.of(10, 0), router.applied);
        assertTrue(result.reason(), result.reason().startsWith("2 inconclusive analyses (inconclusive limit 2): error_rate no data"));
        assertEquals(1, result.findings().size());
        assertEquals("canary.rolled_back", result.findings().get(0).check());
        JsonNode check = ReportWriter.mapper().valueToTree(result).path("timeline").get(2).path("analyses").get(0);
        assertTrue(check.has("value"));
        assertTrue(check.path("value").isNull());
        assertEquals("INCONCLUSIVE", check.path("verdict").asText());
    }

    @Test
    public void holdKeepsTheWeightUntilDataComesBack() throws Exception {
        // No data for the first 100 s, then healthy.
        metrics.of(ERRORS, (at, weight) -> at.isBefore(TestTime.START.plusSeconds(100)) ? OptionalDouble.empty()
                : OptionalDouble.of(0.001));
        CanaryPlan plan = plan(errorRate()).withInconclusive(2, InconclusivePolicy.HOLD, Duration.ofMinutes(5));
        CanaryResult result = run().start(plan);
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals(List.of(10, 50, 100), router.applied);
        assertEquals(1, result.timeline().stream().filter(e -> e.event().equals("hold")).count());
        // Inconclusive at 30, 60 (hold), 90; pass at 120 ends step 1; pass at 150 ends step 2.
        assertEquals(Duration.ofSeconds(150), time.elapsed());
    }

    @Test
    public void holdRollsBackAtTheHoldTimeout() throws Exception {
        metrics.empty(ERRORS);
        CanaryPlan plan = plan(errorRate()).withInconclusive(1, InconclusivePolicy.HOLD, Duration.ofMinutes(2));
        CanaryResult result = run().start(plan);
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("held for PT2M without a conclusive analysis"));
        assertEquals(Duration.ofSeconds(150), time.elapsed());
        assertEquals(List.of(10, 0), router.applied);
    }

    @Test
    public void aRelativeCheckBoundsTheDifferenceToStable() throws Exception {
        metrics.of(LATENCY, (at, weight) -> OptionalDouble.of(weight >= 50 ? 0.40 : 0.22)).constant(STABLE_LATENCY, 0.20);
        AnalysisCheck slower = AnalysisCheck.relative("p95_latency", LATENCY, STABLE_LATENCY, null, 0.05);
        CanaryResult result = run().start(plan(slower));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        CheckResult first = result.timeline().get(2).analyses().get(0);
        assertEquals(0.02, first.value(), 1e-12);
        assertEquals(0.22, first.canaryValue(), 0);
        assertEquals(0.20, first.stableValue(), 0);
        assertEquals(CheckVerdict.PASS, first.verdict());
        CheckResult failed = result.timeline().get(4).analyses().get(0);
        assertEquals(0.20, failed.value(), 1e-12);
        assertEquals(CheckVerdict.FAIL, failed.verdict());
    }

    @Test
    public void aFailingMetricSourceIsInconclusiveNotAnError() throws Exception {
        metrics.constant(ERRORS, 0.0);
        metrics.fails.at(1, false);
        CanaryResult result = run().start(plan(errorRate()));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(0, router.weight);
        CheckResult check = result.timeline().get(2).analyses().get(0);
        assertEquals("metric source failed: fake prometheus: 503 Service Unavailable", check.error());
    }

    @Test
    public void aRouterFailingGoingForwardRollsBackAfterItsRetries() throws Exception {
        metrics.constant(ERRORS, 0.0);
        router.setFails.at(2, true); // the first attempt at 50 % fails, the retry works
        assertEquals(CanaryVerdict.PROMOTED, run().start(plan(errorRate())).verdict());

        setUp();
        metrics.constant(ERRORS, 0.0);
        router.readLies.between(2, 4); // the three reads after setting 50 % do not show it
        CanaryResult result = run().start(plan(errorRate()));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("the router failed: fake router reports 51 % canary after being set to 50 % (after 3 attempts)"));
        assertEquals(0, router.weight);
        assertEquals(Map.of("champion", "1"), aliases.aliases);
    }

    @Test
    public void aRouterFailingWhileRollingBackLeavesTheRollbackPendingForResume() throws Exception {
        metrics.constant(ERRORS, 0.9);
        router.setFails.at(2, false); // 10 % works, nothing after
        DeployException pending = assertThrows(DeployException.class, () -> run().start(plan(errorRate())));
        assertTrue(pending.getMessage(), pending.getMessage().startsWith("router failed while rolling back: fake router refused 0 %"));
        assertTrue(pending.getMessage(), pending.getMessage().contains("resume the canary to finish"));
        CanaryState state = store.load();
        assertEquals(CanaryPhase.ROLLING_BACK, state.phase());
        assertTrue(state.pending().startsWith("router failed while rolling back"));
        assertEquals(10, router.weight);
        // Backoff 1 s, 2 s between the three attempts.
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(2)), time.sleeps);

        router.heal();
        CanaryResult result = run().resume();
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertEquals(0, router.weight);
        assertNull(store.load().pending());
    }

    @Test
    public void aRegistryFailingDuringPromotionLeavesItPendingAndResumeCompletesIt() throws Exception {
        metrics.constant(ERRORS, 0.0);
        aliases.fails.at(2, false); // previous -> 1 works, champion -> 2 fails
        DeployException pending = assertThrows(DeployException.class, () -> run().start(plan(errorRate())));
        assertTrue(pending.getMessage(), pending.getMessage().startsWith("promotion pending, the registry failed"));
        assertEquals(CanaryPhase.PROMOTING, store.load().phase());
        assertEquals(100, router.weight);
        aliases.heal();
        CanaryResult result = run().resume();
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases.aliases);
        assertEquals(List.of(10, 50, 100, 100), router.applied);
    }

    @Test
    public void abortRollsBackAndRestoresAnEarlierPreviousAlias() throws Exception {
        aliases.aliases.put("previous", "0");
        metrics.constant(ERRORS, 0.0);
        store.crashAfter = 4; // started, 10 % intended, 10 % confirmed, first analysis
        assertThrows(Fakes.Crash.class, () -> run().start(plan(errorRate())));
        assertEquals(10, router.weight);
        store.crashAfter = Integer.MAX_VALUE;
        CanaryResult result = run().abort("aborted by the test");
        assertEquals(CanaryVerdict.ABORTED, result.verdict());
        assertEquals(Status.FAILED, result.status());
        assertEquals(0, router.weight);
        assertEquals(Map.of("champion", "1", "previous", "0"), aliases.aliases);
        assertEquals("canary.aborted", result.findings().get(0).check());
        assertEquals("aborted: aborted by the test", result.findings().get(0).message());
        // Abort of an ended canary reports it and changes nothing.
        assertEquals(CanaryVerdict.ABORTED, run().abort("again").verdict());
        assertEquals(CanaryVerdict.ABORTED, run().resume().verdict());
    }

    @Test
    public void resumeAndAbortRefuseAnotherRouterThanTheStateFileDrives() throws Exception {
        metrics.constant(ERRORS, 0.0);
        store.crashAfter = 4; // started, 10 % intended, 10 % confirmed, first analysis
        assertThrows(Fakes.Crash.class, () -> run().start(plan(errorRate())));
        store.crashAfter = Integer.MAX_VALUE;
        int saves = store.saves;
        router.description = "another fake router";
        String expected = store.file() + " was started with fake router, not with another fake router: resume or abort it"
                + " with the router options it was started with";
        CanarySettingException resume = assertThrows(CanarySettingException.class, () -> run().resume());
        assertEquals(expected, resume.getMessage());
        assertEquals("router", resume.setting());
        assertEquals(expected, assertThrows(CanarySettingException.class, () -> run().abort("by the test")).getMessage());
        // Neither the router nor the state file was touched.
        assertEquals(List.of(10), router.applied);
        assertEquals(saves, store.saves);
        router.description = "fake router";
        assertEquals(CanaryVerdict.PROMOTED, run().resume().verdict());
    }

    @Test
    public void aFirstDeploymentHasNoStableVersionAndRollbackLeavesNoChampion() throws Exception {
        aliases.aliases.clear();
        metrics.constant(ERRORS, 1.0);
        CanaryResult result = run().start(plan(errorRate()));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertNull(result.stableVersion());
        assertEquals(Map.of(), aliases.aliases);
        assertEquals(Map.of(), result.aliases());

        setUp();
        aliases.aliases.clear();
        metrics.constant(ERRORS, 0.0);
        CanaryResult promoted = run().start(plan(errorRate()));
        assertEquals(Map.of("champion", "2"), aliases.aliases);
        assertEquals(Map.of("champion", "2"), promoted.aliases());
    }

    @Test
    public void startRefusesAnExistingStateFileAnUnknownVersionAndTheChampionItself() throws Exception {
        Files.writeString(store.file(), "{}");
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class, () -> run().start(plan(errorRate())));
        assertTrue(exists.getMessage(), exists.getMessage().endsWith("canary-state-1.json already holds a canary: resume it, abort it, or choose another state file"));
        Files.delete(store.file());
        CanaryPlan unknown = CanaryPlan.of("fraud", "404", List.of(100), Duration.ofSeconds(1), List.of());
        assertEquals("version 404 of model 'fraud' does not exist in the registry",
                assertThrows(IllegalArgumentException.class, () -> run().start(unknown)).getMessage());
        CanaryPlan same = CanaryPlan.of("fraud", "1", List.of(100), Duration.ofSeconds(1), List.of());
        assertEquals("version 1 of 'fraud' is already the champion: nothing to deploy",
                assertThrows(IllegalArgumentException.class, () -> run().start(same)).getMessage());
        assertFalse(Files.exists(store.file()));
        assertEquals(List.of(), router.applied);
    }

    @Test
    public void stepsOfOnlyOneHundredPromoteAtOnce() throws Exception {
        CanaryPlan plan = CanaryPlan.of("fraud", "2", List.of(100), Duration.ofSeconds(30), List.of(errorRate()));
        CanaryResult result = run().start(plan);
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals(List.of(100), router.applied);
        assertEquals(Duration.ZERO, time.elapsed());
        assertEquals(List.of(), metrics.asked);
    }

    @Test
    public void aStateFileThatCannotBeWrittenStopsBeforeTheActionItWasToRecord() throws Exception {
        metrics.constant(ERRORS, 0.0);
        Path file = store.file();
        store = new Fakes.Store(file) {
            boolean full = true;

            @Override
            public void save(CanaryState state) throws java.io.IOException {
                if (saves == 3 && full) {
                    full = false;
                    throw new java.io.IOException("No space left on device");
                }
                super.save(state);
            }
        };
        DeployException full = assertThrows(DeployException.class, () -> run().start(plan(errorRate())));
        assertTrue(full.getMessage(), full.getMessage().startsWith("cannot write the canary state file " + file
                + ": java.io.IOException: No space left on device; it still holds the previous state"));
        // Saves: started (10 % intended), 10 % confirmed, the first analysis (step 1 passed); the fourth, the
        // intention to apply 50 %, failed: the router was not told.
        assertEquals(List.of(10), router.applied);
        CanaryState saved = store.load();
        assertEquals(1, saved.stepIndex());
        assertEquals(new RouterState(10, true), saved.router());
        assertEquals(1, saved.analysisHistory().size());
        CanaryResult result = run().resume();
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
    }

    /** Written by the report writer, read by the report reader, merged alone; the merge written and read again. */
    private static void assertRoundTrips(CanaryResult result, Status status) throws Exception {
        byte[] json = ReportWriter.mapper().writeValueAsBytes(result);
        StageInput input = new StageReportReader().parse(new ByteArrayInputStream(json), "canary.json");
        assertEquals("canary", input.stage());
        assertEquals(status, input.status());
        BuildReport merged = BuildReport.merge(List.of(input), null);
        assertEquals(status, merged.status());
        assertEquals(result.verdict().name(), merged.summary().canary().path("verdict").asText());
        StageInput again = new StageReportReader().parse(new ByteArrayInputStream(ReportWriter.mapper().writeValueAsBytes(merged)),
                "report.json");
        assertEquals(status, again.status());
    }

    @Test
    public void theReportOfEveryOutcomeIsReadAndMerged() throws Exception {
        metrics.constant(ERRORS, 0.002);
        assertRoundTrips(run().start(plan(errorRate())), Status.PASSED);

        setUp();
        List<Double> values = new ArrayList<>(List.of(0.5, 0.001, 0.001, 0.001));
        metrics.of(ERRORS, (at, weight) -> OptionalDouble.of(values.remove(0)));
        assertRoundTrips(run().start(plan(errorRate()).withFailureLimit(2)), Status.PASSED); // with an INFO failure

        setUp();
        metrics.of(ERRORS, (at, weight) -> OptionalDouble.of(weight >= 50 ? 0.2 : 0.001));
        assertRoundTrips(run().start(plan(errorRate()).withFailureLimit(2)), Status.FAILED);

        setUp();
        metrics.empty(ERRORS);
        assertRoundTrips(run().start(plan(errorRate())), Status.FAILED); // inconclusive

        setUp();
        metrics.constant(ERRORS, 0.0);
        store.crashAfter = 4;
        assertThrows(Fakes.Crash.class, () -> run().start(plan(errorRate())));
        store.crashAfter = Integer.MAX_VALUE;
        assertRoundTrips(run().abort("aborted by the test"), Status.FAILED);
    }
}
