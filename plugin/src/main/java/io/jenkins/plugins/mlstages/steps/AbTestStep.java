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
import io.jenkins.plugins.mlstages.canary.AnalysisSource;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.CanarySetup;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.deploy.ab.AbMetric;
import io.jenkins.plugins.mlstages.deploy.ab.AbPlan;
import io.jenkins.plugins.mlstages.deploy.ab.AbResult;
import io.jenkins.plugins.mlstages.deploy.ab.AbState;
import io.jenkins.plugins.mlstages.deploy.ab.AbStateStore;
import io.jenkins.plugins.mlstages.deploy.ab.AbTestRun;
import io.jenkins.plugins.mlstages.deploy.ab.AbVerdict;
import io.jenkins.plugins.mlstages.deploy.ab.ArmSource;
import io.jenkins.plugins.mlstages.deploy.ab.NoWinnerAction;
import io.jenkins.plugins.mlstages.deploy.ab.PrometheusArmSource;
import io.jenkins.plugins.mlstages.deploy.ab.PromoteRule;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * {@code abTest}: a fixed split between the control and a candidate model version through a router an
 * administrator defined, per-arm trials and conversions from Prometheus counters ({@code analysisSource}),
 * and the engine's mSPRT after every analysis; it promotes (router 100 %, step passes, returns
 * {@code verdict: 'PROMOTED'}) when {@code promoteWhen} holds, else rolls back or stops (fails). The CLI's
 * {@code mlstages ab-test} (docs/abtest.md). Labelled outcome files are the CLI's only: a step reading a
 * file on the controller chosen by a Jenkinsfile would be a file-read hole. A durable step like
 * {@code shadowDeploy}: the engine's {@link AbTestRun} saves every intended transition to a state file
 * under the build directory and, as JSON, in the execution; after a controller restart the test continues;
 * an abort rolls back, and {@link io.jenkins.plugins.mlstages.canary.CanaryCleanup} rolls it back (or
 * finishes a decided promotion) when the build ended without the step.
 */
public final class AbTestStep extends MlStageStep {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(AbTestStep.class.getName());

    private final String model;
    private final String version;
    private final String router;
    private final String duration;
    private int weight = 50;
    private String interval = "1m";
    private long minSample = AbPlan.DEFAULT_MIN_SAMPLE;
    private long sample;
    private double alpha = AbPlan.DEFAULT_ALPHA;
    private double mixingSd = AbPlan.DEFAULT_MIXING_SD;
    private String promoteWhen = PromoteRule.CANDIDATE_WINS.text();
    private double margin;
    private String otherwise = NoWinnerAction.ROLLBACK.text();
    private String controlVersion;
    private AnalysisSource analysisSource;
    private String controlTrials;
    private String controlConversions;
    private String candidateTrials;
    private String candidateConversions;
    private String canaryStorageUri;

