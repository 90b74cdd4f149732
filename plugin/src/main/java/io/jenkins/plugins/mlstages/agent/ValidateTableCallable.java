package io.jenkins.plugins.mlstages.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.data.SchemaLoader;
import io.jenkins.plugins.mlstages.data.TableValidateRequest;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.data.ValidateDataResult;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.steps.ValidateDataStep;
import io.jenkins.plugins.mlstages.support.StageOutcome;
import io.jenkins.plugins.mlstages.support.TableSecrets;
import io.jenkins.plugins.mlstages.support.TableSource;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;

/**
 * Runs validateData on a table or query where it lives, from the agent (never the controller: see
 * {@code StepRun#runOnAgentOnly}): the work is pushed down as SQL aggregates (docs/tables.md). The secrets travel
 * with this callable only, and are handed to the step's location only.
 */
public final class ValidateTableCallable extends StageCallable<ValidateDataResult> {
    private static final long serialVersionUID = 1L;

    /** The longest one query may run, as the CLI's default {@code --query-timeout}. */
    private static final Duration QUERY_TIMEOUT = Duration.ofHours(1);

    private final String location;
    private final HashMap<String, String> secrets;
    /** The table or query, and the reference (a table, a query or a workspace file). */
    private final TableSource tables;
    @CheckForNull
    private final String schema;
    @CheckForNull
    private final String datasetName;
    private final int maxErrors;
    private final int sampleSize;
    private final boolean skipTextDrift;
    /** The build log, written from the agent as the stage runs: a query over a large table takes minutes. */
    private final OutputStream progress;

    /**
     * @param progress the build log, wrapped for the agent ({@code new RemoteOutputStream(listener.getLogger())}): where
     *        the progress of a running query goes at once, while the other messages come back with the outcome
     */
    public ValidateTableCallable(ValidateDataStep step, TableSecrets source, OutputStream progress) {
        super(step.getReport());
        this.progress = progress;
        this.location = source.location();
        this.secrets = new HashMap<>(source.secrets());
        this.tables = step.source();
        this.schema = step.getSchema();
        this.datasetName = step.getDatasetName();
        this.maxErrors = step.getMaxErrors();
        this.sampleSize = step.getSampleSize();
        this.skipTextDrift = step.isSkipTextDrift();
    }

    @Override
    protected ValidateDataResult run(Path base, CollectedLog log)
            throws IOException, DataFormatException, InterruptedException, TableSourceException {
        TableQuery data = tables.data();
        TableQuery referenceSource = tables.referenceData();
        String reference = tables.reference();
        TableValidateRequest request = new TableValidateRequest(data, referenceSource,
                reference == null ? null : base.resolve(reference),
                schema == null ? null : SchemaLoader.load(base.resolve(schema)),
                maxErrors, sampleSize, datasetName, !skipTextDrift, QUERY_TIMEOUT);
        StageLog live = new StageLog() {
            @Override
            public void info(String message) {
                log.info(message);
            }

            @Override
            public void progress(String task, double share, String detail) {
                String line = Printable.escape(Secrets.redactKnown(Double.isNaN(share) ? task + " (" + detail + ")"
                        : String.format(Locale.ROOT, "%s: %.0f%% (%s)", task, share * 100, detail))) + "\n";
                try {
                    progress.write(line.getBytes(StandardCharsets.UTF_8));
                    progress.flush();
                } catch (IOException e) {
                    // the build log is gone (the build was aborted): the stage ends on its own
                }
            }
        };
        try (SqlEngine engine = SqlEngines.openWith(location, secrets)) {
            return new ValidateData(live, DvcPolicy.OFF).validateTable(engine, request).result();
        }
    }

    @Override
    protected StageOutcome outcome(ValidateDataResult result, CollectedLog log) throws IOException {
        return StageOutcome.ran(result, log, true, null);
    }

    @Override
    public String toString() {
        return "ValidateTableCallable[" + SqlEngines.withoutSecrets(location) + "]";
    }
}
