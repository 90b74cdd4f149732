package io.jenkins.plugins.mlstages.report;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stage report as it was written, with what the merge needs to know about it.
 *
 * @param file the file as the user named it (for messages)
 * @param stage {@code validate-data}, {@code evaluate}, ...; {@code lineage} for a lineage graph
 * @param json the report, unchanged
 */
public record StageInput(String file, String stage, Status status, ObjectNode json) {
    public StageInput {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(json, "json");
    }

    /** A field of the report; a missing node when absent. */
    public JsonNode path(String field) {
        return json.path(field);
    }
}
