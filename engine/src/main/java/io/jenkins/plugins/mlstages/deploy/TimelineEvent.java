package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

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
 */
@JsonPropertyOrder({"time", "step", "weight", "event", "message", "verdict", "analyses"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEvent(String time, int step, int weight, String event, String message, CheckVerdict verdict,
        List<CheckResult> analyses) implements Serializable {
    public TimelineEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        analyses = analyses == null ? List.of() : List.copyOf(analyses);
    }

    @JsonIgnore
    public boolean isAnalysis() {
        return "analysis".equals(event);
    }
}
