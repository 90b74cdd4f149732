package io.jenkins.plugins.mlstages.deploy.behaviour;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.CheckResult;
import io.jenkins.plugins.mlstages.deploy.CheckVerdict;

public class BehaviourComparisonTest {
    private static PairedAnswer scores(double live, double candidate) {
        return new PairedAnswer("r", Answer.ofScore(live, 10), Answer.ofScore(candidate, 20));
    }

    @Test
    public void agreementComparesDecisionsAtTheThresholdAndDifferencesAreExact() {
        BehaviourComparison comparison = new BehaviourComparison();
        comparison.add(scores(0.1, 0.2));
        comparison.add(scores(0.6, 0.4));
        comparison.add(scores(0.7, 0.9));
        comparison.add(scores(0.4, 0.4));
        comparison.add(new PairedAnswer("failed", Answer.ofScore(0.3, 10), Answer.failed(500, "HTTP 500", 5)));
        BehaviourSummary summary = comparison.summary();
        assertEquals(OutputKind.SCORE, summary.kind());
        assertEquals(5, summary.pairs());
        assertEquals(4, summary.comparable());
        assertEquals(0.75, summary.agreement(), 0);
        assertEquals(0.125, summary.meanAbsDiff(), 1e-15);
        assertEquals(0.2, summary.maxAbsDiff(), 1e-15);
        assertEquals(0.2, summary.shadowErrorRate(), 0);
        assertEquals(0.0, summary.liveErrorRate(), 0);
        assertEquals(10.0, summary.liveLatencyP50Ms(), 0);
        Map<String, Double> metrics = summary.metrics();
        assertEquals(5.0, metrics.get("pairs"), 0);
        assertTrue(metrics.keySet().containsAll(List.of("agreement", "prediction_psi", "prediction_ks",
                "prediction_ks_pvalue", "prediction_js", "mean_abs_diff", "max_abs_diff", "shadow_error_rate")));
        assertTrue(BehaviourSummary.METRICS.containsAll(metrics.keySet()));
    }

