package io.jenkins.plugins.mlstages.support;

import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.report.Status;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * One run of an ML Stages step, as the step's execution sees it: the build, its log, the workspace (null
 * outside {@code node {}}), the environment, and the plumbing every step shares — the registry (with
 * {@link RegistryAccess}'s rule for credentials), reports in the workspace, failures on one line named
 * after the step, and the end of a stage: recorded in the build's ML report, then its verdict applied.
 * {@code canaryDeploy} can use it as the other steps do.
 */
public final class StepRun {
    private final String step;
    private final StepContext context;
    private final Run<?, ?> run;
    private final TaskListener listener;
    @CheckForNull
    private final FilePath workspace;
    @CheckForNull
    private final EnvVars environment;

    private StepRun(String step, StepContext context, Run<?, ?> run, TaskListener listener,
            @CheckForNull FilePath workspace, @CheckForNull EnvVars environment) {
        this.step = step;
        this.context = context;
        this.run = run;
        this.listener = listener;
        this.workspace = workspace;
        this.environment = environment;
    }

    /** @param step the step's function name, which starts each failure line ({@code modelGate: ...}) */
    public static StepRun of(StepContext context, String step) throws IOException, InterruptedException {
        return new StepRun(step, context, context.get(Run.class), context.get(TaskListener.class),
                context.get(FilePath.class), context.get(EnvVars.class));
    }

    public Run<?, ?> run() {
        return run;
    }

    public TaskListener listener() {
        return listener;
    }

    /** The build log, redacted and escaped. */
    public BuildLog log() {
        return new BuildLog(listener.getLogger());
    }

    /** The workspace, or null outside {@code node {}}. */
    @CheckForNull
    public FilePath workspace() {
        return workspace;
    }

    /** The build's environment (as {@code withEnv} and {@code withCredentials} left it), or null. */
    @CheckForNull
    public EnvVars environment() {
        return environment;
    }

    /** The step's failure, {@code step: message} on one log-safe line, without a stack trace. */
    public AbortException failure(String message) {
        return BuildLog.failure(step, message);
    }

    /** The registry of this step: its {@code registryUrl} and {@code credentialsId}, else the global ones (see {@link RegistryAccess}). */
    public RegistryConfig registry(@CheckForNull String registryUrl, @CheckForNull String credentialsId)
            throws AbortException {
        return RegistryAccess.forRun(run, environment, registryUrl, credentialsId, listener);
    }

    /**
     * Runs a stage on the node that holds the workspace and replays its log here; fails the step with
     * the one-line reason when its input could not be used (see {@link StageOutcome#runOn}).
     */
    public StageOutcome runOnAgent(FilePath.FileCallable<StageOutcome> stage) throws IOException, InterruptedException {
        return StageOutcome.runOn(workspace("the data"), stage, listener.getLogger(), step);
    }

    /**
     * As {@link #runOnAgent}, refusing the built-in node: a stage that opens a URL the step chose (a database, a
     * Spark server) must not run on the controller, where it would be a request forgery channel into the
     * controller's network, with the controller's identity.
     */
    public StageOutcome runOnAgentOnly(FilePath.FileCallable<StageOutcome> stage) throws IOException, InterruptedException {
        FilePath where = workspace("the data");
        if (!where.isRemote()) {
            throw failure("a table source is read from an agent, not from the built-in node: run the step in node('label') { }"
                    + " on an agent (docs/tables.md)");
        }
        return StageOutcome.runOn(where, stage, listener.getLogger(), step);
    }

    /** A JSON report in the workspace, whole (see {@link WorkspaceReports#read}). */
    public JsonNode readReport(String path) throws IOException, InterruptedException {
        return WorkspaceReports.read(workspace(path), path, step);
    }

    /** Replaces the report at {@code path} in the workspace atomically (see {@link WorkspaceReports#write}). */
    public void writeReport(String path, String json) throws IOException, InterruptedException {
        WorkspaceReports.write(workspace(path), path, json, step);
    }

    private FilePath workspace(String path) throws AbortException {
        if (workspace == null) {
            throw failure(path + " is a path in the workspace: run the step inside node { }");
        }
        return workspace;
    }

    /**
     * Adds the stage's report to the build's ML report (see {@link MlReportAction#record}).
     *
     * @param runId the MLflow run the stage logged to, when the report does not name it
     * @param registryUrl the registry the stage used, for links
     */
    public void record(String reportJson, String summary, @CheckForNull String runId, @CheckForNull String registryUrl)
            throws IOException {
        MlReportAction.record(run, reportJson, summary, runId, registryUrl);
    }

    /**
     * Applies the stage's verdict by the step's {@code failOn} and {@code unstableOn} (see
     * {@link Verdict#apply}): fails the step, marks it UNSTABLE, or logs the summary.
     */
    public void verdict(Status status, String summary, VerdictOptions options) throws IOException, InterruptedException {
        Verdict.apply(status, options.getFailOn(), options.getUnstableOn(), summary, run, context.get(FlowNode.class),
                listener);
    }

    /** The end of a stage: {@link #record}, then {@link #verdict}. */
    public void finish(String reportJson, Status status, String summary, @CheckForNull String runId,
            @CheckForNull String registryUrl, VerdictOptions options) throws IOException, InterruptedException {
        record(reportJson, summary, runId, registryUrl);
        verdict(status, summary, options);
    }
}
