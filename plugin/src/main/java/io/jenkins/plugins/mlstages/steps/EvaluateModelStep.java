package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.agent.EvaluateModelCallable;
import io.jenkins.plugins.mlstages.support.FormLists;
import io.jenkins.plugins.mlstages.support.PlainValues;
import io.jenkins.plugins.mlstages.support.StageOutcome;
import io.jenkins.plugins.mlstages.support.StepRun;
import io.jenkins.plugins.mlstages.support.StepCredentials;
import io.jenkins.plugins.mlstages.support.TableSource;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import io.jenkins.plugins.mlstages.report.ReportNumbers;
import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.eval.Bootstrap;
import io.jenkins.plugins.mlstages.eval.EvaluateRequest;
import io.jenkins.plugins.mlstages.eval.EvaluationToRun;
import io.jenkins.plugins.mlstages.eval.Task;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code evaluateModel}: a model's metrics from its predictions file in the workspace, with bootstrap
 * intervals, slices and fairness, computed on the agent (the CLI's {@code mlstages evaluate}). With
 * {@code runId}, the controller logs the metrics and the report to that MLflow run, and the metrics to
 * its logged model ({@code modelId}, or the run's only one) too. Returns a map of plain values:
 * {@code status}, {@code rows}, {@code task}, {@code metrics}, {@code intervals}, {@code threshold},
 * {@code report}, {@code runId}, {@code modelId}. With {@code table} or {@code query} (and {@code sparkRemote} or
 * {@code jdbcUrl}) instead of {@code predictions}, the metrics are computed where the predictions live, from an
 * agent, never from the controller (docs/tables.md); {@code tableCredentialsId} is that source's credential, since
 * {@code credentialsId} is the registry's.
 */
public final class EvaluateModelStep extends RegistryStep {
    private static final long serialVersionUID = 1L;

    /** The bootstrap seed, as the CLI's default. */
    static final long DEFAULT_SEED = 42;

    private final String predictions;
    private final String task;
    private final String label;
    private List<String> score = List.of();
    private String prediction;
    private List<String> slice = List.of();
    private int minSliceSize = EvaluateRequest.DEFAULT_MIN_SLICE_SIZE;
    private Double threshold;
    private String thresholdMetric;
    private String positiveLabel;
    private int resamples = Bootstrap.DEFAULT_RESAMPLES;
    private double level = Bootstrap.DEFAULT_LEVEL;
    private long seed = DEFAULT_SEED;
    private String championScore;
    private String championPredictions;
    private String sensitive;
    private String format;
    private String runId;
    private String modelId;
    private String dvcCheck;
    private String sparkRemote;
    private String jdbcUrl;
    private String table;
    private String query;
    private String tableCredentialsId;

    /**
     * @param predictions the predictions file in the workspace (CSV, JSON lines or Parquet); empty with {@code table}
     *        or {@code query}
     * @param task {@code binary}, {@code multiclass} or {@code regression}
     * @param label the column with the true label or value
     */
    @DataBoundConstructor
    public EvaluateModelStep(String predictions, String task, String label) {
        this.predictions = Util.fixEmptyAndTrim(predictions);
        String t = Util.fixEmptyAndTrim(task);
        if (t == null) {
            throw new IllegalArgumentException("evaluateModel needs task: binary, multiclass or regression");
        }
        this.task = Task.parse(t).toString();
        this.label = Util.fixEmptyAndTrim(label);
        if (this.label == null) {
            throw new IllegalArgumentException("evaluateModel needs label: the column with the true labels or values");
        }
    }

    public String getPredictions() {
        return predictions;
    }

    public String getTask() {
        return task;
    }

    public String getLabel() {
        return label;
    }

    public List<String> getScore() {
        return new ArrayList<>(score);
    }

    /** Binary: the positive class's probability; multiclass: one column per class, in class order; regression: the prediction. */
    @DataBoundSetter
    public void setScore(List<String> score) {
        this.score = lines(score);
    }

    /** The score columns one per line, for the Snippet Generator's text area. */
    public String getScoreText() {
        return FormLists.text(score);
    }

    public String getPrediction() {
        return prediction;
    }

    @DataBoundSetter
    public void setPrediction(String prediction) {
        this.prediction = Util.fixEmptyAndTrim(prediction);
    }

    public List<String> getSlice() {
        return new ArrayList<>(slice);
    }

    @DataBoundSetter
    public void setSlice(List<String> slice) {
        this.slice = lines(slice);
    }

    public String getSliceText() {
        return FormLists.text(slice);
    }

    public int getMinSliceSize() {
        return minSliceSize;
    }

    @DataBoundSetter
    public void setMinSliceSize(int minSliceSize) {
        if (minSliceSize < 1) {
            throw new IllegalArgumentException("minSliceSize must be at least 1, was " + minSliceSize);
        }
        this.minSliceSize = minSliceSize;
    }

    public Double getThreshold() {
        return threshold;
    }

    @DataBoundSetter
    public void setThreshold(Double threshold) {
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1, was " + threshold);
        }
        this.threshold = threshold;
    }

    public String getThresholdMetric() {
        return thresholdMetric;
    }

    /** Binary: choose the threshold maximising {@code f1} or {@code accuracy}. */
    @DataBoundSetter
    public void setThresholdMetric(String thresholdMetric) {
        String value = Util.fixEmptyAndTrim(thresholdMetric);
        if (value != null) {
            value = value.toLowerCase(Locale.ROOT);
            if (!value.equals("f1") && !value.equals("accuracy")) {
                throw new IllegalArgumentException("thresholdMetric must be f1 or accuracy, was '" + thresholdMetric + "'");
            }
        }
        this.thresholdMetric = value;
    }

    public String getPositiveLabel() {
        return positiveLabel;
    }

    /** Not trimmed: a label may carry spaces. */
    @DataBoundSetter
    public void setPositiveLabel(String positiveLabel) {
        this.positiveLabel = Util.fixEmpty(positiveLabel);
    }

    public int getResamples() {
        return resamples;
    }

    @DataBoundSetter
    public void setResamples(int resamples) {
        if (resamples < 0) {
            throw new IllegalArgumentException("resamples must be 0 or more, was " + resamples);
        }
        this.resamples = resamples;
    }

    public double getLevel() {
        return level;
    }

    @DataBoundSetter
    public void setLevel(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be between 0 and 1, was " + level);
        }
        this.level = level;
    }

    public long getSeed() {
        return seed;
    }

    @DataBoundSetter
    public void setSeed(long seed) {
        this.seed = seed;
    }

    public String getChampionScore() {
        return championScore;
    }

    @DataBoundSetter
    public void setChampionScore(String championScore) {
        this.championScore = Util.fixEmptyAndTrim(championScore);
    }

    public String getChampionPredictions() {
        return championPredictions;
    }

    @DataBoundSetter
    public void setChampionPredictions(String championPredictions) {
        this.championPredictions = Util.fixEmptyAndTrim(championPredictions);
    }

    public String getSensitive() {
        return sensitive;
    }

    @DataBoundSetter
    public void setSensitive(String sensitive) {
        this.sensitive = Util.fixEmptyAndTrim(sensitive);
    }

    public String getFormat() {
        return format;
    }

    /** {@code csv}, {@code jsonl} or {@code parquet}; by default from the file name. */
    @DataBoundSetter
    public void setFormat(String format) {
        this.format = dataFormat(format, "format");
    }

    public String getRunId() {
        return runId;
    }

    /** Log the metrics, and the report as an artifact, to this MLflow run. */
    @DataBoundSetter
    public void setRunId(String runId) {
        this.runId = Util.fixEmptyAndTrim(runId);
    }

    public String getModelId() {
        return modelId;
    }

    /** With {@code runId}: the MLflow 3 logged model evaluated, whose page then shows the metrics (default: the run's only one). */
    @DataBoundSetter
    public void setModelId(String modelId) {
        this.modelId = Util.fixEmptyAndTrim(modelId);
    }

    public String getDvcCheck() {
        return dvcCheck;
    }

    /**
     * A {@code predictions} file that DVC tracks but that is not the one DVC recorded: {@code warning} (the default), {@code error}
     * or {@code off} (the CLI's {@code --dvc-check}; docs/dvc.md).
     */
    @DataBoundSetter
    public void setDvcCheck(String dvcCheck) {
        String value = Util.fixEmptyAndTrim(dvcCheck);
        this.dvcCheck = value == null ? null : DvcPolicy.parseOption(value, "dvcCheck").toString();
    }

    public String getSparkRemote() {
        return sparkRemote;
    }

    /** A Spark Connect server ({@code sc://host:port}, Databricks too) that holds the predictions; default the build's SPARK_REMOTE. */
    @DataBoundSetter
    public void setSparkRemote(String sparkRemote) {
        this.sparkRemote = Util.fixEmptyAndTrim(sparkRemote);
    }

    public String getJdbcUrl() {
        return jdbcUrl;
    }

    /** A database ({@code jdbc:postgresql://host:port/db}) that holds the predictions. */
    @DataBoundSetter
    public void setJdbcUrl(String jdbcUrl) {
        this.jdbcUrl = Util.fixEmptyAndTrim(jdbcUrl);
    }

    public String getTable() {
        return table;
    }

    /** The predictions are this table, instead of a {@code predictions} file. */
    @DataBoundSetter
    public void setTable(String table) {
        this.table = Util.fixEmptyAndTrim(table);
    }

    public String getQuery() {
        return query;
    }

    /** The predictions are the rows of this SELECT, instead of a {@code predictions} file. */
    @DataBoundSetter
    public void setQuery(String query) {
        this.query = Util.fixEmptyAndTrim(query);
    }

    public String getTableCredentialsId() {
        return tableCredentialsId;
    }

    /**
     * The table source's credential: Username with password for {@code jdbcUrl}, Secret text (a token) for
     * {@code sparkRemote}; without it the build's MLSTAGES_JDBC_USER/PASSWORD or MLSTAGES_SPARK_TOKEN.
     */
    @DataBoundSetter
    public void setTableCredentialsId(String tableCredentialsId) {
        this.tableCredentialsId = Util.fixEmptyAndTrim(tableCredentialsId);
    }

    /**
     * The predictions' source, from the step's options (support/TableSource does the checks both data steps share);
     * its credential is {@code tableCredentialsId}, since {@code credentialsId} is the registry's.
     */
    public TableSource source() {
        return TableSource.predictions(predictions, jdbcUrl, sparkRemote, table, query, tableCredentialsId);
    }

    /** Whether the predictions are read from a table source rather than a file. */
    public boolean readsTable() {
        return source().readsTable();
    }

    /** The shared checks, then what only evaluate refuses for a table source. */
    void checkSource() {
        source().check();
        if (readsTable() && (championPredictions != null || format != null)) {
            throw new IllegalArgumentException("championPredictions and format are for a predictions file, not a table source");
        }
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        checkSource();
        return new Execution(this, context);
    }

    static final class Execution extends StageExecution<EvaluateModelStep> {
        private static final long serialVersionUID = 1L;

        Execution(EvaluateModelStep step, StepContext context) {
            super(step, context);
        }

        @Override
        protected Map<String, Object> run(EvaluateModelStep step, StepRun stage) throws Exception {
            // The registry is resolved before the evaluation, so that a missing URL or credential fails at once.
            if (step.modelId != null && step.runId == null) {
                throw stage.failure("modelId goes with runId");
            }
            RegistryConfig registry = step.runId == null ? null : stage.registry(step.getRegistryUrl(), step.getCredentialsId());
            // Where the metrics go is settled before the evaluation: a bad modelId fails before anything is written.
            EvaluationToRun.Target target = registry == null ? null : target(step, registry, stage);

            StageOutcome outcome = step.readsTable()
                    ? stage.runOnAgentOnly(new EvaluateModelCallable(step, step.source().secrets(stage)))
                    : stage.runOnAgent(new EvaluateModelCallable(step));
            JsonNode result = ReportWriter.mapper().readTree(outcome.json);
            Status status = Status.valueOf(result.path("status").asText());
            String summary = "evaluateModel " + status + ": " + step.source().name() + ", " + outcome.headline
                    + (step.getReport() == null ? "" : "; report: " + step.getReport());
            stage.record(outcome.json, summary, step.runId, registry == null ? null : registry.getBaseUrl());
            if (registry != null) {
                logToRun(step, registry, target, outcome.json, stage);
            }
            stage.verdict(status, summary, step);
            return toMap(result, step);
        }

        /** As {@code mlstages evaluate --run-id [--model-id]}: the run, and the logged model the metrics also go to. */
        private static EvaluationToRun.Target target(EvaluateModelStep step, RegistryConfig registry, StepRun stage)
                throws AbortException {
            EvaluationToRun.Target target;
            try (MlflowRegistry client = new MlflowRegistry(registry, stage.log())) {
                target = EvaluationToRun.target(client, step.runId, step.modelId);
            } catch (RegistryException | IllegalArgumentException e) {
                throw stage.failure(e.getMessage());
            }
            if (target.note() != null) {
                stage.log().line("evaluateModel: " + target.note());
            }
            return target;
        }

        /** As {@code mlstages evaluate --run-id}: the metrics (on the logged model too), then the report as an artifact. */
        private static void logToRun(EvaluateModelStep step, RegistryConfig registry, EvaluationToRun.Target target,
                String json, StepRun stage) throws AbortException {
            EvaluationToRun.Logged logged;
            try (MlflowRegistry client = new MlflowRegistry(registry, stage.log())) {
                logged = EvaluationToRun.log(client, target, json);
            } catch (RegistryException e) {
                throw stage.failure(e.getMessage());
            }
            stage.log().line("evaluateModel: logged " + Plural.of(logged.metrics(), "metric") + " and " + EvaluationToRun.ARTIFACT_PATH
                    + " to MLflow run " + step.runId + (logged.modelId() == null ? ""
                            : ", " + logged.onModel() + " of them to logged model " + logged.modelId()));
        }
    }

    /** The result as plain values, for sandboxed scripts. */
    static Map<String, Object> toMap(JsonNode result, EvaluateModelStep step) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", result.path("status").asText());
        values.put("rows", result.path("rows").asLong());
        values.put("task", result.path("task").asText());
        values.put("metrics", ReportNumbers.readAll(result.path("metrics")));
        Map<String, Object> intervals = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : result.path("intervals").properties()) {
            Map<String, Object> interval = new LinkedHashMap<>(ReportNumbers.readAll(field.getValue()));
            intervals.put(field.getKey(), interval);
        }
        values.put("intervals", intervals);
        if (result.path("threshold").isNumber()) {
            values.put("threshold", result.path("threshold").asDouble());
        }
        PlainValues.putIfNotNull(values, "report", step.getReport());
        PlainValues.putIfNotNull(values, "runId", step.runId);
        PlainValues.putIfNotNull(values, "modelId", step.modelId);
        return values;
    }

    @Extension
    public static final class DescriptorImpl extends RegistryDescriptor {
        public DescriptorImpl() {
            super("evaluateModel", "Evaluate a model from its predictions (metrics, intervals, slices, fairness)", true,
                    "score", "slice");
        }

        /** Username with password (a database) or Secret text (a Spark token) that the job's builds can use. */
        public ListBoxModel doFillTableCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String tableCredentialsId) {
            return StepCredentials.items(item, tableCredentialsId, StandardCredentials.class, CredentialsMatchers.anyOf(
                    CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
                    CredentialsMatchers.instanceOf(StringCredentials.class)));
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object predictions = namedArgs.get("predictions");
            if (predictions == null || predictions.toString().isBlank()) {
                predictions = namedArgs.get("table");
            }
            Object task = namedArgs.get("task");
            if (predictions == null) {
                return null;
            }
            return task == null ? predictions.toString() : predictions + " (" + task + ")";
        }
    }
}
