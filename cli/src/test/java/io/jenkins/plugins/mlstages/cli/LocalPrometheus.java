package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A real Prometheus (/usr/bin/prometheus) in a private directory on 127.0.0.1, scraping one target every second. */
final class LocalPrometheus implements AutoCloseable {
    static final String BINARY = System.getProperty("mlstages.prometheus", "/usr/bin/prometheus");

    final String url;
    final Path dir;
    private final Process process;

    LocalPrometheus(String target) throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail("Prometheus is needed for this test and was not found at " + BINARY
                    + " (Debian: apt-get install prometheus, or set -Dmlstages.prometheus=PATH)");
        }
        dir = Files.createTempDirectory("mlstages-prometheus-");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n", "global:", "  scrape_interval: 1s", "  scrape_timeout: 1s",
                "scrape_configs:", "  - job_name: model", "    static_configs:", "      - targets: ['" + target + "']", ""));
        int port = freePort();
        process = new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        url = "http://127.0.0.1:" + port;
    }

    /** Waits until the query returns a value (Prometheus is up and has scraped the target). */
    void awaitValue(String query) throws InterruptedException {
        waitFor("Prometheus to answer " + query + " (log: " + dir.resolve("prometheus.log") + ")", Duration.ofSeconds(60), () -> {
            String answer = get(url + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
            return answer != null && answer.contains("\"value\"") && !answer.contains("\"NaN\"");
        });
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    static String get(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            if (connection.getResponseCode() != 200) {
                return null;
            }
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException notYet) {
            return null;
        }
    }

    static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
