package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** The command line in-process: exit codes and single-line errors of the CLI contract. */
public class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String errLines() {
        return err.toString().strip();
    }

    @Test
    public void versionAndHelpExitZero() {
        assertEquals(0, run(Map.of(), "--version"));
        assertTrue(out.toString(), out.toString().startsWith("mlstages "));
        assertEquals(0, run(Map.of(), "--help"));
        assertTrue(out.toString(), out.toString().contains("registry"));
        assertTrue(out.toString(), out.toString().contains("3   registry or infrastructure error"));
    }

    @Test
    public void badUsageIsOneLineAndExitTwo() {
        assertEquals(2, run(Map.of(), "registry", "check", "--no-such-option"));
        assertEquals("mlstages: Unknown option: '--no-such-option' (see 'mlstages registry check --help')", errLines());
    }

    @Test
    public void aMissingUrlNamesTheOptionAndTheVariable() {
        assertEquals(2, run(Map.of(), "registry", "check"));
        assertEquals("mlstages: no registry URL: pass --registry-url or set MLFLOW_TRACKING_URI", errLines());
    }

    @Test
    public void aMissingSubcommandIsUsage() {
        assertEquals(2, run(Map.of(), "registry"));
        assertTrue(errLines(), errLines().contains("missing command"));
    }

    @Test
    public void anUnreachableRegistryIsExitThreeInOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals(3, run(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + port), "registry", "check",
                "--retry-for", "0"));
        assertFalse(errLines(), errLines().contains("\n"));
        assertTrue(errLines(), errLines().contains("connection refused"));
        assertTrue(errLines(), errLines().startsWith("mlstages: check health of http://127.0.0.1:" + port));
        assertTrue(errLines(), errLines().endsWith("(not retried: the 0 s retry budget was spent)"));
    }

    @Test
    public void anUnreachableRegistryIsRetriedAloudWithinTheBudget() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        long started = System.nanoTime();
        assertEquals(3, run(Map.of("MLFLOW_TRACKING_URI", url), "registry", "check", "--retry-for", "2s"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String[] lines = errLines().split("\n");
        assertTrue(errLines(), lines.length >= 2);
        for (int i = 0; i < lines.length - 1; i++) {
            assertTrue(lines[i], lines[i].startsWith("check health of " + url + " failed: no answer from " + url
                    + " (connection refused); retrying in "));
            assertTrue(lines[i], lines[i].endsWith(" of the 2 s retry budget left then)"));
            assertTrue(lines[i], lines[i].contains("(attempt " + (i + 2) + "; "));
        }
        String last = lines[lines.length - 1];
        assertTrue(last, last.startsWith("mlstages: check health of " + url + " failed: no answer from " + url
                + " (connection refused) (gave up after " + lines.length + " attempts in "));
        assertTrue(last, last.endsWith("; retry budget 2 s)"));
        // the waits add up to the budget; the upper bound only catches a budget ignored (10 s is the default)
        assertTrue(took.toString(), took.compareTo(Duration.ofSeconds(2)) >= 0);
        assertTrue(took.toString(), took.compareTo(Duration.ofSeconds(9)) < 0);
        assertEquals("", out.toString());
    }

    @Test
    public void aBadRetryBudgetNamesTheOption() {
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:1");
        assertEquals(2, run(env, "registry", "check", "--retry-for", "soon"));
        assertEquals("mlstages: --retry-for: 'soon' is not a duration: use e.g. 30s, 5m, 1m30s, 500ms or PT30S",
                errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run(env, "registry", "check", "--retry-for", "25h"));
        assertEquals("mlstages: --retry-for must be at most 24h, was '25h'", errLines());
        err.getBuffer().setLength(0);
        assertEquals(2, run(env, "registry", "check", "--retry-for", "PT-5S"));
        assertEquals("mlstages: --retry-for must not be negative, was 'PT-5S'", errLines());
    }

    @Test
    public void refusedCredentialsAreExitThreeAndNeverPrinted() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().body("OK").build());
            server.enqueue(new MockResponse.Builder().body("3.17.2").build());
            server.enqueue(new MockResponse.Builder().code(401).setHeader("WWW-Authenticate", "Basic realm=\"mlflow\"")
                    .body("You are not authenticated.").build());
            server.start();
            Map<String, String> env = new HashMap<>();
            env.put("MLFLOW_TRACKING_URI", server.url("/").toString());
            env.put("MLFLOW_TRACKING_USERNAME", "alice");
            env.put("MLFLOW_TRACKING_PASSWORD", "hunter2-secret");
            assertEquals(3, run(env, "registry", "check"));
            assertTrue(errLines(), errLines().startsWith("mlstages: the registry refused the credentials: list experiments failed: HTTP 401"));
            assertFalse(errLines().contains("hunter2-secret"));
            assertFalse(out.toString().contains("hunter2-secret"));
        }
    }
}
