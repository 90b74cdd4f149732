package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.jenkins.plugins.mlstages.registry.MlflowServer;

/** {@code bin/mlstages registry check} as a user runs it: the launcher, the runnable jar, a real server. */
public class RegistryCheckIT {
    private static MlflowServer authServer;

    @BeforeClass
    public static void startAuthServer() {
        authServer = MlflowServer.startWithBasicAuth();
    }

    @AfterClass
    public static void stopAuthServer() {
        authServer.close();
    }

    /** Exit code, stdout, stderr. */
    record Outcome(int exit, String out, String err) {
    }

    private static Outcome mlstages(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("mlstages.root", "..")).resolve("bin/mlstages");
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(launcher.toString());
        builder.command().addAll(java.util.List.of(args));
        builder.environment().keySet().removeIf(key -> key.startsWith("MLFLOW_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("mlstages did not finish", process.waitFor(60, TimeUnit.SECONDS));
        return new Outcome(process.exitValue(), out.strip(), err.strip());
    }

    @Test
    public void checksARealServer() throws Exception {
        MlflowServer server = MlflowServer.shared();
        Outcome outcome = mlstages(Map.of("MLFLOW_TRACKING_URI", server.url()), "registry", "check");
        assertEquals(outcome.err(), 0, outcome.exit());
        assertEquals("MLflow " + server.version() + " at " + server.url()
                + ": healthy; anonymous (no credentials sent; the server does not require them)", outcome.out());
    }

    @Test
    public void reportsWhoWeAreAuthenticatedAs() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("MLFLOW_TRACKING_URI", authServer.url());
        env.put("MLFLOW_TRACKING_USERNAME", MlflowServer.ADMIN_USER);
        env.put("MLFLOW_TRACKING_PASSWORD", MlflowServer.ADMIN_PASSWORD);
        Outcome outcome = mlstages(env, "registry", "check");
        assertEquals(outcome.err(), 0, outcome.exit());
        assertTrue(outcome.out(), outcome.out().endsWith("healthy; authenticated as admin (basic auth as admin)"));
    }

    @Test
    public void wrongCredentialsAreExitThreeInOneLineWithoutTheSecret() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("MLFLOW_TRACKING_URI", authServer.url());
        env.put("MLFLOW_TRACKING_USERNAME", MlflowServer.ADMIN_USER);
        env.put("MLFLOW_TRACKING_PASSWORD", "wrong-password-123");
        Outcome outcome = mlstages(env, "registry", "check");
        assertEquals(3, outcome.exit());
        assertFalse(outcome.err(), outcome.err().contains("\n"));
        assertTrue(outcome.err(), outcome.err().startsWith("mlstages: the registry refused the credentials:"));
        assertFalse(outcome.err().contains("wrong-password-123"));
        assertEquals("", outcome.out());
    }

    @Test
    public void noCredentialsOnAnAuthServerAreRefused() throws Exception {
        Outcome outcome = mlstages(Map.of("MLFLOW_TRACKING_URI", authServer.url()), "registry", "check");
        assertEquals(3, outcome.exit());
        assertTrue(outcome.err(), outcome.err().contains("HTTP 401"));
    }
}
