package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Util;
import io.jenkins.plugins.mlstages.agent.ReadWholeFile;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourComparison;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.OutputKind;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeException;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeFile;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The probe settings of the deployment steps that judge behaviour rules ({@code canaryDeploy}, {@code blueGreenDeploy},
 * ...): {@code probe}, {@code probeLabel}, {@code probeOutput}, {@code probeThreshold}, {@code probeTimeout}. Each
 * step keeps its own {@code @DataBoundSetter}s (the Pipeline syntax) and hands the values to one of these, which
 * checks and normalises them, copies the probe from the workspace when the step starts and builds the engine's
 * {@link BehaviourPlan}. The URLs never come from here: they come from the router's definition.
 */
public final class ProbeSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private String probe;
    private String probeLabel;
    private String probeOutput = "auto";
    private double probeThreshold = BehaviourComparison.DEFAULT_THRESHOLD;
    private String probeTimeout = "10s";

    /** Where the probe's copy is and where it goes: the copy under the build, the URLs from the router's definition. */
    public record Target(String file, String stableUrl, String canaryUrl) implements Serializable {
    }

    @CheckForNull
    public String getProbe() {
        return probe;
    }

    public void setProbe(String probe) {
        this.probe = Util.fixEmptyAndTrim(probe);
    }

    @CheckForNull
    public String getProbeLabel() {
        return probeLabel;
    }

    public void setProbeLabel(String probeLabel) {
        this.probeLabel = Util.fixEmptyAndTrim(probeLabel);
    }

    public String getProbeOutput() {
        return probeOutput;
    }

    /** {@code auto} (default), {@code score} or {@code label}; anything else is refused at once. */
    public void setProbeOutput(String probeOutput) {
        String value = Util.fixEmptyAndTrim(probeOutput);
        outputKind(value == null ? "auto" : value);
        this.probeOutput = value == null ? "auto" : value;
    }

    public double getProbeThreshold() {
        return probeThreshold;
    }

    public void setProbeThreshold(double probeThreshold) {
        this.probeThreshold = probeThreshold;
    }

    public String getProbeTimeout() {
        return probeTimeout;
    }

    /** A duration (default 10s); a bad one is refused at once. */
    public void setProbeTimeout(String probeTimeout) {
        String value = Util.fixEmptyAndTrim(probeTimeout);
        if (value != null) {
            Durations.parse(value);
        }
        this.probeTimeout = value == null ? "10s" : value;
    }

    /**
     * The behaviour plan for {@code rules}; null when there are none.
     *
     * @param ruleSetting the step's parameter that holds the rules, for messages ({@code analysis})
     * @param target where the probe is sent; null to check the settings only (then null is returned)
     * @throws IllegalArgumentException a probe without rules, or rules without a probe
     */
    @CheckForNull
    public BehaviourPlan plan(List<BehaviourCheck> rules, String ruleSetting, @CheckForNull Target target) {
        if (rules.isEmpty()) {
            if (probe != null) {
                throw new IllegalArgumentException("probe: no behaviour rule in " + ruleSetting + " to judge it, e.g. 'agreement >= 0.97'");
            }
            return null;
        }
        if (probe == null) {
            throw new IllegalArgumentException(ruleSetting + ": '" + rules.get(0).metric() + "' is a behaviour rule:"
                    + " it needs probe: 'FILE.jsonl', a workspace file of requests sent to both versions");
        }
        if (target == null) {
            return null;
        }
        return new BehaviourPlan(rules, target.file(), probeLabel, target.stableUrl(), target.canaryUrl(),
                outputKind(probeOutput), probeThreshold, Durations.parse(probeTimeout));
    }

    /**
     * Copies the probe from the workspace to {@code copy} under the build directory, where every analysis reads it on
     * the controller, and checks it; the URLs come from the router's definition.
     *
     * @param step the step's name, for its one-line failures
     */
    public Target copy(@CheckForNull FilePath workspace, CanaryRouter router, Path copy, String step)
            throws IOException, InterruptedException {
        String[] urls = router.requireProbeUrls();
        if (workspace == null) {
            throw BuildLog.failure(step, "probe: '" + probe + "' is read from the workspace when the step starts: call "
                    + step + " inside node { } (it reads the probe once, then needs no agent)");
        }
        byte[] content;
        try {
            content = workspace.child(probe).act(new ReadWholeFile(ProbeFile.MAX_BYTES, "a probe"));
        } catch (AbortException e) {
            throw WorkspaceReports.failure(step, probe, e.getMessage());
        }
        Files.createDirectories(copy.getParent());
        Files.write(copy, content);
        try {
            ProbeFile.read(copy, probeLabel);
        } catch (ProbeException e) {
            throw BuildLog.failure(step, e.getMessage().replace(copy.toString(), probe));
        }
        return new Target(copy.toString(), urls[0], urls[1]);
    }

    private static OutputKind outputKind(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "auto":
                return null;
            case "score":
                return OutputKind.SCORE;
            case "label":
                return OutputKind.LABEL;
            default:
                throw new IllegalArgumentException("probeOutput must be auto, score or label, not '" + text + "'");
        }
    }
}
