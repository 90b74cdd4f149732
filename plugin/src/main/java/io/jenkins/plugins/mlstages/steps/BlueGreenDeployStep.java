package io.jenkins.plugins.mlstages.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import io.jenkins.plugins.mlstages.canary.CanaryRouter;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.ProbeSettings;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.SmokeFile;
import io.jenkins.plugins.mlstages.deploy.SmokePlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeException;
import io.jenkins.plugins.mlstages.support.BuildLog;
import java.io.IOException;
import java.nio.file.Path;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code blueGreenDeploy}: smoke checks against the new (green) version, then all traffic switched to it at once, an
 * analysis window, then promotion (alias {@code champion}) or an instant switch back to the current (blue) version (the
 * CLI's {@code mlstages blue-green}, docs/bluegreen.md). As thin as {@code canaryDeploy}: the same durable execution,
 * router definitions, analysis source, limits, cleanup and report; the smoke file is read from the workspace when the
 * step starts (so the step runs inside {@code node { }}), and the smoke requests go to the router definition's
 * {@code probeCanaryUrl} (green's scoring server), never to an address from the Jenkinsfile.
 */
public final class BlueGreenDeployStep extends TrafficDeployStep {
    private static final long serialVersionUID = 1L;

    private final String smoke;
    private final String window;
    private int analyses = 1;

    /**
     * @param smoke a workspace file of requests with their expected outputs (docs/bluegreen.md)
     * @param window the analysis window after the switch, e.g. {@code '10m'}
     * @param router the name of a router an administrator defined, with its probe URLs (green's is the smoke target)
     */
    @DataBoundConstructor
    public BlueGreenDeployStep(String model, String version, String smoke, String window, String router) {
        super("blueGreenDeploy", model, version, router);
        this.smoke = Util.fixEmptyAndTrim(smoke);
        this.window = Util.fixEmptyAndTrim(window);
        if (this.smoke == null || this.window == null) {
            throw new IllegalArgumentException("blueGreenDeploy needs smoke (a workspace file of requests with their expected"
                    + " outputs) and window (e.g. '10m')");
        }
        if (this.router == null) {
            throw new IllegalArgumentException("blueGreenDeploy needs router: the name of a router an administrator defined, e.g."
                    + " router: 'prod-fraud'; " + CanaryRouters.WHERE);
        }
        Durations.parse(this.window);
    }

    public String getSmoke() {
        return smoke;
    }

    public String getWindow() {
        return window;
    }

    public int getAnalyses() {
        return analyses;
    }

    /** Analyses spread over the window, the last at its end (default 1). */
    @DataBoundSetter
    public void setAnalyses(int analyses) {
        this.analyses = analyses;
    }

    @Override
    String stepName() {
        return "blueGreenDeploy";
    }

    @Override
    String subject() {
        return "the blue/green deployment";
    }

    @Override
    String startLine(String stateFile) {
        return "blueGreenDeploy: " + model + " version " + version + " (green): smoke checks " + smoke + ", then all traffic"
                + " through router '" + router + "' and an analysis window of " + window + "; state " + stateFile + " under the build";
    }

    @Override
    Inputs copyInputs(@CheckForNull FilePath workspace, CanaryRouter router, Path directory, String id)
            throws IOException, InterruptedException {
        if (router.getProbeStableUrl() == null || router.getProbeCanaryUrl() == null) {
            throw BuildLog.failure(stepName(), "router '" + router.getName() + "' defines no probeCanaryUrl and probeStableUrl:"
                    + " the smoke requests go to green's scoring server (probeCanaryUrl), behaviour rules to both; "
                    + CanaryRouters.WHERE);
        }
        String[] urls = router.requireProbeUrls();
        Path copy = directory.resolve("canary-" + id + "-smoke.jsonl");
        ProbeSettings.copyFromWorkspace(workspace, smoke, copy, stepName(), "smoke");
        try {
            SmokeFile.read(copy);
        } catch (ProbeException e) {
            throw BuildLog.failure(stepName(), e.getMessage().replace(copy.toString(), smoke));
        }
        ProbeSettings.Target probeTarget = hasBehaviourRules()
                ? probe.copy(workspace, router, directory.resolve("canary-" + id + "-probe.jsonl"), stepName()) : null;
        return new Inputs(probeTarget, copy.toString(), urls[1]);
    }

    @Override
    CanaryPlan plan(@CheckForNull Inputs inputs) {
        try {
            CheckSyntax.Checks checks = checks();
            if (!checks.queries().isEmpty() && getAnalysisSource() == null) {
                throw new IllegalArgumentException("analysis checks need analysisSource: prometheus(url: ...)");
            }
            // without the copies (checking the settings only) the smoke plan points at the workspace file, never read
            SmokePlan smokePlan = new SmokePlan(inputs == null ? smoke : inputs.smoke(),
                    inputs == null ? "http://green.invalid" : inputs.greenUrl(), Durations.parse(getProbeTimeout()));
            return CanaryPlan.blueGreen(model, version, smokePlan, Durations.parse(window), analyses, checks.queries(),
                    getFailureLimit(), getInconclusiveLimit(), getChampionAlias(), getPreviousAlias(),
                    probe.plan(checks.behaviour(), "analysis", inputs == null ? null : inputs.probe()));
        } catch (CanarySettingException e) {
            throw named(e);
        }
    }

    @Extension
    public static final class DescriptorImpl extends TrafficDescriptor {
        public DescriptorImpl() {
            super("blueGreenDeploy", "Deploy a model version blue/green: smoke checks, switch all traffic, analyse, promote or"
                    + " switch back");
        }
    }
}
