package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Against {@code mlflow server --app-name basic-auth}: who we are, and refusals that hide the secret. */
public class BasicAuthIT {
    private static MlflowServer server;

    @BeforeClass
    public static void start() {
        server = MlflowServer.startWithBasicAuth();
    }

    @AfterClass
    public static void stop() {
        server.close();
    }

    private static MlflowRegistry as(RegistryCredentials credentials) {
        return new MlflowRegistry(RegistryConfig.builder(server.url()).credentials(credentials)
                .retryPolicy(RetryPolicy.NONE).build());
    }

    @Test
    public void theAdminIsWhoTheServerSaysWeAre() {
        try (MlflowRegistry registry = as(RegistryCredentials.basic(MlflowServer.ADMIN_USER, MlflowServer.ADMIN_PASSWORD))) {
            ServerInfo info = registry.probe();
            assertEquals("admin", info.authenticatedUser());
            assertEquals(server.version(), info.version());
            String experimentId = registry.createExperiment("auth-" + System.nanoTime(), Map.of());
            assertFalse(experimentId.isEmpty());
        }
    }

    @Test
    public void aWrongPasswordIsUnauthorizedAndNotRepeated() {
        String password = "not-the-password-42";
        try (MlflowRegistry registry = as(RegistryCredentials.basic(MlflowServer.ADMIN_USER, password))) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, registry::probe);
            assertEquals(401, e.getHttpStatus());
            assertFalse(e.getMessage(), e.getMessage().contains(password));
            assertTrue(e.getMessage(), e.getMessage().contains("failed: HTTP 401"));
        }
    }

    @Test
    public void aBearerTokenIsNotAcceptedByTheBasicAuthApp() {
        try (MlflowRegistry registry = as(RegistryCredentials.bearer("token-xyz-123"))) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class,
                    () -> registry.findExperimentByName("Default"));
            assertFalse(e.getMessage().contains("token-xyz-123"));
        }
    }

    @Test
    public void anonymousReadsAreRefused() {
        try (MlflowRegistry registry = as(RegistryCredentials.none())) {
            assertThrows(UnauthorizedException.class, () -> registry.getRegisteredModel("anything"));
        }
    }
}
