package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.canary.CanaryCleanup;
import io.jenkins.plugins.mlstages.canary.CanaryRouter;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryRun;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.InconclusivePolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

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
public final class CanaryDeployStep extends TrafficDeployStep {
    private static final long serialVersionUID = 1L;

    /** The one line for a router described in the Jenkinsfile, as before routers were defined globally. */
    static final String ROUTER_BY_NAME = "canaryDeploy: router: must name a canary router, e.g. router: 'prod-fraud';"
            + " nginx(...), kserve(...) and http(...) are no longer accepted in a Pipeline: "
            + CanaryRouters.WHERE;

    private final String steps;
    private final String interval;
    private int analysesPerStep = 1;
    private String onInconclusive = InconclusivePolicy.ROLLBACK.toString();
    private String holdTimeout;

    /**
     * @param steps canary weights in %, rising, ending at 100, e.g. {@code '10,50,100'}
     * @param interval how long each step lasts, e.g. {@code '5m'}
     * @param router the name of a canary router an administrator defined, e.g. {@code 'prod-fraud'}
     */
    @DataBoundConstructor
    public CanaryDeployStep(String model, String version, String steps, String interval, String router) {
        super("canaryDeploy", model, version, router);
        this.steps = Util.fixEmptyAndTrim(steps);
        this.interval = Util.fixEmptyAndTrim(interval);
        if (this.steps == null || this.interval == null) {
            throw new IllegalArgumentException("canaryDeploy needs steps (e.g. '10,50,100') and interval (e.g. '5m')");
        }
        if (this.router == null) {
            throw new IllegalArgumentException(ROUTER_BY_NAME);
        }
        weights(this.steps);
        Durations.parse(this.interval);
    }

    public String getSteps() {
        return steps;
    }

    public String getInterval() {
        return interval;
    }

    public int getAnalysesPerStep() {
        return analysesPerStep;
    }

    @DataBoundSetter
    public void setAnalysesPerStep(int analysesPerStep) {
        this.analysesPerStep = analysesPerStep;
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

    /**
     * The engine's plan; the engine checks it (rising weights ending at 100, limits, checks).
     *
     * @param target where behaviour rules send the probe; null to check the settings only (the plan then has no behaviour rules)
     */
    @Override
    CanaryPlan plan(@CheckForNull Inputs inputs) {
        if (getAnalysis().isEmpty()) {
            throw new IllegalArgumentException("a canary needs at least one analysis check, e.g. analysis: "
                    + "['error_rate: sum(rate(errors[1m])) / sum(rate(requests[1m])) <= 0.01']");
        }
        try {
            CheckSyntax.Checks checks = checks();
            if (!checks.queries().isEmpty() && getAnalysisSource() == null) {
                throw new IllegalArgumentException("a canary with analysis checks needs analysisSource: prometheus(url: ...)");
            }
            BehaviourPlan behaviour = probe.plan(checks.behaviour(), "analysis", inputs == null ? null : inputs.probe());
            return new CanaryPlan(model, version, weights(steps), Durations.parse(interval), analysesPerStep,
                    checks.queries(), getFailureLimit(), getInconclusiveLimit(),
                    InconclusivePolicy.parse(onInconclusive), holdTimeout == null ? null : Durations.parse(holdTimeout),
                    getChampionAlias(), getPreviousAlias(), behaviour);
        } catch (CanarySettingException e) {
            throw named(e);
        }
    }

    @Override
    String stepName() {
        return "canaryDeploy";
    }

    @Override
    String subject() {
        return "the canary";
    }

    @Override
    String startLine(String stateFile) {
        return "canaryDeploy: " + model + " version " + version + ", steps " + steps + " % every " + interval
                + " through router '" + router + "'; state " + stateFile + " under the build";
    }

    @Override
    Inputs copyInputs(@CheckForNull FilePath workspace, CanaryRouter router, Path directory, String id)
            throws IOException, InterruptedException {
        if (!hasBehaviourRules()) {
            return null;
        }
        return new Inputs(probe.copy(workspace, router, directory.resolve("canary-" + id + "-probe.jsonl"), stepName()), null,
                null);
    }

    @Extension
    public static final class DescriptorImpl extends TrafficDescriptor {
        public DescriptorImpl() {
            super("canaryDeploy", "Deploy a model version as a canary, analyse it, promote or roll back");
        }

        /** As before routers were defined globally: the line says nginx(...) and the others are no longer accepted. */
        @Override
        protected String routerByName() {
            return ROUTER_BY_NAME;
        }
    }
}
