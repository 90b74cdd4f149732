package io.jenkins.plugins.mlstages.deploy.ab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.report.Status;

public class AbTestRunTest {
    private static final Backoff NO_WAIT = new Backoff(2, Duration.ZERO, Duration.ZERO);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static AbPlan plan(PromoteRule rule, double margin, NoWinnerAction otherwise) {
        return new AbPlan("churn", "2", "1", 50, Duration.ofHours(8), Duration.ofMinutes(10), 100, 0, 0.05, 0.05, rule, margin,
                otherwise, AbMetric.prometheus("t_a", "c_a", "t_b", "c_b"));
    }

    static AbPlan plan() {
        return plan(PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.ROLLBACK);
    }

    private AbResult run(AbPlan plan, AbStateStore store, AbFakes.Router router, AbFakes.Time time, long seed, double control,
            double candidate) throws Exception {
        AbFakes.Traffic traffic = new AbFakes.Traffic(time, seed, 200, plan.weight(), control, candidate);
        return new AbTestRun(store, router, traffic, null, time, time, NO_WAIT).start(plan);
    }

    @Test
    public void aKnownDifferenceIsFoundAndPromoted() throws Exception {
        int found = 0;
        for (long seed = 1; seed <= 20; seed++) {
            AbFakes.Router router = new AbFakes.Router();
            AbResult result = run(plan(), new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router,
                    new AbFakes.Time(), seed, 0.10, 0.13);
            if (result.outcome() == AbOutcome.CANDIDATE_WINS) {
                found++;
                assertEquals(AbVerdict.PROMOTED, result.verdict());
                assertEquals(Status.PASSED, result.status());
                assertEquals(100, router.weight);
                assertTrue("interval " + result.interval()[0] + ".." + result.interval()[1], result.interval()[0] > 0);
            }
        }
        System.out.println("ab-test: a 10 % vs 13 % difference found in " + found + " of 20 simulated runs");
        assertTrue("found in " + found + " of 20", found >= 18);
    }

    @Test
    public void aWorseCandidateIsRolledBack() throws Exception {
        AbFakes.Router router = new AbFakes.Router();
        AbResult result = run(plan(), new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router, new AbFakes.Time(), 7,
                0.13, 0.10);
        assertEquals(AbOutcome.CONTROL_WINS, result.outcome());
        assertEquals("control", result.winner());
        assertEquals(AbVerdict.ROLLED_BACK, result.verdict());
        assertEquals(0, router.weight);
        assertTrue(result.interval()[1] < 0);
        assertEquals(Status.FAILED, result.status());
    }

    /**
     * The test: with no difference, over many simulated runs looked at after every analysis, the
     * false-winner rate stays within alpha + 2 standard errors. The same runs judged by a fixed-horizon
     * z-test at every look (peeking) cry winner far more often: the test can tell the two apart.
     */
    @Test
    public void withNoDifferenceTheFalseWinnerRateStaysWithinAlpha() throws Exception {
        int runs = 400;
        int winners = 0;
        int peekingWinners = 0;
        long analyses = 0;
        for (long seed = 1; seed <= runs; seed++) {
            AbFakes.Router router = new AbFakes.Router();
            AbResult result = run(plan(), new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router,
                    new AbFakes.Time(), 1000 + seed, 0.10, 0.10);
            analyses += result.analyses().size();
            if (result.outcome() != AbOutcome.INCONCLUSIVE) {
                winners++;
                assertEquals(AbVerdict.PROMOTED == result.verdict() ? 100 : 0, router.weight);
            } else {
                assertEquals(AbVerdict.ROLLED_BACK, result.verdict());
                assertEquals(0, router.weight);
            }
            // a naive z-test at every look of the same run, until the test's own end
            for (AbAnalysis a : result.analyses()) {
                if (a.look() != null && Math.abs(a.look().zStatistic()) > 1.959964) {
                    peekingWinners++;
                    break;
                }
            }
        }
        double alpha = 0.05;
        double rate = (double) winners / runs;
        double bound = alpha + 2 * Math.sqrt(alpha * (1 - alpha) / runs);
        System.out.println(String.format(Locale.ROOT, "ab-test: false-winner rate %d/%d = %.4f (bound alpha + 2 SE = %.4f, "
                + "%.1f analyses per run); a fixed-horizon z-test at every look: %d/%d = %.4f", winners, runs, rate, bound,
                (double) analyses / runs, peekingWinners, runs, (double) peekingWinners / runs));
        assertTrue("false-winner rate " + rate + " above " + bound, rate <= bound);
        assertTrue("peeking should inflate the error: " + peekingWinners, (double) peekingWinners / runs > bound);
    }

