package io.jenkins.plugins.mlstages.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.ShadowSetup;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.ShadowChecks;
import io.jenkins.plugins.mlstages.deploy.ShadowPlan;
import io.jenkins.plugins.mlstages.deploy.ShadowResult;
import io.jenkins.plugins.mlstages.deploy.ShadowRun;
import io.jenkins.plugins.mlstages.deploy.ShadowState;
import io.jenkins.plugins.mlstages.deploy.ShadowStateStore;
import io.jenkins.plugins.mlstages.deploy.ShadowVerdict;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.FormLists;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code shadowDeploy}: sends a copy of live traffic to a candidate model version through the mirror of a
 * router an administrator defined ({@code router: 'prod-fraud'}, with its mirror settings), compares the
 * candidate's answers with the live model's on the same requests (read where the capture writes, on the
 * node next to the router: never on the controller) and judges the behaviour checks; it ends promote-ready
 * (step passes, returns {@code verdict: 'PROMOTE_READY'}) or rejected (fails), and never changes what users
 * receive (the CLI's {@code mlstages shadow}). A durable step on the deployments' {@link DeploymentExecution}: the engine's
 * {@link ShadowRun} saves every intended transition to a state file under the build directory and, as JSON,
 * in the execution; after a controller restart the run continues; an abort turns the mirror off, and
 * {@link io.jenkins.plugins.mlstages.canary.CanaryCleanup} turns it off when the build ended without the step.
 */
public final class ShadowDeployStep extends MlStageStep {
    private static final long serialVersionUID = 1L;

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

    /** The durable execution of {@link DeploymentExecution}: a shadow run, driven in the slot {@link Canaries#shadowSlot}. */
    static final class Execution extends DeploymentExecution<ShadowDeployStep, ShadowResult> {
        private static final long serialVersionUID = 1L;

        Execution(ShadowDeployStep step, StepContext context) {
            super(step, context);
        }

        @Override
        Words words() {
            return new Words("shadowDeploy", "the shadow run of " + step.model + " version " + step.version, "stopping", "mirror");
        }

        @Override
        String slot() {
            return Canaries.shadowSlot(id);
        }

        @Override
        String begin() throws Exception {
            step.plan("(the router's capture folder)");
            CanaryRouters.get().require(step.router);
            return "shadowDeploy: " + step.model + " version " + step.version + " receives a copy of live traffic for "
                    + step.duration + " through the mirror of router '" + step.router + "'; users keep the live model's"
                    + " answers; state ml-stages/shadow-" + id + ".json under the build";
        }

        @Override
        String status(String stateJson) throws JsonProcessingException {
            ShadowState state = CanaryStateStore.mapper().readValue(stateJson, ShadowState.class);
            return state.phase().name().toLowerCase(Locale.ROOT) + (state.collectUntil() == null ? ""
                    : ", collecting until " + state.collectUntil());
        }

        @Override
        Drive<ShadowResult> open(Run<?, ?> run, BuildLog log, boolean analyse) throws IOException, InterruptedException {
            ShadowSetup setup = CanaryRouters.get().require(step.router).openShadow(run);
            CanaryCleanupAction.registerShadowOn(run, id, step.router);
            StateStore store = new StateStore(Canaries.shadowStateFile(run, id));
            ShadowRun shadow = new ShadowRun(store, setup.mirror(), setup.capture(), log, Clock.systemUTC(), this::sleep,
                    Backoff.DEFAULT);
            return new Drive<>(store::exists, () -> shadow.start(step.plan(setup.captureFolder())), shadow::resume,
                    shadow::abort, result -> Canaries.recordShadow(run, id, result));
        }

        @Override
        String summary(ShadowResult result) {
            return Canaries.summary(result);
        }

        @Override
        boolean aborted(ShadowResult result) {
            return result.verdict() == ShadowVerdict.ABORTED;
        }

        @Override
        Map<String, Object> toMap(ShadowResult result) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("status", result.status().name());
            values.put("verdict", result.verdict().name());
            values.put("model", result.model());
            values.put("version", result.version());
            values.put("reason", result.reason());
            values.put("metrics", new LinkedHashMap<>(result.metrics()));
            return values;
        }

        /** The state file under the build directory, kept in the program too ({@link #keep}). */
        private final class StateStore extends ShadowStateStore {
            StateStore(Path file) {
                super(file);
            }

            @Override
            public boolean exists() {
                return super.exists() || kept();
            }

            @Override
            public void save(ShadowState state) throws IOException {
                super.save(state);
                keep(state);
            }

            @Override
            public ShadowState load() throws IOException {
                return super.exists() ? super.load() : kept(ShadowState.class, file());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends DeploymentDescriptor {
        public DescriptorImpl() {
            super("shadowDeploy", "Mirror live traffic to a model version and compare its predictions (shadow mode)", "check");
        }
    }
}
