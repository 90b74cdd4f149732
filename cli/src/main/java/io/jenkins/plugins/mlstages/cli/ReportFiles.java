package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/** Reads stage reports given on the command line: whole JSON of a known schema, or one clear error. */
final class ReportFiles {
    private ReportFiles() {
    }

    static JsonNode read(Path file) throws DataFormatException, IOException {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(InputFiles.readAll(file, InputFiles.REPORT_CAP, "a report"));
        } catch (UnusableFileException e) {
            throw new DataFormatException(file, 0, null, e.problem(), e);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new DataFormatException(file, line, null, "is not a readable JSON report (truncated?): "
                    + InputFiles.parseProblem(e));
        }
        if (json == null || json.isMissingNode()) {
            throw new DataFormatException(file, 0, null, "is empty, not a JSON report");
        }
        if (!json.isObject()) {
            throw new DataFormatException(file, 0, null, "is not a stage report: a JSON object was expected, found "
                    + (json.isArray() ? "an array" : json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        String schema = json.path("schema").asText("");
        if (!StageReport.SCHEMA.equals(schema)) {
            throw new DataFormatException(file, 0, null, "not an ml-stages report of a known version (schema '" + schema
                    + "'; this release reads " + StageReport.SCHEMA + ")");
        }
        return json;
    }
}
