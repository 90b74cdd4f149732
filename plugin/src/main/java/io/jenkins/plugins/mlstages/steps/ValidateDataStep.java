package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.agent.ValidateDataCallable;
import io.jenkins.plugins.mlstages.agent.ValidateTableCallable;
import io.jenkins.plugins.mlstages.support.TableSource;
import io.jenkins.plugins.mlstages.support.PlainValues;
import io.jenkins.plugins.mlstages.support.StageOutcome;
import io.jenkins.plugins.mlstages.support.StepRun;
import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.NonNull;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.Item;
import hudson.remoting.RemoteOutputStream;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.support.StepCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import hudson.Util;
import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportNumbers;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code validateData}: schema, quality and drift checks of a dataset in the workspace, run on the
 * agent (the CLI's {@code mlstages validate-data}); or of a table or query in a database or Spark, pushed down
 * from an agent, never from the controller (docs/tables.md). Returns a map of plain values: {@code status},
 * {@code rows}, {@code failedChecks}, {@code driftedColumns} (with a reference), {@code metrics}.
 */
public final class ValidateDataStep extends MlStageStep {
    private static final long serialVersionUID = 1L;

    static final int DEFAULT_MAX_ERRORS = 5;

    private final String data;
    private String format;
    private String schema;
    private String reference;
    private String referenceFormat;
    private String delimiter;
    private String quote;
    private String encoding;
    private String comment;
    private String datasetName;
    private int maxErrors = DEFAULT_MAX_ERRORS;
    private int sampleSize = ValidateDataRequest.DEFAULT_SAMPLE_SIZE;
    private boolean skipTextDrift;
    private String dvcCheck;
    private String jdbcUrl;
    private String sparkRemote;
    private String table;
    private String query;
    private String referenceTable;
    private String referenceQuery;
    private String credentialsId;

    /**
     * @param data the dataset's path in the workspace; null when {@code table} or {@code query} names it in a
     *        database or Spark (docs/tables.md)
     */
    @DataBoundConstructor
    public ValidateDataStep(String data) {
        this.data = Util.fixEmptyAndTrim(data);
    }

    public String getData() {
        return data;
    }

    public String getFormat() {
        return format;
    }

    /** {@code csv}, {@code jsonl} or {@code parquet}; by default from the file name. */
    @DataBoundSetter
    public void setFormat(String format) {
        this.format = dataFormat(format, "format");
    }

    public String getSchema() {
        return schema;
    }

    @DataBoundSetter
    public void setSchema(String schema) {
        this.schema = Util.fixEmptyAndTrim(schema);
    }

    public String getReference() {
        return reference;
    }

    @DataBoundSetter
    public void setReference(String reference) {
        this.reference = Util.fixEmptyAndTrim(reference);
    }

    public String getReferenceFormat() {
        return referenceFormat;
    }

    @DataBoundSetter
    public void setReferenceFormat(String referenceFormat) {
        this.referenceFormat = dataFormat(referenceFormat, "referenceFormat");
    }

    public String getDelimiter() {
        return delimiter;
    }

    /** One character, or {@code tab}. Not trimmed: a space is a valid delimiter. */
    @DataBoundSetter
    public void setDelimiter(String delimiter) {
        this.delimiter = Util.fixEmpty(delimiter);
    }

    public String getQuote() {
        return quote;
    }

    @DataBoundSetter
    public void setQuote(String quote) {
        this.quote = Util.fixEmpty(quote);
    }

    public String getEncoding() {
        return encoding;
    }

    @DataBoundSetter
    public void setEncoding(String encoding) {
        this.encoding = Util.fixEmptyAndTrim(encoding);
    }

    public String getComment() {
        return comment;
    }

    @DataBoundSetter
    public void setComment(String comment) {
        this.comment = Util.fixEmpty(comment);
    }

    public String getDatasetName() {
        return datasetName;
    }

    @DataBoundSetter
    public void setDatasetName(String datasetName) {
        this.datasetName = Util.fixEmptyAndTrim(datasetName);
    }

    public int getMaxErrors() {
        return maxErrors;
    }

    @DataBoundSetter
    public void setMaxErrors(int maxErrors) {
        if (maxErrors < 0) {
            throw new IllegalArgumentException("maxErrors must be 0 or more, was " + maxErrors);
        }
        this.maxErrors = maxErrors;
    }

    public int getSampleSize() {
        return sampleSize;
    }

    @DataBoundSetter
    public void setSampleSize(int sampleSize) {
        if (sampleSize < 100) {
            throw new IllegalArgumentException("sampleSize must be at least 100, was " + sampleSize);
        }
        this.sampleSize = sampleSize;
    }

    public boolean isSkipTextDrift() {
        return skipTextDrift;
    }

    /** True leaves free-text columns out of the drift check (the CLI's {@code --skip-text-drift}). */
    @DataBoundSetter
    public void setSkipTextDrift(boolean skipTextDrift) {
        this.skipTextDrift = skipTextDrift;
    }

    public String getDvcCheck() {
        return dvcCheck;
    }

    /**
     * A {@code data} file that DVC tracks but that is not the one DVC recorded: {@code warning} (the default), {@code error}
     * or {@code off} (the CLI's {@code --dvc-check}; docs/dvc.md).
     */
    @DataBoundSetter
    public void setDvcCheck(String dvcCheck) {
        String value = Util.fixEmptyAndTrim(dvcCheck);
        this.dvcCheck = value == null ? null : DvcPolicy.parseOption(value, "dvcCheck").toString();
    }

    public String getJdbcUrl() {
        return jdbcUrl;
    }

    /** A database to validate {@code table} or {@code query} in ({@code jdbc:postgresql://host:port/db}; docs/tables.md). */
    @DataBoundSetter
    public void setJdbcUrl(String jdbcUrl) {
        this.jdbcUrl = Util.fixEmptyAndTrim(jdbcUrl);
    }

    public String getSparkRemote() {
        return sparkRemote;
    }

    /** A Spark Connect server ({@code sc://host:port}); by default the build's {@code SPARK_REMOTE}. */
    @DataBoundSetter
    public void setSparkRemote(String sparkRemote) {
        this.sparkRemote = Util.fixEmptyAndTrim(sparkRemote);
    }

    public String getTable() {
        return table;
    }

    @DataBoundSetter
    public void setTable(String table) {
        this.table = Util.fixEmptyAndTrim(table);
    }

    public String getQuery() {
        return query;
    }

    @DataBoundSetter
    public void setQuery(String query) {
        this.query = Util.fixEmptyAndTrim(query);
    }

    public String getReferenceTable() {
        return referenceTable;
    }

    @DataBoundSetter
    public void setReferenceTable(String referenceTable) {
        this.referenceTable = Util.fixEmptyAndTrim(referenceTable);
    }

    public String getReferenceQuery() {
        return referenceQuery;
    }

    @DataBoundSetter
    public void setReferenceQuery(String referenceQuery) {
        this.referenceQuery = Util.fixEmptyAndTrim(referenceQuery);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * The credential of {@code jdbcUrl} (Username with password) or {@code sparkRemote} (Secret text: a token); without
     * one, the build's {@code MLSTAGES_JDBC_USER}/{@code MLSTAGES_JDBC_PASSWORD} or {@code MLSTAGES_SPARK_TOKEN}.
     * evaluateModel names the same credential {@code tableCredentialsId}: its {@code credentialsId} is the registry's.
     */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** The dataset's source, from the step's options (support/TableSource does the checks both data steps share). */
    public TableSource source() {
        return TableSource.dataset(data, jdbcUrl, sparkRemote, table, query, reference, referenceTable, referenceQuery, credentialsId);
    }

    /** Whether the dataset is a table or query where it lives rather than a file in the workspace. */
    public boolean readsTable() {
        return source().readsTable();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        source().check();
        return new Execution(this, context);
    }

    static final class Execution extends StageExecution<ValidateDataStep> {
        private static final long serialVersionUID = 1L;

        Execution(ValidateDataStep step, StepContext context) {
            super(step, context);
        }

        @Override
        protected Map<String, Object> run(ValidateDataStep step, StepRun stage) throws Exception {
            StageOutcome outcome = step.readsTable()
                    ? stage.runOnAgentOnly(new ValidateTableCallable(step, step.source().secrets(stage),
                            new RemoteOutputStream(stage.listener().getLogger())))
                    : stage.runOnAgent(new ValidateDataCallable(step));

            JsonNode result = ReportWriter.mapper().readTree(outcome.json);
            Status status = Status.valueOf(result.path("status").asText());
            Map<String, Double> metrics = ReportNumbers.readAll(result.path("metrics"));
            long rows = metrics.getOrDefault("rows", 0.0).longValue();
            long failed = metrics.getOrDefault("failed_checks", 0.0).longValue();
            Double drifted = metrics.get("drifted_columns");
            String summary = "validateData " + status + ": " + step.source().name() + ", " + Plural.of(rows, "row") + ", " + failed + " of "
                    + Plural.of(result.path("findings").size(), "check") + " failed"
                    + (drifted == null ? "" : ", " + Plural.of(drifted.longValue(), "column") + " drifted");
            stage.finish(outcome.json, status, summary, null, null, step);

            Map<String, Object> values = new LinkedHashMap<>();
            values.put("status", status.name());
            values.put("rows", rows);
            values.put("failedChecks", failed);
            if (drifted != null) {
                values.put("driftedColumns", drifted.longValue());
            }
            values.put("metrics", new LinkedHashMap<>(metrics));
            PlainValues.putIfNotNull(values, "report", step.getReport());
            return values;
        }
    }

    @Extension
    public static final class DescriptorImpl extends MlStageDescriptor {
        public DescriptorImpl() {
            super("validateData", "Validate a dataset (schema, quality, drift)", true);
        }

        /** Username with password (a database) or Secret text (a Spark token) that the job's builds can use. */
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StepCredentials.items(item, credentialsId, StandardCredentials.class, CredentialsMatchers.anyOf(
                    CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
                    CredentialsMatchers.instanceOf(StringCredentials.class)));
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object data = namedArgs.get("data");
            if (data == null) {
                data = namedArgs.get("table");
            }
            return data == null ? null : data.toString();
        }
    }
}