    /**
     * @param router the name of a router an administrator defined
     * @param duration how long the test runs at most, e.g. {@code '2h'}
     */
    @DataBoundConstructor
    public AbTestStep(String model, String version, String router, String duration) {
        this.model = Util.fixEmptyAndTrim(model);
        this.version = Util.fixEmptyAndTrim(version);
        this.router = Util.fixEmptyAndTrim(router);
        this.duration = Util.fixEmptyAndTrim(duration);
        if (this.model == null || this.version == null) {
            throw new IllegalArgumentException("abTest needs model and version: the candidate model version");
        }
        if (this.router == null) {
            throw new IllegalArgumentException("abTest needs router: the name of a router, e.g. router: 'prod-churn'; "
                    + CanaryRouters.WHERE);
        }
        if (this.duration == null) {
            throw new IllegalArgumentException("abTest needs duration, e.g. duration: '2h'");
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

    public int getWeight() {
        return weight;
    }

    /** The candidate's share of traffic during the test, 1 to 99 %. Default 50. */
    @DataBoundSetter
    public void setWeight(int weight) {
        this.weight = weight;
    }

    public String getInterval() {
        return interval;
    }

    /** Time between analyses. Default {@code '1m'}. */
    @DataBoundSetter
    public void setInterval(String interval) {
        this.interval = Util.fixEmptyAndTrim(interval) == null ? "1m" : interval.strip();
    }

    public long getMinSample() {
        return minSample;
    }

    /** No decision before both arms have this many trials. Default 100. */
    @DataBoundSetter
    public void setMinSample(long minSample) {
        this.minSample = minSample;
    }

    public long getSample() {
        return sample;
    }

    /** End once both arms have this many trials; 0 (default) runs for the whole duration. */
    @DataBoundSetter
    public void setSample(long sample) {
        this.sample = sample;
    }

    public double getAlpha() {
        return alpha;
    }

    @DataBoundSetter
    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public double getMixingSd() {
        return mixingSd;
    }

    @DataBoundSetter
    public void setMixingSd(double mixingSd) {
        this.mixingSd = mixingSd;
    }

    public String getPromoteWhen() {
        return promoteWhen;
    }

    /** {@code candidate-wins} (default) or {@code not-worse} (with {@code margin}). */
    @DataBoundSetter
    public void setPromoteWhen(String promoteWhen) {
        this.promoteWhen = Util.fixEmptyAndTrim(promoteWhen) == null ? PromoteRule.CANDIDATE_WINS.text() : promoteWhen.strip();
    }

    public double getMargin() {
        return margin;
    }

    @DataBoundSetter
    public void setMargin(double margin) {
        this.margin = margin;
    }

    public String getOtherwise() {
        return otherwise;
    }

    /** {@code rollback} (default) or {@code stop}: leave the split for people to decide. */
    @DataBoundSetter
    public void setOtherwise(String otherwise) {
        this.otherwise = Util.fixEmptyAndTrim(otherwise) == null ? NoWinnerAction.ROLLBACK.text() : otherwise.strip();
    }

    @CheckForNull
    public String getControlVersion() {
        return controlVersion;
    }

    /** The version users have now, for the report. */
    @DataBoundSetter
    public void setControlVersion(String controlVersion) {
        this.controlVersion = Util.fixEmptyAndTrim(controlVersion);
    }

    @CheckForNull
    public AnalysisSource getAnalysisSource() {
        return analysisSource;
    }

    /** Where the four count queries run: {@code prometheus(url: ...)}. */
    @DataBoundSetter
    public void setAnalysisSource(AnalysisSource analysisSource) {
        this.analysisSource = analysisSource;
    }

    @CheckForNull
    public String getControlTrials() {
        return controlTrials;
    }

    /** The running total of the control's trials, e.g. {@code sum(predictions_total{version="1"})}. */
    @DataBoundSetter
    public void setControlTrials(String controlTrials) {
        this.controlTrials = Util.fixEmptyAndTrim(controlTrials);
    }

    @CheckForNull
    public String getControlConversions() {
        return controlConversions;
    }

    @DataBoundSetter
    public void setControlConversions(String controlConversions) {
        this.controlConversions = Util.fixEmptyAndTrim(controlConversions);
    }

    @CheckForNull
    public String getCandidateTrials() {
        return candidateTrials;
    }

    @DataBoundSetter
    public void setCandidateTrials(String candidateTrials) {
        this.candidateTrials = Util.fixEmptyAndTrim(candidateTrials);
    }

    @CheckForNull
    public String getCandidateConversions() {
        return candidateConversions;
    }

    @DataBoundSetter
    public void setCandidateConversions(String candidateConversions) {
        this.candidateConversions = Util.fixEmptyAndTrim(candidateConversions);
    }

    @CheckForNull
    public String getCanaryStorageUri() {
        return canaryStorageUri;
    }

    /** KServe routers: the candidate model's storageUri. */
    @DataBoundSetter
    public void setCanaryStorageUri(String canaryStorageUri) {
        this.canaryStorageUri = Util.fixEmptyAndTrim(canaryStorageUri);
    }

    /** The engine's plan; the engine checks it (weight, durations, sample sizes, alpha, the rule). */
    AbPlan plan() {
        if (analysisSource == null) {
            throw new IllegalArgumentException("analysisSource: an A/B test counts its arms in Prometheus: analysisSource: "
                    + "prometheus(url: ...)");
        }
        try {
            return new AbPlan(model, version, controlVersion, weight, Durations.parse(duration), parse("interval", interval), minSample,
                    sample, alpha, mixingSd, rule(), margin, action(), AbMetric.prometheus(controlTrials, controlConversions,
                            candidateTrials, candidateConversions));
        } catch (CanarySettingException e) {
            throw new IllegalArgumentException(e.setting() + ": " + e.getMessage(), e);
        }
    }

    private PromoteRule rule() {
        try {
            return PromoteRule.parse(promoteWhen);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("promoteWhen " + e.getMessage(), e);
        }
    }

    private NoWinnerAction action() {
        try {
            return NoWinnerAction.parse(otherwise);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("otherwise " + e.getMessage(), e);
        }
    }

    private static Duration parse(String name, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** What opens the router and Prometheus again (for the drive and for the cleanup); no registry. */
    CanarySetup setup() {
        return new CanarySetup(router, canaryStorageUri, analysisSource, null, null);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static String summary(AbResult result) {
        return Canaries.summary(result);
    }

    /** The result as plain values, for sandboxed scripts. */
    static Map<String, Object> toMap(AbResult result) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", result.status().name());
        values.put("verdict", result.verdict().name());
        values.put("winner", result.winner());
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

        private final AbTestStep step;
        private final String id;
        private volatile String stateJson;
        private final AtomicBoolean completed = new AtomicBoolean();
        private volatile boolean abortRequested;
        private volatile String abortReason;
        private transient volatile boolean interruptible;
        private transient volatile Throwable stopCause;

        Execution(AbTestStep step, StepContext context) {
            super(context);
            this.step = step;
            this.id = UUID.randomUUID().toString();
        }

        @Override
        public boolean start() throws Exception {
            try {
                step.plan();
            } catch (IllegalArgumentException e) {
                throw BuildLog.failure("abTest", e.getMessage());
            }
            CanaryRouters.get().require(step.router);
            log("abTest: " + step.model + " version " + step.version + " gets " + step.weight + " % of traffic for up to "
                    + step.duration + " through router '" + step.router + "'; state ml-stages/ab-test-" + id + ".json under the build");
            submit(Mode.START);
            return false;
        }

        @Override
        public void onResume() {
            log("abTest: resuming the A/B test of " + step.model + " version " + step.version
                    + " after a controller restart" + (abortRequested ? " (stopping: " + abortReason + ")" : ""));
            submit(abortRequested ? Mode.ABORT : Mode.RESUME);
        }

        /** A user abort or an enclosing timeout: recorded at once; the driving thread rolls back. */
        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            if (stopCause != null) {
                stopCause.addSuppressed(cause);
                return;
            }
            stopCause = cause;
            abortReason = "aborted" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            abortRequested = true;
            if (!Canaries.isDriven(Canaries.abSlot(id)) && !completed.get()) {
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
                AbState state = CanaryStateStore.mapper().readValue(json, AbState.class);
                return state.phase().name().toLowerCase(Locale.ROOT) + " at " + state.weight() + " %" + (state.runUntil() == null ? ""
                        : ", until " + state.runUntil()) + ", " + state.analyses().size() + " analyses"
                        + (abortRequested ? ", rolling back on request" : "");
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
                if (!Canaries.startDriving(Canaries.abSlot(id), completed::get)) {
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
                CanarySetup setup = step.setup();
                CanaryCleanupAction.registerAbTestOn(run, id, setup);
                TrafficRouter trafficRouter = CanaryRouters.get().require(step.router).open(run, this::sleep, setup.canaryStorageUri());
                StateStore store = new StateStore(Canaries.abStateFile(run, id));
                boolean counting = mode != Mode.ABORT && !abortRequested;
                ArmSource source = counting ? new PrometheusArmSource(step.analysisSource.open(run), step.plan().metric()) : ArmSource.NONE;
                AbTestRun test = new AbTestRun(store, trafficRouter, source, new BuildLog(listener.getLogger()),
                        Clock.systemUTC(), this::sleep, Backoff.DEFAULT);
                AbResult result;
                try {
                    interruptible = true;
                    if (mode == Mode.ABORT || abortRequested) {
                        result = rollBack(test, store);
                    } else if (mode == Mode.RESUME && store.exists()) {
                        result = test.resume();
                    } else {
                        result = test.start(step.plan());
                    }
                } catch (InterruptedException aborted) {
                    result = rollBack(test, store);
                }
                finish(run, listener, result);
            } catch (DeployException | IllegalArgumentException e) {
                fail(BuildLog.failure("abTest", e.getMessage()));
            } catch (Throwable t) {
                fail(t);
            } finally {
                Canaries.stopDriving(Canaries.abSlot(id));
            }
        }

        @CheckForNull
        private AbResult rollBack(AbTestRun test, StateStore store) throws IOException, InterruptedException {
            interruptible = false;
            return store.exists() ? test.abort(abortReason == null ? "aborted" : abortReason) : null;
        }

        /** The engine's waits between analyses: an abort is noticed within a second. */
        private void sleep(Duration duration) throws InterruptedException {
            long end = System.currentTimeMillis() + Math.max(0, duration.toMillis());
            for (long left = end - System.currentTimeMillis(); left > 0; left = end - System.currentTimeMillis()) {
                if (abortRequested && interruptible) {
                    throw new InterruptedException("A/B test aborted");
                }
                Thread.sleep(Math.min(left, 1000));
            }
        }

        private void finish(Run<?, ?> run, TaskListener listener, @CheckForNull AbResult result) throws Exception {
            if (result == null) {
                complete(listener, "abTest: aborted before the router was touched", null, abortCause());
                return;
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            Canaries.recordAbTest(run, id, result);
            if (step.getReport() != null) {
                FilePath workspace = getContext().get(FilePath.class);
                if (workspace == null) {
                    listener.getLogger().println("abTest: no workspace (outside node { }): report not written");
                } else {
                    WorkspaceReports.write(workspace, step.getReport(), json, "abTest");
                }
            }
            if (abortRequested || result.verdict() == AbVerdict.ABORTED) {
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
        private final class StateStore extends AbStateStore {
            StateStore(Path file) {
                super(file);
            }

            @Override
            public boolean exists() {
                return super.exists() || stateJson != null;
            }

            @Override
            public void save(AbState state) throws IOException {
                super.save(state);
                stateJson = CanaryStateStore.mapper().writeValueAsString(state);
                try {
                    getContext().saveState().get(SAVE_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOGGER.log(Level.FINE, "the program of A/B test " + id + " was not saved at once", e);
                }
            }

            @Override
            public AbState load() throws IOException {
                if (super.exists()) {
                    return super.load();
                }
                String json = stateJson;
                if (json == null) {
                    throw new NoSuchFileException(file().toString());
                }
                return CanaryStateStore.mapper().readValue(json, AbState.class);
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends MlStageDescriptor {
        public DescriptorImpl() {
            super("abTest", "A/B test a model version against the live one with a sequential test (mSPRT)", false);
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
