package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.behaviour.OutputDistribution;

/**
 * Everything a shadow run needs to continue after any interruption, written to its state file before
 * every action (as {@link CanaryState} is).
 *
 * <pre>
 *  STARTING (mirror on) ──▶ COLLECTING (until duration / request count) ──judged──▶ STOPPING (mirror off) ──▶ DONE
 *      │ mirror failed                                      abort ─────────────────────▶ STOPPING
 *      └────────────────────────────────────────────────────────────────────────────────▶ STOPPING (REJECTED)
 * </pre>
 *
 * @param mirrorOn what the mirror was last told; {@code mirrorConfirmed} whether it reported it back
 * @param mirrorSince when mirroring was confirmed: the capture window starts there
 * @param collectUntil when collecting ends at the latest
 * @param judgedAt the end of the window that was judged; null before
 * @param verdict set when judged (or on failure or abort)
 * @param pending set when the mirror could not be stopped: the run stopped with exit 3, resume finishes
 * @param metrics the comparison's metrics, once judged
 * @param results the behaviour checks' results, once judged
 * @param distribution both versions' outputs over the same bins, once judged (for the report page)
 */
@JsonPropertyOrder({"schema", "phase", "verdict", "reason", "pending", "mirror_on", "mirror_confirmed", "mirror_since",
    "collect_until", "judged_at", "metrics", "results", "distribution", "mirror_description", "started_at", "plan", "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShadowState(String schema, ShadowPlan plan, ShadowPhase phase, boolean mirrorOn, boolean mirrorConfirmed,
        Instant mirrorSince, Instant collectUntil, Instant judgedAt, ShadowVerdict verdict, String reason, String pending,
        Map<String, Double> metrics, List<CheckResult> results, OutputDistribution distribution, String mirrorDescription,
        Instant startedAt,
        List<TimelineEvent> timeline) implements Serializable {
    public static final String SCHEMA = "ml-stages/shadow-state-v1";

    public ShadowState {
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("not a shadow state of a known version (schema '" + schema + "'; this release reads "
                    + SCHEMA + ")");
        }
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(startedAt, "started_at");
        if ((phase == ShadowPhase.STOPPING || phase == ShadowPhase.DONE) && verdict == null) {
            throw new IllegalArgumentException("a shadow run in phase " + phase + " needs a verdict");
        }
        if (phase == ShadowPhase.COLLECTING && (mirrorSince == null || collectUntil == null)) {
            throw new IllegalArgumentException("a collecting shadow run needs mirror_since and collect_until");
        }
        metrics = metrics == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        results = results == null ? null : List.copyOf(results);
        timeline = List.copyOf(timeline == null ? List.of() : timeline);
    }

    @JsonIgnore
    public boolean isDone() {
        return phase == ShadowPhase.DONE;
    }

    Builder edit() {
        return new Builder(this);
    }

    /** A mutable copy for the run's transitions. */
    static final class Builder {
        ShadowPlan plan;
        ShadowPhase phase;
        boolean mirrorOn;
        boolean mirrorConfirmed;
        Instant mirrorSince;
        Instant collectUntil;
        Instant judgedAt;
        ShadowVerdict verdict;
        String reason;
        String pending;
        Map<String, Double> metrics;
        List<CheckResult> results;
        OutputDistribution distribution;
        String mirrorDescription;
        Instant startedAt;
        List<TimelineEvent> timeline;

        Builder(ShadowPlan plan, String mirrorDescription, Instant now) {
            this.plan = plan;
            this.phase = ShadowPhase.STARTING;
            this.mirrorOn = true;
            this.mirrorDescription = mirrorDescription;
            this.startedAt = now;
            this.timeline = new ArrayList<>();
        }

        Builder(ShadowState s) {
            plan = s.plan;
            phase = s.phase;
            mirrorOn = s.mirrorOn;
            mirrorConfirmed = s.mirrorConfirmed;
            mirrorSince = s.mirrorSince;
            collectUntil = s.collectUntil;
            judgedAt = s.judgedAt;
            verdict = s.verdict;
            reason = s.reason;
            pending = s.pending;
            metrics = s.metrics;
            results = s.results;
            distribution = s.distribution;
            mirrorDescription = s.mirrorDescription;
            startedAt = s.startedAt;
            timeline = new ArrayList<>(s.timeline);
        }

        /** Weight is always 0: a shadow never sends users to the candidate. */
        Builder event(Instant time, String event, String message) {
            timeline.add(new TimelineEvent(time.toString(), 1, 0, event, message, null, List.of()));
            return this;
        }

        /** Ends collection with a verdict: the mirror is stopped next. */
        Builder stop(ShadowVerdict verdict, String reason) {
            this.phase = ShadowPhase.STOPPING;
            this.verdict = verdict;
            this.reason = reason;
            this.mirrorOn = false;
            this.mirrorConfirmed = false;
            return this;
        }

        ShadowState build() {
            return new ShadowState(SCHEMA, plan, phase, mirrorOn, mirrorConfirmed, mirrorSince, collectUntil, judgedAt, verdict,
                    reason, pending, metrics, results, distribution, mirrorDescription, startedAt, timeline);
        }
    }
}
