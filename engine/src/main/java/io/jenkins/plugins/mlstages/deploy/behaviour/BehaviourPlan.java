package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import okhttp3.HttpUrl;

/**
 * The behaviour checks of a canary and where their comparison comes from: at each analysis the probe's
 * rows are sent to the stable and the canary version directly (not through the router, so users' traffic
 * split is untouched) and the rules judge the comparison, next to the Prometheus checks and with the same
 * failure and inconclusive limits.
 *
 * @param checks the behaviour rules, at least one
 * @param probe the probe file (JSON lines), read again at each analysis
 * @param labelField the probe's label field; null for none
 * @param stableUrl the stable version's scoring server (MLflow protocol)
 * @param canaryUrl the canary version's scoring server
 * @param output how outputs are compared; null for auto
 * @param threshold the decision threshold on scores
 * @param timeout how long one probe request may take
 */
public record BehaviourPlan(List<BehaviourCheck> checks, String probe, String labelField, String stableUrl, String canaryUrl,
        OutputKind output, double threshold, Duration timeout) implements Serializable {
    /** The longest a probe request may take: an analysis must not outlast its spacing by much. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    public BehaviourPlan {
        checks = List.copyOf(checks == null ? List.of() : checks);
        if (checks.isEmpty()) {
            throw new CanarySettingException("analysis", "a probe without behaviour rules checks nothing: add a rule such as "
                    + "'agreement >= 0.97', or leave the probe out");
        }
        Set<String> metrics = new HashSet<>();
        for (BehaviourCheck check : checks) {
            if (!metrics.add(check.metric())) {
                throw new CanarySettingException("analysis", "two behaviour rules on '" + check.metric() + "'");
            }
        }
        if (probe == null || probe.isBlank()) {
            throw new CanarySettingException("probe", "behaviour rules need a probe file of requests to send to both versions");
        }
        require("probeStableUrl", stableUrl);
        require("probeCanaryUrl", canaryUrl);
        if (!Double.isFinite(threshold)) {
            throw new CanarySettingException("probeThreshold", "the decision threshold must be a finite number, was " + threshold);
        }
        timeout = timeout == null ? MlflowEndpoint.DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new CanarySettingException("probeTimeout", "the probe request timeout must be positive and at most "
                    + Durations.format(MAX_TIMEOUT) + ", was " + Durations.format(timeout));
        }
        for (BehaviourCheck check : checks) {
            if (labelField == null && LabelledSummary.METRICS.contains(check.metric())) {
                throw new CanarySettingException("analysis", "behaviour rule on '" + check.metric()
                        + "' needs a probe with labels: name the probe's label field");
            }
        }
    }

    private static void require(String setting, String url) {
        if (url == null || url.isBlank()) {
            throw new CanarySettingException(setting, "behaviour rules need the scoring URL of both versions (" + setting + ")");
        }
        HttpUrl parsed = HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new CanarySettingException(setting, "'" + url + "' is not an http or https URL");
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            // the plan is kept in the state file and the report: no credential may be in it
            throw new CanarySettingException(setting, "a probe URL must not hold credentials (user:password@)");
        }
    }

    /** The probe as it is now, refused with a {@link ProbeException} naming file and line. */
    public ReplayProbe replay() {
        return new ReplayProbe(ProbeFile.read(java.nio.file.Path.of(probe), labelField), output, threshold);
    }

    public boolean labelled() {
        return labelField != null;
    }

    /** For logs: the probe and where it goes. */
    public String describe() {
        return "probe " + probe + " to " + stableUrl + " and " + canaryUrl;
    }
}
