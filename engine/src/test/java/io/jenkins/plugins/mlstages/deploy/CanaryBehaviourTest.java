package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.deploy.behaviour.Answer;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourComparison;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.PairedAnswer;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeResult;
import io.jenkins.plugins.mlstages.report.StageLog;

/** Behaviour rules in canary analyses, with in-memory ports: same limits and rollback as the Prometheus checks. */
public class CanaryBehaviourTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestTime time;
    private Fakes.Router router;
    private Fakes.Metrics metrics;
    private Fakes.Aliases aliases;
    private Fakes.Store store;
    private final List<Double> agreements = new ArrayList<>();
    private int compared;

    @Before
    public void setUp() {
        time = new TestTime();
        router = new Fakes.Router(0);
        metrics = new Fakes.Metrics(router);
        metrics.constant(CanaryRunTest.ERRORS, 0.001);
        aliases = new Fakes.Aliases();
        aliases.aliases.put("champion", "1");
        store = new Fakes.Store(folder.getRoot().toPath().resolve("canary-state.json"));
    }

    /** A comparison of 100 pairs whose agreement is the next one of {@link #agreements} (the last one repeats). */
    private ProbeResult comparison(BehaviourPlan plan) {
        double agreement = agreements.get(Math.min(compared++, agreements.size() - 1));
        BehaviourComparison comparison = new BehaviourComparison();
        for (int i = 0; i < 100; i++) {
            double live = i / 100.0;
            double candidate = i < agreement * 100 ? live : 1 - live;
            comparison.add(new PairedAnswer("r" + i, Answer.ofScore(live, 5), Answer.ofScore(candidate, 6)));
        }
        return new ProbeResult("stable", "canary", comparison.summary(), null);
    }

    private CanaryRun run(BehaviourSource source) {
        return new CanaryRun(store, router, metrics, aliases, StageLog.NONE, time, time,
                new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(4)), source);
    }

    private CanaryPlan plan(int failureLimit, String... rules) {
        List<String> checks = new ArrayList<>(List.of("error_rate: " + CanaryRunTest.ERRORS + " <= 0.01"));
        checks.addAll(List.of(rules));
        CheckSyntax.Checks parsed = CheckSyntax.parseAll(checks, List.of());
        return CanaryPlan.of("fraud", "2", List.of(10, 50, 100), Duration.ofSeconds(30), parsed.queries())
                .withFailureLimit(failureLimit)
                .withBehaviour(new BehaviourPlan(parsed.behaviour(), "probe.jsonl", null, "http://127.0.0.1:9",
                        "http://127.0.0.1:8", null, 0.5, null));
    }

    @Test
    public void aCandidateThatDisagreesIsRolledBackByTheBehaviourRuleAloneAtTheFailureLimit() throws Exception {
        agreements.add(0.5);
        CanaryPlan plan = plan(2, "agreement >= 0.97");
        CanaryResult result = run(this::comparison).start(plan);
        // the behaviour rules and their probe survive the state file: a resumed canary judges the same rules
        assertEquals(plan, store.load().plan());
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("2 failed analyses (failure limit 2): agreement 0.51 [>= 0.97] FAIL"));
        List<TimelineEvent> analyses = store.load().analysisHistory();
        assertEquals(2, analyses.size());
        for (TimelineEvent event : analyses) {
            assertEquals(CheckVerdict.PASS, event.analyses().get(0).verdict());
            assertEquals("error_rate", event.analyses().get(0).check());
            assertEquals(CheckVerdict.FAIL, event.analyses().get(1).verdict());
            // 50 pairs flipped to 1 - score, one of them (0.5) staying on the same side of the threshold
            assertEquals(0.51, event.behaviour().behaviour().agreement(), 1e-12);
        }
        assertEquals(0, router.weight);
        assertEquals("1", aliases.aliases.get("champion"));
    }

    @Test
    public void aFailureBelowTheLimitIsForgivenByAPassingAnalysisAndTheCanaryIsPromoted() throws Exception {
        agreements.addAll(List.of(0.5, 1.0));
        CanaryResult result = run(this::comparison).start(plan(2, "agreement >= 0.97", "prediction_psi <= 0.1"));
        assertEquals(CanaryVerdict.PROMOTED, result.verdict());
        assertEquals(3, store.load().analysisHistory().size());
        // the state file keeps each analysis' comparison, distributions included, for the report page
        TimelineEvent last = store.load().analysisHistory().get(2);
        assertEquals(1.0, last.behaviour().behaviour().agreement(), 0);
        assertNotNull(last.behaviour().behaviour().distribution());
        assertEquals(0.0, last.behaviour().behaviour().predictionPsi(), 0);
    }

    @Test
    public void aComparisonThatCannotRunIsInconclusiveAndCountsAgainstTheInconclusiveLimit() throws Exception {
        CanaryResult result = run(plan -> {
            throw new IllegalArgumentException("probe probe.jsonl: no rows");
        }).start(plan(1, "agreement >= 0.97"));
        assertEquals(CanaryVerdict.ROLLED_BACK, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("2 inconclusive analyses (inconclusive limit 2): agreement no data"));
        assertTrue(result.reason(), result.reason().contains("behaviour comparison failed: probe probe.jsonl: no rows"));
        assertNull(store.load().analysisHistory().get(0).behaviour());
    }

    @Test
    public void behaviourRulesNeedAProbeAndBothUrlsAndLabelledRulesNeedALabelField() {
        CheckSyntax.Checks parsed = CheckSyntax.parseAll(List.of("agreement >= 0.9", "accuracy_diff_lower >= -0.02"), List.of());
        CanarySettingException noProbe = assertThrows(CanarySettingException.class, () -> new BehaviourPlan(parsed.behaviour(),
                null, "y", "http://a:1", "http://b:1", null, 0.5, null));
        assertEquals("probe", noProbe.setting());
        CanarySettingException noUrl = assertThrows(CanarySettingException.class, () -> new BehaviourPlan(parsed.behaviour(),
                "p.jsonl", "y", "http://a:1", " ", null, 0.5, null));
        assertEquals("probeCanaryUrl", noUrl.setting());
        CanarySettingException secret = assertThrows(CanarySettingException.class, () -> new BehaviourPlan(parsed.behaviour(),
                "p.jsonl", "y", "http://user:hunter2@a:1", "http://b:1", null, 0.5, null));
        assertEquals("probeStableUrl", secret.setting());
        assertTrue(secret.getMessage(), !secret.getMessage().contains("hunter2"));
        CanarySettingException noLabel = assertThrows(CanarySettingException.class, () -> new BehaviourPlan(parsed.behaviour(),
                "p.jsonl", null, "http://a:1", "http://b:1", null, 0.5, null));
        assertTrue(noLabel.getMessage(), noLabel.getMessage().contains("needs a probe with labels"));
    }
}
