package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.TimelineEvent;

/**
 * Everything an A/B test needs to continue after any interruption, written to its state file before
 * every action (as the canary's is).
 *
 * <pre>
 *  STARTING (router → weight, baseline read) ──▶ RUNNING (analysis every interval)
 *      │ router failed                              │ decided / duration / sample reached
 *      ▼                                            ├── rule holds ──▶ PROMOTING (router → 100) ──▶ DONE (PROMOTED)
 *  ROLLING_BACK (router → 0) ◀── rule fails, rollback ┤                      │ router failed
 *      │                        ◀── abort (any phase) │                      ▼
 *      ▼                                            └── rule fails, stop ──▶ DONE (STOPPED, split left)
 *  DONE (ROLLED_BACK | ABORTED)                            ROLLING_BACK ◀──┘
 * </pre>
 *
 * @param weight what the router was last told (the candidate's %); {@code routerConfirmed} whether it reported it back
 * @param splitSince when the split was confirmed: counting starts there
 * @param runUntil when the test ends at the latest
 * @param nextAnalysisAt when the next analysis is due
 * @param baseline the source's running totals when the split was confirmed; subtracted from every later read
 * @param outcome the test's conclusion, once reached
 * @param pending set when the router could not be set back: the run stopped with exit 3, resume finishes
 */
@JsonPropertyOrder({"schema", "phase", "verdict", "outcome", "reason", "pending", "weight", "router_confirmed", "split_since",
    "run_until", "next_analysis_at", "baseline", "analyses", "router_description", "source_description", "started_at", "plan",
    "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AbState(String schema, AbPlan plan, AbPhase phase, int weight, boolean routerConfirmed, Instant splitSince,
        Instant runUntil, Instant nextAnalysisAt, ArmCounts baseline, List<AbAnalysis> analyses, AbOutcome outcome, AbVerdict verdict,
        String reason, String pending, String routerDescription, String sourceDescription, Instant startedAt,
        List<TimelineEvent> timeline) implements Serializable {
    public static final String SCHEMA = "ml-stages/ab-test-state-v1";

    public AbState {
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("not an A/B test state of a known version (schema '" + schema + "'; this release reads "
                    + SCHEMA + ")");
        }
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(startedAt, "started_at");
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("weight must be 0..100, was " + weight);
        }
        if ((phase == AbPhase.PROMOTING || phase == AbPhase.ROLLING_BACK || phase == AbPhase.DONE) && verdict == null) {
            throw new IllegalArgumentException("an A/B test in phase " + phase + " needs a verdict");
        }
        if (phase == AbPhase.RUNNING && (splitSince == null || runUntil == null || nextAnalysisAt == null || baseline == null)) {
            throw new IllegalArgumentException("a running A/B test needs split_since, run_until, next_analysis_at and baseline");
        }
        analyses = List.copyOf(analyses == null ? List.of() : analyses);
        timeline = List.copyOf(timeline == null ? List.of() : timeline);
    }

    @JsonIgnore
    public boolean isDone() {
        return phase == AbPhase.DONE;
    }

    /** The last analysis with a look, or null. */
    @JsonIgnore
    public AbAnalysis lastLook() {
        for (int i = analyses.size() - 1; i >= 0; i--) {
            if (analyses.get(i).look() != null) {
                return analyses.get(i);
            }
        }
        return null;
    }

    Builder edit() {
        return new Builder(this);
    }

    /** A mutable copy for the run's transitions. */
    static final class Builder {
        AbPlan plan;
        AbPhase phase;
        int weight;
        boolean routerConfirmed;
        Instant splitSince;
        Instant runUntil;
        Instant nextAnalysisAt;
        ArmCounts baseline;
        List<AbAnalysis> analyses;
        AbOutcome outcome;
        AbVerdict verdict;
        String reason;
        String pending;
        String routerDescription;
        String sourceDescription;
        Instant startedAt;
        List<TimelineEvent> timeline;

        Builder(AbPlan plan, String routerDescription, String sourceDescription, Instant now) {
            this.plan = plan;
            this.phase = AbPhase.STARTING;
            this.weight = plan.weight();
            this.routerDescription = routerDescription;
            this.sourceDescription = sourceDescription;
            this.startedAt = now;
            this.analyses = new ArrayList<>();
            this.timeline = new ArrayList<>();
        }

        Builder(AbState s) {
            plan = s.plan;
            phase = s.phase;
            weight = s.weight;
            routerConfirmed = s.routerConfirmed;
            splitSince = s.splitSince;
            runUntil = s.runUntil;
            nextAnalysisAt = s.nextAnalysisAt;
            baseline = s.baseline;
            analyses = new ArrayList<>(s.analyses);
            outcome = s.outcome;
            verdict = s.verdict;
            reason = s.reason;
            pending = s.pending;
            routerDescription = s.routerDescription;
            sourceDescription = s.sourceDescription;
            startedAt = s.startedAt;
            timeline = new ArrayList<>(s.timeline);
        }

        Builder event(Instant time, String event, String message) {
            timeline.add(new TimelineEvent(time.toString(), 1, weight, event, message, null, List.of()));
            return this;
        }

        /** Ends the split with a verdict: the router goes to {@code target} next (or nowhere, for STOPPED). */
        Builder end(AbVerdict verdict, String reason) {
            this.verdict = verdict;
            this.reason = reason;
            switch (verdict) {
                case PROMOTED:
                    phase = AbPhase.PROMOTING;
                    weight = 100;
                    routerConfirmed = false;
                    break;
                case STOPPED:
                    phase = AbPhase.DONE;
                    break;
                default:
                    phase = AbPhase.ROLLING_BACK;
                    weight = 0;
                    routerConfirmed = false;
            }
            return this;
        }

        AbState build() {
            return new AbState(SCHEMA, plan, phase, weight, routerConfirmed, splitSince, runUntil, nextAnalysisAt, baseline, analyses,
                    outcome, verdict, reason, pending, routerDescription, sourceDescription, startedAt, timeline);
        }
    }
}
