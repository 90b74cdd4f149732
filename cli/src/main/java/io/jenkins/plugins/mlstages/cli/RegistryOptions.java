package io.jenkins.plugins.mlstages.cli;

import java.time.Duration;
import java.util.Map;

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
    /** One request may take at most an hour. */
    static final long MAX_TIMEOUT_SECONDS = 3600;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "MLflow tracking/registry URL, with any path prefix (default: $MLFLOW_TRACKING_URI)")
    String registryUrl;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "read timeout of one request in seconds (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** {@code --timeout}, checked: one request's read timeout (also the canary's router and Prometheus requests). */
    Duration timeout() {
        if (timeoutSeconds <= 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("--timeout must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds, was "
                    + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** Opens the registry; {@code retryPolicy} bounds how long a failing server is retried. */
    MlflowRegistry open(Map<String, String> env, RetryPolicy retryPolicy) {
        RegistryConfig config = RegistryConfig.fromEnvironment(env, registryUrl)
                .readTimeout(timeout())
                .userAgent("mlstages-cli/" + Main.version())
                .retryPolicy(retryPolicy)
                .build();
        return new MlflowRegistry(config);
    }
}
