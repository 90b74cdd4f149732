package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.jenkins.plugins.mlstages.deploy.NginxRouter;
import io.jenkins.plugins.mlstages.deploy.NginxRouterConfig;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.NewModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/**
 * {@code mlstages blue-green} with real parts: users' requests through a real nginx whose upstream file the router
 * owns, to two model-server stand-ins speaking MLflow's scoring protocol (blue and green, counting their answers for a
 * real Prometheus), the window's error ratio from that Prometheus, the aliases in a real MLflow server. A green that
 * answers the smoke requests wrongly is never switched to; a green that passes them but fails users' traffic is
 * switched to and switched back at the first window analysis; a good green is promoted.
 */
public class BlueGreenNginxIT {
    private static final String ERROR_RATIO = "sum(rate(model_requests_total{version=\"green\",code=\"500\"}[3s]))"
            + " / sum(rate(model_requests_total{version=\"green\"}[3s]))";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static ModelServer blue;
    private static ModelServer green;
    private static HttpServer exporter;
    private static LocalNginx nginx;
    private static LocalPrometheus prometheus;
    private static Thread load;
    private static volatile boolean loading = true;

    private final MlflowServer server = MlflowServer.shared();
    private String model;
    private Path smoke;

    /**
     * Answers {@code {"predictions": ["legit"]}} (or another label), or 500 to users' requests (those without the
     * {@code smoke_case} feature) while {@code failingLive}; counts its answers by status code.
     */
    static final class ModelServer implements AutoCloseable {
        final String name;
        final HttpServer http;
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile String label = "legit";
        volatile boolean failingLive;

