package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.canary.AnalysisSource;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.canary.CanaryCleanup;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryConnections;
import io.jenkins.plugins.mlstages.canary.CanaryRouter;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.CanarySetup;
import io.jenkins.plugins.mlstages.canary.ProbeSettings;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.RegistryAccess;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;
import io.jenkins.plugins.mlstages.support.FormLists;
import com.fasterxml.jackson.core.JsonProcessingException;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.deploy.CanaryRun;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryState;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.CanaryVerdict;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.RegistryAliases;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What {@code canaryDeploy} and {@code blueGreenDeploy} share: the model version, the router by name, the analysis
 * checks and their limits, the aliases, the probe settings, and their run on {@link DeploymentExecution}. The engine's {@link CanaryRun}
 * drives both (a blue/green deployment is a canary plan with smoke checks and one step, 100): it saves every intended
 * transition before acting, to a state file under the build directory and, as JSON, in the execution; after a
 * controller restart the deployment continues from that state, an abort rolls it back without blocking, and
 * {@link CanaryCleanup} finishes one whose build ended without its step. The router is named, never described: a
 * definition an administrator made in {@link CanaryRouters}, so that nothing in a Jenkinsfile reaches a command, a file
 * or an identity on the controller.
 */
public abstract class TrafficDeployStep extends RegistryStep {
    private static final long serialVersionUID = 1L;

    final String model;
    final String version;
    final String router;
    private List<String> analysis = List.of();
    private List<String> stableQuery = List.of();
    private AnalysisSource analysisSource;
    private int failureLimit = 1;
    private int inconclusiveLimit = 2;
    private String championAlias = CanaryPlan.DEFAULT_CHAMPION_ALIAS;
    private String previousAlias = CanaryPlan.DEFAULT_PREVIOUS_ALIAS;
    private String canaryStorageUri;
    /** probe, probeLabel, probeOutput, probeThreshold and probeTimeout, checked and turned into the engine's plan there. */
    final ProbeSettings probe = new ProbeSettings();

    /**
     * @param stepName the step's function name, for its messages
     * @param router the name of a router an administrator defined, e.g. {@code 'prod-fraud'}
     */
    TrafficDeployStep(String stepName, String model, String version, String router) {
        this.model = Util.fixEmptyAndTrim(model);
        this.version = Util.fixEmptyAndTrim(version);
        this.router = Util.fixEmptyAndTrim(router);
        if (this.model == null || this.version == null) {
            throw new IllegalArgumentException(stepName + " needs model and version: the registered model version to deploy");
        }
    }

    /** The step's function name: {@code canaryDeploy}, {@code blueGreenDeploy}. */
    abstract String stepName();

    /** What a resume says it resumes: {@code "the canary"}, {@code "the blue/green deployment"}. */
    abstract String subject();

    /** The log line when the step starts; {@code stateFile} is the state's path under the build. */
    abstract String startLine(String stateFile);

    /**
     * Copies what the plan reads from the workspace under the build when the step starts (the probe of behaviour rules,
     * blue/green's smoke file), checked; null when it reads nothing.
     *
     * @param directory where the copies go, under the build
     */
    @CheckForNull
    abstract Inputs copyInputs(@CheckForNull FilePath workspace, CanaryRouter router, Path directory, String id)
            throws IOException, InterruptedException;

    /**
     * The engine's plan; the engine checks it.
     *
     * @param inputs the copies {@link #copyInputs} made; null to check the settings only (the plan then reads no file)
     */
    abstract CanaryPlan plan(@CheckForNull Inputs inputs);

    /** The plan without its inputs: checks everything the Jenkinsfile says. */
    CanaryPlan plan() {
        return plan(null);
    }

    /** The copies of the workspace files the plan reads, and where the probe and the smoke requests go. */
    record Inputs(@CheckForNull ProbeSettings.Target probe, @CheckForNull String smoke, @CheckForNull String greenUrl)
            implements java.io.Serializable {
    }

    public String getModel() {
        return model;
    }

    public String getVersion() {
        return version;
    }

    public String getRouter() {
        return router;
    }

    public List<String> getAnalysis() {
        return analysis;
    }

    /** The checks, {@code 'NAME: QUERY <= MAX'}, {@code 'NAME: QUERY >= MIN'} or {@code 'NAME: MIN <= QUERY <= MAX'}. */
    @DataBoundSetter
    public void setAnalysis(List<String> analysis) {
        this.analysis = List.copyOf(FormLists.lines(analysis));
    }

    public String getAnalysisText() {
        return FormLists.text(analysis);
    }

    public List<String> getStableQuery() {
        return stableQuery;
    }

