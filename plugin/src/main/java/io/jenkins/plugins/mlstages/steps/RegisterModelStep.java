package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.FormLists;
import io.jenkins.plugins.mlstages.support.PlainValues;
import io.jenkins.plugins.mlstages.support.StepRun;
import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.registry.KeyValues;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegisterModel;
import io.jenkins.plugins.mlstages.registry.RegisterModelRequest;
import io.jenkins.plugins.mlstages.registry.RegisterModelResult;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.registry.ReportLineage;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code registerModel}: registers a model version with lineage tags, waits for READY and points the
 * aliases at it, once per build (the CLI's {@code mlstages register}). Runs on the controller. The
 * build key defaults to the build's own ID ({@code <job full name>#<build number>}), so running the
 * step again in the same build, or retrying it, returns the version registered the first time. The
 * lineage comes from {@code fromReport}, else from the stages this build already recorded.
 */
public final class RegisterModelStep extends RegistryStep {
    private static final long serialVersionUID = 1L;

    static final long DEFAULT_AWAIT_SECONDS = 300;

    private final String model;
    private String runId;
    private String artifactPath;
    private String modelId;
    private String source;
    private String copyFrom;
    private List<String> alias = List.of();
    private List<String> tag = List.of();
    private List<String> fromReport = List.of();
    private String description;
    private String buildKey;
    private long awaitSeconds = DEFAULT_AWAIT_SECONDS;

    /** @param model the registered model, created when absent */
    @DataBoundConstructor
    public RegisterModelStep(String model) {
        this.model = Util.fixEmptyAndTrim(model);
        if (this.model == null) {
            throw new IllegalArgumentException("registerModel needs model: the registered model's name");
        }
    }

    public String getModel() {
        return model;
    }

    public String getRunId() {
        return runId;
    }

    /** Source: the run that logged the model (with {@code artifactPath}, default {@code model}). */
    @DataBoundSetter
    public void setRunId(String runId) {
        this.runId = Util.fixEmptyAndTrim(runId);
    }

    public String getArtifactPath() {
        return artifactPath;
    }

    @DataBoundSetter
    public void setArtifactPath(String artifactPath) {
        this.artifactPath = Util.fixEmptyAndTrim(artifactPath);
    }

    public String getModelId() {
        return modelId;
    }

    /** Source: an MLflow 3 logged model. */
    @DataBoundSetter
    public void setModelId(String modelId) {
        this.modelId = Util.fixEmptyAndTrim(modelId);
    }

    public String getSource() {
        return source;
    }

    /** Source: a {@code models:/} URI or another model source. */
    @DataBoundSetter
    public void setSource(String source) {
        this.source = Util.fixEmptyAndTrim(source);
    }

    public String getCopyFrom() {
        return copyFrom;
    }

    /** Source: {@code NAME/VERSION} of another registered model (promotion). */
    @DataBoundSetter
    public void setCopyFrom(String copyFrom) {
        this.copyFrom = Util.fixEmptyAndTrim(copyFrom);
    }

    public List<String> getAlias() {
        return new ArrayList<>(alias);
    }

    @DataBoundSetter
    public void setAlias(List<String> alias) {
        this.alias = lines(alias);
    }

    public String getAliasText() {
        return FormLists.text(alias);
    }

    public List<String> getTag() {
        return new ArrayList<>(tag);
    }

    /** Tags on the version, {@code KEY=VALUE} each. */
    @DataBoundSetter
    public void setTag(List<String> tag) {
        List<String> entries = lines(tag);
        KeyValues.parse(entries, "tag");
        this.tag = entries;
    }

    public String getTagText() {
        return FormLists.text(tag);
    }

    public List<String> getFromReport() {
        return new ArrayList<>(fromReport);
    }

    /** Stage reports in the workspace to take the lineage from, instead of this build's recorded stages. */
    @DataBoundSetter
    public void setFromReport(List<String> fromReport) {
        this.fromReport = lines(fromReport);
    }

    public String getFromReportText() {
        return FormLists.text(fromReport);
    }

    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(String description) {
        this.description = Util.fixEmptyAndTrim(description);
    }

    public String getBuildKey() {
        return buildKey;
    }

    /** Registering again with the same key returns the same version. Default: the build's ID. */
    @DataBoundSetter
    public void setBuildKey(String buildKey) {
        this.buildKey = Util.fixEmptyAndTrim(buildKey);
    }

    public long getAwaitSeconds() {
        return awaitSeconds;
    }

    @DataBoundSetter
    public void setAwaitSeconds(long awaitSeconds) {
        if (awaitSeconds < 0) {
            throw new IllegalArgumentException("awaitSeconds must be 0 or more, was " + awaitSeconds);
        }
        this.awaitSeconds = awaitSeconds;
    }

    /** The build's own key: {@code <job full name>#<build number>}, the same for every attempt in this build. */
    static String defaultBuildKey(Run<?, ?> run) {
        return run.getExternalizableId();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends StageExecution<RegisterModelStep> {
        private static final long serialVersionUID = 1L;

        Execution(RegisterModelStep step, StepContext context) {
            super(step, context);
        }

        @Override
        protected Map<String, Object> run(RegisterModelStep step, StepRun stage) throws Exception {
            if (stage.workspace() == null && (!step.fromReport.isEmpty() || step.getReport() != null)) {
                // refused before anything is registered
                throw stage.failure("fromReport and report are paths in the workspace: run the step inside node { }");
            }
            Run<?, ?> run = stage.run();
            EnvVars env = stage.environment();
            Map<String, String> lineage = new LinkedHashMap<>();
            putIfPresent(lineage, "mlstages.git_commit", env == null ? null : env.get("GIT_COMMIT"));
            putIfPresent(lineage, "mlstages.build_url", buildUrl(run, env));
            lineage.putAll(ReportLineage.tags(lineageReports(step, stage)));
            String key = step.buildKey != null ? step.buildKey : defaultBuildKey(run);
            RegisterModelRequest request;
            try {
                request = new RegisterModelRequest(step.model, step.runId, step.artifactPath, step.modelId, step.source,
                        step.copyFrom, step.description, KeyValues.parse(step.tag, "tag"), lineage, step.alias, key,
                        Duration.ofSeconds(step.awaitSeconds), null);
            } catch (IllegalArgumentException e) {
                throw stage.failure(e.getMessage());
            }

            RegistryConfig config = stage.registry(step.getRegistryUrl(), step.getCredentialsId());
            RegisterModelResult result;
            BuildLog log = stage.log();
            try (MlflowRegistry registry = new MlflowRegistry(config, log)) {
                result = new RegisterModel(log, registry).run(request);
            } catch (RegistryException | IllegalArgumentException e) {
                // IllegalArgumentException: a source that holds no loadable model, refused before anything is written
                throw stage.failure(e.getMessage());
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            if (step.getReport() != null) {
                stage.writeReport(step.getReport(), json);
            }
            String summary = "registerModel " + result.status() + ": " + result.model() + "/" + result.version()
                    + (result.reused() ? " (reused for build key " + result.buildKey() + ")" : " (new)")
                    + (result.aliases().isEmpty() ? "" : ", aliases " + String.join(", ", result.aliases()));
            stage.finish(json, result.status(), summary, null, config.getBaseUrl(), step);
            return toMap(result, step.getReport());
        }

        /** The reports named by {@code fromReport}, else the stage reports this build recorded so far. */
        private static List<JsonNode> lineageReports(RegisterModelStep step, StepRun stage) throws Exception {
            List<JsonNode> reports = new ArrayList<>();
            if (!step.fromReport.isEmpty()) {
                for (String path : step.fromReport) {
                    reports.add(readReport(stage, path));
                }
                return reports;
            }
            MlReportAction recorded = stage.run().getAction(MlReportAction.class);
            return recorded == null ? reports : recorded.readReports();
        }
    }

    /** The build's URL, from the Jenkins URL when configured, else {@code BUILD_URL}; null when neither is known. */
    @CheckForNull
    static String buildUrl(Run<?, ?> run, @CheckForNull EnvVars env) {
        String root = Jenkins.get().getRootUrl();
        if (root != null) {
            return root + run.getUrl();
        }
        return env == null ? null : Util.fixEmptyAndTrim(env.get("BUILD_URL"));
    }

    private static JsonNode readReport(StepRun stage, String path) throws Exception {
        JsonNode json = stage.readReport(path);
        String schema = json == null ? "" : json.path("schema").asText("");
        if (!StageReport.SCHEMA.equals(schema)) {
            throw stage.failure(path + ": not an ml-stages report of a known version (schema '"
                    + schema + "'; this release reads " + StageReport.SCHEMA + ")");
        }
        return json;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    /** The result as plain values, for sandboxed scripts. */
    static Map<String, Object> toMap(RegisterModelResult result, @CheckForNull String report) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", result.status().name());
        values.put("model", result.model());
        values.put("version", result.version());
        values.put("reused", result.reused());
        values.put("aliases", new ArrayList<>(result.aliases()));
        PlainValues.putIfNotNull(values, "source", result.source());
        PlainValues.putIfNotNull(values, "runId", result.runId());
        PlainValues.putIfNotNull(values, "modelId", result.modelId());
        PlainValues.putIfNotNull(values, "buildKey", result.buildKey());
        PlainValues.putIfNotNull(values, "report", report);
        return values;
    }

    @Extension
    public static final class DescriptorImpl extends RegistryDescriptor {
        public DescriptorImpl() {
            // on the controller: a workspace only for report and fromReport
            super("registerModel", "Register a model version with its lineage (once per build)", false,
                    "alias", "tag", "fromReport");
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object model = namedArgs.get("model");
            if (model == null) {
                return null;
            }
            Object alias = namedArgs.get("alias");
            return alias instanceof List && !((List<?>) alias).isEmpty()
                    ? model + " @" + String.join(", @", FormLists.lines(stringList(alias)))
                    : model.toString();
        }

        private static List<String> stringList(Object list) {
            List<String> values = new ArrayList<>();
            for (Object item : (List<?>) list) {
                values.add(String.valueOf(item));
            }
            return values;
        }
    }
}
