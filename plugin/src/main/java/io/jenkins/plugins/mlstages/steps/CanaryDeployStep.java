package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.canary.AnalysisSource;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouter;
import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.RegistryAccess;
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
import hudson.model.listeners.RunListener;
import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.ListBoxModel;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanaryPhase;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.deploy.CanaryRun;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryState;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.CanaryVerdict;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.InconclusivePolicy;
import io.jenkins.plugins.mlstages.deploy.MetricSource;
import io.jenkins.plugins.mlstages.deploy.RegistryAliases;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.io.IOException;
import java.nio.file.Files;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code canaryDeploy}: shifts traffic to a model version step by step, analyses metrics at each step,
 * then promotes it (router 100 %, alias {@code champion}) or rolls it back (the CLI's
 * {@code mlstages canary}). A durable step: the engine's {@link CanaryRun} drives the canary on a
 * background thread and saves every intended transition before acting, to a state file under the
 * build directory and, as JSON, in the execution; after a controller restart the canary continues from
 * that state (the interrupted transition is applied again), an abort rolls it back without blocking,
 * and {@link Cleanup} finishes a canary whose build ended without its step.
 */
public final class CanaryDeployStep extends RegistryStep {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(CanaryDeployStep.class.getName());

    /** Runs the canaries: minutes-long, so not on the CPS VM thread nor on Jenkins' shared Timer. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(new NamingThreadFactory(
            new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), "canaryDeploy"));

    /** The canaries this controller is driving now, by ID, so that {@link Cleanup} leaves them to their step. */
    private static final Set<String> DRIVING = ConcurrentHashMap.newKeySet();

    private final String model;
    private final String version;
    private final String steps;
    private final String interval;
    private final CanaryRouter router;
    // ArrayList, not List.of: this step is also written to build.xml, whose class filter refuses immutable collections.
    private ArrayList<String> analysis = new ArrayList<>();
    private ArrayList<String> stableQuery = new ArrayList<>();
    private AnalysisSource analysisSource;
    private int analysesPerStep = 1;
    private int failureLimit = 1;
    private int inconclusiveLimit = 2;
    private String onInconclusive = InconclusivePolicy.ROLLBACK.toString();
    private String holdTimeout;
    private String championAlias = CanaryPlan.DEFAULT_CHAMPION_ALIAS;
    private String previousAlias = CanaryPlan.DEFAULT_PREVIOUS_ALIAS;
    private String report;

