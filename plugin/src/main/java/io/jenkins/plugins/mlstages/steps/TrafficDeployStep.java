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
import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.FormLists;
import com.fasterxml.jackson.core.JsonProcessingException;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Result;
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
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.RegistryAliases;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageDelivery;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What {@code canaryDeploy} and {@code blueGreenDeploy} share: the model version, the router by name, the analysis
 * checks and their limits, the aliases, the probe settings, and the durable execution. The engine's {@link CanaryRun}
 * drives both (a blue/green deployment is a canary plan with smoke checks and one step, 100): it saves every intended
 * transition before acting, to a state file under the build directory and, as JSON, in the execution; after a
 * controller restart the deployment continues from that state, an abort rolls it back without blocking, and
 * {@link CanaryCleanup} finishes one whose build ended without its step. The router is named, never described: a
 * definition an administrator made in {@link CanaryRouters}, so that nothing in a Jenkinsfile reaches a command, a file
 * or an identity on the controller.
 */
public abstract class TrafficDeployStep extends RegistryStep {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(TrafficDeployStep.class.getName());

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
     * The durable execution. Its serial form is the step's settings (the router by name), the canary's ID,
     * the state as JSON and whether an abort was asked for, with its cause as Pipeline's own
     * {@link FlowInterruptedException}: plugin classes, strings and immutable lists (core's class filter allows
     * them), no engine class, no secret.
     */
    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "acting, interruptible and stopCause describe the current drive only; a resumed canary starts a new one"
                    + " (the abort's cause survives as abortCause)")
    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        /** How long a save of the program may take before the canary acts anyway (the state file is saved already). */
        private static final long SAVE_SECONDS = 30;

        private final TrafficDeployStep step;
        private final String id;
        /** Set at start when the plan reads workspace files: their copies under the build, and the router's URLs. */
        @CheckForNull
        private volatile Inputs inputs;
        /** The canary's state as the engine writes it, replaced whole at each transition. */
        private volatile String stateJson;
        private final AtomicBoolean completed = new AtomicBoolean();
        /** Set by {@link #stop}; survives a restart so that a resumed canary goes on rolling back. */
        private volatile boolean abortRequested;
        private volatile String abortReason;
        /** The abort's cause as Pipeline knows it (user, timeout), so that a build resumed after a restart ends with it. */
        @CheckForNull
        private volatile FlowInterruptedException abortCause;

        private transient volatile boolean acting;
        private transient volatile boolean interruptible;
        private transient volatile Throwable stopCause;
        /** The Jenkins this drive runs in; when it shuts down the drive ends and the next start resumes the canary. */
        private transient volatile Jenkins jenkins;

        Execution(TrafficDeployStep step, StepContext context) {
            super(context);
            this.step = step;
            this.id = UUID.randomUUID().toString();
        }

        @Override
        public boolean start() throws Exception {
            try {
                step.plan();
            } catch (IllegalArgumentException e) {
                throw BuildLog.failure(step.stepName(), e.getMessage());
            }
            CanaryRouter router = CanaryRouters.get().require(step.router, step.stepName());
            if (step.canaryStorageUri != null && !router.takesCanaryStorageUri()) {
                throw BuildLog.failure(step.stepName(), "canaryStorageUri is for kserve routers; router '" + step.router
                        + "' is not one");
            }
            inputs = step.copyInputs(getContext().get(FilePath.class), router,
                    Canaries.stateFile(getContext().get(Run.class), id).getParent(), id);
            if (inputs != null) {
                try {
                    step.plan(inputs);
                } catch (IllegalArgumentException e) {
                    throw BuildLog.failure(step.stepName(), e.getMessage());
                }
            } else if (getContext().get(FilePath.class) != null) {
                log(step.stepName() + ": warning: running inside node { }, which it does not need: if this agent goes away"
                        + " (an ephemeral agent removed, a lost connection) the block is aborted and the deployment rolled back;"
                        + " call " + step.stepName() + " outside node { }");
            }
            log(step.startLine("ml-stages/canary-" + id + ".json"));
            submit(Mode.START);
            return false;
        }

        @Override
        public void onResume() {
            log(step.stepName() + ": resuming the deployment of " + step.model + " version " + step.version
                    + " after a controller restart" + (abortRequested ? " (rolling back: " + abortReason + ")" : ""));
            submit(abortRequested ? Mode.ABORT : Mode.RESUME);
        }

        /**
         * A user abort or an enclosing timeout: records the abort and returns at once. The driving
         * thread notices it at its next wait and rolls back; router calls under way are finished first.
         */
        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            Throwable earlier = stopCause;
            if (earlier != null) {
                earlier.addSuppressed(cause);
                return;
            }
            stopCause = cause;
            abortCause = persistable(cause);
            abortReason = "aborted" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            abortRequested = true;
            if (!Canaries.isDriven(id) && !completed.get()) {
                submit(Mode.ABORT);
            }
        }

        @Override
        public String getStatus() {
            String json = stateJson;
            if (json == null) {
                return "starting";
            }
            try {
                CanaryState state = CanaryStateStore.mapper().readValue(json, CanaryState.class);
                return state.phase().name().toLowerCase(Locale.ROOT) + ", step " + (state.stepIndex() + 1) + "/"
                        + state.plan().steps().size() + " at " + state.router().weight() + " % canary"
                        + (abortRequested ? ", rolling back on request" : "");
            } catch (JsonProcessingException | RuntimeException e) {
                return "state unreadable";
            }
        }

        /** Only while the router, the metric source or the registry is being called, never during the waits. */
        @Override
        public boolean blocksRestart() {
            return acting;
        }

        private enum Mode { START, RESUME, ABORT }

        private void submit(Mode mode) {
            Canaries.execute(() -> drive(mode));
        }

        private void drive(Mode mode) {
            // A drive of this canary may still be ending (a stop racing the start, or a restart within this JVM);
            // once it has, the canary may be completed: then a second drive would record it again.
            try {
                if (!Canaries.startDriving(id, completed::get)) {
                    LOGGER.log(Level.FINE, "canary {0} is completed or driven elsewhere", id);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            acting = true;
            jenkins = Jenkins.getInstanceOrNull();
            try {
                StepContext context = getContext();
                Run<?, ?> run = context.get(Run.class);
                TaskListener listener = context.get(TaskListener.class);
                CanarySetup setup = step.setup();
                CanaryCleanupAction.registerOn(run, id, setup);
                StateStore store = new StateStore(Canaries.stateFile(run, id));
                boolean analyse = mode != Mode.ABORT && !abortRequested;
                StageLog log = new BuildLog(listener.getLogger());
                try (CanaryConnections connections = new CanaryConnections(setup, run, context.get(EnvVars.class), analyse,
                        this::routerSleep, log, listener)) {
                    CanaryRun canary = new CanaryRun(store, connections.router(), connections.metrics(),
                            new RegistryAliases(connections.registry()), log,
                            Clock.systemUTC(), this::sleep, Backoff.DEFAULT);
                    CanaryResult result;
                    try {
                        interruptible = true;
                        if (mode == Mode.ABORT || abortRequested) {
                            result = rollBack(canary, store);
                        } else if (mode == Mode.RESUME && store.exists()) {
                            result = canary.resume();
                        } else {
                            result = canary.start(step.plan(inputs));
                        }
                    } catch (InterruptedException aborted) {
                        result = rollBack(canary, store);
                    }
                    finish(run, listener, result, connections.registry().getConfig().getBaseUrl());
                }
            } catch (ShuttingDown e) {
                // Saved before every action: the canary continues from its state when the controller is back.
                LOGGER.log(Level.FINE, "canary {0} stops for the controller shutdown", id);
            } catch (DeployException | RegistryException | IllegalArgumentException e) {
                fail(BuildLog.failure(step.stepName(), e.getMessage()));
            } catch (Throwable t) {
                fail(t);
            } finally {
                acting = false;
                Canaries.stopDriving(id);
            }
        }

        /** Rolls back what the state file holds; without one, nothing was changed and nothing is rolled back. */
        @CheckForNull
        private CanaryResult rollBack(CanaryRun canary, StateStore store) throws IOException, InterruptedException {
            interruptible = false;
            if (!store.exists()) {
                return null;
            }
            return canary.abort(abortReason == null ? "aborted" : abortReason);
        }

        /**
         * The router's own waits within a call (KServe's readiness): part of the call, so a restart still waits
         * for it ({@link #blocksRestart}), but an abort is noticed within a second.
         */
        private void routerSleep(Duration duration) throws InterruptedException {
            pause(duration, false);
        }

        /**
         * The engine's waits between steps: nothing is under way, so a restart need not wait for them; an abort
         * is noticed within a second, a shutdown ends the drive ({@link ShuttingDown}).
         */
        private void sleep(Duration duration) throws InterruptedException {
            acting = false;
            try {
                pause(duration, true);
            } finally {
                acting = true;
            }
        }

        /** Waits in slices of a second, throwing when an abort is asked for (and, when watched, at a shutdown). */
        private void pause(Duration duration, boolean watchShutdown) throws InterruptedException {
            long end = System.currentTimeMillis() + Math.max(0, duration.toMillis());
            for (long left = end - System.currentTimeMillis(); left > 0; left = end - System.currentTimeMillis()) {
                if (abortRequested && interruptible) {
                    throw new InterruptedException("canary aborted");
                }
                if (watchShutdown) {
                    Jenkins current = Jenkins.getInstanceOrNull();
                    if (current == null || current != jenkins || current.isTerminating()) {
                        throw new ShuttingDown();
                    }
                }
                Thread.sleep(Math.min(left, 1000));
            }
            if (abortRequested && interruptible) {
                throw new InterruptedException("canary aborted");
            }
        }

        /**
         * Records the result in the build's ML report and applies the verdict before the report file is written
         * in the workspace: an agent that is offline at the end, or a channel that drops during the write, costs
         * the file (one line in the log), never the result.
         */
        private void finish(Run<?, ?> run, TaskListener listener, @CheckForNull CanaryResult result, String registryUrl)
                throws Exception {
            if (result == null) {
                complete(listener, step.stepName() + ": aborted before the router was touched; nothing to roll back", null,
                        abortCause());
                return;
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            BuildLog log = new BuildLog(listener.getLogger());
            Outcome outcome = StageDelivery.deliver(
                    () -> Canaries.record(run, id, result, registryUrl),
                    () -> verdict(run, listener, result),
                    () -> writeReport(json, log),
                    e -> log.line((e instanceof AbortException ? e.getMessage() : step.stepName() + ": " + step.getReport() + ": "
                            + e) + "; report not written, the result is in the build's ML report"));
            complete(listener, outcome.line(), outcome.value(), outcome.failure());
        }

        /** How the step completes. */
        private record Outcome(@CheckForNull String line, @CheckForNull Map<String, Object> value,
                @CheckForNull Throwable failure) {}

        private Outcome verdict(Run<?, ?> run, TaskListener listener, CanaryResult result) throws IOException,
                InterruptedException {
            String summary = Canaries.summary(result);
            if (abortRequested || result.verdict() == CanaryVerdict.ABORTED) {
                return new Outcome(summary, null, abortCause());
            }
            try {
                Verdict.apply(result.status(), step.getFailOn(), step.getUnstableOn(), summary, run,
                        getContext().get(FlowNode.class), listener);
            } catch (AbortException e) {
                return new Outcome(null, null, e);
            }
            return new Outcome(null, toMap(result), null);
        }

        /** The report file the step was asked for, in the workspace when there is one. */
        private void writeReport(String json, BuildLog log) throws IOException, InterruptedException {
            if (step.getReport() == null) {
                return;
            }
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                log.line(step.stepName() + ": no workspace (outside node { }): report not written");
                return;
            }
            WorkspaceReports.write(workspace, step.getReport(), json, step.stepName());
        }

        private Throwable abortCause() {
            Throwable cause = stopCause;
            if (cause == null) {
                cause = abortCause;
            }
            // an actual interruption (a user's abort), so that retry and catchError pass it on
            return cause != null ? cause : new FlowInterruptedException(Result.ABORTED, true);
        }

        /**
         * The part of an abort's cause that survives a restart: Pipeline's own interruption with its result and
         * causes (all serializable, and allowed by core's class filter), without whatever else it carries.
         */
        @CheckForNull
        private static FlowInterruptedException persistable(Throwable cause) {
            if (!(cause instanceof FlowInterruptedException interrupted)) {
                return null;
            }
            return new FlowInterruptedException(interrupted.getResult(), interrupted.isActualInterruption(),
                    interrupted.getCauses().toArray(new CauseOfInterruption[0]));
        }

        private void fail(Throwable t) {
            Throwable cause = stopCause;
            if (cause != null && cause != t) {
                cause.addSuppressed(t);
                t = cause;
            }
            complete(null, null, null, t);
        }

        /** Completes the step once: logs {@code line} first (the log closes with the step), then success or failure. */
        private void complete(@CheckForNull TaskListener listener, @CheckForNull String line,
                @CheckForNull Map<String, Object> value, @CheckForNull Throwable failure) {
            if (!completed.compareAndSet(false, true)) {
                LOGGER.log(Level.FINE, "canary {0} already completed", id);
                return;
            }
            if (listener != null && line != null) {
                new BuildLog(listener.getLogger()).line(line);
            }
            if (failure != null) {
                getContext().onFailure(failure);
            } else {
                getContext().onSuccess(value);
            }
        }

        private void log(String line) {
            try {
                new BuildLog(getContext().get(TaskListener.class).getLogger()).line(line);
            } catch (IOException | InterruptedException | RuntimeException e) {
                LOGGER.log(Level.FINE, line, e);
            }
        }

        /** Ends a drive when its Jenkins stops: nothing is completed, {@link #onResume} drives on. */
        private static final class ShuttingDown extends RuntimeException {
            private static final long serialVersionUID = 1L;

            ShuttingDown() {
                super("the controller is shutting down", null, false, false);
            }
        }

        /**
         * The canary's state file under the build directory, mirrored into {@link #stateJson} and followed by
         * a save of the program: the engine saves before it acts, so both hold every intended transition.
         */
        private final class StateStore extends CanaryStateStore {
            StateStore(Path file) {
                super(file);
            }

            @Override
            public boolean exists() {
                return super.exists() || stateJson != null;
            }

            @Override
            public void save(CanaryState state) throws IOException {
                super.save(state);
                stateJson = CanaryStateStore.mapper().writeValueAsString(state);
                try {
                    getContext().saveState().get(SAVE_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOGGER.log(Level.FINE, "the program of canary " + id + " was not saved at once", e);
                }
            }

            @Override
            public CanaryState load() throws IOException {
                if (super.exists()) {
                    return super.load();
                }
                String json = stateJson;
                if (json == null) {
                    throw new NoSuchFileException(file().toString());
                }
                return CanaryStateStore.mapper().readValue(json, CanaryState.class);
            }
        }
    }

    /** The result as plain values, for sandboxed scripts. */
    static Map<String, Object> toMap(CanaryResult result) {
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

}
