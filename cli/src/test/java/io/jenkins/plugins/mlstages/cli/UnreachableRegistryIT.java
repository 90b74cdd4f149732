package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A registry that refuses connections, as a new user meets it: {@code bin/mlstages} says each retry
 * on stderr, with its reason and the budget left, and stops when {@code --retry-for} is spent.
 */
public class UnreachableRegistryIT {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** Exit code, stdout, stderr lines, and how long the process ran. */
    private record Outcome(int exit, String out, List<String> err, Duration took) {
    }

    private static Outcome mlstages(String... args) throws Exception {
        Path launcher = Path.of(System.getProperty("mlstages.root", "..")).resolve("bin/mlstages");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(key -> key.startsWith("MLFLOW_"));
        builder.environment().put("CI", "true");
        long started = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("mlstages did not finish", process.waitFor(120, TimeUnit.SECONDS));
        return new Outcome(process.exitValue(), out.strip(), err.strip().lines().toList(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String refusingUrl() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    public void gateSaysEachRetryAndStopsWhenTheBudgetIsSpent() throws Exception {
        Path metrics = folder.newFile("metrics.json").toPath();
        Files.writeString(metrics, "{\"schema\": \"ml-stages/v1\", \"stage\": \"evaluate\", \"status\": \"PASSED\","
                + " \"metrics\": {\"roc_auc\": 0.9}}");
        String url = refusingUrl();
        Outcome outcome = mlstages("gate", "--metrics", metrics.toString(), "--model", "m",
                "--rule", "roc_auc >= champion.roc_auc", "--registry-url", url, "--retry-for", "3s");
        assertEquals(String.join("\n", outcome.err()), 3, outcome.exit());
        List<String> err = outcome.err();
        assertTrue(String.join("\n", err), err.size() >= 3);
        String failure = " failed: no answer from " + url + " (connection refused)";
        for (int i = 0; i < err.size() - 1; i++) {
            String line = err.get(i);
            assertTrue(line, line.contains(failure + "; retrying in "));
            assertTrue(line, line.contains("(attempt " + (i + 2) + "; "));
            assertTrue(line, line.endsWith(" of the 3 s retry budget left then)"));
        }
        String last = err.get(err.size() - 1);
        assertTrue(last, last.startsWith("mlstages: "));
        assertTrue(last, last.contains(failure + " (gave up after " + err.size() + " attempts in "));
        assertTrue(last, last.endsWith("; retry budget 3 s)"));
        // the budget is used in full and respected; the upper bound is generous (JVM start-up on a busy machine)
        assertTrue(outcome.took().toString(), outcome.took().compareTo(Duration.ofSeconds(3)) >= 0);
        assertTrue(outcome.took().toString(), outcome.took().compareTo(Duration.ofSeconds(60)) < 0);
    }

    @Test
    public void aZeroBudgetTriesOnceAndSaysSoInOneLine() throws Exception {
        String url = refusingUrl();
        Outcome outcome = mlstages("lineage", "--model", "m", "--version", "1", "--registry-url", url,
                "--retry-for", "0");
        assertEquals(3, outcome.exit());
        assertEquals(1, outcome.err().size());
        assertTrue(outcome.err().get(0), outcome.err().get(0).endsWith(
                " failed: no answer from " + url + " (connection refused) (not retried: the 0 s retry budget was spent)"));
        assertEquals("", outcome.out());
    }
}
