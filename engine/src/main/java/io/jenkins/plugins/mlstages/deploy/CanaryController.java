package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeResult;

/**
 * The canary as a pure state machine: no I/O, no clock. {@link #next} says what to do in a state (and
 * gives the state to persist before doing it); the {@code on…} methods give the state after an
 * action's outcome. The driver ({@link CanaryRun}) persists, acts, and feeds outcomes back.
 *
 * <pre>
 *            weight confirmed / analysis passed, step done            last step reached
 *  PROGRESSING ───────────────────────────────▶ next step ───────────────▶ PROMOTING ──▶ DONE (PROMOTED)
 *      │  failure limit, inconclusive limit (rollback), hold timeout,          │
 *      │  router failure, abort                                     router failure, abort
 *      ▼                                                                       ▼
 *  ROLLING_BACK (router → 0, aliases restored) ─────────────────────────▶ DONE (ROLLED_BACK | ABORTED)
 * </pre>
 *
 * A router or registry failure in PROMOTING's alias step or anywhere in ROLLING_BACK does not change
 * the phase: it sets {@code pending}, the driver stops (exit 3), and {@code resume} does the rest.
 *
 * <p>A blue/green deployment ({@link CanaryPlan#isBlueGreen()}, docs/bluegreen.md) starts in SMOKE, where the
 * router is not touched: smoke checks passed, it goes PROGRESSING at its only step, 100 (the switch), whose interval
 * is the analysis window; its analyses passed, it promotes. Smoke checks that fail or have no answer roll it back
 * (router to 0, which it already is, aliases as they were).
 */
public final class CanaryController {
    private CanaryController() {
    }

    /** The first state: step 1's weight intended, nothing applied yet. */
    public static CanaryState start(CanaryPlan plan, String originalChampion, String originalPrevious,
            String routerDescription, String metricsDescription, Instant now) {
        if (plan.version().equals(originalChampion)) {
            throw new IllegalArgumentException("version " + plan.version() + " of '" + plan.model() + "' is already the "
                    + plan.championAlias() + ": nothing to deploy");
        }
        CanaryState.Builder b = new CanaryState.Builder(plan, now);
        b.stableVersion = originalChampion;
        b.originalChampion = originalChampion;
        b.originalPrevious = originalPrevious;
        b.routerDescription = routerDescription;
        b.metricsDescription = metricsDescription;
        if (plan.isBlueGreen()) {
            b.event(now, "started", "blue/green deployment of " + plan.model() + " version " + plan.version() + " (green) against "
                    + (originalChampion == null ? "no champion" : "version " + originalChampion + " (blue)") + "; smoke checks, then"
                    + " all traffic to green and an analysis window of " + plan.interval());
        } else {
            b.event(now, "started", "canary of " + plan.model() + " version " + plan.version() + " against "
                    + (originalChampion == null ? "no champion" : "stable version " + originalChampion) + ", steps "
                    + plan.steps() + " every " + plan.interval());
        }
        if (plan.lastStep() == 0 && !plan.isBlueGreen()) {
            promote(b, now, "the plan has no analysis step (steps [100])");
        }
        return b.build();
    }

    /** What to do now, and the state to persist before doing it (the same state when nothing is intended anew). */
    public static Decision next(CanaryState s, Instant now) {
        if (s.isDone()) {
            return new Decision(s, new CanaryAction.Done(s.verdict()));
        }
        if (s.phase() == CanaryPhase.SMOKE) {
            // nothing has been switched: the smoke checks have no side effect and simply run again after a resume
            return new Decision(s, new CanaryAction.Smoke());
        }
        int target = s.targetWeight();
        if (!s.router().isConfirmedAt(target)) {
            CanaryState intended = s.router().equals(RouterState.intended(target)) ? s
                    : s.edit().router(RouterState.intended(target)).build();
            return new Decision(intended, new CanaryAction.SetWeight(target));
        }
        CanaryPlan plan = s.plan();
        switch (s.phase()) {
            case PROMOTING:
                return new Decision(s, new CanaryAction.PromoteAliases(plan.model(), plan.championAlias(), plan.version(),
                        plan.previousAlias(), s.stableVersion()));
            case ROLLING_BACK:
                return new Decision(s, new CanaryAction.RestoreAliases(plan.model(), plan.championAlias(),
                        s.originalChampion(), plan.previousAlias(), s.originalPrevious()));
            default:
                if (now.isBefore(s.nextAnalysisAt())) {
                    return new Decision(s, new CanaryAction.WaitUntil(s.nextAnalysisAt()));
                }
                return new Decision(s, new CanaryAction.Analyse());
        }
    }

