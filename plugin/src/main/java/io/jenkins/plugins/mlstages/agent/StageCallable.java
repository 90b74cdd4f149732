package io.jenkins.plugins.mlstages.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.support.StageOutcome;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import jenkins.MasterToSlaveFileCallable;

/**
 * A stage run on the agent that holds the workspace, as the CLI runs it: the engine's stage with its
 * log collected, the report written where the step asked (atomically, by {@link ReportWriter}), and
 * back to the controller as a {@link StageOutcome}; input the engine refuses comes back as its
 * one-line reason, not as an exception. Subclasses hold the step's options as plain values.
 */
abstract class StageCallable<R extends StageReport> extends MasterToSlaveFileCallable<StageOutcome> {
    private static final long serialVersionUID = 1L;

    /** The report's path in the workspace; null when not asked for. */
    @CheckForNull
    private final String report;

    StageCallable(@CheckForNull String report) {
        this.report = report;
    }

    /** The stage, with paths resolved against the workspace {@code base}. */
    protected abstract R run(Path base, CollectedLog log) throws IOException, DataFormatException, InterruptedException,
            TableSourceException;

    /** The outcome of the stage that ran: which failed findings to log, and its headline. */
    protected abstract StageOutcome outcome(R result, CollectedLog log) throws IOException;

    @Override
    public final StageOutcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path base = workspace.toPath();
        CollectedLog log = new CollectedLog();
        try {
            R result = run(base, log);
            if (report != null) {
                ReportWriter.write(base.resolve(report), result);
            }
            return outcome(result, log);
        } catch (DataFormatException | TableSourceException | IllegalArgumentException e) {
            return StageOutcome.badInput(e.getMessage(), log);
        }
    }
}
