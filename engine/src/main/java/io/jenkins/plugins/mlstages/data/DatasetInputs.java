package io.jenkins.plugins.mlstages.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.dvc.DvcTracking;
import io.jenkins.plugins.mlstages.registry.Dataset;
import io.jenkins.plugins.mlstages.registry.DatasetInput;

/**
 * The MLflow dataset input for a validated dataset: name, digest, source, an MLflow column-spec
 * schema (what the MLflow UI shows) and a profile summary, tagged with its context
 * ({@code training}, {@code validation}, ...). A DVC-tracked file has source type {@code dvc} and its
 * source names DVC's path, md5, stage and the repository revision beside the {@code uri}.
 */
public final class DatasetInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetInputs() {
    }

    public static DatasetInput of(ValidateDataResult result, String context) {
        ValidateDataResult.DatasetInfo info = result.dataset();
        try {
            Map<String, Object> sourceFields = new LinkedHashMap<>();
            boolean table = isTable(info);
            if (table) {
                // a table where it lives (docs/tables.md): its location and table or "query", no file URI
                sourceFields.put("location", info.path());
            } else {
                sourceFields.put("uri", java.nio.file.Path.of(info.path()).toUri().toString());
            }
            DvcTracking dvc = info.dvc();
            if (dvc != null) {
                // DVC's own record of the file, as in the lineage node: path, md5, stage, revision.
                sourceFields.putAll(dvc.lineageAttributes());
            }
            String source = JSON.writeValueAsString(sourceFields);
            List<Map<String, Object>> columns = result.profile().columns().stream().map(c -> {
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("type", mlflowType(c.type()));
                spec.put("name", c.name());
                spec.put("required", c.nulls() == 0);
                return spec;
            }).toList();
            String schema = JSON.writeValueAsString(Map.of("mlflow_colspec", columns));
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("num_rows", info.rows());
            profile.put("num_elements", info.rows() * info.columns());
            profile.put("status", result.status().name());
            profile.put("failed_checks", result.metrics().getOrDefault("failed_checks", 0.0).longValue());
            Dataset dataset = new Dataset(info.name(), info.digest(),
                    table ? TABLE_SOURCE_TYPE : dvc == null ? "local" : DvcTracking.SOURCE_TYPE, source, schema,
                    JSON.writeValueAsString(profile));
            return DatasetInput.of(dataset, context);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dataset input as JSON", e);
        }
    }

    /** The MLflow source type of a dataset validated where it lives (a database or Spark table). */
    public static final String TABLE_SOURCE_TYPE = "sql";

    /** Whether the dataset was read from a table source: its format is the SQL dialect's name, not a file format. */
    static boolean isTable(ValidateDataResult.DatasetInfo info) {
        for (io.jenkins.plugins.mlstages.table.SqlDialect dialect : io.jenkins.plugins.mlstages.table.SqlDialect.values()) {
            if (dialect.name().equalsIgnoreCase(info.format())) {
                return true;
            }
        }
        return false;
    }

    /** MLflow's ColSpec type names. */
    static String mlflowType(ColumnType type) {
        switch (type) {
            case INTEGER:
                return "long";
            case NUMBER:
                return "double";
            case BOOLEAN:
                return "boolean";
            case DATE:
            case TIMESTAMP:
                return "datetime";
            default:
                return "string";
        }
    }
}
