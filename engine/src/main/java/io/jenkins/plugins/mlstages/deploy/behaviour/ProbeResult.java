package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.CheckResult;

/**
 * What one replay of a probe found: the behaviour comparison, and with labels how right each version was.
 *
 * @param live the live version's endpoint
 * @param candidate the candidate's endpoint
 * @param behaviour the comparison of both versions' answers
 * @param labelled with a labelled probe, the accuracy-type figures; null otherwise
 */
@JsonPropertyOrder({"live", "candidate", "behaviour", "labelled"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeResult(String live, String candidate, BehaviourSummary behaviour, LabelledSummary labelled)
        implements Serializable {
    public ProbeResult {
        Objects.requireNonNull(behaviour, "behaviour");
    }

    /** The behaviour metrics and, with labels, the labelled ones: what behaviour rules are judged on. */
    @JsonIgnore
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>(behaviour.metrics());
        if (labelled != null) {
            metrics.putAll(labelled.metrics());
        }
        return Collections.unmodifiableMap(metrics);
    }

    /** Each rule judged on {@link #metrics()}. */
    public List<CheckResult> judge(List<BehaviourCheck> rules) {
        Map<String, Double> metrics = metrics();
        return rules.stream().map(rule -> rule.judge(metrics, behaviour.comparable(), labelled != null)).toList();
    }
}
