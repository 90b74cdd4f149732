package io.jenkins.plugins.mlstages.support;

import io.jenkins.plugins.mlstages.agent.CollectedLog;
import hudson.FilePath;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;

/**
 * What a stage run on an agent sends back: its JSON report (as {@link ReportWriter#mapper()} writes
 * it) and the lines to log, or the one-line reason the input could not be read. Only strings cross
 * the channel: the engine's classes are a bundled library, which the controller's class filter
 * (JEP-200) would refuse to deserialize.
 */
public final class StageOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The report as JSON; null when {@link #error} is set. */
    public final String json;
    /** Why the data or an option could not be used; null when the stage ran. */
    public final String error;
    /** What the engine logged. */
    public final ArrayList<String> log;
    /** One line per failed finding worth a line: severity, check and message. */
    public final ArrayList<String> failedFindings;
    /** The stage's own summary of its result (evaluate: rows and headline metrics); null when none. */
    public final String headline;

    private StageOutcome(String json, String error, ArrayList<String> log, ArrayList<String> failedFindings,
            String headline) {
        this.json = json;
        this.error = error;
        this.log = log;
        this.failedFindings = failedFindings;
        this.headline = headline;
    }

    /**
     * A stage that ran. {@code withInfo} also lists failed findings of severity INFO (validateData
     * does; for evaluateModel they are notes such as a slice too small to evaluate).
     */
    public static StageOutcome ran(StageReport report, CollectedLog log, boolean withInfo, String headline)
            throws IOException {
        ArrayList<String> failed = new ArrayList<>();
        for (Finding finding : report.findings()) {
            if (!finding.passed() && (withInfo || finding.severity() != Severity.INFO)) {
                failed.add(finding.line());
            }
        }
        return new StageOutcome(ReportWriter.mapper().writeValueAsString(report), null, log.lines, failed, headline);
    }

    public static StageOutcome badInput(String error, CollectedLog log) {
        return new StageOutcome(null, error, log.lines, new ArrayList<>(), null);
    }

    /**
     * Replays the engine's log and the failed findings into the build log, on the controller, through
     * {@link BuildLog}: without the credentials it holds (the agent, which holds none, collected them) and
     * with control characters escaped.
     */
    public void replay(PrintStream out) {
        BuildLog buildLog = new BuildLog(out);
        log.forEach(buildLog::info);
        failedFindings.forEach(buildLog::line);
    }

    /**
     * Runs a stage on the node that holds the workspace and replays its log on the controller; fails the
     * step with the one-line reason when the input could not be used. What validateData and
     * evaluateModel share.
     */
    public static StageOutcome runOn(FilePath workspace, FilePath.FileCallable<StageOutcome> stage, PrintStream log,
            String step) throws IOException, InterruptedException {
        StageOutcome outcome = workspace.act(stage);
        outcome.replay(log);
        if (outcome.error != null) {
            throw BuildLog.failure(step, outcome.error);
        }
        return outcome;
    }
}