    /** The router applied and reported {@code weight}. */
    public static CanaryState onWeightConfirmed(CanaryState s, int weight, Instant now) {
        CanaryState.Builder b = s.edit().router(new RouterState(weight, true));
        if (s.phase() == CanaryPhase.PROGRESSING && s.stepStartedAt() == null) {
            b.stepStartedAt = now;
            b.nextAnalysisAt = now.plus(s.plan().analysisSpacing());
            b.analysesInStep = 0;
            b.event(now, "weight", "router at " + weight + " % canary; step " + (s.stepIndex() + 1) + " of "
                    + s.plan().steps().size() + " for " + s.plan().interval());
        } else {
            b.event(now, "weight", "router at " + weight + " % canary");
        }
        return b.build();
    }

    /**
     * The router failed (after the driver's retries) to apply or report the weight. Going forward, that
     * rolls the canary back; rolling back, it leaves the rollback pending.
     */
    public static CanaryState onRouterFailed(CanaryState s, String error, Instant now) {
        if (s.phase() == CanaryPhase.ROLLING_BACK || s.isDone()) {
            return pending(s, "router failed while rolling back: " + error, now);
        }
        CanaryState.Builder b = s.edit();
        b.event(now, "router_failed", error);
        rollBack(b, CanaryVerdict.ROLLED_BACK, "the router failed: " + error, now);
        return b.build();
    }

    /** The registry failed (after its retries) to move the aliases: promotion or rollback stays pending. */
    public static CanaryState onAliasesFailed(CanaryState s, String error, Instant now) {
        return pending(s, (s.phase() == CanaryPhase.PROMOTING ? "promotion" : "rollback") + " pending, the registry failed: "
                + error, now);
    }

    /** The aliases agree with the router: the canary has ended. */
    public static CanaryState onAliasesApplied(CanaryState s, Instant now) {
        if (s.phase() != CanaryPhase.PROMOTING && s.phase() != CanaryPhase.ROLLING_BACK) {
            throw new IllegalStateException("aliases moved in phase " + s.phase());
        }
        CanaryState.Builder b = s.edit();
        b.phase = CanaryPhase.DONE;
        b.pending = null;
        String aliases = s.plan().championAlias() + " -> " + (s.phase() == CanaryPhase.PROMOTING ? s.plan().version()
                : s.originalChampion() == null ? "(unset)" : s.originalChampion());
        switch (s.verdict()) {
            case PROMOTED:
                b.event(now, "promoted", "all traffic on version " + s.plan().version() + "; " + aliases);
                break;
            case ABORTED:
                b.event(now, "aborted", "all traffic on the stable version; " + aliases);
                break;
            default:
                b.event(now, "rolled_back", "all traffic on the stable version; " + aliases);
        }
        return b.build();
    }

    /** An analysis ran: record it, then advance, extend the step, hold, promote or roll back. */
    public static CanaryState onAnalysed(CanaryState s, List<CheckResult> results, Instant now) {
        return onAnalysed(s, results, null, now);
    }

