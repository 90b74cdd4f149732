package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.Test;

import io.jenkins.plugins.mlstages.deploy.CanaryAction.Analyse;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.Done;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.PromoteAliases;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.RestoreAliases;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.SetWeight;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.WaitUntil;
import io.jenkins.plugins.mlstages.deploy.CanaryController.Decision;

/** Every transition of the pure controller, without a driver. */
public class CanaryControllerTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final AnalysisCheck CHECK = AnalysisCheck.absolute("error_rate", "errors", null, 0.01);
    static final List<CheckResult> PASS = List.of(CHECK.judge(OptionalDouble.of(0.001), OptionalDouble.empty()));
    static final List<CheckResult> FAIL = List.of(CHECK.judge(OptionalDouble.of(0.5), OptionalDouble.empty()));
    static final List<CheckResult> NO_DATA = List.of(CHECK.judge(OptionalDouble.empty(), OptionalDouble.empty()));

    static CanaryPlan plan() {
        return CanaryPlan.of("fraud", "2", List.of(10, 50, 100), Duration.ofSeconds(60), List.of(CHECK));
    }

    static CanaryState started(CanaryPlan plan) {
        return CanaryController.start(plan, "1", "0", "router", "metrics", T0);
    }

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Started, step 1's weight confirmed at T0. */
    static CanaryState atStep1(CanaryPlan plan) {
        return CanaryController.onWeightConfirmed(CanaryController.next(started(plan), T0).state(), 10, T0);
    }

    @Test
    public void startIntendsTheFirstWeightAndRemembersTheAliases() {
        CanaryState s = started(plan());
        assertEquals(CanaryPhase.PROGRESSING, s.phase());
        assertEquals(RouterState.intended(10), s.router());
        assertEquals("1", s.stableVersion());
        assertEquals("1", s.originalChampion());
        assertEquals("0", s.originalPrevious());
        assertNull(s.verdict());
        assertEquals("started", s.timeline().get(0).event());
        Decision d = CanaryController.next(s, T0);
        assertEquals(new SetWeight(10), d.action());
        assertSame("nothing new to persist", s, d.state());
    }

    @Test
    public void startRefusesTheChampionItselfAndPromotesAPlanOfOnlyOneHundred() {
        assertThrows(IllegalArgumentException.class, () -> CanaryController.start(plan(), "2", null, "r", "m", T0));
        CanaryPlan direct = CanaryPlan.of("fraud", "2", List.of(100), Duration.ofSeconds(60), List.of(CHECK));
        CanaryState s = CanaryController.start(direct, "1", null, "r", "m", T0);
        assertEquals(CanaryPhase.PROMOTING, s.phase());
        assertEquals(CanaryVerdict.PROMOTED, s.verdict());
        assertEquals(new SetWeight(100), CanaryController.next(s, T0).action());
    }

    @Test
    public void aConfirmedWeightStartsTheStepClock() {
        CanaryState s = atStep1(plan());
        assertEquals(new RouterState(10, true), s.router());
        assertEquals(T0, s.stepStartedAt());
        assertEquals(at(60), s.nextAnalysisAt());
        assertEquals(new WaitUntil(at(60)), CanaryController.next(s, at(10)).action());
        assertEquals(new Analyse(), CanaryController.next(s, at(60)).action());
        assertEquals(new Analyse(), CanaryController.next(s, at(600)).action());
    }

    @Test
    public void aPassingAnalysisAtTheEndOfTheStepAdvancesAndIntendsTheNextWeight() {
        CanaryState s = CanaryController.onAnalysed(atStep1(plan()), PASS, at(60));
        assertEquals(1, s.stepIndex());
        assertNull(s.stepStartedAt());
        assertEquals(0, s.analysesInStep());
        Decision d = CanaryController.next(s, at(60));
        assertEquals(new SetWeight(50), d.action());
        assertEquals(RouterState.intended(50), d.state().router());
        assertEquals("analysis", s.timeline().get(s.timeline().size() - 1).event());
        assertEquals(CheckVerdict.PASS, s.timeline().get(s.timeline().size() - 1).verdict());
    }

    @Test
    public void analysesWithinAStepAreSpacedAndTheStepNeedsAllOfThem() {
        CanaryPlan plan = plan().withAnalysesPerStep(3);
        CanaryState s = atStep1(plan);
        assertEquals(at(20), s.nextAnalysisAt());
        s = CanaryController.onAnalysed(s, PASS, at(20));
        assertEquals(0, s.stepIndex());
        assertEquals(at(40), s.nextAnalysisAt());
        s = CanaryController.onAnalysed(s, PASS, at(40));
        assertEquals(0, s.stepIndex());
        s = CanaryController.onAnalysed(s, PASS, at(60));
        assertEquals(1, s.stepIndex());
    }

    @Test
    public void aFailureBelowTheLimitExtendsTheStepAndAPassResetsTheCounters() {
        CanaryState s = atStep1(plan().withFailureLimit(3));
        s = CanaryController.onAnalysed(s, FAIL, at(60));
        s = CanaryController.onAnalysed(s, FAIL, at(120));
        assertEquals(CanaryPhase.PROGRESSING, s.phase());
        assertEquals(0, s.stepIndex());
        assertEquals(2, s.consecutiveFailures());
        assertEquals(at(180), s.nextAnalysisAt());
        s = CanaryController.onAnalysed(s, PASS, at(180));
        assertEquals(0, s.consecutiveFailures());
        assertEquals(1, s.stepIndex());
    }

    @Test
    public void theFailureLimitRollsBack() {
        CanaryState s = CanaryController.onAnalysed(atStep1(plan().withFailureLimit(2)), FAIL, at(60));
        s = CanaryController.onAnalysed(s, FAIL, at(120));
        assertEquals(CanaryPhase.ROLLING_BACK, s.phase());
        assertEquals(CanaryVerdict.ROLLED_BACK, s.verdict());
        assertEquals("2 failed analyses (failure limit 2): error_rate 0.5 [<= 0.01] FAIL", s.reason());
        assertEquals("rolling_back", s.timeline().get(s.timeline().size() - 1).event());
        assertEquals(new SetWeight(0), CanaryController.next(s, at(120)).action());
    }

    @Test
    public void failuresAndInconclusivesDoNotResetEachOther() {
        // Alternating fail / no data must still end: each counts since the last pass.
        CanaryState s = atStep1(plan().withFailureLimit(2).withInconclusive(3, InconclusivePolicy.ROLLBACK, null));
        s = CanaryController.onAnalysed(s, FAIL, at(60));
        s = CanaryController.onAnalysed(s, NO_DATA, at(120));
        assertEquals(CanaryPhase.PROGRESSING, s.phase());
        s = CanaryController.onAnalysed(s, FAIL, at(180));
        assertEquals(CanaryPhase.ROLLING_BACK, s.phase());
    }

    @Test
    public void theInconclusiveLimitRollsBackByDefault() {
        CanaryState s = CanaryController.onAnalysed(atStep1(plan()), NO_DATA, at(60));
        assertEquals(CanaryPhase.PROGRESSING, s.phase());
        s = CanaryController.onAnalysed(s, NO_DATA, at(120));
        assertEquals(CanaryPhase.ROLLING_BACK, s.phase());
        assertEquals("2 inconclusive analyses (inconclusive limit 2): error_rate no data [<= 0.01] INCONCLUSIVE: "
                + "the canary query returned no data", s.reason());
    }

    @Test
    public void holdKeepsTheWeightThenPassesOnOrTimesOut() {
        CanaryPlan plan = plan().withInconclusive(1, InconclusivePolicy.HOLD, Duration.ofSeconds(150));
        CanaryState held = CanaryController.onAnalysed(atStep1(plan), NO_DATA, at(60));
        assertEquals(CanaryPhase.PROGRESSING, held.phase());
        assertEquals(at(60), held.holdingSince());
        assertEquals("hold", held.timeline().get(held.timeline().size() - 1).event());
        assertEquals(new WaitUntil(at(120)), CanaryController.next(held, at(60)).action());

        CanaryState recovered = CanaryController.onAnalysed(held, PASS, at(120));
        assertNull(recovered.holdingSince());
        assertEquals(1, recovered.stepIndex());

        CanaryState still = CanaryController.onAnalysed(held, NO_DATA, at(120));
        assertEquals(CanaryPhase.PROGRESSING, still.phase());
        assertEquals(at(60), still.holdingSince());
        CanaryState timedOut = CanaryController.onAnalysed(CanaryController.onAnalysed(still, NO_DATA, at(180)), NO_DATA, at(240));
        assertEquals(CanaryPhase.ROLLING_BACK, timedOut.phase());
        assertTrue(timedOut.reason(), timedOut.reason().startsWith("held for PT3M without a conclusive analysis (hold timeout PT2M30S)"));

        CanaryState failing = CanaryController.onAnalysed(held, FAIL, at(120));
        assertEquals("a failure still counts while holding", CanaryPhase.ROLLING_BACK, failing.phase());
    }

    @Test
    public void theLastStepIsThePromotion() {
        CanaryState s = CanaryController.onAnalysed(atStep1(plan()), PASS, at(60));
        s = CanaryController.onWeightConfirmed(CanaryController.next(s, at(60)).state(), 50, at(60));
        s = CanaryController.onAnalysed(s, PASS, at(120));
        assertEquals(CanaryPhase.PROMOTING, s.phase());
        assertEquals(CanaryVerdict.PROMOTED, s.verdict());
        assertEquals(2, s.stepIndex());
        assertEquals(new SetWeight(100), CanaryController.next(s, at(120)).action());
        s = CanaryController.onWeightConfirmed(CanaryController.next(s, at(120)).state(), 100, at(121));
        assertEquals(new PromoteAliases("fraud", "champion", "2", "previous", "1"), CanaryController.next(s, at(121)).action());
        s = CanaryController.onAliasesApplied(s, at(122));
        assertEquals(CanaryPhase.DONE, s.phase());
        assertEquals(new Done(CanaryVerdict.PROMOTED), CanaryController.next(s, at(122)).action());
        assertEquals("promoted", s.timeline().get(s.timeline().size() - 1).event());
        assertEquals(100, s.targetWeight());
    }

    @Test
    public void aRollbackRestoresTheOriginalAliases() {
        CanaryState s = CanaryController.onAbort(atStep1(plan()), "stop", at(5));
        assertEquals(CanaryVerdict.ABORTED, s.verdict());
        s = CanaryController.onWeightConfirmed(CanaryController.next(s, at(5)).state(), 0, at(6));
        assertEquals(new RestoreAliases("fraud", "champion", "1", "previous", "0"), CanaryController.next(s, at(6)).action());
        s = CanaryController.onAliasesApplied(s, at(7));
        assertEquals(new Done(CanaryVerdict.ABORTED), CanaryController.next(s, at(7)).action());
        assertEquals("aborted", s.timeline().get(s.timeline().size() - 1).event());
        assertEquals(0, s.targetWeight());
    }

    @Test
    public void aRouterFailureRollsBackGoingForwardAndIsPendingRollingBack() {
        CanaryState forward = CanaryController.onRouterFailed(started(plan()), "nginx -t failed", T0);
        assertEquals(CanaryPhase.ROLLING_BACK, forward.phase());
        assertEquals("the router failed: nginx -t failed", forward.reason());
        assertFalse(forward.router().confirmed());

        CanaryState promoting = CanaryController.start(CanaryPlan.of("m", "2", List.of(100), Duration.ofSeconds(1), List.of()),
                "1", null, "r", "m", T0);
        assertEquals(CanaryPhase.ROLLING_BACK, CanaryController.onRouterFailed(promoting, "down", T0).phase());

        CanaryState pending = CanaryController.onRouterFailed(forward, "still down", at(1));
        assertEquals(CanaryPhase.ROLLING_BACK, pending.phase());
        assertEquals("router failed while rolling back: still down", pending.pending());
        assertEquals("pending", pending.timeline().get(pending.timeline().size() - 1).event());
    }

    @Test
    public void aRegistryFailureLeavesPromotionOrRollbackPendingAndResumeClearsIt() {
        CanaryState promoting = CanaryController.start(CanaryPlan.of("m", "2", List.of(100), Duration.ofSeconds(1), List.of()),
                "1", null, "r", "m", T0);
        CanaryState pending = CanaryController.onAliasesFailed(promoting, "503", T0);
        assertEquals(CanaryPhase.PROMOTING, pending.phase());
        assertEquals("promotion pending, the registry failed: 503", pending.pending());
        CanaryState resumed = CanaryController.onResumed(pending, at(1));
        assertNull(resumed.pending());
        assertFalse(resumed.router().confirmed());
        assertEquals("resumed", resumed.timeline().get(resumed.timeline().size() - 1).event());
    }

    @Test
    public void resumeReappliesTheLastIntendedWeightButKeepsTheStepClock() {
        CanaryState s = atStep1(plan());
        CanaryState resumed = CanaryController.onResumed(s, at(30));
        assertEquals(RouterState.intended(10), resumed.router());
        assertEquals(new SetWeight(10), CanaryController.next(resumed, at(30)).action());
        CanaryState again = CanaryController.onWeightConfirmed(resumed, 10, at(31));
        assertEquals(T0, again.stepStartedAt());
        assertEquals(at(60), again.nextAnalysisAt());
    }

    @Test
    public void abortInEveryPhase() {
        assertEquals(CanaryVerdict.ABORTED, CanaryController.onAbort(started(plan()), "x", T0).verdict());
        CanaryState rolling = CanaryController.onAnalysed(atStep1(plan()), FAIL, at(60));
        CanaryState rollingBack = CanaryController.onRouterFailed(started(plan()), "down", T0);
        assertEquals("a rollback under way keeps its verdict", CanaryVerdict.ROLLED_BACK,
                CanaryController.onAbort(rollingBack, "x", T0).verdict());
        assertEquals(CanaryPhase.ROLLING_BACK, CanaryController.onAbort(rolling, "x", T0).phase());
        CanaryState done = CanaryController.onAliasesApplied(CanaryController.onWeightConfirmed(rollingBack, 0, T0), T0);
        assertSame(done, CanaryController.onAbort(done, "x", at(9)));
    }

    @Test
    public void outcomesOnlyApplyInTheirPhase() {
        CanaryState rollingBack = CanaryController.onRouterFailed(started(plan()), "down", T0);
        assertThrows(IllegalStateException.class, () -> CanaryController.onAnalysed(rollingBack, PASS, T0));
        assertThrows(IllegalStateException.class, () -> CanaryController.onAliasesApplied(started(plan()), T0));
    }

    @Test
    public void theControllerIsAFunctionOfItsInputs() {
        CanaryState a = CanaryController.onAnalysed(atStep1(plan()), FAIL, at(60));
        CanaryState b = CanaryController.onAnalysed(atStep1(plan()), FAIL, at(60));
        assertEquals(a, b);
        assertEquals(CanaryController.next(a, at(61)), CanaryController.next(b, at(61)));
    }
}
