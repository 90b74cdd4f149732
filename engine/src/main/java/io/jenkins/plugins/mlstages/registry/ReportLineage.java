package io.jenkins.plugins.mlstages.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lineage tags for a model version from the stage reports of the build that produced it: the digests
 * of the datasets it was validated and evaluated on, the validation status and the gate verdict.
 */
public final class ReportLineage {
    public static final String DATASET_DIGESTS = "mlstages.dataset_digests";
    public static final String VALIDATION_STATUS = "mlstages.validation_status";
    public static final String GATE_VERDICT = "mlstages.gate_verdict";

    private ReportLineage() {
    }

    /** The tags from {@code ml-stages/v1} reports, in order; a later report of a stage wins. */
    public static Map<String, String> tags(List<JsonNode> reports) {
        Map<String, String> lineage = new LinkedHashMap<>();
        TreeSet<String> digests = new TreeSet<>();
        for (JsonNode json : reports) {
            String stage = json.path("stage").asText();
            String status = json.path("status").asText();
            for (JsonNode node : json.path("lineage")) {
                if ("dataset".equals(node.path("type").asText())) {
                    digests.add(node.path("name").asText() + "@" + node.path("id").asText());
                }
            }
            if ("validate-data".equals(stage)) {
                lineage.put(VALIDATION_STATUS, status);
            } else if ("gate".equals(stage)) {
                lineage.put(GATE_VERDICT, status);
            }
        }
        if (!digests.isEmpty()) {
            lineage.put(DATASET_DIGESTS, String.join(",", digests));
        }
        return lineage;
    }
}
