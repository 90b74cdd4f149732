package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * {@link PrometheusMetricSource} against a real Prometheus (/usr/bin/prometheus, private storage,
 * 127.0.0.1 and a free port) scraping, every second, a tiny exporter whose counters this test
 * controls: at each scrape the canary serves 9 good answers and 1 error, the stable version 10 good
 * answers. Counters that grow in proportion give an error ratio of exactly 0.1 whatever the scrape
 * timing; once frozen, their sums equal what the exporter served.
 */
public class PrometheusMetricSourceIT {
    private static final String PROMETHEUS = System.getProperty("mlstages.prometheus", "/usr/bin/prometheus");
    private static final String CANARY_ERROR_RATIO = "sum(rate(http_requests_total{version=\"canary\",code=\"500\"}[5s]))"
            + " / sum(rate(http_requests_total{version=\"canary\"}[5s]))";

    private static HttpServer exporter;
    private static Process prometheus;
    private static Path dir;
    private static String url;
    private static PrometheusMetricSource source;
    private static Instant started;

    // what the exporter has served, one step per scrape
    private static long steps;
    private static long scrapes;
    private static volatile boolean frozen;

    @BeforeClass
    public static void startPrometheus() throws Exception {
        if (!Files.isExecutable(Path.of(PROMETHEUS))) {
            fail("Prometheus is needed for this test and was not found at " + PROMETHEUS
                    + " (Debian: apt-get install prometheus, or set -Dmlstages.prometheus=PATH)");
        }
        started = Instant.now();
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();

        dir = Files.createTempDirectory("mlstages-prometheus-");
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "scrape_configs:",
                "  - job_name: model",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + exporter.getAddress().getPort() + "']",
                ""));
        prometheus = new ProcessBuilder(PROMETHEUS, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        url = "http://127.0.0.1:" + port;
        waitFor("Prometheus ready at " + url, Duration.ofSeconds(60), () -> ready(url + "/-/ready"));
        source = new PrometheusMetricSource(url, Optional.empty(), Duration.ofSeconds(5));
        waitFor("six scrapes", Duration.ofSeconds(60), () -> value("sum(http_requests_total{version=\"canary\"})") >= 60);
    }

    @AfterClass
    public static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.descendants().forEach(ProcessHandle::destroyForcibly);
            prometheus.destroyForcibly();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
        if (exporter != null) {
            exporter.stop(0);
        }
    }

    private static synchronized String scrape() {
        scrapes++;
        if (!frozen) {
            steps++;
        }
        return "# TYPE http_requests_total counter\n"
                + "http_requests_total{version=\"canary\",code=\"200\"} " + 9 * steps + "\n"
                + "http_requests_total{version=\"canary\",code=\"500\"} " + steps + "\n"
                + "http_requests_total{version=\"stable\",code=\"200\"} " + 10 * steps + "\n"
                + "# TYPE model_latency_p95_seconds gauge\n"
                + "model_latency_p95_seconds{version=\"canary\"} 0.25\n"
                + "model_latency_p95_seconds{version=\"stable\"} 0.125\n";
    }

    private static synchronized long scrapes() {
        return scrapes;
    }

    private static double value(String query) {
        OptionalDouble value = source.query(query, Instant.now());
        return value.isPresent() ? value.getAsDouble() : -1;
    }

    @Test
    public void ratioOfRatesIsExact() {
        OptionalDouble ratio = source.query(CANARY_ERROR_RATIO, Instant.now());
        assertTrue(ratio.isPresent());
        assertEquals(0.1, ratio.getAsDouble(), 1e-12);
    }

    @Test
    public void rateIsTenPerScrape() {
        // 10 requests per scrape, one scrape a second: about 10/s
        double rate = value("sum(rate(http_requests_total{version=\"stable\"}[5s]))");
        System.out.println("[prometheus] measured rate of the stable version: " + rate + " requests/s");
        assertTrue("rate " + rate, rate > 6 && rate < 14);
    }

    @Test
    public void gaugeAndScalar() {
        assertEquals(0.25, value("model_latency_p95_seconds{version=\"canary\"}"), 0);
        assertEquals(0.25 / 0.125, value("scalar(model_latency_p95_seconds{version=\"canary\"})"
                + " / scalar(model_latency_p95_seconds{version=\"stable\"})"), 0);
        assertEquals(2, value("1 + 1"), 0);
    }

    @Test
    public void noDataIsEmpty() {
        assertFalse(source.query("sum(http_requests_total{version=\"nonexistent\"})", Instant.now()).isPresent());
        assertFalse("NaN is no data", source.query("0 / 0", Instant.now()).isPresent());
        // evaluated at a time before the first scrape: nothing there yet
        assertFalse(source.query("sum(http_requests_total)", started.minus(Duration.ofHours(1))).isPresent());
    }

    @Test
    public void moreThanOneSeriesIsAnError() {
        try {
            source.query("http_requests_total", Instant.now());
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("prometheus query 'http_requests_total' returned 3 series"));
        }
    }

    @Test
    public void badPromqlIsAnError() {
        try {
            source.query("rate(http_requests_total[5s]", Instant.now());
            fail();
        } catch (DeployException e) {
            System.out.println("[prometheus] " + e.getMessage());
            assertTrue(e.getMessage(), e.getMessage().matches(
                    "prometheus refused the query 'rate\\(http_requests_total\\[5s]': HTTP 400 \\(application/json, \\d+ bytes\\): bad_data: .+"));
        }
    }

    @Test
    public void frozenCountersGiveTheirSumsAndNoTrafficIsNoData() throws Exception {
        long servedSteps;
        synchronized (PrometheusMetricSourceIT.class) {
            frozen = true;
            servedSteps = steps;
        }
        long after = scrapes();
        waitFor("two scrapes of the frozen counters", Duration.ofSeconds(30), () -> scrapes() >= after + 2);
        Thread.sleep(300);
        try {
            assertEquals(10.0 * servedSteps, value("sum(http_requests_total{version=\"canary\"})"), 0);
            assertEquals(servedSteps, value("sum(http_requests_total{code=\"500\"})"), 0);
            // no request for longer than the window: zero errors over zero requests is no data
            Thread.sleep(6000);
            assertFalse(source.query(CANARY_ERROR_RATIO, Instant.now()).isPresent());
            assertEquals(0, value("sum(rate(http_requests_total{version=\"canary\"}[5s]))"), 0);
        } finally {
            frozen = false;
            // traffic again over a whole window for the tests that follow
            long thawed = scrapes();
            waitFor("traffic over a whole window", Duration.ofSeconds(30), () -> scrapes() >= thawed + 7);
        }
    }

    private static boolean ready(String readyUrl) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(readyUrl).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (prometheus != null && !prometheus.isAlive()) {
                fail("prometheus exited with " + prometheus.exitValue() + ": " + Files.readString(dir.resolve("prometheus.log")));
            }
            if (Instant.now().isAfter(deadline)) {
                fail("no " + what + " within " + limit.toSeconds() + " s; prometheus log: "
                        + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
