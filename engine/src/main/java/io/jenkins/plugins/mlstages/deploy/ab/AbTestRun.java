package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryStateLock;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * Drives an A/B test: the split on the router, an analysis every interval with {@link MixtureSprt},
 * then the router to 100 % (the promotion rule holds), back to 0 % (it does not, or an abort), or left
 * as it is ({@code otherwise stop}). Like the canary it <b>saves its intention before acting</b> and
 * holds {@link CanaryStateLock} on the state file, so whatever stops it (kill -9 included), {@link #resume}
 * ends it consistently: the router weight in the state is applied again (idempotent), analyses go on
 * from the saved baseline and schedule, and a decision already reached is kept. A router that cannot be
 * set back to 0 % leaves the run pending (exit 3).
 */
public final class AbTestRun {
    private final AbStateStore store;
    private final TrafficRouter router;
    private final ArmSource source;
    private final StageLog log;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;

    public AbTestRun(AbStateStore store, TrafficRouter router, ArmSource source, StageLog log, Clock clock, Sleeper sleeper,
            Backoff backoff) {
        this.store = Objects.requireNonNull(store, "store");
        this.router = Objects.requireNonNull(router, "router");
        this.source = Objects.requireNonNull(source, "source");
        this.log = log == null ? StageLog.NONE : log;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    public AbTestRun(AbStateStore store, TrafficRouter router, ArmSource source, StageLog log) {
        this(store, router, source, log, Clock.systemUTC(), Sleeper.SYSTEM, Backoff.DEFAULT);
    }

    /** Starts a new test; the state file must not exist yet. */
    public AbResult start(AbPlan plan) throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            if (store.exists()) {
                throw new IllegalArgumentException(store.file() + " already holds an A/B test: resume it, abort it, or choose another "
                        + "state file");
            }
            Instant now = clock.instant();
            AbState.Builder b = new AbState.Builder(plan, router.describe(), source.describe(), now);
            b.event(now, "started", "A/B test of " + plan.model() + " version " + plan.version() + " at " + plan.weight() + " % for "
                    + Durations.format(plan.duration()) + (plan.sample() > 0 ? " or " + plan.sample() + " trials per arm" : "")
                    + "; mSPRT alpha " + plan.alpha() + ", mixing sd " + plan.mixingSd() + ", min sample " + plan.minSample()
                    + " per arm; promote when " + plan.promoteWhen().text());
            AbState state = b.build();
            save(state);
            log.info("ab-test: " + plan.model() + " version " + plan.version() + " gets " + plan.weight() + " % of traffic for up to "
                    + Durations.format(plan.duration()) + "; router " + router.describe() + "; counts from " + source.describe()
                    + "; state " + store.file());
            return drive(state);
        }
    }

    /** Continues the test in the state file; a finished test is only reported. */
    public AbResult resume() throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            AbState state = store.load();
            if (state.isDone()) {
                log.info("ab-test: " + label(state) + " already ended " + state.verdict() + "; nothing to do");
                return AbResult.of(state);
            }
            checkSameRouter(state);
            AbState.Builder b = state.edit();
            b.routerConfirmed = false;
            b.pending = null;
            b.event(clock.instant(), "resumed", "resumed in phase " + state.phase() + "; weight " + state.weight()
                    + " % is applied again");
            state = b.build();
            save(state);
            log.info("ab-test: resuming " + label(state) + " in phase " + state.phase());
            return drive(state);
        }
    }

    /** Ends the test in the state file: router back to 0 %, verdict ABORTED. A finished test keeps its verdict. */
    public AbResult abort(String why) throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            AbState state = store.load();
            // a stopped test left its split for people to decide: aborting it is how they roll it back
            if (state.isDone() && state.verdict() != AbVerdict.STOPPED) {
                log.info("ab-test: " + label(state) + " already ended " + state.verdict() + "; nothing to abort");
                return AbResult.of(state);
            }
            checkSameRouter(state);
            AbState.Builder b = state.edit();
            b.pending = null;
            if (state.phase() == AbPhase.ROLLING_BACK) {
                b.routerConfirmed = false;
                b.event(clock.instant(), "resumed", "abort asked while rolling back: the router goes to 0 %, the verdict stays");
            } else {
                b.end(AbVerdict.ABORTED, why).event(clock.instant(), "aborting", why + ": router to 0 %");
            }
            state = b.build();
            save(state);
            log.info("ab-test: aborting " + label(state) + ": " + why);
            return drive(state);
        }
    }

    private AbResult drive(AbState current) throws InterruptedException {
        AbState state = current;
        while (true) {
            switch (state.phase()) {
                case DONE:
                    log.info("ab-test: " + label(state) + " " + state.verdict() + ": " + state.reason());
                    return AbResult.of(state);
                case STARTING:
                    state = split(state);
                    break;
                case RUNNING:
                    state = state.routerConfirmed() ? analyse(state) : split(state);
                    break;
                case PROMOTING:
                    state = promote(state);
                    break;
                default:
                    state = rollBack(state);
            }
        }
    }

    /** Sets the split (again, after a resume); a new test then reads its baseline and starts its schedule. */
    private AbState split(AbState state) throws InterruptedException {
        String failure = apply(state.weight());
        Instant now = clock.instant();
        AbState.Builder b = state.edit();
        if (failure != null) {
            b.event(now, "router_failed", failure);
            b.end(AbVerdict.ROLLED_BACK, "the router failed: " + failure).event(now, "rolling_back", "no test: router to 0 %");
        } else if (state.phase() == AbPhase.STARTING) {
            ArmCounts baseline;
            try {
                baseline = source.baseline(now);
            } catch (DeployException e) {
                b.event(now, "source_failed", e.getMessage());
                b.end(AbVerdict.ROLLED_BACK, "the counts could not be read: " + e.getMessage()).event(now, "rolling_back",
                        "no test: router to 0 %");
                AbState next = b.build();
                save(next);
                log.info("ab-test: " + next.reason());
                return next;
            }
            b.routerConfirmed = true;
            b.phase = AbPhase.RUNNING;
            b.baseline = baseline;
            b.splitSince = now;
            b.runUntil = now.plus(state.plan().duration());
            b.nextAnalysisAt = now.plus(state.plan().interval());
            b.event(now, "weight", "split set: candidate " + state.weight() + " %, control " + (100 - state.weight())
                    + " % until " + b.runUntil);
        } else {
            b.routerConfirmed = true;
            b.event(now, "weight", "split set again: candidate " + state.weight() + " %");
        }
        AbState next = b.build();
        save(next);
        log.info("ab-test: " + (failure == null ? "candidate at " + state.weight() + " %; first analysis at " + next.nextAnalysisAt()
                : next.reason()));
        return next;
    }

    private AbState analyse(AbState state) throws InterruptedException {
        AbPlan plan = state.plan();
        Instant now = clock.instant();
        if (now.isBefore(state.nextAnalysisAt())) {
            sleeper.sleep(Duration.between(now, state.nextAnalysisAt()));
            return state;
        }
        ArmCounts counts = null;
        String note = null;
        try {
            counts = source.counts(now).minus(state.baseline());
            note = counts.problem();
            if (note == null && source.runningTotals()) {
                note = wentDown(state, counts);
            }
            if (note != null) {
                counts = null;
            }
        } catch (DeployException e) {
            note = "counts not read: " + e.getMessage();
        }
        AbAnalysis previous = state.lastLook();
        MixtureSprt.Look look = null;
        if (counts != null) {
            if (counts.smallerArm() >= plan.minSample()) {
                look = plan.test().look(counts, previous == null ? null : previous.look());
            } else {
                note = "below the minimum sample of " + plan.minSample() + " per arm";
            }
        }
        AbOutcome decided = look == null ? null : decide(plan, look);
        boolean timeUp = !now.isBefore(state.runUntil());
        boolean sampled = plan.sample() > 0 && counts != null && counts.smallerArm() >= plan.sample();
        AbState.Builder b = state.edit();
        b.analyses.add(new AbAnalysis(now.toString(), counts, look, note));
        Instant next = now.plus(plan.interval());
        b.nextAnalysisAt = next.isAfter(state.runUntil()) ? state.runUntil() : next;
        String line = (counts == null ? "" : counts + ": ") + (look == null ? note : String.format(java.util.Locale.ROOT,
                "difference %+.4f, always-valid p %.4g, %s%% interval [%+.4f, %+.4f]", look.difference(), look.pValue(),
                percent(plan.alpha()), look.ciLow(), look.ciHigh()));
        b.event(now, "analysis", "analysis " + b.analyses.size() + ": " + line);
        if (decided != null || timeUp || sampled) {
            AbOutcome outcome = decided != null ? decided : AbOutcome.INCONCLUSIVE;
            b.outcome = outcome;
            String why = decided != null ? outcome.text() + " (" + line + ")"
                    : "inconclusive after " + Plural.of(b.analyses.size(), "analysis", "analyses") + " ("
                            + (sampled ? "sample of " + plan.sample() + " per arm reached" : "duration over")
                            + (previous == null && look == null ? "; no analysis reached the minimum sample of " + plan.minSample()
                                    + " per arm" : "") + "): " + line;
            if (plan.promoteWhen().promotes(outcome)) {
                b.end(AbVerdict.PROMOTED, why).event(now, "promoting", "promote when " + plan.promoteWhen().text()
                        + " holds: router to 100 %");
            } else if (plan.otherwise() == NoWinnerAction.STOP) {
                b.end(AbVerdict.STOPPED, why).event(now, "stopped", "promote when " + plan.promoteWhen().text()
                        + " does not hold: the split stays at " + state.weight() + " % for people to decide");
            } else {
                b.end(AbVerdict.ROLLED_BACK, why).event(now, "rolling_back", "promote when " + plan.promoteWhen().text()
                        + " does not hold: router to 0 %");
            }
        }
        AbState after = b.build();
        save(after);
        log.info("ab-test: analysis " + after.analyses().size() + ": " + line + (after.verdict() == null ? ""
                : "; " + after.verdict() + ": " + after.reason()));
        return after;
    }

    /**
     * Running totals never go down: counts below an earlier analysis's are a counter reset (a pod of the sum
     * restarted) that the baseline does not cover, and would be a look at a different, smaller sample. Null
     * when the counts are at least the last counted analysis's.
     */
    private static String wentDown(AbState state, ArmCounts counts) {
        for (int i = state.analyses().size() - 1; i >= 0; i--) {
            ArmCounts earlier = state.analyses().get(i).counts();
            if (earlier != null) {
                boolean up = counts.controlTrials() >= earlier.controlTrials() && counts.controlConversions() >= earlier.controlConversions()
                        && counts.candidateTrials() >= earlier.candidateTrials()
                        && counts.candidateConversions() >= earlier.candidateConversions();
                return up ? null : "a count went down since analysis " + (i + 1) + " (a counter reset?): " + counts + " after " + earlier;
            }
        }
        return null;
    }

    /**
     * The decision at one look: the always-valid interval of (candidate − control) above 0, above −margin
     * (rule not-worse), or below 0; null while it straddles them.
     */
    static AbOutcome decide(AbPlan plan, MixtureSprt.Look look) {
        if (look.ciLow() > 0) {
            return AbOutcome.CANDIDATE_WINS;
        }
        if (plan.promoteWhen() == PromoteRule.NOT_WORSE && look.ciLow() > -plan.margin()) {
            return AbOutcome.CANDIDATE_NOT_WORSE;
        }
        if (look.ciHigh() < 0) {
            return AbOutcome.CONTROL_WINS;
        }
        return null;
    }

    private AbState promote(AbState state) throws InterruptedException {
        String failure = apply(100);
        Instant now = clock.instant();
        AbState.Builder b = state.edit();
        if (failure != null) {
            b.event(now, "router_failed", failure);
            b.end(AbVerdict.ROLLED_BACK, "the promotion failed: " + failure + " (the test concluded: " + state.reason() + ")")
                    .event(now, "rolling_back", "router to 0 %");
        } else {
            b.routerConfirmed = true;
            b.phase = AbPhase.DONE;
            b.event(now, "promoted", "candidate at 100 %");
        }
        AbState next = b.build();
        save(next);
        return next;
    }

    private AbState rollBack(AbState state) throws InterruptedException {
        String failure = apply(0);
        Instant now = clock.instant();
        AbState.Builder b = state.edit();
        if (failure != null) {
            b.pending = "the router could not be set back to 0 %: " + failure;
            b.event(now, "pending", b.pending);
            AbState pending = b.build();
            save(pending);
            throw new DeployException("ab-test " + label(state) + ": " + pending.pending() + "; run --resume to finish");
        }
        b.routerConfirmed = true;
        b.phase = AbPhase.DONE;
        b.event(now, state.verdict() == AbVerdict.ABORTED ? "aborted" : "rolled_back", "control at 100 %; " + state.verdict());
        AbState done = b.build();
        save(done);
        return done;
    }

    /** Sets the weight and reads it back, with retries; null on success, else why it failed. */
    private String apply(int weight) throws InterruptedException {
        RuntimeException failure = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= backoff.attempts(); attempt++) {
            attempts = attempt;
            try {
                router.setCanaryWeight(weight);
                int read = router.canaryWeight();
                if (read != weight) {
                    throw new DeployException(router.describe() + " reports " + read + " % after being set to " + weight + " %");
                }
                return null;
            } catch (RuntimeException e) {
                failure = e;
                if (!backoff.retries(attempt, e)) {
                    break;
                }
                Duration delay = backoff.delay(attempt);
                log.info("ab-test: router failed (attempt " + attempt + " of " + backoff.attempts() + "), retrying in "
                        + Durations.format(delay) + ": " + e.getMessage());
                sleeper.sleep(delay);
            }
        }
        return failure.getMessage() + " (after " + Plural.of(attempts, "attempt") + ")";
    }

    private void save(AbState state) {
        try {
            store.save(state);
        } catch (IOException e) {
            throw new DeployException("cannot write the A/B test state file " + store.file() + ": " + e
                    + "; it still holds the previous state: resume once it can be written", e);
        }
    }

    /** Driving another router than the one the test split would leave that one split. */
    private void checkSameRouter(AbState state) {
        if (state.routerDescription() != null && !state.routerDescription().equals(router.describe())) {
            throw new CanarySettingException("router", store.file() + " was started with " + state.routerDescription()
                    + ", not with " + router.describe() + ": resume or abort it with the router options it was started with");
        }
    }

    static String percent(double alpha) {
        double p = (1 - alpha) * 100;
        return p == Math.rint(p) ? Long.toString(Math.round(p)) : Double.toString(p);
    }

    private static String label(AbState state) {
        return state.plan().model() + "/" + state.plan().version();
    }
}
