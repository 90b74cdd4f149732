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
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import java.io.IOException;
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
    @CheckForNull
    private final String table;
    @CheckForNull
    private final String query;
    @CheckForNull
    private final String referenceTable;
    @CheckForNull
    private final String referenceQuery;
    @CheckForNull
    private final String reference;
    @CheckForNull
    private final String schema;
    @CheckForNull
    private final String datasetName;
    private final int maxErrors;
    private final int sampleSize;
    private final boolean skipTextDrift;

    public ValidateTableCallable(ValidateDataStep step, TableSecrets source) {
        super(step.getReport());
        this.location = source.location();
        this.secrets = new HashMap<>(source.secrets());
        this.table = step.getTable();
        this.query = step.getQuery();
        this.referenceTable = step.getReferenceTable();
        this.referenceQuery = step.getReferenceQuery();
        this.reference = step.getReference();
        this.schema = step.getSchema();
        this.datasetName = step.getDatasetName();
        this.maxErrors = step.getMaxErrors();
        this.sampleSize = step.getSampleSize();
        this.skipTextDrift = step.isSkipTextDrift();
    }

    @Override
    protected ValidateDataResult run(Path base, CollectedLog log)
            throws IOException, DataFormatException, InterruptedException, TableSourceException {
        TableQuery data = table != null ? TableQuery.table(table) : TableQuery.query(query);
        TableQuery referenceSource = referenceTable != null ? TableQuery.table(referenceTable)
                : referenceQuery != null ? TableQuery.query(referenceQuery) : null;
        TableValidateRequest request = new TableValidateRequest(data, referenceSource,
                reference == null ? null : base.resolve(reference),
                schema == null ? null : SchemaLoader.load(base.resolve(schema)),
                maxErrors, sampleSize, datasetName, !skipTextDrift, QUERY_TIMEOUT);
        try (SqlEngine engine = SqlEngines.openWith(location, secrets)) {
            return new ValidateData(log, DvcPolicy.OFF).validateTable(engine, request).result();
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