    /** {@code 'NAME: QUERY'}: the stable version's value for check NAME; its bounds then apply to canary - stable. */
    @DataBoundSetter
    public void setStableQuery(List<String> stableQuery) {
        this.stableQuery = List.copyOf(FormLists.lines(stableQuery));
    }

    public String getStableQueryText() {
        return FormLists.text(stableQuery);
    }

    public AnalysisSource getAnalysisSource() {
        return analysisSource;
    }

    @DataBoundSetter
    public void setAnalysisSource(AnalysisSource analysisSource) {
        this.analysisSource = analysisSource;
    }

    public int getFailureLimit() {
        return failureLimit;
    }

    @DataBoundSetter
    public void setFailureLimit(int failureLimit) {
        this.failureLimit = failureLimit;
    }

    public int getInconclusiveLimit() {
        return inconclusiveLimit;
    }

    @DataBoundSetter
    public void setInconclusiveLimit(int inconclusiveLimit) {
        this.inconclusiveLimit = inconclusiveLimit;
    }

    public String getChampionAlias() {
        return championAlias;
    }

    @DataBoundSetter
    public void setChampionAlias(String championAlias) {
        String value = Util.fixEmptyAndTrim(championAlias);
        this.championAlias = value == null ? CanaryPlan.DEFAULT_CHAMPION_ALIAS : value;
    }

    public String getPreviousAlias() {
        return previousAlias;
    }

    @DataBoundSetter
    public void setPreviousAlias(String previousAlias) {
        String value = Util.fixEmptyAndTrim(previousAlias);
        this.previousAlias = value == null ? CanaryPlan.DEFAULT_PREVIOUS_ALIAS : value;
    }

    public String getCanaryStorageUri() {
        return canaryStorageUri;
    }

    /**
     * The canary model's storage URI for a KServe router ({@code spec.predictor.model.storageUri}): data the
     * router patches into the InferenceService its administrator named, with the credential they chose.
     */
    @DataBoundSetter
    public void setCanaryStorageUri(String canaryStorageUri) {
        this.canaryStorageUri = Util.fixEmptyAndTrim(canaryStorageUri);
    }

    public String getProbe() {
        return probe.getProbe();
    }

    /**
     * A workspace file of requests (JSON lines) that behaviour rules ({@code 'agreement >= 0.97'} in
     * {@code analysis}) send to both versions at each analysis; read once when the step starts.
     */
    @DataBoundSetter
    public void setProbe(String probe) {
        this.probe.setProbe(probe);
    }

    public String getProbeLabel() {
        return probe.getProbeLabel();
    }

    /** The probe's field with the true label, taken out before a row is sent (accuracy rules). */
    @DataBoundSetter
    public void setProbeLabel(String probeLabel) {
        probe.setProbeLabel(probeLabel);
    }

    public String getProbeOutput() {
        return probe.getProbeOutput();
    }

    /** {@code auto} (default), {@code score} or {@code label}: how both versions' outputs are compared. */
    @DataBoundSetter
    public void setProbeOutput(String probeOutput) {
        probe.setProbeOutput(probeOutput);
    }

    public double getProbeThreshold() {
        return probe.getProbeThreshold();
    }

    /** With scores, the decision compared by {@code agreement} is {@code score >= probeThreshold} (default 0.5). */
    @DataBoundSetter
    public void setProbeThreshold(double probeThreshold) {
        probe.setProbeThreshold(probeThreshold);
    }

    public String getProbeTimeout() {
        return probe.getProbeTimeout();
    }

    /** How long one probe request may take (default 10s). */
    @DataBoundSetter
    public void setProbeTimeout(String probeTimeout) {
        probe.setProbeTimeout(probeTimeout);
    }

    /** Whether {@code analysis} holds behaviour rules, which need {@link #getProbe() probe}. */
    boolean hasBehaviourRules() {
        return analysis.stream().anyMatch(CheckSyntax::isBehaviour);
    }

    /** What opens this deployment's router, analysis source and registry again, after a restart or for the cleanup. */
    CanarySetup setup() {
        return new CanarySetup(router, canaryStorageUri, analysisSource, getRegistryUrl(), getCredentialsId());
    }

    /** The Prometheus checks and behaviour rules of {@code analysis}, with the stable queries; null when there are none. */
    CheckSyntax.Checks checks() {
        return CheckSyntax.parseAll(analysis, stableQuery);
    }

