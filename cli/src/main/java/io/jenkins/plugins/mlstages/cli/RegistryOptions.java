package io.jenkins.plugins.mlstages.cli;

import java.time.Duration;

import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to the registry shares. Credentials come only from the
 * environment (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME + MLFLOW_TRACKING_PASSWORD), never
 * from the command line, where other users of the machine could read them.
 */
public final class RegistryOptions {
    /** The longest {@code --retry-for}: beyond a day a pipeline is better off failing and being re-run. */
    static final Duration MAX_RETRY_BUDGET = Duration.ofHours(24);

    /** One request may take at most an hour. */
    static final long MAX_TIMEOUT_SECONDS = 3600;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "MLflow tracking/registry URL, with any path prefix (default: $MLFLOW_TRACKING_URI)")
    String registryUrl;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "read timeout of one request in seconds (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--retry-for", paramLabel = "DURATION",
            description = "how long one registry call keeps retrying a registry that does not answer or answers"
                    + " 408/429/5xx, e.g. 30s, 5m, 0 for no retry (default: 2m; 10s for registry check)")
    String retryFor;

    /** {@code --timeout}, checked: one request's read timeout (also the canary's router and Prometheus requests). */
    Duration timeout() {
        if (timeoutSeconds <= 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("--timeout must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds, was "
                    + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /**
     * Opens the registry; it announces each retry on the command's log (stderr).
     *
     * @param commandDefault the command's retries when {@code --retry-for} is not given
     */
    MlflowRegistry open(Main main, RetryPolicy commandDefault) {
        RetryPolicy retries = retryFor == null ? commandDefault : commandDefault.withBudget(retryBudget(retryFor));
        RegistryConfig config = RegistryConfig.fromEnvironment(main.environment(), registryUrl)
                .readTimeout(timeout())
                .userAgent("mlstages-cli/" + Main.version())
                .retryPolicy(retries)
                .build();
        return new MlflowRegistry(config, main.log());
    }

    /** {@code --retry-for}: a duration from 0 to a day; a bare {@code 0} is allowed. */
    static Duration retryBudget(String text) {
        Duration budget;
        try {
            budget = "0".equals(text.strip()) ? Duration.ZERO : Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--retry-for: " + e.getMessage(), e);
        }
        if (budget.isNegative()) {
            throw new IllegalArgumentException("--retry-for must not be negative, was '" + text + "'");
        }
        if (budget.compareTo(MAX_RETRY_BUDGET) > 0) {
            throw new IllegalArgumentException("--retry-for must be at most 24h, was '" + text + "'");
        }
        return budget;
    }
}
