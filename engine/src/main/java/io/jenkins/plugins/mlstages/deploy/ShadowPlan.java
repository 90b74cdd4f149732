package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;

/**
 * What a shadow run does: mirror live traffic to {@code version} for {@code duration} (or until
 * {@code requests} pairs were captured, whichever comes first), then judge the behaviour checks on the
 * captured pairs. A shadow never routes users to the candidate and never moves an alias.
 *
 * @param stableVersion the live version, for the report; may be null
 * @param requests stop collecting after this many captured pairs; 0 collects for the whole duration
 * @param minRequests fewer captured pairs than this is no evidence: the run is rejected
 * @param checks behaviour checks on the comparison's metrics ({@link ShadowChecks})
 * @param captureFolder where the capture writes its JSON lines, as seen by the run
 * @param pollInterval how often the run reads the capture folder while collecting
 */
@JsonPropertyOrder({"model", "version", "stable_version", "duration", "requests", "min_requests", "checks", "capture_folder",
    "poll_interval"})
public record ShadowPlan(String model, String version, String stableVersion, Duration duration, int requests, int minRequests,
        List<BehaviourCheck> checks, String captureFolder, Duration pollInterval) implements Serializable {
    public ShadowPlan {
        if (model == null || model.isBlank()) {
            throw new CanarySettingException("model", "the model name must not be empty");
        }
        if (version == null || version.isBlank()) {
            throw new CanarySettingException("version", "the version must not be empty");
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new CanarySettingException("duration", "the shadow duration must be positive, was " + duration);
        }
        if (requests < 0) {
            throw new CanarySettingException("requests", "the request count must be 0 (the whole duration) or more, was " + requests);
        }
        if (minRequests < 1) {
            throw new CanarySettingException("minRequests", "the minimum of captured requests must be at least 1, was " + minRequests);
        }
        if (requests > 0 && minRequests > requests) {
            throw new CanarySettingException("minRequests", "the minimum of captured requests (" + minRequests
                    + ") is above the request count (" + requests + ")");
        }
        checks = List.copyOf(checks == null ? List.of() : checks);
        if (checks.isEmpty()) {
            throw new CanarySettingException("check", "a shadow run needs at least one behaviour check, e.g. 'agreement >= 0.97'");
        }
        if (captureFolder == null || captureFolder.isBlank()) {
            throw new CanarySettingException("captureFolder", "the capture folder must be given");
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            pollInterval = Duration.ofSeconds(5);
        }
    }
}