    /** The engine's message names a setting by its Pipeline parameter: the message points at the argument to fix. */
    static IllegalArgumentException named(CanarySettingException e) {
        return new IllegalArgumentException(e.setting() + ": " + e.getMessage(), e);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * The durable execution of {@link DeploymentExecution}: a canary or blue/green deployment, driven in the slot of its
     * ID. Its serial form adds the copies of the workspace files the plan reads ({@code inputs}).
     */
    static final class Execution extends DeploymentExecution<TrafficDeployStep, CanaryResult> {
        private static final long serialVersionUID = 1L;

        /** Set at start when the plan reads workspace files: their copies under the build, and the router's URLs. */
        @CheckForNull
        private volatile Inputs inputs;

        Execution(TrafficDeployStep step, StepContext context) {
            super(step, context);
        }

        @Override
        Words words() {
            return new Words(step.stepName(), step.subject() + " of " + step.model + " version " + step.version, "rolling back",
                    "router");
        }

        @Override
        String slot() {
            return id;
        }

        @Override
        String begin() throws Exception {
            step.plan();
            CanaryRouter router = CanaryRouters.get().require(step.router, step.stepName());
            if (step.canaryStorageUri != null && !router.takesCanaryStorageUri()) {
                throw BuildLog.failure(step.stepName(), "canaryStorageUri is for kserve routers; router '" + step.router
                        + "' is not one");
            }
            FilePath workspace = getContext().get(FilePath.class);
            inputs = step.copyInputs(workspace, router, Canaries.stateFile(getContext().get(Run.class), id).getParent(), id);
            if (inputs != null) {
                step.plan(inputs);
            } else if (workspace != null) {
                log(step.stepName() + ": warning: running inside node { }, which it does not need: if this agent goes away"
                        + " (an ephemeral agent removed, a lost connection) the block is aborted and the deployment rolled back;"
                        + " call " + step.stepName() + " outside node { }");
            }
            return step.startLine("ml-stages/canary-" + id + ".json");
        }

        @Override
        String status(String stateJson) throws JsonProcessingException {
            CanaryState state = CanaryStateStore.mapper().readValue(stateJson, CanaryState.class);
            return state.phase().name().toLowerCase(Locale.ROOT) + ", step " + (state.stepIndex() + 1) + "/"
                    + state.plan().steps().size() + " at " + state.router().weight() + " % canary";
        }

        @Override
        Drive<CanaryResult> open(Run<?, ?> run, BuildLog log, boolean analyse) throws Exception {
            CanarySetup setup = step.setup();
            CanaryCleanupAction.registerOn(run, id, setup);
            StateStore store = new StateStore(Canaries.stateFile(run, id));
            CanaryConnections connections = new CanaryConnections(setup, run, getContext().get(EnvVars.class), analyse,
                    this::routerSleep, log, getContext().get(TaskListener.class));
            try {
                CanaryRun canary = new CanaryRun(store, connections.router(), connections.metrics(),
                        new RegistryAliases(connections.registry()), log, Clock.systemUTC(), this::sleep, Backoff.DEFAULT);
                String registryUrl = connections.registry().getConfig().getBaseUrl();
                Inputs copies = inputs;
                return new Drive<>(store::exists, () -> canary.start(step.plan(copies)), canary::resume, canary::abort,
                        result -> Canaries.record(run, id, result, registryUrl), connections);
            } catch (RuntimeException e) {
                connections.close();
                throw e;
            }
        }

        @Override
        String summary(CanaryResult result) {
            return Canaries.summary(result);
        }

        @Override
        boolean aborted(CanaryResult result) {
            return result.verdict() == CanaryVerdict.ABORTED;
        }

        @Override
        Map<String, Object> toMap(CanaryResult result) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("status", result.status().name());
            values.put("verdict", result.verdict().name());
            values.put("model", result.model());
            values.put("version", result.version());
            if (result.stableVersion() != null) {
                values.put("stableVersion", result.stableVersion());
            }
            values.put("reason", result.reason());
            values.put("aliases", new LinkedHashMap<>(result.aliases()));
            return values;
        }

        /** The state file under the build directory, kept in the program too ({@link #keep}). */
        private final class StateStore extends CanaryStateStore {
            StateStore(Path file) {
                super(file);
            }

            @Override
            public boolean exists() {
                return super.exists() || kept();
            }

            @Override
            public void save(CanaryState state) throws IOException {
                super.save(state);
                keep(state);
            }

            @Override
            public CanaryState load() throws IOException {
                return super.exists() ? super.load() : kept(CanaryState.class, file());
            }
        }
    }

    /** The descriptor of a traffic deployment: the registry's {@code credentialsId} drop-down too (as {@link RegistryDescriptor}). */
    public abstract static class TrafficDescriptor extends DeploymentDescriptor {
        protected TrafficDescriptor(String functionName, String displayName) {
            super(functionName, displayName, "analysis", "stableQuery");
        }

        /** The registry credentials the job's builds can use (see {@link RegistryAccess#credentialsItems}). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return RegistryAccess.credentialsItems(item, credentialsId);
        }
    }
}
