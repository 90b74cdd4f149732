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
    @Option(names = "--registry-url", paramLabel = "URL",
            description = "MLflow tracking/registry URL, with any path prefix (default: $MLFLOW_TRACKING_URI)")
    String registryUrl;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "read timeout of one request in seconds (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** Opens the registry; {@code retryPolicy} bounds how long a failing server is retried. */
    MlflowRegistry open(Map<String, String> env, RetryPolicy retryPolicy) {
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds, was " + timeoutSeconds);
        }
        RegistryConfig config = RegistryConfig.fromEnvironment(env, registryUrl)
                .readTimeout(Duration.ofSeconds(timeoutSeconds))
                .userAgent("mlstages-cli/" + Main.version())
                .retryPolicy(retryPolicy)
                .build();
        return new MlflowRegistry(config);
    }
}
