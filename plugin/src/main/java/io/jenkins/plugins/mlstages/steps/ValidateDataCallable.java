package io.jenkins.plugins.mlstages.steps;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.data.CsvOptions;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.data.SchemaLoader;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.data.ValidateDataResult;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs the validateData stage on the agent, where the data is. Every field is a plain value; paths
 * are resolved against the workspace on the agent. Bad input (unreadable data or schema, a bad
 * option) comes back as a one-line {@link Outcome#error}, not as an exception.
 */
final class ValidateDataCallable extends MasterToSlaveFileCallable<ValidateDataCallable.Outcome> {
    private static final long serialVersionUID = 1L;

    /** The seed of the drift sample, as the CLI's. */
    private static final long SEED = 42;

    private final String data;
    private final String format;
    private final String schema;
    private final String reference;
    private final String referenceFormat;
    private final String report;
    private final String delimiter;
    private final String quote;
    private final String encoding;
    private final String comment;
    private final String datasetName;
    private final int maxErrors;
    private final int sampleSize;

    ValidateDataCallable(ValidateDataStep step) {
        this.data = step.getData();
        this.format = step.getFormat();
        this.schema = step.getSchema();
        this.reference = step.getReference();
        this.referenceFormat = step.getReferenceFormat();
        this.report = step.getReport();
        this.delimiter = step.getDelimiter();
        this.quote = step.getQuote();
        this.encoding = step.getEncoding();
        this.comment = step.getComment();
        this.datasetName = step.getDatasetName();
        this.maxErrors = step.getMaxErrors();
        this.sampleSize = step.getSampleSize();
    }

    @Override
    public Outcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path base = workspace.toPath();
        CollectedLog log = new CollectedLog();
        try {
            ValidateDataRequest request = new ValidateDataRequest(
                    base.resolve(data),
                    DataFormat.parseOption(format, "format"),
                    CsvOptions.fromText(delimiter, quote, comment, encoding, ""),
                    schema == null ? null : SchemaLoader.load(base.resolve(schema)),
                    reference == null ? null : base.resolve(reference),
                    DataFormat.parseOption(referenceFormat, "referenceFormat"),
                    maxErrors,
                    sampleSize,
                    SEED,
                    datasetName);
            ValidateDataResult result = new ValidateData(log).run(request);
            if (report != null) {
                ReportWriter.write(base.resolve(report), result);
            }
            ArrayList<String> failed = new ArrayList<>();
            for (Finding finding : result.findings()) {
                if (!finding.passed()) {
                    failed.add(finding.line());
                }
            }
            return new Outcome(ReportWriter.mapper().writeValueAsString(result), null, log.lines, failed);
        } catch (DataFormatException | IllegalArgumentException e) {
            return new Outcome(null, e.getMessage(), log.lines, new ArrayList<>());
        }
    }

    /** Keeps the engine's messages, to be replayed into the build log on the controller. */
    private static final class CollectedLog implements StageLog {
        final ArrayList<String> lines = new ArrayList<>();

        @Override
        public void info(String message) {
            lines.add(message);
        }

        @Override
        public void progress(String task, double share, String detail) {
            // Progress would only reach the build log when the stage is over: dropped.
        }
    }

    /**
     * What comes back from the agent: the stage's JSON report (as {@link ReportWriter#mapper()} writes
     * it) and the lines to log, or the one-line reason the input could not be read.
     */
    static final class Outcome implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The result as JSON; null when {@link #error} is set. */
        final String json;
        /** Why the data, the schema or an option could not be used; null when the stage ran. */
        final String error;
        /** What the engine logged. */
        final ArrayList<String> log;
        /** One line per failed check: severity, check and message. */
        final ArrayList<String> failedFindings;

        Outcome(String json, String error, ArrayList<String> log, ArrayList<String> failedFindings) {
            this.json = json;
            this.error = error;
            this.log = log;
            this.failedFindings = failedFindings;
        }
    }
}
