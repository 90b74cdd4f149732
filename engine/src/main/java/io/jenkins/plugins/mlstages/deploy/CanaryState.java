package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Everything a canary needs to continue, in any process, after any interruption: the plan, where it
 * is, what the router was last told, what the aliases were before, and its whole timeline. Written to
 * the state file ({@link CanaryStateStore}) before every action; changed only by {@link CanaryController}.
 *
 * @param schema always {@value #SCHEMA}
 * @param stepIndex 0-based index into {@code plan.steps()}
 * @param router the weight last told to the router, and whether it was confirmed
 * @param stableVersion the version the champion alias pointed at when the canary started (what a
 *        rollback returns to); null when the model had no champion
 * @param originalChampion the champion alias before the canary (= {@code stableVersion}); null when unset
 * @param originalPrevious the previous alias before the canary; null when unset
 * @param stepStartedAt when the router confirmed the current step's weight; null before that
 * @param nextAnalysisAt when the next analysis of the step is due; null before the step started
 * @param analysesInStep analyses run in the current step
 * @param consecutiveFailures failed analyses since the last passing one
 * @param consecutiveInconclusives inconclusive analyses since the last passing one
 * @param holdingSince with the hold policy: when the canary started holding; null when not holding
 * @param verdict set when promotion or rollback begins
 * @param reason why the canary is rolling back or was promoted, one line
 * @param pending set when an action could not be completed (router or registry failing after its
 *        retries): the run stopped with exit 3 and {@code resume} finishes it
 * @param routerDescription the router the canary drives, to warn a resume that uses another one
 * @param metricsDescription where analyses read their numbers
 * @param startedAt when the canary started
 * @param timeline every step, analysis and transition, oldest first
 */
@JsonPropertyOrder({"schema", "phase", "verdict", "reason", "pending", "step_index", "router", "stable_version",
    "original_champion", "original_previous", "step_started_at", "next_analysis_at", "analyses_in_step",
    "consecutive_failures", "consecutive_inconclusives", "holding_since", "router_description", "metrics_description",
    "started_at", "plan", "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryState(String schema, CanaryPlan plan, CanaryPhase phase, int stepIndex, RouterState router,
        String stableVersion, String originalChampion, String originalPrevious, Instant stepStartedAt,
        Instant nextAnalysisAt, int analysesInStep, int consecutiveFailures, int consecutiveInconclusives,
        Instant holdingSince, CanaryVerdict verdict, String reason, String pending, String routerDescription,
        String metricsDescription, Instant startedAt, List<TimelineEvent> timeline) implements Serializable {
    public static final String SCHEMA = "ml-stages/canary-state-v1";

    public CanaryState {
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("not a canary state of a known version (schema '" + schema
                    + "'; this release reads " + SCHEMA + ")");
        }
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(startedAt, "started_at");
        if (stepIndex < 0 || stepIndex > plan.lastStep()) {
            throw new IllegalArgumentException("step index " + stepIndex + " is outside the plan's " + plan.steps().size() + " steps");
        }
        if (phase != CanaryPhase.PROGRESSING && phase != CanaryPhase.SMOKE && verdict == null) {
            throw new IllegalArgumentException("a canary in phase " + phase + " needs a verdict");
        }
        timeline = List.copyOf(timeline == null ? List.of() : timeline);
    }

    /** The weight the current phase drives the router to. */
    @JsonIgnore
    public int targetWeight() {
        switch (phase) {
            case PROMOTING:
                return 100;
            case ROLLING_BACK:
            case SMOKE:
                return 0;
            case DONE:
                return verdict == CanaryVerdict.PROMOTED ? 100 : 0;
            default:
                return plan.steps().get(stepIndex);
        }
    }

    @JsonIgnore
    public boolean isDone() {
        return phase == CanaryPhase.DONE;
    }

    /** The analyses so far, oldest first (the {@code analysis} entries of the timeline). */
    @JsonIgnore
    public List<TimelineEvent> analysisHistory() {
        return timeline.stream().filter(TimelineEvent::isAnalysis).toList();
    }

    Builder edit() {
        return new Builder(this);
    }

    /** Copies a state with some fields changed; only the controller changes states. */
    static final class Builder {
        CanaryPlan plan;
        CanaryPhase phase;
        int stepIndex;
        RouterState router;
        String stableVersion;
        String originalChampion;
        String originalPrevious;
        Instant stepStartedAt;
        Instant nextAnalysisAt;
        int analysesInStep;
        int consecutiveFailures;
        int consecutiveInconclusives;
        Instant holdingSince;
        CanaryVerdict verdict;
        String reason;
        String pending;
        String routerDescription;
        String metricsDescription;
        Instant startedAt;
        final List<TimelineEvent> timeline;

        Builder(CanaryState s) {
            plan = s.plan;
            phase = s.phase;
            stepIndex = s.stepIndex;
            router = s.router;
            stableVersion = s.stableVersion;
            originalChampion = s.originalChampion;
            originalPrevious = s.originalPrevious;
            stepStartedAt = s.stepStartedAt;
            nextAnalysisAt = s.nextAnalysisAt;
            analysesInStep = s.analysesInStep;
            consecutiveFailures = s.consecutiveFailures;
            consecutiveInconclusives = s.consecutiveInconclusives;
            holdingSince = s.holdingSince;
            verdict = s.verdict;
            reason = s.reason;
            pending = s.pending;
            routerDescription = s.routerDescription;
            metricsDescription = s.metricsDescription;
            startedAt = s.startedAt;
            timeline = new ArrayList<>(s.timeline);
        }

        Builder(CanaryPlan plan, Instant startedAt) {
            this.plan = plan;
            // a blue/green deployment leaves the router alone until its smoke checks passed
            this.phase = plan.isBlueGreen() ? CanaryPhase.SMOKE : CanaryPhase.PROGRESSING;
            this.router = RouterState.intended(plan.isBlueGreen() ? 0 : plan.steps().get(0));
            this.startedAt = startedAt;
            this.timeline = new ArrayList<>();
        }

        Builder router(RouterState value) {
            router = value;
            return this;
        }

        /** Appends a timeline entry at the current step and router weight. */
        Builder event(Instant time, String event, String message) {
            timeline.add(new TimelineEvent(time.toString(), stepIndex + 1, router.weight(), event, message, null, List.of()));
            return this;
        }

        CanaryState build() {
            return new CanaryState(SCHEMA, plan, phase, stepIndex, router, stableVersion, originalChampion,
                    originalPrevious, stepStartedAt, nextAnalysisAt, analysesInStep, consecutiveFailures,
                    consecutiveInconclusives, holdingSince, verdict, reason, pending, routerDescription,
                    metricsDescription, startedAt, timeline);
        }
    }
}
