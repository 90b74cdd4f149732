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
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.deploy.CanaryRun;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryState;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.CanaryVerdict;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.InconclusivePolicy;
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
import java.util.ArrayList;
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
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code canaryDeploy}: shifts traffic to a model version step by step, analyses metrics at each step,
 * then promotes it (router 100 %, alias {@code champion}) or rolls it back (the CLI's
 * {@code mlstages canary}). The router is named, never described: {@code router: 'prod-fraud'} is a
 * definition an administrator made in {@link CanaryRouters}, so that nothing in a Jenkinsfile reaches a
 * command, a file or an identity on the controller. A durable step: the engine's {@link CanaryRun} drives
 * the canary on a background thread and saves every intended transition before acting, to a state file
 * under the build directory and, as JSON, in the execution; after a controller restart the canary
 * continues from that state (the interrupted transition is applied again), an abort rolls it back without
 * blocking, and {@link CanaryCleanup} finishes a canary whose build ended without its step. It needs no
 * agent: inside {@code node { }} it warns, as an agent that goes away aborts the block and so rolls the canary back.
 */
public final class CanaryDeployStep extends RegistryStep {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(CanaryDeployStep.class.getName());

    /** The one line for a router described in the Jenkinsfile, as before routers were defined globally. */
    static final String ROUTER_BY_NAME = "canaryDeploy: router: must name a canary router, e.g. router: 'prod-fraud';"
            + " nginx(...), kserve(...) and http(...) are no longer accepted in a Pipeline: "
            + CanaryRouters.WHERE;

    private final String model;
    private final String version;
    private final String steps;
    private final String interval;
    private final String router;
    private List<String> analysis = List.of();
    private List<String> stableQuery = List.of();
    private AnalysisSource analysisSource;
    private int analysesPerStep = 1;
    private int failureLimit = 1;
    private int inconclusiveLimit = 2;
    private String onInconclusive = InconclusivePolicy.ROLLBACK.toString();
    private String holdTimeout;
    private String championAlias = CanaryPlan.DEFAULT_CHAMPION_ALIAS;
    private String previousAlias = CanaryPlan.DEFAULT_PREVIOUS_ALIAS;
    private String canaryStorageUri;
    /** probe, probeLabel, probeOutput, probeThreshold and probeTimeout, checked and turned into the engine's plan there. */
    private final ProbeSettings probe = new ProbeSettings();

    /**
     * @param steps canary weights in %, rising, ending at 100, e.g. {@code '10,50,100'}
     * @param interval how long each step lasts, e.g. {@code '5m'}
     * @param router the name of a canary router an administrator defined, e.g. {@code 'prod-fraud'}
     */
    @DataBoundConstructor
    public CanaryDeployStep(String model, String version, String steps, String interval, String router) {
        this.model = Util.fixEmptyAndTrim(model);
        this.version = Util.fixEmptyAndTrim(version);
        this.steps = Util.fixEmptyAndTrim(steps);
        this.interval = Util.fixEmptyAndTrim(interval);
        this.router = Util.fixEmptyAndTrim(router);
        if (this.model == null || this.version == null) {
            throw new IllegalArgumentException("canaryDeploy needs model and version: the registered model version to deploy");
        }
        if (this.steps == null || this.interval == null) {
            throw new IllegalArgumentException("canaryDeploy needs steps (e.g. '10,50,100') and interval (e.g. '5m')");
        }
        if (this.router == null) {
            throw new IllegalArgumentException(ROUTER_BY_NAME);
        }
        weights(this.steps);
        Durations.parse(this.interval);
    }

    public String getModel() {
        return model;
    }

    public String getVersion() {
        return version;
    }

    public String getSteps() {
        return steps;
    }

