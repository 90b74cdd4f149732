package io.jenkins.plugins.mlstages.support;

import io.jenkins.plugins.mlstages.agent.WriteReport;
import io.jenkins.plugins.mlstages.agent.ReadWholeFile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one way a step on the controller reads a JSON report from, or writes its report to, the workspace:
 * on the node that holds the workspace, through the engine's checks, failing with one line
 * "{@code step: path: problem}" (redacted and escaped by {@link BuildLog#oneLine}) and no stack trace.
 */
public final class WorkspaceReports {
    private WorkspaceReports() {
    }

    /** A JSON report in the workspace, whole; {@code step} names the step in the failure. */
    public static JsonNode read(FilePath workspace, String path, String step) throws IOException, InterruptedException {
        byte[] content;
        try {
            content = workspace.child(path).act(new ReadWholeFile(InputFiles.REPORT_CAP, "a report"));
        } catch (AbortException e) {
            throw failure(step, path, e.getMessage());
        }
        try {
            return ReportWriter.mapper().readTree(content);
        } catch (JsonProcessingException e) {
            // the engine's one wording, as the CLI's: without Jackson's Java setting names
            throw failure(step, path, "is not a readable JSON report: " + InputFiles.parseProblem(e));
        }
    }

    /**
     * Replaces the report at {@code path} atomically on the node that holds the workspace, through the
     * engine's {@link io.jenkins.plugins.mlstages.report.AtomicFile} as validateData, evaluateModel and the CLI do.
     */
    public static void write(FilePath workspace, String path, String json, String step) throws IOException, InterruptedException {
        try {
            workspace.child(path).act(new WriteReport(json.getBytes(StandardCharsets.UTF_8)));
        } catch (AbortException e) {
            throw failure(step, path, e.getMessage());
        }
    }

    /** A failure of {@code step} about the workspace file {@code path}, on one log-safe line. */
    public static AbortException failure(String step, String path, String problem) {
        return BuildLog.failure(step, path + ": " + problem);
    }
}