    /**
     * As {@link #onAnalysed(CanaryState, List, Instant)}, with the behaviour comparison the behaviour rules
     * among {@code results} judged, kept in the timeline for the report.
     */
    public static CanaryState onAnalysed(CanaryState s, List<CheckResult> results, ProbeResult behaviour, Instant now) {
        if (s.phase() != CanaryPhase.PROGRESSING) {
            throw new IllegalStateException("analysis in phase " + s.phase());
        }
        CanaryPlan plan = s.plan();
        CheckVerdict verdict = CheckVerdict.of(results);
        CanaryState.Builder b = s.edit();
        b.analysesInStep = s.analysesInStep() + 1;
        b.nextAnalysisAt = now.plus(plan.analysisSpacing());
        String values = results.isEmpty() ? "no checks" : results.stream().map(CheckResult::line).collect(Collectors.joining(", "));
        b.timeline.add(new TimelineEvent(now.toString(), s.stepIndex() + 1, s.router().weight(), "analysis",
                "analysis " + b.analysesInStep + " of step " + (s.stepIndex() + 1) + ": " + verdict + " (" + values + ")",
                verdict, results, behaviour));
        switch (verdict) {
            case PASS:
                b.consecutiveFailures = 0;
                b.consecutiveInconclusives = 0;
                b.holdingSince = null;
                if (b.analysesInStep >= plan.analysesPerStep()) {
                    advance(b, now);
                }
                break;
            case FAIL:
                b.consecutiveFailures = s.consecutiveFailures() + 1;
                if (b.consecutiveFailures >= plan.failureLimit()) {
                    rollBack(b, CanaryVerdict.ROLLED_BACK, b.consecutiveFailures + " failed analys"
                            + (b.consecutiveFailures == 1 ? "is" : "es") + " (failure limit " + plan.failureLimit() + "): "
                            + failed(results), now);
                }
                break;
            default:
                b.consecutiveInconclusives = s.consecutiveInconclusives() + 1;
                if (b.consecutiveInconclusives >= plan.inconclusiveLimit()) {
                    inconclusive(b, s, results, now);
                }
        }
        return b.build();
    }

    /**
     * Blue/green: the smoke checks ran ({@code results}: one per smoke request, then the behaviour rules). All passed:
     * switch all traffic to green; anything else rolls back before the router was touched.
     */
    public static CanaryState onSmoked(CanaryState s, List<CheckResult> results, ProbeResult behaviour, Instant now) {
        if (s.phase() != CanaryPhase.SMOKE) {
            throw new IllegalStateException("smoke checks in phase " + s.phase());
        }
        CheckVerdict verdict = CheckVerdict.of(results);
        long passed = results.stream().filter(r -> r.verdict() == CheckVerdict.PASS).count();
        CanaryState.Builder b = s.edit();
        b.timeline.add(new TimelineEvent(now.toString(), 0, 0, "smoke", "smoke checks: " + verdict + " (" + passed + " of "
                + results.size() + " passed)", verdict, results, behaviour));
        if (verdict == CheckVerdict.PASS) {
            b.phase = CanaryPhase.PROGRESSING;
            b.router = RouterState.intended(100);
            b.event(now, "switching", "smoke checks passed: all traffic to version " + s.plan().version() + " (green)");
        } else {
            String why = verdict == CheckVerdict.FAIL ? "smoke checks failed: " + failed(results)
                    : "smoke checks had no answer: " + inconclusive(results);
            rollBack(b, CanaryVerdict.ROLLED_BACK, why, now);
        }
        return b.build();
    }

    /** A driver picked the canary up again (after a crash, a kill, or a pending failure): re-apply the weight first. */
    public static CanaryState onResumed(CanaryState s, Instant now) {
        if (s.isDone()) {
            return s;
        }
        CanaryState.Builder b = s.edit().router(RouterState.intended(s.router().weight()));
        b.pending = null;
        b.event(now, "resumed", "resumed in phase " + s.phase() + "; the router's weight is applied again");
        return b.build();
    }

