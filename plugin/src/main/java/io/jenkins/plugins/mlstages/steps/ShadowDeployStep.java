package io.jenkins.plugins.mlstages.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.ShadowSetup;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.ShadowChecks;
import io.jenkins.plugins.mlstages.deploy.ShadowPlan;
import io.jenkins.plugins.mlstages.deploy.ShadowResult;
import io.jenkins.plugins.mlstages.deploy.ShadowRun;
import io.jenkins.plugins.mlstages.deploy.ShadowState;
import io.jenkins.plugins.mlstages.deploy.ShadowStateStore;
import io.jenkins.plugins.mlstages.deploy.ShadowVerdict;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.FormLists;
import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code shadowDeploy}: sends a copy of live traffic to a candidate model version through the mirror of a
 * router an administrator defined ({@code router: 'prod-fraud'}, with its mirror settings), compares the
 * candidate's answers with the live model's on the same requests (read where the capture writes, on the
 * node next to the router: never on the controller) and judges the behaviour checks; it ends promote-ready
 * (step passes, returns {@code verdict: 'PROMOTE_READY'}) or rejected (fails), and never changes what users
 * receive (the CLI's {@code mlstages shadow}). A durable step like {@code canaryDeploy}: the engine's
 * {@link ShadowRun} saves every intended transition to a state file under the build directory and, as JSON,
 * in the execution; after a controller restart the run continues; an abort turns the mirror off, and
 * {@link io.jenkins.plugins.mlstages.canary.CanaryCleanup} turns it off when the build ended without the step.
 */
public final class ShadowDeployStep extends MlStageStep {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(ShadowDeployStep.class.getName());

    private final String model;
    private final String version;
    private final String router;
    private final String duration;
    private List<String> check = List.of();
    private int requests;
    private int minRequests = 100;
    private String stableVersion;

    /**
     * @param router the name of a router an administrator defined with its shadow mirror settings
     * @param duration how long to mirror at most, e.g. {@code '30m'}
     */
    @DataBoundConstructor
    public ShadowDeployStep(String model, String version, String router, String duration) {
        this.model = Util.fixEmptyAndTrim(model);
        this.version = Util.fixEmptyAndTrim(version);
        this.router = Util.fixEmptyAndTrim(router);
        this.duration = Util.fixEmptyAndTrim(duration);
        if (this.model == null || this.version == null) {
            throw new IllegalArgumentException("shadowDeploy needs model and version: the candidate model version");
        }
        if (this.router == null) {
            throw new IllegalArgumentException("shadowDeploy needs router: the name of a router with a shadow mirror, e.g. "
                    + "router: 'prod-fraud'; " + CanaryRouters.WHERE);
        }
        if (this.duration == null) {
            throw new IllegalArgumentException("shadowDeploy needs duration, e.g. duration: '30m'");
        }
        Durations.parse(this.duration);
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

    public String getDuration() {
        return duration;
    }

    public List<String> getCheck() {
        return check;
    }

    /** Behaviour checks, e.g. {@code ['agreement >= 0.97', 'prediction_psi <= 0.1', 'shadow_error_rate <= 0.01']}. */
    @DataBoundSetter
    public void setCheck(List<String> check) {
        this.check = List.copyOf(FormLists.lines(check));
    }

    public String getCheckText() {
        return FormLists.text(check);
    }

    public int getRequests() {
        return requests;
    }

    /** Stop collecting once this many requests were captured; 0 (default) collects for the whole duration. */
    @DataBoundSetter
    public void setRequests(int requests) {
        this.requests = requests;
    }

    public int getMinRequests() {
        return minRequests;
    }

    /** Fewer captured requests is no evidence: rejected. Default 100. */
    @DataBoundSetter
    public void setMinRequests(int minRequests) {
        this.minRequests = minRequests;
    }

    @CheckForNull
    public String getStableVersion() {
        return stableVersion;
    }

    /** The live version, for the report. */
    @DataBoundSetter
    public void setStableVersion(String stableVersion) {
        this.stableVersion = Util.fixEmptyAndTrim(stableVersion);
    }

    /** The engine's plan; the engine checks it (positive duration, limits, checks). */
    ShadowPlan plan(String captureFolder) {
        try {
            return new ShadowPlan(model, version, stableVersion, Durations.parse(duration), requests, minRequests,
                    ShadowChecks.parse(check), captureFolder, Duration.ofSeconds(5));
        } catch (CanarySettingException e) {
            throw new IllegalArgumentException(e.setting() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** The line the step logs as the run's verdict. */
    static String summary(ShadowResult result) {
        return Canaries.summary(result);
    }

    /** The result as plain values, for sandboxed scripts. */
    static Map<String, Object> toMap(ShadowResult result) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", result.status().name());
        values.put("verdict", result.verdict().name());
        values.put("model", result.model());
        values.put("version", result.version());
        values.put("reason", result.reason());
        values.put("metrics", new LinkedHashMap<>(result.metrics()));
        return values;
    }

    /**
     * The durable execution: its serial form is the step's settings (the router by name), the run's ID, the
     * state as JSON and whether an abort was asked for. The drive runs on the canaries' threads.
     */
    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "the current drive only; a resumed run starts a new one")
    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private static final long SAVE_SECONDS = 30;

        private final ShadowDeployStep step;
        private final String id;
        private volatile String stateJson;
        private final AtomicBoolean completed = new AtomicBoolean();
        private volatile boolean abortRequested;
        private volatile String abortReason;
        private transient volatile boolean interruptible;
        private transient volatile Throwable stopCause;

        Execution(ShadowDeployStep step, StepContext context) {
            super(context);
            this.step = step;
            this.id = UUID.randomUUID().toString();
        }

        @Override
        public boolean start() throws Exception {
            try {
                step.plan("(the router's capture folder)");
            } catch (IllegalArgumentException e) {
                throw BuildLog.failure("shadowDeploy", e.getMessage());
            }
            CanaryRouters.get().require(step.router);
            log("shadowDeploy: " + step.model + " version " + step.version + " receives a copy of live traffic for "
                    + step.duration + " through the mirror of router '" + step.router + "'; users keep the live model's"
                    + " answers; state ml-stages/shadow-" + id + ".json under the build");
            submit(Mode.START);
            return false;
        }

        @Override
        public void onResume() {
            log("shadowDeploy: resuming the shadow run of " + step.model + " version " + step.version
                    + " after a controller restart" + (abortRequested ? " (stopping: " + abortReason + ")" : ""));
            submit(abortRequested ? Mode.ABORT : Mode.RESUME);
        }

        /** A user abort or an enclosing timeout: recorded at once; the driving thread turns the mirror off. */
        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            if (stopCause != null) {
                stopCause.addSuppressed(cause);
                return;
            }
            stopCause = cause;
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
                ShadowState state = CanaryStateStore.mapper().readValue(json, ShadowState.class);
                return state.phase().name().toLowerCase(Locale.ROOT) + (state.collectUntil() == null ? ""
                        : ", collecting until " + state.collectUntil()) + (abortRequested ? ", stopping on request" : "");
            } catch (JsonProcessingException | RuntimeException e) {
                return "state unreadable";
            }
        }

        private enum Mode { START, RESUME, ABORT }

        private void submit(Mode mode) {
            Canaries.execute(() -> drive(mode));
        }

        private void drive(Mode mode) {
            try {
                if (!Canaries.startDriving(Canaries.shadowSlot(id), completed::get)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                StepContext context = getContext();
                Run<?, ?> run = context.get(Run.class);
                TaskListener listener = context.get(TaskListener.class);
                ShadowSetup setup = CanaryRouters.get().require(step.router).openShadow(run);
                CanaryCleanupAction.registerShadowOn(run, id, step.router);
                StateStore store = new StateStore(Canaries.shadowStateFile(run, id));
                ShadowRun shadow = new ShadowRun(store, setup.mirror(), setup.capture(), new BuildLog(listener.getLogger()),
                        Clock.systemUTC(), this::sleep, Backoff.DEFAULT);
                ShadowResult result;
                try {
                    interruptible = true;
                    if (mode == Mode.ABORT || abortRequested) {
                        result = stopMirror(shadow, store);
                    } else if (mode == Mode.RESUME && store.exists()) {
                        result = shadow.resume();
                    } else {
                        result = shadow.start(step.plan(setup.captureFolder()));
                    }
                } catch (InterruptedException aborted) {
                    result = stopMirror(shadow, store);
                }
                finish(run, listener, result);
            } catch (DeployException | IllegalArgumentException e) {
                fail(BuildLog.failure("shadowDeploy", e.getMessage()));
            } catch (Throwable t) {
                fail(t);
            } finally {
                Canaries.stopDriving(Canaries.shadowSlot(id));
            }
        }

        @CheckForNull
        private ShadowResult stopMirror(ShadowRun shadow, StateStore store) throws IOException, InterruptedException {
            interruptible = false;
            return store.exists() ? shadow.abort(abortReason == null ? "aborted" : abortReason) : null;
        }

        /** The engine's waits while collecting: an abort is noticed within a second. */
        private void sleep(Duration duration) throws InterruptedException {
            long end = System.currentTimeMillis() + Math.max(0, duration.toMillis());
            for (long left = end - System.currentTimeMillis(); left > 0; left = end - System.currentTimeMillis()) {
                if (abortRequested && interruptible) {
                    throw new InterruptedException("shadow run aborted");
                }
                Thread.sleep(Math.min(left, 1000));
            }
        }

        private void finish(Run<?, ?> run, TaskListener listener, @CheckForNull ShadowResult result) throws Exception {
            if (result == null) {
                complete(listener, "shadowDeploy: aborted before the mirror was touched", null, abortCause());
                return;
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            Canaries.recordShadow(run, id, result);
            if (step.getReport() != null) {
                FilePath workspace = getContext().get(FilePath.class);
                if (workspace == null) {
                    listener.getLogger().println("shadowDeploy: no workspace (outside node { }): report not written");
                } else {
                    WorkspaceReports.write(workspace, step.getReport(), json, "shadowDeploy");
                }
            }
            if (abortRequested || result.verdict() == ShadowVerdict.ABORTED) {
                complete(listener, summary(result), null, abortCause());
                return;
            }
            try {
                Verdict.apply(result.status(), step.getFailOn(), step.getUnstableOn(), summary(result), run,
                        getContext().get(FlowNode.class), listener);
            } catch (AbortException e) {
                complete(listener, null, null, e);
                return;
            }
            complete(listener, null, toMap(result), null);
        }

        private Throwable abortCause() {
            return stopCause != null ? stopCause : new FlowInterruptedException(Result.ABORTED, true);
        }

        private void fail(Throwable t) {
            complete(null, null, null, t);
        }

        private void complete(@CheckForNull TaskListener listener, @CheckForNull String line,
                @CheckForNull Map<String, Object> value, @CheckForNull Throwable failure) {
            if (!completed.compareAndSet(false, true)) {
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

        /** The state file under the build directory, mirrored into {@link #stateJson} and followed by a save of the program. */
        private final class StateStore extends ShadowStateStore {
            StateStore(Path file) {
                super(file);
            }

            @Override
            public boolean exists() {
                return super.exists() || stateJson != null;
            }

            @Override
            public void save(ShadowState state) throws IOException {
                super.save(state);
                stateJson = CanaryStateStore.mapper().writeValueAsString(state);
                try {
                    getContext().saveState().get(SAVE_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOGGER.log(Level.FINE, "the program of shadow run " + id + " was not saved at once", e);
                }
            }

            @Override
            public ShadowState load() throws IOException {
                if (super.exists()) {
                    return super.load();
                }
                String json = stateJson;
                if (json == null) {
                    throw new NoSuchFileException(file().toString());
                }
                return CanaryStateStore.mapper().readValue(json, ShadowState.class);
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends MlStageDescriptor {
        public DescriptorImpl() {
            super("shadowDeploy", "Mirror live traffic to a model version and compare its predictions (shadow mode)", false, "check");
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object model = namedArgs.get("model");
            Object version = namedArgs.get("version");
            return model == null ? null : model + (version == null ? "" : " v" + version);
        }

        /** The names of the routers an administrator defined (names only). */
        @POST
        public ListBoxModel doFillRouterItems(@AncestorInPath Item item, @QueryParameter String router) {
            return CanaryRouters.get().routerItems(item, router);
        }
    }
}
