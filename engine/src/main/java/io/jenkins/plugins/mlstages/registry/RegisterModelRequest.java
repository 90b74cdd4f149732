package io.jenkins.plugins.mlstages.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link RegisterModel} is asked to register: a version of {@code model} from exactly one source
 * (a run's artifact path, an MLflow 3 logged model, a {@code models:/} URI, or an existing version to
 * copy into this model), with tags, aliases, and the build key that makes registering idempotent.
 *
 * @param buildKey identifies the build; registering again with the same key returns the same version
 * @param lineageTags tags that record where the version came from (commit, build URL, dataset digests,
 *     validation status, gate verdict); stored on the version like {@code tags}
 */
public record RegisterModelRequest(String model, String runId, String artifactPath, String modelId, String source,
        String copyFrom, String description, Map<String, String> tags, Map<String, String> lineageTags,
        List<String> aliases, String buildKey, Duration awaitTimeout, Duration pollInterval) {
    public static final String BUILD_KEY_TAG = "mlstages.build_key";
    /** The longest wait for READY: a day (a longer one is a typo that would hold the build forever). */
    public static final Duration MAX_AWAIT = Duration.ofDays(1);

    public RegisterModelRequest {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("--model is empty");
        }
        int sources = (runId != null && modelId == null ? 1 : 0) + (modelId != null ? 1 : 0) + (source != null ? 1 : 0)
                + (copyFrom != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException("give exactly one source: --run-id [--artifact-path], --model-id, --source or "
                    + "--copy-from" + (sources == 0 ? "" : " (got " + sources + ")"));
        }
        if (artifactPath != null && runId == null) {
            throw new IllegalArgumentException("--artifact-path goes with --run-id");
        }
        if (copyFrom != null && !copyFrom.matches("[^/]+/\\d+")) {
            throw new IllegalArgumentException("--copy-from must be NAME/VERSION, e.g. fraud-dev/3, was '" + copyFrom + "'");
        }
        tags = tags == null ? Map.of() : new LinkedHashMap<>(tags);
        lineageTags = lineageTags == null ? Map.of() : new LinkedHashMap<>(lineageTags);
        if (runId != null && modelId == null && artifactPath == null) {
            artifactPath = "model";
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        for (String alias : aliases) {
            try {
                RegistryLimits.checkAlias("register model '" + model + "'", alias);
            } catch (InvalidParameterException e) {
                // a usage mistake, found before anything is written
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (tags.containsKey(BUILD_KEY_TAG) || lineageTags.containsKey(BUILD_KEY_TAG)) {
            throw new IllegalArgumentException("the tag " + BUILD_KEY_TAG + " is set by --build-key");
        }
        awaitTimeout = awaitTimeout == null ? Duration.ofMinutes(5) : awaitTimeout;
        pollInterval = pollInterval == null ? Duration.ofSeconds(3) : pollInterval;
        if (awaitTimeout.compareTo(MAX_AWAIT) > 0) {
            throw new IllegalArgumentException("--await-seconds must be between 0 and " + MAX_AWAIT.toSeconds() + ", was "
                    + awaitTimeout.toSeconds());
        }
        if (awaitTimeout.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the wait for READY needs a positive poll interval and a timeout of 0 or more");
        }
    }

    /** A version from what a run logged at an artifact path (see {@link ModelSources#fromRun}). */
    public static RegisterModelRequest fromRun(String model, String runId, String artifactPath) {
        return new RegisterModelRequest(model, runId, artifactPath, null, null, null,
                null, null, null, null, null, null, null);
    }

    public RegisterModelRequest withAliases(List<String> value) {
        return new RegisterModelRequest(model, runId, artifactPath, modelId, source, copyFrom, description, tags,
                lineageTags, value, buildKey, awaitTimeout, pollInterval);
    }

    public RegisterModelRequest withBuildKey(String value) {
        return new RegisterModelRequest(model, runId, artifactPath, modelId, source, copyFrom, description, tags,
                lineageTags, aliases, value, awaitTimeout, pollInterval);
    }

    public RegisterModelRequest withTags(Map<String, String> value) {
        return new RegisterModelRequest(model, runId, artifactPath, modelId, source, copyFrom, description, value,
                lineageTags, aliases, buildKey, awaitTimeout, pollInterval);
    }
}