    /** Someone asked for a rollback. A finished canary stays as it is; a rollback under way goes on. */
    public static CanaryState onAbort(CanaryState s, String why, Instant now) {
        if (s.isDone() || s.phase() == CanaryPhase.ROLLING_BACK) {
            return onResumed(s, now);
        }
        CanaryState.Builder b = s.edit().router(RouterState.intended(s.router().weight()));
        b.pending = null;
        rollBack(b, CanaryVerdict.ABORTED, why, now);
        return b.build();
    }

    private static void inconclusive(CanaryState.Builder b, CanaryState s, List<CheckResult> results, Instant now) {
        CanaryPlan plan = s.plan();
        String why = b.consecutiveInconclusives + " inconclusive analyses (inconclusive limit " + plan.inconclusiveLimit()
                + "): " + inconclusive(results);
        if (plan.onInconclusive() == InconclusivePolicy.ROLLBACK) {
            rollBack(b, CanaryVerdict.ROLLED_BACK, why, now);
        } else if (s.holdingSince() == null) {
            b.holdingSince = now;
            b.event(now, "hold", why + "; holding at " + s.router().weight() + " % for at most " + plan.holdTimeout());
        } else if (!now.isBefore(s.holdingSince().plus(plan.holdTimeout()))) {
            rollBack(b, CanaryVerdict.ROLLED_BACK, "held for " + Duration.between(s.holdingSince(), now)
                    + " without a conclusive analysis (hold timeout " + plan.holdTimeout() + "): " + inconclusive(results), now);
        }
    }

    private static void advance(CanaryState.Builder b, Instant now) {
        if (b.plan.isBlueGreen()) {
            // the window is the last step: passed, nothing is left to move but the aliases
            b.stepStartedAt = null;
            b.nextAnalysisAt = null;
            promote(b, now, "the smoke checks and the analysis window passed");
            return;
        }
        int next = b.stepIndex + 1;
        b.stepStartedAt = null;
        b.nextAnalysisAt = null;
        b.analysesInStep = 0;
        b.stepIndex = next;
        if (next == b.plan.lastStep()) {
            promote(b, now, "every step's analyses passed");
        }
    }

    private static void promote(CanaryState.Builder b, Instant now, String why) {
        b.phase = CanaryPhase.PROMOTING;
        b.verdict = CanaryVerdict.PROMOTED;
        b.reason = why;
        b.event(now, "promoting", why + ": router to 100 %, " + b.plan.championAlias() + " -> " + b.plan.version()
                + (b.stableVersion == null ? "" : ", " + b.plan.previousAlias() + " -> " + b.stableVersion));
    }

    private static void rollBack(CanaryState.Builder b, CanaryVerdict verdict, String why, Instant now) {
        b.phase = CanaryPhase.ROLLING_BACK;
        b.verdict = verdict;
        b.reason = why;
        b.holdingSince = null;
        b.nextAnalysisAt = null;
        b.event(now, verdict == CanaryVerdict.ABORTED ? "aborting" : "rolling_back", why + ": router to 0 %, "
                + b.plan.championAlias() + " back to " + (b.originalChampion == null ? "(unset)" : b.originalChampion));
    }

    private static CanaryState pending(CanaryState s, String why, Instant now) {
        CanaryState.Builder b = s.edit();
        b.pending = why;
        b.event(now, "pending", why);
        return b.build();
    }

    private static String failed(List<CheckResult> results) {
        return select(results, CheckVerdict.FAIL);
    }

    private static String inconclusive(List<CheckResult> results) {
        return select(results, CheckVerdict.INCONCLUSIVE);
    }

    private static String select(List<CheckResult> results, CheckVerdict verdict) {
        List<String> lines = new ArrayList<>();
        for (CheckResult result : results) {
            if (result.verdict() == verdict) {
                lines.add(result.line());
            }
        }
        return String.join(", ", lines);
    }

    /** The state to persist, then the action to take. */
    public record Decision(CanaryState state, CanaryAction action) {
    }
}
