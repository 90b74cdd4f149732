package io.jenkins.plugins.mlstages.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.canary.AnalysisSource;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.CanarySetup;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
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
import io.jenkins.plugins.mlstages.support.BuildLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code abTest}: a fixed split between the control and a candidate model version through a router an
 * administrator defined, per-arm trials and conversions from Prometheus counters ({@code analysisSource}),
 * and the engine's mSPRT after every analysis; it promotes (router 100 %, step passes, returns
 * {@code verdict: 'PROMOTED'}) when {@code promoteWhen} holds, else rolls back or stops (fails). The CLI's
 * {@code mlstages ab-test} (docs/abtest.md). Labelled outcome files are the CLI's only: a step reading a
 * file on the controller chosen by a Jenkinsfile would be a file-read hole. A durable step on the deployments'
 * {@link DeploymentExecution}: the engine's {@link AbTestRun} saves every intended transition to a state file
 * under the build directory and, as JSON, in the execution; after a controller restart the test continues;
 * an abort rolls back, and {@link io.jenkins.plugins.mlstages.canary.CanaryCleanup} rolls it back (or
 * finishes a decided promotion) when the build ended without the step.
 */
public final class AbTestStep extends MlStageStep {
    private static final long serialVersionUID = 1L;

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

    /** The durable execution of {@link DeploymentExecution}: an A/B test, driven in the slot {@link Canaries#abSlot}. */
    static final class Execution extends DeploymentExecution<AbTestStep, AbResult> {
        private static final long serialVersionUID = 1L;

        Execution(AbTestStep step, StepContext context) {
            super(step, context);
        }

        @Override
        Words words() {
            return new Words("abTest", "the A/B test of " + step.model + " version " + step.version, "rolling back", "router");
        }

        @Override
        String slot() {
            return Canaries.abSlot(id);
        }

        @Override
        String begin() throws Exception {
            step.plan();
            CanaryRouters.get().require(step.router);
            return "abTest: " + step.model + " version " + step.version + " gets " + step.weight + " % of traffic for up to "
                    + step.duration + " through router '" + step.router + "'; state ml-stages/ab-test-" + id + ".json under the build";
        }

        @Override
        String status(String stateJson) throws JsonProcessingException {
            AbState state = CanaryStateStore.mapper().readValue(stateJson, AbState.class);
            return state.phase().name().toLowerCase(Locale.ROOT) + " at " + state.weight() + " %" + (state.runUntil() == null ? ""
                    : ", until " + state.runUntil()) + ", " + state.analyses().size() + " analyses";
        }

        @Override
        Drive<AbResult> open(Run<?, ?> run, BuildLog log, boolean analyse) throws IOException, InterruptedException {
            CanarySetup setup = step.setup();
            CanaryCleanupAction.registerAbTestOn(run, id, setup);
            TrafficRouter router = CanaryRouters.get().require(step.router).open(run, this::routerSleep, setup.canaryStorageUri());
            StateStore store = new StateStore(Canaries.abStateFile(run, id));
            ArmSource source = analyse ? new PrometheusArmSource(step.analysisSource.open(run), step.plan().metric()) : ArmSource.NONE;
            AbTestRun test = new AbTestRun(store, router, source, log, Clock.systemUTC(), this::sleep, Backoff.DEFAULT);
            return new Drive<>(store::exists, () -> test.start(step.plan()), test::resume, test::abort,
                    result -> Canaries.recordAbTest(run, id, result));
        }

        @Override
        String summary(AbResult result) {
            return Canaries.summary(result);
        }

        @Override
        boolean aborted(AbResult result) {
            return result.verdict() == AbVerdict.ABORTED;
        }

        @Override
        Map<String, Object> toMap(AbResult result) {
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

        /** The state file under the build directory, kept in the program too ({@link #keep}). */
        private final class StateStore extends AbStateStore {
            StateStore(Path file) {
                super(file);
            }

            @Override
            public boolean exists() {
                return super.exists() || kept();
            }

            @Override
            public void save(AbState state) throws IOException {
                super.save(state);
                keep(state);
            }

            @Override
            public AbState load() throws IOException {
                return super.exists() ? super.load() : kept(AbState.class, file());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends DeploymentDescriptor {
        public DescriptorImpl() {
            super("abTest", "A/B test a model version against the live one with a sequential test (mSPRT)");
        }
    }
}
