package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * Drives a shadow run: mirror on, collect what the capture records for the duration (or until the
 * request count), compare the two versions' answers and judge the behaviour checks, mirror off. Like
 * {@link CanaryRun}, it <b>saves its intention before acting</b> and holds {@link CanaryStateLock} on
 * the state file, so whatever stops it (kill -9 included), {@link #resume} ends it consistently: the
 * mirror state is applied again (idempotent), collection goes on until the saved deadline, a verdict
 * already reached is kept. It never changes what users receive and never moves an alias; the only
 * thing it drives is the mirror. A mirror that cannot be stopped leaves the run pending (exit 3).
 */
public final class ShadowRun {
    /** More pairs than this are not read at once: bounded memory, whatever the traffic. */
    static final int MAX_PAIRS = 200_000;

    private final ShadowStateStore store;
    private final ShadowMirror mirror;
    private final CaptureSource capture;
    private final StageLog log;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;

    public ShadowRun(ShadowStateStore store, ShadowMirror mirror, CaptureSource capture, StageLog log, Clock clock, Sleeper sleeper,
            Backoff backoff) {
        this.store = Objects.requireNonNull(store, "store");
        this.mirror = Objects.requireNonNull(mirror, "mirror");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.log = log == null ? StageLog.NONE : log;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    public ShadowRun(ShadowStateStore store, ShadowMirror mirror, CaptureSource capture, StageLog log) {
        this(store, mirror, capture, log, Clock.systemUTC(), Sleeper.SYSTEM, Backoff.DEFAULT);
    }

    /** Starts a new shadow run; the state file must not exist yet. */
    public ShadowResult start(ShadowPlan plan) throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            if (store.exists()) {
                throw new IllegalArgumentException(store.file() + " already holds a shadow run: resume it, abort it, or choose another state file");
            }
            Instant now = clock.instant();
            ShadowState.Builder b = new ShadowState.Builder(plan, mirror.describe(), now);
            b.event(now, "started", "shadow of " + plan.model() + " version " + plan.version() + " for "
                    + Durations.format(plan.duration()) + (plan.requests() > 0 ? " or " + plan.requests() + " requests" : "")
                    + "; checks " + plan.checks().stream().map(c -> c.metric()).collect(Collectors.joining(", ")));
            ShadowState state = b.build();
            save(state);
            log.info("shadow: " + plan.model() + " version " + plan.version() + " receives a copy of live traffic for "
                    + Durations.format(plan.duration()) + "; mirror " + mirror.describe() + "; capture " + plan.captureFolder()
                    + "; state " + store.file());
            return drive(state);
        }
    }

    /** Continues the run in the state file; a finished run is only reported. */
    public ShadowResult resume() throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            ShadowState state = store.load();
            if (state.isDone()) {
                log.info("shadow: " + label(state) + " already ended " + state.verdict() + "; nothing to do");
                return ShadowResult.of(state);
            }
            checkSameMirror(state);
            ShadowState.Builder b = state.edit();
            b.mirrorConfirmed = false;
            b.pending = null;
            b.event(clock.instant(), "resumed", "resumed in phase " + state.phase() + "; mirroring " + (state.mirrorOn() ? "on" : "off")
                    + " is applied again");
            state = b.build();
            save(state);
            log.info("shadow: resuming " + label(state) + " in phase " + state.phase());
            return drive(state);
        }
    }

    /** Stops the run in the state file before it is judged: mirror off, verdict ABORTED. A judged run keeps its verdict. */
    public ShadowResult abort(String why) throws IOException, InterruptedException {
        try (CanaryStateLock lock = CanaryStateLock.acquire(store.file())) {
            ShadowState state = store.load();
            if (state.isDone()) {
                log.info("shadow: " + label(state) + " already ended " + state.verdict() + "; nothing to abort");
                return ShadowResult.of(state);
            }
            checkSameMirror(state);
            ShadowState.Builder b = state.edit();
            b.pending = null;
            if (state.phase() == ShadowPhase.STOPPING) {
                b.mirrorConfirmed = false;
                b.event(clock.instant(), "resumed", "abort asked while stopping: the mirror is turned off, the verdict stays");
            } else {
                b.stop(ShadowVerdict.ABORTED, why).event(clock.instant(), "aborting", why + ": mirror off");
            }
            state = b.build();
            save(state);
            log.info("shadow: aborting " + label(state) + ": " + why);
            return drive(state);
        }
    }

    private ShadowResult drive(ShadowState current) throws InterruptedException {
        ShadowState state = current;
        while (true) {
            switch (state.phase()) {
                case DONE: {
                    ShadowResult result = ShadowResult.of(state);
                    log.info("shadow: " + label(state) + " " + state.verdict() + ": " + state.reason());
                    return result;
                }
                case STARTING:
                    state = startMirror(state);
                    break;
                case COLLECTING:
                    state = state.mirrorConfirmed() ? collect(state) : startMirror(state);
                    break;
                default:
                    state = stopMirror(state);
            }
        }
    }

    private ShadowState startMirror(ShadowState state) throws InterruptedException {
        String failure = apply(true);
        Instant now = clock.instant();
        ShadowState.Builder b = state.edit();
        if (failure != null) {
            b.event(now, "router_failed", failure);
            b.stop(ShadowVerdict.REJECTED, "the mirror failed: " + failure).event(now, "stopping", "no comparison: mirror off");
        } else {
            b.mirrorConfirmed = true;
            if (b.phase == ShadowPhase.STARTING) {
                b.phase = ShadowPhase.COLLECTING;
                b.mirrorSince = now;
                b.collectUntil = now.plus(state.plan().duration());
                b.event(now, "mirroring", "a copy of live traffic goes to the capture until " + b.collectUntil);
            } else {
                b.event(now, "mirroring", "mirror on again");
            }
        }
        ShadowState next = b.build();
        save(next);
        log.info("shadow: " + (failure == null ? "mirror on; collecting until " + next.collectUntil() : next.reason()));
        return next;
    }

    private ShadowState collect(ShadowState state) throws InterruptedException {
        ShadowPlan plan = state.plan();
        Instant now = clock.instant();
        // counted only when a request count can end collection: a count reads the window's capture files
        int captured = plan.requests() > 0 ? capture.count(state.mirrorSince(), now) : -1;
        boolean enough = plan.requests() > 0 && captured >= plan.requests();
        if (!enough && now.isBefore(state.collectUntil())) {
            Duration left = Duration.between(now, state.collectUntil());
            log.info("shadow: " + (captured < 0 ? "collecting" : Plural.of(captured, "pair") + " of " + plan.requests()
                    + " captured so far") + "; " + Durations.format(left) + " left");
            sleeper.sleep(left.compareTo(plan.pollInterval()) < 0 ? left : plan.pollInterval());
            return state;
        }
        CaptureComparison compared = capture.compare(state.mirrorSince(), now, enough ? plan.requests() : MAX_PAIRS);
        Map<String, Double> metrics = compared.metrics();
        int judged = metrics.getOrDefault("paired_requests", 0.0).intValue();
        List<CheckResult> results = ShadowChecks.judge(plan.checks(), metrics);
        CheckVerdict verdict = CheckVerdict.of(results);
        ShadowState.Builder b = state.edit();
        b.judgedAt = now;
        b.metrics = metrics;
        b.distribution = compared.distribution();
        b.results = results;
        String values = results.stream().map(CheckResult::line).collect(Collectors.joining(", "));
        b.timeline.add(new TimelineEvent(now.toString(), 1, 0, "analysis", "comparison of " + Plural.of(judged, "paired request")
                + ": " + verdict + " (" + values + ")", verdict, results));
        String reason;
        ShadowVerdict outcome;
        if (judged < plan.minRequests()) {
            outcome = ShadowVerdict.REJECTED;
            reason = "only " + Plural.of(judged, "paired request") + " captured (min " + plan.minRequests()
                    + "): no evidence; is the mirror reaching the capture?";
        } else if (verdict == CheckVerdict.PASS) {
            outcome = ShadowVerdict.PROMOTE_READY;
            reason = "every behaviour check passed on " + Plural.of(judged, "paired request") + ": " + values;
        } else {
            outcome = ShadowVerdict.REJECTED;
            reason = (verdict == CheckVerdict.FAIL ? "behaviour check failed on " : "behaviour check without a value on ")
                    + Plural.of(judged, "paired request") + ": " + results.stream().filter(r -> r.verdict() != CheckVerdict.PASS)
                            .map(CheckResult::line).collect(Collectors.joining(", "));
        }
        b.stop(outcome, reason).event(now, "stopping", reason + "; mirror off");
        ShadowState next = b.build();
        save(next);
        log.info("shadow: " + next.timeline().get(next.timeline().size() - 2).message());
        return next;
    }

    private ShadowState stopMirror(ShadowState state) throws InterruptedException {
        String failure = apply(false);
        Instant now = clock.instant();
        ShadowState.Builder b = state.edit();
        if (failure != null) {
            b.pending = "the mirror could not be turned off: " + failure;
            b.event(now, "pending", b.pending);
            ShadowState pending = b.build();
            save(pending);
            throw new DeployException("shadow " + label(state) + ": " + pending.pending() + "; users still get the live model's "
                    + "answers; run --resume to finish");
        }
        b.mirrorConfirmed = true;
        b.phase = ShadowPhase.DONE;
        b.event(now, state.verdict() == ShadowVerdict.PROMOTE_READY ? "promote_ready"
                : state.verdict() == ShadowVerdict.ABORTED ? "aborted" : "rejected", "mirror off; " + state.verdict());
        ShadowState done = b.build();
        save(done);
        return done;
    }

    /** Sets the mirror and reads it back, with the router's retries; null on success, else why it failed. */
    private String apply(boolean on) throws InterruptedException {
        RuntimeException failure = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= backoff.attempts(); attempt++) {
            attempts = attempt;
            try {
                mirror.setMirroring(on);
                if (mirror.mirroring() != on) {
                    throw new DeployException(mirror.describe() + " reports mirroring " + (on ? "off" : "on") + " after being set "
                            + (on ? "on" : "off"));
                }
                return null;
            } catch (RuntimeException e) {
                failure = e;
                if (!backoff.retries(attempt, e)) {
                    break;
                }
                Duration delay = backoff.delay(attempt);
                log.info("shadow: mirror failed (attempt " + attempt + " of " + backoff.attempts() + "), retrying in "
                        + Durations.format(delay) + ": " + failure.getMessage());
                sleeper.sleep(delay);
            }
        }
        return failure.getMessage() + " (after " + Plural.of(attempts, "attempt") + ")";
    }

    private void save(ShadowState state) {
        try {
            store.save(state);
        } catch (IOException e) {
            throw new DeployException("cannot write the shadow state file " + store.file() + ": " + e
                    + "; it still holds the previous state: resume once it can be written", e);
        }
    }

    /** Driving another mirror than the one the run turned on would leave that one mirroring. */
    private void checkSameMirror(ShadowState state) {
        if (state.mirrorDescription() != null && !state.mirrorDescription().equals(mirror.describe())) {
            throw new CanarySettingException("router", store.file() + " was started with " + state.mirrorDescription()
                    + ", not with " + mirror.describe() + ": resume or abort it with the mirror options it was started with");
        }
    }

    private static String label(ShadowState state) {
        return state.plan().model() + "/" + state.plan().version();
    }
}