    @Test
    public void anIdenticalCandidateHasNoDrift() {
        BehaviourComparison comparison = new BehaviourComparison();
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            double score = random.nextDouble();
            comparison.add(scores(score, score));
        }
        BehaviourSummary summary = comparison.summary();
        assertEquals(1.0, summary.agreement(), 0);
        assertEquals(0.0, summary.predictionPsi(), 0);
        assertEquals(0.0, summary.predictionJs(), 0);
        assertEquals(0.0, summary.predictionKs(), 0);
        assertEquals(1.0, summary.predictionKsPvalue(), 0);
        assertEquals(0.0, summary.maxAbsDiff(), 0);
    }

    @Test
    public void anUnrelatedCandidateDriftsAndDisagrees() {
        BehaviourComparison comparison = new BehaviourComparison();
        Random random = new Random(2);
        for (int i = 0; i < 2000; i++) {
            double live = random.nextDouble() < 0.2 ? 0.8 + 0.2 * random.nextDouble() : 0.2 * random.nextDouble();
            comparison.add(scores(live, random.nextDouble()));
        }
        BehaviourSummary summary = comparison.summary();
        assertTrue("agreement " + summary.agreement(), summary.agreement() < 0.7);
        assertTrue("psi " + summary.predictionPsi(), summary.predictionPsi() > 0.5);
        assertTrue("ks p " + summary.predictionKsPvalue(), summary.predictionKsPvalue() < 1e-6);
    }

    @Test
    public void memoryIsBoundedByTheCapacityWhileCountsStayExact() {
        BehaviourComparison comparison = new BehaviourComparison(OutputKind.SCORE, 0.5, 100);
        for (int i = 0; i < 10_000; i++) {
            // every 4th pair disagrees: exactly 0.75 over all pairs, which a sample would only approximate
            comparison.add(scores(0.9, i % 4 == 0 ? 0.1 : 0.9));
        }
        BehaviourSummary summary = comparison.summary();
        assertEquals(10_000, summary.comparable());
        assertEquals(Long.valueOf(100), summary.sampled());
        assertEquals(0.75, summary.agreement(), 0);
        assertEquals(0.2, summary.meanAbsDiff(), 1e-12);
        long sampled = summary.distribution().candidate().stream().mapToLong(Long::longValue).sum();
        assertEquals(100, sampled);
    }

    @Test
    public void labelsAreComparedAsCategoriesAndHaveNoKs() {
        BehaviourComparison comparison = new BehaviourComparison();
        String[] live = {"a", "a", "b", "c"};
        String[] candidate = {"a", "b", "b", "c"};
        for (int i = 0; i < live.length; i++) {
            comparison.add(new PairedAnswer("r" + i, Answer.ofLabel(live[i], 1), Answer.ofLabel(candidate[i], 1)));
        }
        BehaviourSummary summary = comparison.summary();
        assertEquals(OutputKind.LABEL, summary.kind());
        assertEquals(0.75, summary.agreement(), 0);
        assertNull(summary.predictionKs());
        assertNull(summary.meanAbsDiff());
        assertFalse(summary.metrics().containsKey("prediction_ks"));
        assertEquals(List.of("a", "b", "c"), summary.distribution().bins());
        assertEquals(List.of(2L, 1L, 1L), summary.distribution().live());
        assertEquals(List.of(1L, 2L, 1L), summary.distribution().candidate());
        CheckResult ks = new BehaviourCheck("prediction_ks", null, 0.1).judge(summary);
        assertEquals(CheckVerdict.INCONCLUSIVE, ks.verdict());
        assertTrue(ks.error(), ks.error().contains("not defined for label outputs"));
    }

    @Test
    public void numericClassesCanBeComparedAsLabels() {
        BehaviourComparison comparison = new BehaviourComparison(OutputKind.LABEL, 0.5, 10);
        comparison.add(scores(1, 1));
        comparison.add(scores(0, 1));
        BehaviourSummary summary = comparison.summary();
        assertEquals(0.5, summary.agreement(), 0);
        assertEquals(List.of("1", "0"), summary.distribution().bins());
    }

    @Test
    public void withoutAUsablePairEveryComparisonFigureIsAbsentAndChecksAreInconclusive() {
        BehaviourComparison comparison = new BehaviourComparison();
        comparison.add(new PairedAnswer("r", Answer.ofScore(0.5, 3), Answer.failed(null, "timed out", -1)));
        BehaviourSummary summary = comparison.summary();
        assertNull(summary.agreement());
        assertEquals(1.0, summary.shadowErrorRate(), 0);
        assertNull(summary.shadowLatencyP50Ms());
        CheckResult agreement = new BehaviourCheck("agreement", 0.9, null).judge(summary);
        assertEquals(CheckVerdict.INCONCLUSIVE, agreement.verdict());
        assertEquals(CheckVerdict.FAIL, new BehaviourCheck("shadow_error_rate", null, 0.01).judge(summary).verdict());
    }

    @Test
    public void aNonFiniteScoreOrANon2xxStatusIsAnError() {
        assertFalse(new Answer(Double.NaN, null, 200, null, 1).ok());
        assertFalse(new Answer(0.5, null, 404, null, 1).ok());
        assertEquals("HTTP 404", new Answer(0.5, null, 404, null, 1).error());
        assertTrue(new Answer(0.5, null, 200, null, 1).ok());
    }

    @Test
    public void theSummaryRoundTripsThroughTheStateFilesJson() throws Exception {
        BehaviourComparison comparison = new BehaviourComparison();
        comparison.add(scores(0.1, 0.2));
        comparison.add(scores(0.7, 0.9));
        BehaviourSummary summary = comparison.summary();
        String json = CanaryStateStore.mapper().writeValueAsString(summary);
        assertTrue(json, json.contains("\"prediction_psi\"") && json.contains("\"shadow_latency_p99_ms\""));
        assertEquals(summary, CanaryStateStore.mapper().readValue(json, BehaviourSummary.class));
    }
}
