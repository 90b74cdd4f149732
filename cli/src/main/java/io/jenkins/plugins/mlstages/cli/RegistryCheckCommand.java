package io.jenkins.plugins.mlstages.cli;

import java.time.Duration;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryCredentials;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.registry.ServerInfo;
import picocli.CommandLine.Command;

/** {@code mlstages registry check}: can we reach the registry, which version is it, who are we there. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Connect to the registry and print its version and who we are authenticated as.")
final class RegistryCheckCommand extends StageCommand {
    /** A check should answer quickly: tries 0.5, 1, 2, 2, ... s apart within ten seconds. */
    static final RetryPolicy CHECK_RETRIES = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(500),
            Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10));

    RegistryCheckCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() {
        try (MlflowRegistry client = registry.open(main, CHECK_RETRIES)) {
            ServerInfo info = client.probe();
            RegistryCredentials credentials = client.getConfig().getCredentials();
            out("MLflow " + info.version() + " at " + info.baseUrl() + ": healthy; "
                    + identity(info, credentials));
            return ExitCode.PASSED;
        }
    }

    private static String identity(ServerInfo info, RegistryCredentials credentials) {
        if (info.authenticatedUser() != null) {
            return "authenticated as " + info.authenticatedUser() + " (" + credentials.describe() + ")";
        }
        if (credentials.getKind() == RegistryCredentials.Kind.NONE) {
            return "anonymous (no credentials sent; the server does not require them)";
        }
        return "credentials accepted (" + credentials.describe() + "); the server does not report an identity";
    }
}
