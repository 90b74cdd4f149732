package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeResult;

/**
 * One entry of a canary's timeline, as the state file and the report's canary timeline hold it.
 *
 * @param time ISO-8601 instant
 * @param step 1-based number of the step the canary was at
 * @param weight the canary's share of traffic the router was last told, in percent
 * @param event what happened: {@code started}, {@code weight}, {@code analysis}, {@code hold},
 *        {@code promoting}, {@code promoted}, {@code rolling_back}, {@code rolled_back}, {@code aborting},
 *        {@code aborted}, {@code router_failed}, {@code pending}, {@code resumed}
 * @param message one line for people
 * @param verdict for {@code analysis}: the analysis' verdict
 * @param analyses for {@code analysis}: one result per check; empty otherwise
 * @param behaviour for {@code analysis} with behaviour rules: the comparison of both versions they judged
 *        (null when the comparison failed, or the plan has no behaviour rules)
 */
@JsonPropertyOrder({"time", "step", "weight", "event", "message", "verdict", "analyses", "behaviour"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEvent(String time, int step, int weight, String event, String message, CheckVerdict verdict,
        List<CheckResult> analyses, ProbeResult behaviour) implements Serializable {
    public TimelineEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        analyses = analyses == null ? List.of() : List.copyOf(analyses);
    }

    /** An entry without a behaviour comparison. */
    public TimelineEvent(String time, int step, int weight, String event, String message, CheckVerdict verdict,
            List<CheckResult> analyses) {
        this(time, step, weight, event, message, verdict, analyses, null);
    }

    @JsonIgnore
    public boolean isAnalysis() {
        return "analysis".equals(event);
    }
}
