package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.CheckResult;
import io.jenkins.plugins.mlstages.deploy.CheckVerdict;

/**
 * What {@code mlstages compare --report} writes: the probe's result, each rule's result and the verdict
 * (schema {@value #SCHEMA}; not a stage report).
 */
@JsonPropertyOrder({"schema", "verdict", "checks", "result"})
public record CompareReport(ProbeResult result, List<CheckResult> checks, CheckVerdict verdict) {
    public static final String SCHEMA = "ml-stages/compare-v1";

    @JsonProperty("schema")
    public String schema() {
        return SCHEMA;
    }
}
