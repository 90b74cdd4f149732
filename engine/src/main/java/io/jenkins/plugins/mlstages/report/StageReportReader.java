package io.jenkins.plugins.mlstages.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads stage reports for the build report as Jackson trees, so that each stays verbatim. Accepts the
 * reports of every stage ({@code "schema": "ml-stages/v1"}) and the graph that {@code mlstages lineage
 * --report} writes (an object with {@code nodes} and {@code edges} and no schema), which counts as the
 * stage {@code lineage} with status PASSED. Anything else is refused with one line naming the file.
 */
public final class StageReportReader {
    /** The stage name given to a lineage graph. */
    public static final String LINEAGE = "lineage";

    private final ObjectMapper mapper = new ObjectMapper();

    /** Reads {@code file}; {@code name} is how messages call it (the path as the user typed it). */
    public StageInput read(Path file, String name) throws ReportInputException, IOException {
        byte[] content;
        try {
            content = InputFiles.readAll(file, InputFiles.REPORT_CAP, "a report");
        } catch (UnusableFileException e) {
            throw new ReportInputException(name, e.problem());
        }
        return parse(new ByteArrayInputStream(content), name);
    }

    /** Reads one report from a stream; {@code name} is how messages call it. */
    public StageInput parse(InputStream in, String name) throws ReportInputException, IOException {
        JsonNode json;
        try {
            json = mapper.readTree(in);
        } catch (JsonProcessingException e) {
            String problem = "not a readable JSON report (truncated?): " + InputFiles.parseProblem(e);
            if (e.getLocation() == null) {
                throw new ReportInputException(name, problem);
            }
            throw new ReportInputException(name, e.getLocation().getLineNr(), e.getLocation().getColumnNr(), problem);
        }
        if (json == null || json.isMissingNode()) {
            throw new ReportInputException(name, "is empty, not a JSON report");
        }
        if (!json.isObject()) {
            throw new ReportInputException(name, "is not a stage report: a JSON object was expected, found " + kind(json));
        }
        ObjectNode object = (ObjectNode) json;
        if (!object.has("schema") && object.path("nodes").isArray() && object.path("edges").isArray()) {
            return new StageInput(name, LINEAGE, Status.PASSED, object);
        }
        JsonNode schema = object.path("schema");
        if (!schema.isTextual() || !StageReport.SCHEMA.equals(schema.asText())) {
            String found = schema.isMissingNode() ? "no schema field" : "schema " + schema;
            throw new ReportInputException(name, "not an ml-stages report of a known version (" + found
                    + "; this release reads " + StageReport.SCHEMA + ")");
        }
        String stage = object.path("stage").asText("");
        if (stage.isBlank()) {
            throw new ReportInputException(name, "has no \"stage\"");
        }
        return new StageInput(name, stage, status(object.path("status"), name), object);
    }

    private static Status status(JsonNode value, String name) throws ReportInputException {
        for (Status status : Status.values()) {
            if (status.name().equals(value.asText())) {
                return status;
            }
        }
        throw new ReportInputException(name, "has no valid \"status\" (found " + (value.isMissingNode() ? "none" : value.toString())
                + "; expected PASSED, WARNING or FAILED)");
    }

    private static String kind(JsonNode json) {
        if (json.isArray()) {
            return "an array";
        }
        if (json.isTextual()) {
            return "a string";
        }
        if (json.isNumber()) {
            return "a number";
        }
        if (json.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }
}
