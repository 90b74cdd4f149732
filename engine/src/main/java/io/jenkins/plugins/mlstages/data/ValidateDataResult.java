package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.dvc.DvcTracking;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The result of {@link ValidateData}: the shared vocabulary (status, findings, metrics, lineage) plus
 * the dataset facts, its profile (summary) and the drift of every compared column.
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "dataset", "profile", "drift"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidateDataResult(Status status, List<Finding> findings, Map<String, Double> metrics,
        List<LineageNode> lineage, DatasetInfo dataset, DatasetProfile profile, List<ColumnDrift> drift)
        implements StageReport, Serializable {
    public static final String STAGE = "validate-data";

    @Override
    @JsonProperty("stage")
    public String stage() {
        return STAGE;
    }

    /**
     * @param digest the first 32 hex digits of the SHA-256 of the file's bytes (MLflow allows 36)
     * @param dvc what DVC records about the file, or null when DVC does not track it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetInfo(String name, String path, String format, long bytes, long rows, int columns, String digest,
            DvcTracking dvc) implements Serializable {
        public DatasetInfo(String name, String path, String format, long bytes, long rows, int columns, String digest) {
            this(name, path, format, bytes, rows, columns, digest, null);
        }
    }
}
