package io.jenkins.plugins.mlstages.report;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What every stage result has at the top level of its JSON report ({@code "schema": "ml-stages/v1"}).
 * Stage results are records implementing this; their extra fields follow these in the JSON.
 */
public interface StageReport {
    String SCHEMA = "ml-stages/v1";

    /** Always {@value #SCHEMA}; readers refuse other values. */
    @JsonProperty("schema")
    default String schema() {
        return SCHEMA;
    }

    /** The CLI name of the stage, e.g. {@code validate-data}. */
    String stage();

    Status status();

    List<Finding> findings();

    /** Metrics under MLflow-style names. */
    Map<String, Double> metrics();

    List<LineageNode> lineage();

    /** The verdict the findings give: the worst of their statuses, PASSED when there are none. */
    static Status verdict(List<Finding> findings) {
        Status status = Status.PASSED;
        for (Finding finding : findings) {
            status = status.and(finding.status());
        }
        return status;
    }
}
