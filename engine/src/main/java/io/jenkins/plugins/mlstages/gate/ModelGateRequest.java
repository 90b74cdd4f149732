package io.jenkins.plugins.mlstages.gate;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@link ModelGate} is asked to judge: the candidate's evaluate report (its JSON), the rules, and
 * where the champion comes from: a registered model's alias (looked up in the registry), or a champion
 * report given directly; neither means there is no champion and the first-model policy applies.
 */
public record ModelGateRequest(JsonNode candidateReport, String candidateSource, List<String> rules, String model,
        String championAlias, JsonNode championReport, FirstModelPolicy firstModelPolicy) {
    public static final String DEFAULT_CHAMPION_ALIAS = "champion";

    public ModelGateRequest {
        Objects.requireNonNull(candidateReport, "candidateReport");
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("no --rule given: a gate needs at least one rule");
        }
        championAlias = championAlias == null ? DEFAULT_CHAMPION_ALIAS : championAlias;
        firstModelPolicy = firstModelPolicy == null ? FirstModelPolicy.ABSOLUTE_ONLY : firstModelPolicy;
        if (model != null && championReport != null) {
            throw new IllegalArgumentException("give --model (the champion from the registry) or --champion-metrics, not both");
        }
    }
}