        ModelServer(String name) throws IOException {
            this.name = name;
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.createContext("/", exchange -> {
                String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean fail = failingLive && !request.contains("smoke_case");
                (fail ? errors : ok).incrementAndGet();
                byte[] body = (fail ? "{\"error_code\": \"INTERNAL_ERROR\"}" : "{\"predictions\": [\"" + label + "\"]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
        }

        String address() {
            return "127.0.0.1:" + http.getAddress().getPort();
        }

        String url() {
            return "http://" + address();
        }

        long served() {
            return ok.get() + errors.get();
        }

        String metrics() {
            return "model_requests_total{version=\"" + name + "\",code=\"200\"} " + ok.get() + "\n"
                    + "model_requests_total{version=\"" + name + "\",code=\"500\"} " + errors.get() + "\n";
        }

        @Override
        public void close() {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
    }

    @BeforeClass
    public static void startTheStack() throws Exception {
        blue = new ModelServer("blue");
        green = new ModelServer("green");
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE model_requests_total counter\n" + blue.metrics() + green.metrics()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        nginx = new LocalNginx(blue.address());
        prometheus = new LocalPrometheus("127.0.0.1:" + exporter.getAddress().getPort());
        // About 50 requests a second through nginx, each on a fresh connection.
        load = new Thread(() -> {
            while (loading) {
                try {
                    nginx.request();
                    Thread.sleep(20);
                } catch (IOException | InterruptedException e) {
                    // during a reload a request may fail: the next one goes on
                }
            }
        }, "load-generator");
        load.setDaemon(true);
        load.start();
        prometheus.awaitValue("sum(rate(model_requests_total{version=\"blue\"}[3s]))");
    }

    @AfterClass
    public static void stopTheStack() throws Exception {
        loading = false;
        if (load != null) {
            load.join(5000);
        }
        for (AutoCloseable closeable : new AutoCloseable[] {prometheus, nginx, blue, green}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (exporter != null) {
            exporter.stop(0);
        }
    }

    @Before
    public void allTrafficOnBlueAndTwoVersions() throws Exception {
        green.label = "legit";
        green.failingLive = false;
        new NginxRouter(NginxRouterConfig.of(nginx.upstreamFile, "model", blue.address(), green.address())
                .withNginx(LocalNginx.BINARY, nginx.prefix, nginx.mainConfig)).setCanaryWeight(0);
        model = "blue-green-" + UUID.randomUUID().toString().substring(0, 8);
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String runId = registry.createRun(registry.getOrCreateExperiment("blue-green-it").experimentId(), "train", Map.of()).runId();
            registry.createRegisteredModel(model, null, Map.of());
            for (int i = 0; i < 2; i++) {
                String version = registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model")).version();
                registry.awaitReady(model, version, Duration.ofSeconds(30), Duration.ofMillis(100));
            }
            registry.setAlias(model, "champion", "1");
        }
        smoke = folder.newFile("smoke.jsonl").toPath();
        Files.writeString(smoke, "{\"request\": {\"amount\": 12.5, \"smoke_case\": 1}, \"expected\": \"legit\"}\n"
                + "{\"request\": {\"amount\": 80, \"smoke_case\": 2}, \"expected\": \"legit\"}\n");
    }

    private String[] blueGreen(Path state, Path report) {
        return new String[] {"blue-green", "--state", state.toString(), "--model", model, "--version", "2",
            "--smoke", smoke.toString(), "--window", "6s", "--analyses", "2",
            "--analysis", "error_rate: " + ERROR_RATIO + " <= 0.05",
            "--probe-canary-url", green.url(),
            "--router", "nginx", "--nginx-config", nginx.upstreamFile.toString(), "--nginx-upstream", "model",
            "--stable-server", blue.address(), "--canary-server", green.address(),
            "--nginx-test-command", nginx.testCommand(), "--nginx-reload-command", nginx.reloadCommand(),
            "--prometheus-url", prometheus.url, "--registry-url", server.url(), "--report", report.toString()};
    }

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome mlstages(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(exit, out.toString().strip(), err.toString().strip());
    }

    private String champion() throws Exception {
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            return registry.findVersionByAlias(model, "champion").orElseThrow().version();
        }
    }

    /** Requests through nginx now, and what each version served meanwhile (the load generator's requests too). */
    /** Requests through nginx once it routes to {@code onBlue}'s side; what blue and green served of them. */
    private static long[] servedAfter(int requests, boolean onBlue) throws IOException, InterruptedException {
        // after a reload nginx's old workers may still pass a request or two by the old file: wait until it routes by
        // the new one (one request reaching the expected side) before counting
        ModelServer expected = onBlue ? blue : green;
        LocalPrometheus.waitFor("nginx to route to " + (onBlue ? "blue" : "green"), Duration.ofSeconds(10), () -> {
            long before = expected.served();
            try {
                nginx.request();
            } catch (IOException reloading) {
                return false;
            }
            return expected.served() > before;
        });
        Thread.sleep(500);
        long blueBefore = blue.served();
        long greenBefore = green.served();
        for (int i = 0; i < requests; i++) {
            nginx.request();
        }
        return new long[] {blue.served() - blueBefore, green.served() - greenBefore};
    }

    private static List<String> events(Path report) throws IOException {
        List<String> events = new ArrayList<>();
        new ObjectMapper().readTree(report.toFile()).path("timeline").forEach(e -> events.add(e.path("event").asText()));
        return events;
    }

    @Test
    public void aGreenThatFailsTheSmokeChecksNeverGetsTraffic() throws Exception {
        green.label = "fraud";
        long greenBefore = green.served();
        Path report = folder.getRoot().toPath().resolve("smoke-fails.json");
        Outcome outcome = mlstages(blueGreen(folder.getRoot().toPath().resolve("state.json"), report));
        assertEquals(outcome.err(), 1, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("blue-green ROLLED_BACK: " + model + "/2 (smoke checks failed: smoke line 1"));
        assertEquals("only the two smoke requests reached green", 2, green.served() - greenBefore);
        assertEquals("1", champion());
        assertEquals(List.of("started", "smoke", "rolling_back", "weight", "rolled_back"), events(report));
        long[] served = servedAfter(10, true);
        assertTrue(served[0] >= 10);
        assertEquals(0, served[1]);
    }

    @Test
    public void aGreenThatFailsUsersInTheWindowIsSwitchedBackAtOnce() throws Exception {
        green.failingLive = true;
        Path report = folder.getRoot().toPath().resolve("window-fails.json");
        Outcome outcome = mlstages(blueGreen(folder.getRoot().toPath().resolve("state.json"), report));
        assertEquals(outcome.err(), 1, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("blue-green ROLLED_BACK: " + model + "/2 (1 failed analysis (failure limit 1): error_rate"));
        assertTrue("users' requests reached green: " + green.errors.get(), green.errors.get() > 10);
        assertEquals("1", champion());
        assertEquals(List.of("started", "smoke", "switching", "weight", "analysis", "rolling_back", "weight", "rolled_back"),
                events(report));
        // switched back at the first analysis, half-way through the 6 s window, not at its end
        JsonNode timeline = new ObjectMapper().readTree(report.toFile()).path("timeline");
        Duration onGreen = Duration.between(java.time.Instant.parse(timeline.get(3).path("time").asText()),
                java.time.Instant.parse(timeline.get(5).path("time").asText()));
        assertTrue("on green for " + onGreen, onGreen.compareTo(Duration.ofSeconds(6)) < 0);
        long[] served = servedAfter(10, true);
        assertTrue(served[0] >= 10);
        assertEquals(0, served[1]);
        System.out.printf("[blue-green] failing green: all traffic on it for %.1f s, then switched back%n", onGreen.toMillis() / 1000.0);
        // the report page: the smoke results per request, the switch and the switch back on the canary's chart and timeline
        Path page = folder.getRoot().toPath().resolve("window-fails.html");
        Outcome written = mlstages("report", "--in", report.toString(), "--html", page.toString());
        assertEquals(written.err(), 0, written.exit());
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.open(page);
            assertEquals(2, browser.all("[data-table='blue-green-smoke'] tbody tr[data-verdict='PASS']").size());
            assertTrue(HeadlessChromium.text(browser.one("[data-table='blue-green-smoke']")).contains("legit"));
            assertEquals(timeline.size(), browser.all("[data-table='blue-green-timeline'] tbody tr").size());
            assertEquals(timeline.size(), browser.all("[data-section='blue-green'] .mlr-canary .mlr-mark").size());
            assertTrue(HeadlessChromium.text(browser.one("[data-section='blue-green']")).contains("ROLLED_BACK"));
            assertEquals(List.of(), browser.severe());
            String screenshot = System.getProperty("mlstages.bluegreen.screenshot");
            if (screenshot != null) {
                Files.write(Path.of(screenshot), browser.fullPage());
            }
        }
    }

    @Test
    public void aGoodGreenTakesAllTrafficAndIsPromoted() throws Exception {
        Path report = folder.getRoot().toPath().resolve("good.json");
        Outcome outcome = mlstages(blueGreen(folder.getRoot().toPath().resolve("state.json"), report));
        assertEquals(outcome.err(), 0, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("blue-green PROMOTED: " + model + "/2"));
        assertEquals("2", champion());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("blue-green", json.path("stage").asText());
        assertEquals(List.of("started", "smoke", "switching", "weight", "analysis", "analysis", "promoting", "promoted"),
                events(report));
        long[] served = servedAfter(10, false);
        assertEquals(0, served[0]);
        assertTrue(served[1] >= 10);
    }

    @Test
    public void killedInTheWindowAndResumedItEndsPromotedWithAllTrafficOnGreen() throws Exception {
        Path state = folder.getRoot().toPath().resolve("state.json");
        Path report = folder.getRoot().toPath().resolve("killed.json");
        ObjectMapper json = new ObjectMapper();
        try (CliProcess killed = CliProcess.start(blueGreen(state, report))) {
            LocalPrometheus.waitFor("green at 100 % (log: " + killed.log() + ")", Duration.ofSeconds(60), () -> {
                try {
                    JsonNode saved = json.readTree(state.toFile());
                    return saved.path("router").path("weight").asInt() == 100 && saved.path("router").path("confirmed").asBoolean();
                } catch (IOException notYet) {
                    return false;
                }
            });
            Thread.sleep(1000); // in the window: after the switch, before its analyses
            killed.kill();
        }
        assertEquals("PROGRESSING", json.readTree(state.toFile()).path("phase").asText());
        long[] meanwhile = servedAfter(5, false);
        assertEquals("a killed driver leaves green serving, as the state file says", 0, meanwhile[0]);

        String[] resume = {"blue-green", "--state", state.toString(), "--resume", "--router", "nginx", "--nginx-config",
            nginx.upstreamFile.toString(), "--nginx-upstream", "model", "--stable-server", blue.address(), "--canary-server",
            green.address(), "--nginx-test-command", nginx.testCommand(), "--nginx-reload-command", nginx.reloadCommand(),
            "--prometheus-url", prometheus.url, "--registry-url", server.url(), "--report", report.toString()};
        Outcome resumed = mlstages(resume);
        assertEquals(resumed.err(), 0, resumed.exit());
        assertTrue(resumed.out(), resumed.out().startsWith("blue-green PROMOTED: " + model + "/2"));
        assertEquals("2", champion());
        assertTrue(events(report).contains("resumed"));
        long[] served = servedAfter(10, false);
        assertEquals(0, served[0]);
        assertTrue(served[1] >= 10);
    }
}
