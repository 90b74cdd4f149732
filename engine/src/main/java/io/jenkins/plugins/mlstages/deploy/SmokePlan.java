package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.time.Duration;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.MlflowEndpoint;
import okhttp3.HttpUrl;

/**
 * A blue/green deployment's smoke checks (docs/bluegreen.md): the requests of {@code file}, each with its expected
 * output, sent to the green version's scoring server {@code greenUrl} before any traffic moves. Every request must
 * answer as expected ({@link SmokeFile}); the plan's behaviour rules, if any, are judged once next to them.
 *
 * @param file the smoke file (JSON lines), read again at each smoke run
 * @param greenUrl the green version's scoring server (MLflow protocol), called directly, not through the router
 * @param timeout how long one request may take
 * @throws CanarySettingException naming the setting that is invalid
 */
public record SmokePlan(String file, String greenUrl, Duration timeout) implements Serializable {
    public SmokePlan {
        if (file == null || file.isBlank()) {
            throw new CanarySettingException("smoke", "blue/green needs a smoke file of requests with their expected outputs");
        }
        if (greenUrl == null || greenUrl.isBlank()) {
            throw new CanarySettingException("probeCanaryUrl", "the smoke checks need the green version's scoring URL");
        }
        HttpUrl parsed = HttpUrl.parse(greenUrl.strip());
        if (parsed == null) {
            throw new CanarySettingException("probeCanaryUrl", "'" + greenUrl + "' is not an http or https URL");
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            // the plan is kept in the state file and the report: no credential may be in it
            throw new CanarySettingException("probeCanaryUrl", "a scoring URL must not hold credentials (user:password@)");
        }
        timeout = timeout == null ? MlflowEndpoint.DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(BehaviourPlan.MAX_TIMEOUT) > 0) {
            throw new CanarySettingException("probeTimeout", "the request timeout must be positive and at most "
                    + Durations.format(BehaviourPlan.MAX_TIMEOUT) + ", was " + Durations.format(timeout));
        }
    }

    /** The smoke file as it is now, refused with a {@link io.jenkins.plugins.mlstages.deploy.behaviour.ProbeException} naming file and line. */
    public SmokeFile read() {
        return SmokeFile.read(java.nio.file.Path.of(file));
    }
}
