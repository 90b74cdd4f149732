package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import io.jenkins.plugins.mlstages.deploy.CanaryAction.Analyse;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.Done;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.PromoteAliases;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.RestoreAliases;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.SetWeight;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.Smoke;
import io.jenkins.plugins.mlstages.deploy.CanaryAction.WaitUntil;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeResult;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * Drives a canary: asks {@link CanaryController} what to do, <b>persists the intention to the state
 * file before acting</b>, acts on the router, the metric source or the registry aliases, and persists
 * the outcome. Whatever stops it (a crash, kill -9, a controller restart), {@link #resume} continues
 * from the file: the last intended weight is applied again (router calls are idempotent), an
 * interrupted promotion or rollback is completed.
 *
 * <p>The run ends with the router at 100 % of one version and the aliases agreeing with it. The one
 * exception is infrastructure that stays down: a router that still fails after {@link Backoff}'s
 * retries while rolling back, or a registry that fails while moving aliases. The state then says
 * {@code pending}, the run throws {@link DeployException} (CLI exit 3), and {@link #resume} finishes.
 *
 * <p>One process drives a canary at a time: {@link #start}, {@link #resume} and {@link #abort} hold
 * {@link CanaryStateLock} from before they read the state file until the drive returns, and refuse
 * (DeployException) when another process holds it.
 */
public final class CanaryRun {
    private final CanaryStateStore store;
    private final TrafficRouter router;
    private final MetricSource metrics;
    private final ModelAliases aliases;
    private final StageLog log;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff routerBackoff;
    private final BehaviourSource behaviour;
    private final SmokeSource smoke;

    public CanaryRun(CanaryStateStore store, TrafficRouter router, MetricSource metrics, ModelAliases aliases,
            StageLog log, Clock clock, Sleeper sleeper, Backoff routerBackoff) {
        this(store, router, metrics, aliases, log, clock, sleeper, routerBackoff, BehaviourSource.PROBE);
    }

    /**
     * @param behaviour where behaviour rules get their comparison (plans with a {@link CanaryPlan#behaviour()})
     */
    public CanaryRun(CanaryStateStore store, TrafficRouter router, MetricSource metrics, ModelAliases aliases,
            StageLog log, Clock clock, Sleeper sleeper, Backoff routerBackoff, BehaviourSource behaviour) {
        this(store, router, metrics, aliases, log, clock, sleeper, routerBackoff, behaviour, SmokeSource.HTTP);
    }

    /**
     * @param smoke where a blue/green deployment's smoke checks get their answers (plans with a {@link CanaryPlan#smoke()})
     */
    public CanaryRun(CanaryStateStore store, TrafficRouter router, MetricSource metrics, ModelAliases aliases,
            StageLog log, Clock clock, Sleeper sleeper, Backoff routerBackoff, BehaviourSource behaviour, SmokeSource smoke) {
        this.smoke = Objects.requireNonNull(smoke, "smoke");
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.store = Objects.requireNonNull(store, "store");
        this.router = Objects.requireNonNull(router, "router");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.aliases = Objects.requireNonNull(aliases, "aliases");
        this.log = log == null ? StageLog.NONE : log;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.routerBackoff = Objects.requireNonNull(routerBackoff, "routerBackoff");
    }

    /** A run on the system clock with real sleeps and the default router retries. */
    public CanaryRun(CanaryStateStore store, TrafficRouter router, MetricSource metrics, ModelAliases aliases, StageLog log) {
        this(store, router, metrics, aliases, log, Clock.systemUTC(), Sleeper.SYSTEM, Backoff.DEFAULT);
    }

    /**
     * Starts a new canary. The state file must not exist yet (a canary under way is resumed or
     * aborted, never started over).
     *
     * @throws IllegalArgumentException when the state file exists or the version does not
     * @throws DeployException when another process drives the canary of this state file
     */
    public CanaryResult start(CanaryPlan plan) throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            return startLocked(plan);
        }
    }

    private CanaryResult startLocked(CanaryPlan plan) throws IOException, InterruptedException {
        if (store.exists()) {
            throw new IllegalArgumentException(store.file() + " already holds a canary: resume it, abort it, or choose another state file");
        }
        if (!aliases.exists(plan.model(), plan.version())) {
            throw new IllegalArgumentException("version " + plan.version() + " of model '" + plan.model() + "' does not exist in the registry");
        }
        String champion = aliases.version(plan.model(), plan.championAlias()).orElse(null);
        String previous = aliases.version(plan.model(), plan.previousAlias()).orElse(null);
        CanaryState state = CanaryController.start(plan, champion, previous, router.describe(), metrics.describe(), clock.instant());
        save(state);
        log.info(plan.strategy() + ": " + plan.model() + " version " + plan.version() + " against "
                + (champion == null ? "no champion (first deployment)" : plan.championAlias() + " version " + champion)
                + "; steps " + plan.steps().stream().map(String::valueOf).collect(Collectors.joining(", ")) + " % every "
                + Durations.format(plan.interval()) + "; router " + router.describe() + "; metrics " + metrics.describe()
                + (plan.behaviour() == null ? "" : "; behaviour rules on the " + plan.behaviour().describe())
                + (plan.smoke() == null ? "" : "; smoke checks " + plan.smoke().file() + " to " + plan.smoke().greenUrl())
                + "; state " + store.file());
        return drive(state);
    }

    /**
     * Continues the canary in the state file from wherever it stopped. A finished canary is only reported.
     *
     * @throws CanarySettingException (setting {@code router}) when this run's router is not the one the state file drives
     * @throws DeployException when another process drives the canary of this state file
     */
    public CanaryResult resume() throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            return resumeLocked();
        }
    }

    private CanaryResult resumeLocked() throws IOException, InterruptedException {
        CanaryState state = store.load();
        if (state.isDone()) {
            log.info(state.plan().strategy() + ": " + label(state) + " already ended " + state.verdict() + "; nothing to do");
            return CanaryResult.of(state);
        }
        checkSameRouter(state);
        state = CanaryController.onResumed(state, clock.instant());
        save(state);
        log.info(state.plan().strategy() + ": resuming " + label(state) + " in phase " + state.phase() + " at step " + (state.stepIndex() + 1)
                + "; applying " + state.router().weight() + " % again");
        return drive(state);
    }

    /**
     * Rolls the canary in the state file back: router 100 % stable, aliases as before. A finished canary
     * is only reported. The process driving it must have stopped: a canary is not aborted under its driver.
     *
     * @throws CanarySettingException (setting {@code router}) when this run's router is not the one the state file drives
     * @throws DeployException when another process drives the canary of this state file
     */
    public CanaryResult abort(String why) throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            return abortLocked(why);
        }
    }

    private CanaryResult abortLocked(String why) throws IOException, InterruptedException {
        CanaryState state = store.load();
        if (state.isDone()) {
            log.info(state.plan().strategy() + ": " + label(state) + " already ended " + state.verdict() + "; nothing to abort");
            return CanaryResult.of(state);
        }
        checkSameRouter(state);
        state = CanaryController.onAbort(state, why, clock.instant());
        save(state);
        log.info(state.plan().strategy() + ": aborting " + label(state) + ": " + why);
        return drive(state);
    }

    private CanaryResult drive(CanaryState current) throws InterruptedException {
        CanaryState state = current;
        while (true) {
            CanaryController.Decision decision = CanaryController.next(state, clock.instant());
            if (decision.state() != state) {
                state = decision.state();
                save(state);
            }
            CanaryAction action = decision.action();
            if (action instanceof Done) {
                CanaryResult result = CanaryResult.of(state);
                log.info(state.plan().strategy() + ": " + label(state) + " " + state.verdict() + ": " + state.reason() + "; aliases " + result.aliases());
                return result;
            } else if (action instanceof WaitUntil) {
                Duration wait = Duration.between(clock.instant(), ((WaitUntil) action).time());
                if (!wait.isNegative() && !wait.isZero()) {
                    sleeper.sleep(wait);
                }
            } else if (action instanceof SetWeight) {
                state = setWeight(state, ((SetWeight) action).weight());
            } else if (action instanceof Analyse) {
                state = analyse(state);
            } else if (action instanceof Smoke) {
                state = smoke(state);
            } else if (action instanceof PromoteAliases) {
                state = moveAliases(state, () -> promote((PromoteAliases) action));
            } else {
                state = moveAliases(state, () -> restore((RestoreAliases) action));
            }
        }
    }

    private CanaryState setWeight(CanaryState state, int weight) throws InterruptedException {
        RuntimeException failure = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= routerBackoff.attempts(); attempt++) {
            attempts = attempt;
            try {
                router.setCanaryWeight(weight);
                int reported = router.canaryWeight();
                if (reported != weight) {
                    throw new DeployException(router.describe() + " reports " + reported + " % canary after being set to " + weight + " %");
                }
                failure = null;
                break;
            } catch (RuntimeException e) {
                failure = e;
                if (!routerBackoff.retries(attempt, e)) {
                    break;
                }
                Duration delay = routerBackoff.delay(attempt);
                log.info(state.plan().strategy() + ": router failed to apply " + weight + " % (attempt " + attempt + " of "
                        + routerBackoff.attempts() + "), retrying in " + Durations.format(delay) + ": " + message(e));
                sleeper.sleep(delay);
            }
        }
        if (failure == null) {
            CanaryState confirmed = CanaryController.onWeightConfirmed(state, weight, clock.instant());
            save(confirmed);
            log.info(confirmed.plan().strategy() + ": step " + (confirmed.stepIndex() + 1) + "/" + confirmed.plan().steps().size() + ": router at "
                    + weight + " % canary (" + confirmed.phase().name().toLowerCase(Locale.ROOT) + ")");
            return confirmed;
        }
        CanaryState failed = CanaryController.onRouterFailed(state, message(failure) + " (after "
                + Plural.of(attempts, "attempt") + ")", clock.instant());
        save(failed);
        if (failed.pending() != null) {
            throw pending(failed, failure);
        }
        log.info(failed.plan().strategy() + ": " + failed.reason());
        return failed;
    }

    private CanaryState analyse(CanaryState state) throws InterruptedException {
        Instant at = clock.instant();
        List<CheckResult> results = new ArrayList<>();
        for (AnalysisCheck check : state.plan().checks()) {
            try {
                OptionalDouble canary = metrics.query(check.query(), at);
                OptionalDouble stable = check.isRelative() ? metrics.query(check.stableQuery(), at) : OptionalDouble.empty();
                results.add(check.judge(canary, stable));
            } catch (RuntimeException e) {
                // A failing metric source is no evidence either way: inconclusive, counted against the inconclusive limit.
                results.add(check.failed("metric source failed: " + message(e)));
            }
        }
        ProbeResult comparison = judgeBehaviour(state.plan().behaviour(), results);
        CanaryState analysed = CanaryController.onAnalysed(state, results, comparison, clock.instant());
        save(analysed);
        log.info(analysisLine(state, analysed));
        return analysed;
    }

    /**
     * Judges the behaviour rules (none: null) on a fresh comparison, adding their results; the comparison, for the
     * timeline, or null when it failed: no comparison is no evidence either way, so the rules are inconclusive.
     */
    private ProbeResult judgeBehaviour(BehaviourPlan rules, List<CheckResult> results) throws InterruptedException {
        if (rules == null) {
            return null;
        }
        try {
            ProbeResult comparison = behaviour.compare(rules);
            results.addAll(comparison.judge(rules.checks()));
            return comparison;
        } catch (RuntimeException e) {
            for (BehaviourCheck rule : rules.checks()) {
                results.add(rule.failed("behaviour comparison failed: " + message(e)));
            }
            return null;
        }
    }

    /** Blue/green: the smoke requests to green, then the behaviour rules once; nothing is switched yet. */
    private CanaryState smoke(CanaryState state) throws InterruptedException {
        CanaryPlan plan = state.plan();
        List<CheckResult> results = new ArrayList<>();
        try {
            results.addAll(smoke.check(plan.smoke()));
        } catch (RuntimeException e) {
            // an unreadable smoke file is no evidence that green works: inconclusive, which rolls back
            results.add(new CheckResult("smoke", plan.smoke().file(), null, null, null, CheckVerdict.INCONCLUSIVE, null, null,
                    null, "smoke checks failed to run: " + message(e)));
        }
        ProbeResult comparison = judgeBehaviour(plan.behaviour(), results);
        CanaryState smoked = CanaryController.onSmoked(state, results, comparison, clock.instant());
        save(smoked);
        TimelineEvent event = smoked.timeline().stream().filter(e -> "smoke".equals(e.event())).reduce((a, b) -> b).orElseThrow();
        log.info(plan.strategy() + ": " + event.message() + (smoked.phase() == CanaryPhase.PROGRESSING
                ? "; switching all traffic to green now" : "; " + smoked.reason() + "; traffic stays on blue"));
        return smoked;
    }

    private String analysisLine(CanaryState before, CanaryState after) {
        TimelineEvent event = after.analysisHistory().get(after.analysisHistory().size() - 1);
        String values = event.analyses().isEmpty() ? "no checks"
                : event.analyses().stream().map(CheckResult::line).collect(Collectors.joining(", "));
        String next;
        if (after.phase() == CanaryPhase.PROMOTING) {
            next = "promoting now";
        } else if (after.phase() == CanaryPhase.ROLLING_BACK) {
            next = "rolling back now: " + after.reason();
        } else if (after.stepIndex() != before.stepIndex()) {
            next = "next step now (" + after.targetWeight() + " %)";
        } else {
            Duration toNext = Duration.between(clock.instant(), after.nextAnalysisAt());
            int left = after.plan().analysesPerStep() - after.analysesInStep();
            if (event.verdict() != CheckVerdict.PASS) {
                next = "next analysis in " + Durations.format(toNext) + " (" + after.consecutiveFailures() + " of "
                        + after.plan().failureLimit() + " failures, " + after.consecutiveInconclusives() + " of "
                        + after.plan().inconclusiveLimit() + " inconclusive" + (after.holdingSince() != null ? "; holding" : "") + ")";
            } else if (left > 0) {
                next = "next step in " + Durations.format(after.plan().analysisSpacing().multipliedBy(left)) + " if the analyses pass";
            } else {
                next = "next analysis in " + Durations.format(toNext);
            }
        }
        return before.plan().strategy() + ": step " + (before.stepIndex() + 1) + "/" + before.plan().steps().size() + " at " + before.router().weight()
                + " %: analysis " + event.verdict() + " (" + values + "); " + next;
    }

    private CanaryState moveAliases(CanaryState state, Runnable move) {
        try {
            move.run();
        } catch (RuntimeException e) {
            CanaryState failed = CanaryController.onAliasesFailed(state, message(e), clock.instant());
            save(failed);
            throw pending(failed, e);
        }
        CanaryState done = CanaryController.onAliasesApplied(state, clock.instant());
        save(done);
        return done;
    }

    private void promote(PromoteAliases promote) {
        if (promote.stableVersion() != null) {
            aliases.set(promote.model(), promote.previousAlias(), promote.stableVersion());
        }
        aliases.set(promote.model(), promote.championAlias(), promote.version());
    }

    private void restore(RestoreAliases restore) {
        restoreAlias(restore.model(), restore.championAlias(), restore.originalChampion());
        restoreAlias(restore.model(), restore.previousAlias(), restore.originalPrevious());
    }

    private void restoreAlias(String model, String alias, String version) {
        if (version == null) {
            aliases.remove(model, alias);
        } else {
            aliases.set(model, alias, version);
        }
    }

    /** Persists a state; a state file that cannot be written stops the run before the action it was to record (exit 3). */
    private void save(CanaryState state) {
        try {
            store.save(state);
        } catch (IOException e) {
            throw new DeployException("cannot write the canary state file " + store.file() + ": " + e
                    + "; it still holds the previous state: resume once it can be written", e);
        }
    }

    private DeployException pending(CanaryState state, Throwable cause) {
        return new DeployException(state.pending() + "; the state file " + store.file()
                + " records it: resume the canary to finish", cause);
    }

    /** Driving another router than the one the canary moved would leave that one's traffic split. */
    private void checkSameRouter(CanaryState state) {
        if (state.routerDescription() != null && !state.routerDescription().equals(router.describe())) {
            throw new CanarySettingException("router", store.file() + " was started with " + state.routerDescription()
                    + ", not with " + router.describe() + ": resume or abort it with the router options it was started with");
        }
    }

    private static String label(CanaryState state) {
        return state.plan().model() + " version " + state.plan().version();
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
