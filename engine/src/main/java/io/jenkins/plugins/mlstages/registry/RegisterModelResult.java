package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The result of {@link RegisterModel}: which version, from where, with which aliases, and whether it
 * was created by this call or found by its build key.
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "model", "version", "reused",
    "aliases", "source", "run_id", "model_id", "build_key"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegisterModelResult(Status status, List<Finding> findings, Map<String, Double> metrics,
        List<LineageNode> lineage, String model, String version, boolean reused, List<String> aliases, String source,
        String runId, String modelId, String buildKey) implements StageReport, Serializable {
    public static final String STAGE = "register";

    @Override
    @JsonProperty("stage")
    public String stage() {
        return STAGE;
    }
}
