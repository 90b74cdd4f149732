package io.jenkins.plugins.mlstages.gate;

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
 * The result of {@link ModelGate}: the verdict, one outcome per rule (observed, required, champion,
 * margin, explanation), and the champion it compared with.
 *
 * @param metrics the candidate's metrics the gate read
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "rules", "champion", "first_model_policy"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelGateResult(Status status, List<Finding> findings, Map<String, Double> metrics,
        List<LineageNode> lineage, List<RuleOutcome> rules, Champion champion, FirstModelPolicy firstModelPolicy)
        implements StageReport, Serializable {
    public static final String STAGE = "gate";

    @Override
    @JsonProperty("stage")
    public String stage() {
        return STAGE;
    }

    /** The champion: where it came from and its metrics; null when there was none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Champion(String model, String alias, String version, String runId, String source,
            Map<String, Double> metrics) implements Serializable {
    }
}