    public String getInterval() {
        return interval;
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

    public int getAnalysesPerStep() {
        return analysesPerStep;
    }

    @DataBoundSetter
    public void setAnalysesPerStep(int analysesPerStep) {
        this.analysesPerStep = analysesPerStep;
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

    public String getOnInconclusive() {
        return onInconclusive;
    }

    /** {@code rollback} (default) or {@code hold}. */
    @DataBoundSetter
    public void setOnInconclusive(String onInconclusive) {
        String value = Util.fixEmptyAndTrim(onInconclusive);
        this.onInconclusive = value == null ? InconclusivePolicy.ROLLBACK.toString() : InconclusivePolicy.parse(value).toString();
    }

    public String getHoldTimeout() {
        return holdTimeout;
    }

    @DataBoundSetter
    public void setHoldTimeout(String holdTimeout) {
        String value = Util.fixEmptyAndTrim(holdTimeout);
        if (value != null) {
            Durations.parse(value);
        }
        this.holdTimeout = value;
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

    private static List<Integer> weights(String text) {
        List<Integer> weights = new ArrayList<>();
        for (String part : text.split("\\s*,\\s*")) {
            try {
                weights.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("steps must be weights in % separated by commas, e.g. '10,50,100', not '"
                        + text + "'");
            }
        }
        return weights;
    }

    /** The engine's plan without its probe target: checks everything the Jenkinsfile says. */
    CanaryPlan plan() {
        return plan(null);
    }

    /**
     * The engine's plan; the engine checks it (rising weights ending at 100, limits, checks).
     *
     * @param target where behaviour rules send the probe; null to check the settings only (the plan then has no behaviour rules)
     */
    CanaryPlan plan(@CheckForNull ProbeSettings.Target target) {
        if (analysis.isEmpty()) {
            throw new IllegalArgumentException("a canary needs at least one analysis check, e.g. analysis: "
                    + "['error_rate: sum(rate(errors[1m])) / sum(rate(requests[1m])) <= 0.01']");
        }
        try {
            CheckSyntax.Checks checks = CheckSyntax.parseAll(analysis, stableQuery);
            if (!checks.queries().isEmpty() && analysisSource == null) {
                throw new IllegalArgumentException("a canary with analysis checks needs analysisSource: prometheus(url: ...)");
            }
            BehaviourPlan behaviour = probe.plan(checks.behaviour(), "analysis", target);
            return new CanaryPlan(model, version, weights(steps), Durations.parse(interval), analysesPerStep,
                    checks.queries(), failureLimit, inconclusiveLimit,
                    InconclusivePolicy.parse(onInconclusive), holdTimeout == null ? null : Durations.parse(holdTimeout),
                    championAlias, previousAlias, behaviour);
        } catch (CanarySettingException e) {
            // the engine names the setting by its Pipeline parameter: the message points at the argument to fix
            throw new IllegalArgumentException(e.setting() + ": " + e.getMessage(), e);
        }
    }

    /** What opens this canary's router, analysis source and registry again, after a restart or for the cleanup. */
    CanarySetup setup() {
        return new CanarySetup(router, canaryStorageUri, analysisSource, getRegistryUrl(), getCredentialsId());
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

        private final CanaryDeployStep step;
        private final String id;
        /** Set at start when the plan has behaviour rules: the probe copied under the build, and the router's probe URLs. */
        @CheckForNull
        private volatile ProbeSettings.Target probeTarget;
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

        Execution(CanaryDeployStep step, StepContext context) {
            super(context);
            this.step = step;
            this.id = UUID.randomUUID().toString();
        }

        @Override
        public boolean start() throws Exception {
            try {
                step.plan();
            } catch (IllegalArgumentException e) {
                throw BuildLog.failure("canaryDeploy", e.getMessage());
            }
            CanaryRouter router = CanaryRouters.get().require(step.router);
            if (step.canaryStorageUri != null && !router.takesCanaryStorageUri()) {
                throw BuildLog.failure("canaryDeploy", "canaryStorageUri is for kserve routers; router '" + step.router
                        + "' is not one");
            }
            if (step.hasBehaviourRules()) {
                probeTarget = step.probe.copy(getContext().get(FilePath.class), router,
                        Canaries.stateFile(getContext().get(Run.class), id).resolveSibling("canary-" + id + "-probe.jsonl"),
                        "canaryDeploy");
                try {
                    step.plan(probeTarget);
                } catch (IllegalArgumentException e) {
                    throw BuildLog.failure("canaryDeploy", e.getMessage());
                }
            } else if (getContext().get(FilePath.class) != null) {
                log("canaryDeploy: warning: running inside node { }, which it does not need: if this agent goes away"
                        + " (an ephemeral agent removed, a lost connection) the block is aborted and the canary rolled back;"
                        + " call canaryDeploy outside node { }");
            }
            log("canaryDeploy: " + step.model + " version " + step.version + ", steps " + step.steps + " % every "
                    + step.interval + " through router '" + step.router + "'; state ml-stages/canary-" + id
                    + ".json under the build");
            submit(Mode.START);
            return false;
        }

        @Override
        public void onResume() {
            log("canaryDeploy: resuming the canary of " + step.model + " version " + step.version
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
                            result = canary.start(step.plan(probeTarget));
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
                fail(BuildLog.failure("canaryDeploy", e.getMessage()));
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
                complete(listener, "canaryDeploy: aborted before the router was touched; nothing to roll back", null,
                        abortCause());
                return;
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            BuildLog log = new BuildLog(listener.getLogger());
            Outcome outcome = StageDelivery.deliver(
                    () -> Canaries.record(run, id, result, registryUrl),
                    () -> verdict(run, listener, result),
                    () -> writeReport(json, log),
                    e -> log.line((e instanceof AbortException ? e.getMessage() : "canaryDeploy: " + step.getReport() + ": "
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
                log.line("canaryDeploy: no workspace (outside node { }): report not written");
                return;
            }
            WorkspaceReports.write(workspace, step.getReport(), json, "canaryDeploy");
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

    @Extension
    public static final class DescriptorImpl extends RegistryDescriptor {
        public DescriptorImpl() {
            super("canaryDeploy", "Deploy a model version as a canary, analyse it, promote or roll back", false,
                    "analysis", "stableQuery");
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object model = namedArgs.get("model");
            Object version = namedArgs.get("version");
            return model == null ? null : model + (version == null ? "" : " v" + version);
        }

        /**
         * Refuses a router described in the Jenkinsfile ({@code router: nginx(config: ...)}, which Pipeline passes
         * as a describable, not a name) with one line that says where routers are defined.
         */
        @Override
        @SuppressWarnings("deprecation") // the one hook that sees the raw argument before it is bound to a String
        public Step newInstance(Map<String, Object> arguments) throws Exception {
            Object router = arguments.get("router");
            if (router != null && !(router instanceof String)) {
                // an AbortException: Pipeline shows its message alone, without a stack trace
                throw new AbortException(ROUTER_BY_NAME);
            }
            return super.newInstance(arguments);
        }

        /** The names of the routers an administrator defined (names only: the definitions stay theirs). */
        @POST
        public ListBoxModel doFillRouterItems(@AncestorInPath Item item, @QueryParameter String router) {
            return CanaryRouters.get().routerItems(item, router);
        }
    }
}
