package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.RegistryAccess;
import io.jenkins.plugins.mlstages.support.FormLists;
import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
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
import java.util.Set;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

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
    private String report;

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
        this.alias = List.copyOf(FormLists.lines(alias));
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
        List<String> entries = FormLists.lines(tag);
        KeyValues.parse(entries, "tag");
        this.tag = List.copyOf(entries);
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
        this.fromReport = List.copyOf(FormLists.lines(fromReport));
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

    public String getReport() {
        return report;
    }

    @DataBoundSetter
    public void setReport(String report) {
        this.report = Util.fixEmptyAndTrim(report);
    }

    /** The build's own key: {@code <job full name>#<build number>}, the same for every attempt in this build. */
    static String defaultBuildKey(Run<?, ?> run) {
        return run.getExternalizableId();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "Only used when starting.")
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient RegisterModelStep step;

        Execution(RegisterModelStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext context = getContext();
            TaskListener listener = context.get(TaskListener.class);
            Run<?, ?> run = context.get(Run.class);
            EnvVars env = context.get(EnvVars.class);
            FilePath workspace = context.get(FilePath.class);
            if (workspace == null && (!step.fromReport.isEmpty() || step.report != null)) {
                throw new AbortException("registerModel: fromReport and report are paths in the workspace:"
                        + " run the step inside node { }");
            }

            Map<String, String> lineage = new LinkedHashMap<>();
            putIfPresent(lineage, "mlstages.git_commit", env == null ? null : env.get("GIT_COMMIT"));
            putIfPresent(lineage, "mlstages.build_url", buildUrl(run, env));
            lineage.putAll(ReportLineage.tags(lineageReports(run, workspace)));
            String key = step.buildKey != null ? step.buildKey : defaultBuildKey(run);
            RegisterModelRequest request;
            try {
                request = new RegisterModelRequest(step.model, step.runId, step.artifactPath, step.modelId, step.source,
                        step.copyFrom, step.description, KeyValues.parse(step.tag, "tag"), lineage, step.alias, key,
                        Duration.ofSeconds(step.awaitSeconds), null);
            } catch (IllegalArgumentException e) {
                throw BuildLog.failure("registerModel", e.getMessage());
            }

            RegistryConfig config = RegistryAccess.forRun(run, env, step.getRegistryUrl(), step.getCredentialsId(), listener);
            RegisterModelResult result;
            BuildLog log = new BuildLog(listener.getLogger());
            try (MlflowRegistry registry = new MlflowRegistry(config, log)) {
                result = new RegisterModel(log, registry).run(request);
            } catch (RegistryException | IllegalArgumentException e) {
                // IllegalArgumentException: a source that holds no loadable model, refused before anything is written
                throw BuildLog.failure("registerModel", e.getMessage());
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            if (step.report != null) {
                WorkspaceReports.write(workspace, step.report, json, "registerModel");
            }
            String summary = "registerModel " + result.status() + ": " + result.model() + "/" + result.version()
                    + (result.reused() ? " (reused for build key " + result.buildKey() + ")" : " (new)")
                    + (result.aliases().isEmpty() ? "" : ", aliases " + String.join(", ", result.aliases()));
            MlReportAction.record(run, json, summary, null, config.getBaseUrl());
            Verdict.apply(result.status(), step.getFailOn(), step.getUnstableOn(), summary, run, context.get(FlowNode.class),
                    listener);
            return toMap(result, step.report);
        }

        /** The reports named by {@code fromReport}, else the stage reports this build recorded so far. */
        private List<JsonNode> lineageReports(Run<?, ?> run, @CheckForNull FilePath workspace) throws Exception {
            List<JsonNode> reports = new ArrayList<>();
            if (!step.fromReport.isEmpty()) {
                for (String path : step.fromReport) {
                    reports.add(readReport(workspace, path));
                }
                return reports;
            }
            MlReportAction recorded = run.getAction(MlReportAction.class);
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

    private static JsonNode readReport(FilePath workspace, String path) throws Exception {
        JsonNode json = WorkspaceReports.read(workspace, path, "registerModel");
        String schema = json == null ? "" : json.path("schema").asText("");
        if (!StageReport.SCHEMA.equals(schema)) {
            throw WorkspaceReports.failure("registerModel", path, "not an ml-stages report of a known version (schema '"
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
        putIfNotNull(values, "source", result.source());
        putIfNotNull(values, "runId", result.runId());
        putIfNotNull(values, "modelId", result.modelId());
        putIfNotNull(values, "buildKey", result.buildKey());
        putIfNotNull(values, "report", report);
        return values;
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "registerModel";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Register a model version with its lineage (once per build)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FlowNode.class);
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

        /** The Snippet Generator's text areas hold one entry per line; the step takes lists. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            FormLists.splitTextAreas(formData, "alias", "tag", "fromReport");
            return super.newInstance(req, formData);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return RegistryAccess.credentialsItems(item, credentialsId);
        }
    }
}