    /** The same bound with a 20/80 split and rare conversions (3 %), where the normal approximation is weakest. */
    @Test
    public void theFalseWinnerRateStaysWithinAlphaWithAnUnequalSplitAndRareConversions() throws Exception {
        AbPlan plan = new AbPlan("churn", "2", "1", 20, Duration.ofHours(8), Duration.ofMinutes(10), 100, 0, 0.05, 0.05,
                PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.ROLLBACK, AbMetric.prometheus("t_a", "c_a", "t_b", "c_b"));
        int runs = 200;
        int winners = 0;
        for (long seed = 1; seed <= runs; seed++) {
            AbResult result = run(plan, new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), new AbFakes.Router(),
                    new AbFakes.Time(), 5000 + seed, 0.03, 0.03);
            if (result.outcome() != AbOutcome.INCONCLUSIVE) {
                winners++;
            }
        }
        double rate = (double) winners / runs;
        double bound = 0.05 + 2 * Math.sqrt(0.05 * 0.95 / runs);
        System.out.println(String.format(Locale.ROOT, "ab-test: false-winner rate at 20/80 and 3 %%: %d/%d = %.4f (bound %.4f)",
                winners, runs, rate, bound));
        assertTrue("false-winner rate " + rate + " above " + bound, rate <= bound);
    }

    @Test
    public void equalRatesPromoteUnderNotWorseWithAMargin() throws Exception {
        AbFakes.Router router = new AbFakes.Router();
        AbResult result = run(plan(PromoteRule.NOT_WORSE, 0.02, NoWinnerAction.ROLLBACK),
                new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router, new AbFakes.Time(), 3, 0.10, 0.10);
        assertEquals(AbOutcome.CANDIDATE_NOT_WORSE, result.outcome());
        assertEquals(AbVerdict.PROMOTED, result.verdict());
        assertTrue(result.interval()[0] > -0.02);
        assertEquals(100, router.weight);
    }

    @Test
    public void otherwiseStopLeavesTheSplitAndAbortThenRollsItBack() throws Exception {
        AbFakes.Router router = new AbFakes.Router();
        AbFakes.Time time = new AbFakes.Time();
        AbFakes.MemoryStore store = new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json"));
        AbResult result = run(plan(PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.STOP), store, router, time, 1001, 0.10, 0.10);
        assertEquals(AbOutcome.INCONCLUSIVE, result.outcome());
        assertEquals(AbVerdict.STOPPED, result.verdict());
        assertEquals(50, router.weight);
        AbResult aborted = new AbTestRun(store, router, new AbFakes.Traffic(time, 1, 1, 50, 0, 0), null, time, time, NO_WAIT)
                .abort("by hand");
        assertEquals(AbVerdict.ABORTED, aborted.verdict());
        assertEquals(0, router.weight);
    }

    /**
     * A counter reset that keeps the totals above the baseline (here the control's trials counter, on the model
     * server, restarts while its conversions, counted by the application, go on): the counts went down since the
     * previous analysis. Looking at them would make the control convert 33 % and win; the analysis is skipped.
     */
    @Test
    public void countsThatWentDownSinceTheLastAnalysisAreSkippedNotLookedAt() throws Exception {
        AbFakes.Time time = new AbFakes.Time();
        List<ArmCounts> totals = new ArrayList<>(List.of(ArmCounts.ZERO, new ArmCounts(1000, 100, 1000, 100),
                new ArmCounts(300, 100, 2000, 200)));
        ArmSource source = new ArmSource() {
            @Override
            public ArmCounts counts(Instant at) {
                return totals.size() > 1 ? totals.remove(0) : totals.get(0);
            }

            @Override
            public ArmCounts baseline(Instant at) {
                return counts(at);
            }

            @Override
            public String describe() {
                return "scripted totals";
            }
        };
        AbFakes.Router router = new AbFakes.Router();
        AbPlan plan = new AbPlan("churn", "2", "1", 50, Duration.ofMinutes(20), Duration.ofMinutes(10), 100, 0, 0.05, 0.05,
                PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.ROLLBACK, AbMetric.prometheus("t_a", "c_a", "t_b", "c_b"));
        AbResult result = new AbTestRun(new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router, source, null, time,
                time, NO_WAIT).start(plan);
        assertEquals(AbOutcome.INCONCLUSIVE, result.outcome());
        assertEquals(2, result.analyses().size());
        AbAnalysis reset = result.analyses().get(1);
        assertNull(reset.look());
        assertNull(reset.counts());
        assertEquals("a count went down since analysis 1 (a counter reset?): control 100/300, candidate 200/2000 after control 100/1000,"
                + " candidate 100/1000", reset.note());
        assertEquals(0, router.weight);
    }

    @Test
    public void tooLittleTrafficIsInconclusive() throws Exception {
        AbFakes.Router router = new AbFakes.Router();
        AbFakes.Time time = new AbFakes.Time();
        AbPlan plan = plan();
        AbResult result = new AbTestRun(new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router,
                new AbFakes.Traffic(time, 5, 0, 50, 0.1, 0.5), null, time, time, NO_WAIT).start(plan);
        assertEquals(AbOutcome.INCONCLUSIVE, result.outcome());
        assertNull(result.interval());
        assertEquals(48, result.analyses().size());
        assertTrue(result.reason(), result.reason().contains("no analysis reached the minimum sample of 100"));
        assertEquals(0, router.weight);
    }

    @Test
    public void theSampleSizeEndsTheTest() throws Exception {
        AbPlan plan = new AbPlan("churn", "2", null, 50, Duration.ofHours(8), Duration.ofMinutes(10), 100, 3000, 0.05, 0.05,
                PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.ROLLBACK, AbMetric.prometheus("a", "b", "c", "d"));
        AbResult result = run(plan, new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), new AbFakes.Router(),
                new AbFakes.Time(), 1001, 0.10, 0.10);
        assertEquals(AbOutcome.INCONCLUSIVE, result.outcome());
        assertTrue(result.counts().smallerArm() >= 3000);
        assertTrue(result.analyses().size() < 48);
        assertTrue(result.reason(), result.reason().contains("sample of 3000 per arm reached"));
    }

    @Test
    public void aFailingSourceSkipsAnalysesAndTheRunGoesOn() throws Exception {
        AbFakes.Time time = new AbFakes.Time();
        AbFakes.Traffic traffic = new AbFakes.Traffic(time, 1, 200, 50, 0.10, 0.10);
        AbFakes.Router router = new AbFakes.Router();
        AbTestRun run = new AbTestRun(new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router, traffic, null, time,
                time, NO_WAIT);
        traffic.counts(time.instant()); // the baseline is read before the failure
        AbFakes.Time t = time;
        AbResult result = new AbTestRun(new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("t.json")), router, new ArmSource() {
            int calls;

            @Override
            public ArmCounts counts(java.time.Instant at) {
                if (++calls <= 3) {
                    throw new DeployException("prometheus down");
                }
                return traffic.counts(at);
            }

            @Override
            public ArmCounts baseline(java.time.Instant at) {
                return traffic.baseline(at);
            }

            @Override
            public String describe() {
                return "flaky";
            }
        }, null, t, t, NO_WAIT).start(plan());
        assertTrue(result.analyses().get(0).note().contains("prometheus down"));
        assertNull(result.analyses().get(0).counts());
        assertNotNull(result.analyses().get(3).look());
        assertNotNull(run);
    }

    @Test
    public void aRouterThatFailsAtTheSplitRollsBack() throws Exception {
        AbFakes.Router router = new AbFakes.Router();
        router.failFromWeight = 50;
        AbResult result = run(plan(), new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json")), router, new AbFakes.Time(), 1,
                0.1, 0.1);
        assertEquals(AbVerdict.ROLLED_BACK, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("the router failed: router refused 50 %"));
        assertEquals(0, router.weight);
        assertTrue(result.analyses().isEmpty());
    }

    @Test
    public void aRollbackTheRouterRefusesIsPendingUntilResumed() throws Exception {
        AbFakes.Router router = new AbFakes.Router();
        AbFakes.Time time = new AbFakes.Time();
        router.failFromWeight = 0;
        AbFakes.MemoryStore store = new AbFakes.MemoryStore(tmp.getRoot().toPath().resolve("s.json"));
        DeployException e = assertThrows(DeployException.class, () -> run(plan(), store, router, time, 7, 0.13, 0.10));
        assertTrue(e.getMessage(), e.getMessage().contains("could not be set back to 0 %"));
        assertEquals(AbPhase.ROLLING_BACK, store.state.phase());
        assertNotNull(store.state.pending());
        router.failFromWeight = -1;
        AbResult result = new AbTestRun(store, router, new AbFakes.Traffic(time, 7, 200, 50, 0.13, 0.10), null, time, time, NO_WAIT)
                .resume();
        assertEquals(AbVerdict.ROLLED_BACK, result.verdict());
        assertEquals(AbOutcome.CONTROL_WINS, result.outcome());
        assertEquals(0, router.weight);
    }

    @Test
    public void abortInTheMiddleRollsBack() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("state.json");
        AbFakes.Router router = new AbFakes.Router();
        AbFakes.Time time = new AbFakes.Time();
        // stop the driver after the fourth save (three analyses in), as a kill would
        assertThrows(AbFakes.Crash.class, () -> run(plan(), new AbFakes.CrashingStore(file, 5), router, time, 1001, 0.1, 0.1));
        AbStateStore store = new AbStateStore(file);
        assertEquals(AbPhase.RUNNING, store.load().phase());
        assertEquals(50, router.weight);
        AbResult result = new AbTestRun(store, router, new AbFakes.Traffic(time, 1001, 200, 50, 0.1, 0.1), null, time, time, NO_WAIT)
                .abort("aborted by request");
        assertEquals(AbVerdict.ABORTED, result.verdict());
        assertEquals(0, router.weight);
        assertEquals(AbPhase.DONE, store.load().phase());
        assertEquals(3, result.analyses().size());
        assertTrue(result.findings().stream().anyMatch(f -> f.check().equals("ab_test.aborted")));
    }

    /**
     * A crash after every save in turn, and a crash right after every router change, then --resume from
     * the state file: each ends DONE with the router where its verdict says, and with the same
     * conclusion as the run that was not interrupted (the traffic and the schedule are the same).
     */
    @Test
    public void aCrashBetweenAnyTwoActionsResumesToTheSameConsistentEnd() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("state.json");
        for (double[] rates : new double[][] {{0.10, 0.13}, {0.13, 0.10}, {0.10, 0.10}}) {
            AbFakes.Router reference = new AbFakes.Router();
            AbFakes.JsonStore referenceStore = new AbFakes.JsonStore(file);
            AbResult uninterrupted = run(plan(), referenceStore, reference, new AbFakes.Time(), 42, rates[0], rates[1]);
            for (int crashAfter = 1; crashAfter < referenceStore.saves; crashAfter++) {
                AbFakes.JsonStore store = new AbFakes.JsonStore(file);
                store.crashAfter = crashAfter;
                check(rates, uninterrupted, reference.weight, store, new AbFakes.Router(), "crash after save " + crashAfter);
            }
            for (int sets = 0; sets < reference.applied.size(); sets++) {
                AbFakes.Router router = new AbFakes.Router();
                router.crashAfterSets = sets;
                check(rates, uninterrupted, reference.weight, new AbFakes.JsonStore(file), router, "crash after router set " + (sets + 1));
            }
        }
    }

    private void check(double[] rates, AbResult expected, int expectedWeight, AbFakes.JsonStore store, AbFakes.Router router,
            String what) throws Exception {
        AbFakes.Time time = new AbFakes.Time();
        AbFakes.Traffic traffic = new AbFakes.Traffic(time, 42, 200, 50, rates[0], rates[1]);
        try {
            new AbTestRun(store, router, traffic, null, time, time, NO_WAIT).start(plan());
            fail(what + ": did not crash");
        } catch (AbFakes.Crash crash) {
            // the process is gone; its state file and the router stay as the crash left them
        }
        store.crashAfter = -1;
        AbResult result = new AbTestRun(store, router, traffic, null, time, time, NO_WAIT).resume();
        assertEquals(what, AbPhase.DONE, store.load().phase());
        assertEquals(what, expected.verdict(), result.verdict());
        assertEquals(what, expected.outcome(), result.outcome());
        assertEquals(what, expectedWeight, router.weight);
        assertEquals(what, expected.counts(), result.counts());
        assertEquals(what, expected.analyses().size(), result.analyses().size());
        assertEquals(what, expected.interval()[0], result.interval()[0], 0);
    }

    @Test
    public void aSecondStartOnTheSameStateIsRefused() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("s.json");
        run(plan(), new AbStateStore(file), new AbFakes.Router(), new AbFakes.Time(), 1, 0.1, 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(plan(), new AbStateStore(file), new AbFakes.Router(), new AbFakes.Time(), 1, 0.1, 0.1));
        assertTrue(e.getMessage(), e.getMessage().contains("already holds an A/B test"));
    }
}