    /**
     * @param steps canary weights in %, rising, ending at 100, e.g. {@code '10,50,100'}
     * @param interval how long each step lasts, e.g. {@code '5m'}
     * @param router what splits the traffic: {@code nginx(...)}, {@code kserve(...)} or {@code http(...)}
     */
    @DataBoundConstructor
    public CanaryDeployStep(String model, String version, String steps, String interval, CanaryRouter router) {
        this.model = Util.fixEmptyAndTrim(model);
        this.version = Util.fixEmptyAndTrim(version);
        this.steps = Util.fixEmptyAndTrim(steps);
        this.interval = Util.fixEmptyAndTrim(interval);
        this.router = router;
        if (this.model == null || this.version == null) {
            throw new IllegalArgumentException("canaryDeploy needs model and version: the registered model version to deploy");
        }
        if (this.steps == null || this.interval == null) {
            throw new IllegalArgumentException("canaryDeploy needs steps (e.g. '10,50,100') and interval (e.g. '5m')");
        }
        if (router == null) {
            throw new IllegalArgumentException("canaryDeploy needs router: nginx(...), kserve(...) or http(...)");
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

    public CanaryRouter getRouter() {
        return router;
    }

    public List<String> getAnalysis() {
        return new ArrayList<>(analysis);
    }

    /** The checks, {@code 'NAME: QUERY <= MAX'}, {@code 'NAME: QUERY >= MIN'} or {@code 'NAME: MIN <= QUERY <= MAX'}. */
    @DataBoundSetter
    public void setAnalysis(List<String> analysis) {
        this.analysis = new ArrayList<>(FormLists.lines(analysis));
    }

    public String getAnalysisText() {
        return FormLists.text(analysis);
    }

    public List<String> getStableQuery() {
        return new ArrayList<>(stableQuery);
    }

    /** {@code 'NAME: QUERY'}: the stable version's value for check NAME; its bounds then apply to canary - stable. */
    @DataBoundSetter
    public void setStableQuery(List<String> stableQuery) {
        this.stableQuery = new ArrayList<>(FormLists.lines(stableQuery));
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

    public String getReport() {
        return report;
    }

    @DataBoundSetter
    public void setReport(String report) {
        this.report = Util.fixEmptyAndTrim(report);
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

    /** The engine's plan; the engine checks it (rising weights ending at 100, limits, checks). */
    CanaryPlan plan() {
        if (analysis.isEmpty()) {
            throw new IllegalArgumentException("a canary needs at least one analysis check, e.g. analysis: "
                    + "['error_rate: sum(rate(errors[1m])) / sum(rate(requests[1m])) <= 0.01']");
        }
        if (analysisSource == null) {
            throw new IllegalArgumentException("a canary with analysis checks needs analysisSource: prometheus(url: ...)");
        }
        try {
            return new CanaryPlan(model, version, weights(steps), Durations.parse(interval), analysesPerStep,
                    CheckSyntax.parse(analysis, stableQuery), failureLimit, inconclusiveLimit,
                    InconclusivePolicy.parse(onInconclusive), holdTimeout == null ? null : Durations.parse(holdTimeout),
                    championAlias, previousAlias);
        } catch (CanarySettingException e) {
            // the engine names the setting by its Pipeline parameter: the message points at the argument to fix
            throw new IllegalArgumentException(e.setting() + ": " + e.getMessage(), e);
        }
    }

    /** The state file of canary {@code id} under the build directory. */
    static Path stateFile(Run<?, ?> run, String id) {
        return run.getRootDir().toPath().resolve("ml-stages").resolve("canary-" + id + ".json");
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** The router, the analysis source and the registry of one drive of a canary. */
    private static final class Connections implements AutoCloseable {
        final TrafficRouter router;
        final MetricSource metrics;
        final MlflowRegistry registry;

        /** @param log where registry retries are announced */
        Connections(CanaryDeployStep step, Run<?, ?> run, EnvVars env, boolean analyse, StageLog log)
                throws AbortException {
            this.router = step.router.open(run);
            this.metrics = analyse && step.analysisSource != null ? step.analysisSource.open(run) : MetricSource.NONE;
            RegistryConfig config = RegistryAccess.forRun(run, env, step.getRegistryUrl(), step.getCredentialsId());
            this.registry = new MlflowRegistry(config, log);
        }

        @Override
        public void close() {
            registry.close();
        }
    }

    /**
     * The durable execution. Its serial form is the step's settings, the canary's ID, the state as JSON
     * and whether an abort was asked for: plugin classes and strings, no engine class, no secret.
     */
    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
            justification = "acting, interruptible and stopCause describe the current drive only; a resumed canary starts a new one")
    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        /** How long a save of the program may take before the canary acts anyway (the state file is saved already). */
        private static final long SAVE_SECONDS = 30;

        private final CanaryDeployStep step;
        private final String id;
        /** The canary's state as the engine writes it, replaced whole at each transition. */
        private volatile String stateJson;
        private final AtomicBoolean completed = new AtomicBoolean();
        /** Set by {@link #stop}; survives a restart so that a resumed canary goes on rolling back. */
        private volatile boolean abortRequested;
        private volatile String abortReason;

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
            log("canaryDeploy: " + step.model + " version " + step.version + ", steps " + step.steps + " % every "
                    + step.interval + "; state ml-stages/canary-" + id + ".json under the build");
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
            abortReason = "aborted" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            abortRequested = true;
            if (!DRIVING.contains(id) && !completed.get()) {
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
            POOL.execute(() -> drive(mode));
        }

        private void drive(Mode mode) {
            // A drive of this canary may still be ending (a stop racing the start, or a restart within this JVM).
            long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(2);
            while (!DRIVING.add(id)) {
                if (completed.get() || System.currentTimeMillis() > deadline) {
                    LOGGER.log(Level.FINE, "canary {0} is driven elsewhere", id);
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            acting = true;
            jenkins = Jenkins.getInstanceOrNull();
            try {
                StepContext context = getContext();
                Run<?, ?> run = context.get(Run.class);
                TaskListener listener = context.get(TaskListener.class);
                CanaryCleanupAction.registerOn(run, id, step);
                StateStore store = new StateStore(stateFile(run, id));
                boolean analyse = mode != Mode.ABORT && !abortRequested;
                StageLog log = new BuildLog(listener.getLogger());
                try (Connections connections = new Connections(step, run, context.get(EnvVars.class), analyse, log)) {
                    CanaryRun canary = new CanaryRun(store, connections.router, connections.metrics,
                            new RegistryAliases(connections.registry), log,
                            Clock.systemUTC(), this::sleep, Backoff.DEFAULT);
                    CanaryResult result;
                    try {
                        interruptible = true;
                        if (mode == Mode.ABORT || abortRequested) {
                            result = rollBack(canary, store);
                        } else if (mode == Mode.RESUME && store.exists()) {
                            result = canary.resume();
                        } else {
                            result = canary.start(step.plan());
                        }
                    } catch (InterruptedException aborted) {
                        result = rollBack(canary, store);
                    }
                    finish(run, listener, result, connections.registry.getConfig().getBaseUrl());
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
                DRIVING.remove(id);
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

        /** The engine's waits: in slices, so that an abort is noticed within a second. */
        private void sleep(Duration duration) throws InterruptedException {
            acting = false;
            try {
                long end = System.currentTimeMillis() + Math.max(0, duration.toMillis());
                for (long left = end - System.currentTimeMillis(); left > 0; left = end - System.currentTimeMillis()) {
                    if (abortRequested && interruptible) {
                        throw new InterruptedException("canary aborted");
                    }
                    Jenkins current = Jenkins.getInstanceOrNull();
                    if (current == null || current != jenkins || current.isTerminating()) {
                        throw new ShuttingDown();
                    }
                    Thread.sleep(Math.min(left, 1000));
                }
                if (abortRequested && interruptible) {
                    throw new InterruptedException("canary aborted");
                }
            } finally {
                acting = true;
            }
        }

        private void finish(Run<?, ?> run, TaskListener listener, @CheckForNull CanaryResult result, String registryUrl)
                throws Exception {
            if (result == null) {
                complete(listener, "canaryDeploy: aborted before the router was touched; nothing to roll back", null,
                        abortCause());
                return;
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            if (step.report != null) {
                FilePath workspace = getContext().get(FilePath.class);
                if (workspace != null) {
                    WorkspaceReports.write(workspace, step.report, json, "canaryDeploy");
                } else {
                    new BuildLog(listener.getLogger()).line("canaryDeploy: no workspace (outside node { }): report not written");
                }
            }
            String summary = summary(result);
            MlReportAction.record(run, json, summary, null, registryUrl);
            if (abortRequested || result.verdict() == CanaryVerdict.ABORTED) {
                complete(listener, summary, null, abortCause());
                return;
            }
            try {
                Verdict.apply(result.status(), step.getFailOn(), step.getUnstableOn(), summary, run,
                        getContext().get(FlowNode.class), listener);
            } catch (AbortException e) {
                complete(null, null, null, e);
                return;
            }
            complete(null, null, toMap(result), null);
        }

        private Throwable abortCause() {
            Throwable cause = stopCause;
            // an actual interruption (a user's abort), so that retry and catchError pass it on
            return cause != null ? cause : new FlowInterruptedException(Result.ABORTED, true);
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

    static String summary(CanaryResult result) {
        return "canaryDeploy " + result.verdict() + ": " + result.model() + "/" + result.version() + " (" + result.reason()
                + "); aliases " + result.aliases();
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

    /**
     * Finishes any canary whose build ended while it was under way and no step of this controller is
     * driving it (the build was terminated or killed, or its program could not be loaded): a canary still
     * progressing is rolled back, a promotion or rollback already decided is completed. Runs in the
     * background; the outcome goes to the ML report of the build and to the system log.
     */
    @Extension
    public static final class Cleanup extends RunListener<Run<?, ?>> {
        @Override
        public void onCompleted(Run<?, ?> run, @NonNull TaskListener listener) {
            CanaryCleanupAction action = run.getAction(CanaryCleanupAction.class);
            if (action == null) {
                return;
            }
            for (Map.Entry<String, CanaryDeployStep> canary : action.canaries().entrySet()) {
                String id = canary.getKey();
                Path file = stateFile(run, id);
                if (DRIVING.contains(id) || !Files.exists(file)) {
                    continue;
                }
                CanaryState state;
                try {
                    state = new CanaryStateStore(file).load();
                } catch (IOException | IllegalArgumentException e) {
                    new BuildLog(listener.getLogger()).line("canaryDeploy: cannot read the state of canary " + id + ": "
                            + e.getMessage());
                    continue;
                }
                if (state.isDone()) {
                    continue;
                }
                boolean rollBack = state.phase() == CanaryPhase.PROGRESSING;
                new BuildLog(listener.getLogger()).line("canaryDeploy: the build ended while the canary of " + state.plan().model()
                        + " version " + state.plan().version() + " was " + state.phase().name().toLowerCase(Locale.ROOT)
                        + " at " + state.router().weight() + " %: " + (rollBack ? "rolling it back" : "finishing it")
                        + " in the background");
                POOL.execute(() -> finishAbandoned(run, id, canary.getValue(), rollBack));
            }
        }

        private static void finishAbandoned(Run<?, ?> run, String id, CanaryDeployStep step, boolean rollBack) {
            if (!DRIVING.add(id)) {
                return;
            }
            StageLog log = new StageLog() {
                @Override
                public void info(String message) {
                    LOGGER.info(run.getExternalizableId() + ": " + message);
                }

                @Override
                public void progress(String task, double share, String detail) {
                    // nobody watches
                }
            };
            try (Connections connections = new Connections(step, run, run.getEnvironment(TaskListener.NULL), false, log)) {
                CanaryRun canary = new CanaryRun(new CanaryStateStore(stateFile(run, id)), connections.router,
                        connections.metrics, new RegistryAliases(connections.registry), log);
                CanaryResult result = rollBack
                        ? canary.abort("the build ended while the canary was under way")
                        : canary.resume();
                MlReportAction.record(run, ReportWriter.mapper().writeValueAsString(result), summary(result), null,
                        connections.registry.getConfig().getBaseUrl());
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, run.getExternalizableId() + ": canary " + id
                        + " could not be finished; its state file says what is left to do", e);
            } finally {
                DRIVING.remove(id);
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "canaryDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Deploy a model version as a canary, analyse it, promote or roll back";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FlowNode.class);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object model = namedArgs.get("model");
            Object version = namedArgs.get("version");
            return model == null ? null : model + (version == null ? "" : " v" + version);
        }

        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            FormLists.splitTextAreas(formData, "analysis", "stableQuery");
            return super.newInstance(req, formData);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return RegistryAccess.credentialsItems(item, credentialsId);
        }
    }
}
