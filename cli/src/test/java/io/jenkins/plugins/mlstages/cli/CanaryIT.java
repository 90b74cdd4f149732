package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.jenkins.plugins.mlstages.deploy.CanaryState;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.NewModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/**
 * {@code mlstages canary} end to end with a real MLflow server (aliases read back with MLflow's
 * client), a real Prometheus (/usr/bin/prometheus) scraping an exporter whose canary error ratio the
 * test sets, and the HTTP webhook router served by a small real HTTP server in this JVM. One canary
 * runs as a separate process that is killed with SIGKILL in the middle of a step and then resumed.
 */
public class CanaryIT {
    private static final String ERROR_RATIO = "max(model_error_ratio{version=\"canary\"})";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static HttpServer http;
    private static LocalPrometheus prometheus;
    private static String prometheusUrl;
    private static volatile double errorRatio = 0.001;
    private static volatile int weight;
    private static final List<Integer> applied = new CopyOnWriteArrayList<>();
    private static final List<String> authorization = new CopyOnWriteArrayList<>();

    private final MlflowServer server = MlflowServer.shared();
    private String model;

    @BeforeClass
    public static void startRouterAndPrometheus() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // The exporter Prometheus scrapes: the canary's error ratio as the test sets it.
        http.createContext("/metrics", exchange -> answer(exchange, 200,
                "# TYPE model_error_ratio gauge\nmodel_error_ratio{version=\"canary\"} " + errorRatio + "\n"));
        // The webhook router of docs/canary.md: PUT {"canary_weight": n} applies, GET reads.
        http.createContext("/weights", exchange -> {
            authorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if ("PUT".equals(exchange.getRequestMethod())) {
                JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
                weight = body.path("canary_weight").asInt();
                applied.add(weight);
            }
            answer(exchange, 200, "{\"canary_weight\": " + weight + "}");
        });
        http.start();

        prometheus = new LocalPrometheus("127.0.0.1:" + http.getAddress().getPort());
        prometheusUrl = prometheus.url;
        prometheus.awaitValue(ERROR_RATIO);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    @Before
    public void registerThreeVersions() {
        model = "canary-cli-" + UUID.randomUUID().toString().substring(0, 8);
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String runId = registry.createRun(registry.getOrCreateExperiment("canary-it").experimentId(), "train", Map.of()).runId();
            registry.createRegisteredModel(model, null, Map.of());
            for (int i = 0; i < 3; i++) {
                String version = registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model")).version();
                registry.awaitReady(model, version, Duration.ofSeconds(30), Duration.ofMillis(100));
            }
            registry.setAlias(model, "champion", "1");
        }
        weight = 0;
        applied.clear();
        errorRatio = 0.001;
    }

    private record Outcome(int exit, String out, String err) {
    }

    private String[] canary(Path state, String version, String interval, String... more) {
        List<String> args = new ArrayList<>(List.of("canary", "--state", state.toString(), "--model", model, "--version", version,
                "--steps", "10,50,100", "--interval", interval, "--analysis", "error_rate: " + ERROR_RATIO + " <= 0.01",
                "--failure-limit", "2", "--router", "http", "--router-url", "http://127.0.0.1:" + http.getAddress().getPort()
                        + "/weights", "--prometheus-url", prometheusUrl, "--registry-url", server.url()));
        for (int i = 0; i < more.length; i++) {
            int at = args.indexOf(more[i]);
            if (at >= 0 && i + 1 < more.length) {
                args.set(at + 1, more[++i]); // a value for an option given above replaces it
            } else {
                args.add(more[i]);
            }
        }
        return args.toArray(new String[0]);
    }

    private static Outcome mlstages(String... args) {
        return mlstages(Map.of(), args);
    }

    private static Outcome mlstages(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(exit, out.toString().strip(), err.toString().strip());
    }

    private Map<String, String> aliases() throws Exception {
        JsonNode versions = new ObjectMapper().readTree(server.runPython("model_versions.py", Map.of(), model));
        Map<String, String> aliases = new TreeMap<>();
        for (JsonNode version : versions) {
            for (JsonNode alias : version.path("aliases")) {
                aliases.put(alias.asText(), version.path("version").asText());
            }
        }
        return aliases;
    }

    @Test
    public void aHealthyCanaryIsPromotedStepByStep() throws Exception {
        Path state = folder.getRoot().toPath().resolve("state.json");
        Path report = folder.getRoot().toPath().resolve("canary.json");
        long started = System.nanoTime();
        String routerToken = "router-secret-" + UUID.randomUUID();
        String prometheusToken = "prometheus-secret-" + UUID.randomUUID();
        authorization.clear();
        Outcome outcome = mlstages(Map.of(CanaryCommand.ROUTER_TOKEN, routerToken, CanaryCommand.PROMETHEUS_TOKEN, prometheusToken),
                canary(state, "2", "2s", "--report", report.toString()));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(outcome.err(), 0, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("canary PROMOTED: " + model + "/2 (every step's analyses passed); "
                + "aliases {champion=2, previous=1}; report: "));
        assertEquals(List.of(10, 50, 100), applied);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases());
        assertTrue(outcome.err(), outcome.err().contains("canary: step 1/3 at 10 %: analysis PASS (error_rate 0.001 [<= 0.01] PASS); next step now (50 %)"));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("canary", json.path("stage").asText());
        assertEquals("PASSED", json.path("status").asText());
        assertEquals("PROMOTED", json.path("verdict").asText());
        assertEquals("1", json.path("stable_version").asText());
        assertEquals(0.001, json.path("timeline").get(2).path("analyses").get(0).path("value").asDouble(), 0);
        // The webhook got the token; no output, report or state file holds either secret.
        assertTrue(authorization.toString(), !authorization.isEmpty() && authorization.stream().allMatch(("Bearer " + routerToken)::equals));
        for (String text : List.of(outcome.out(), outcome.err(), Files.readString(report), Files.readString(state))) {
            assertTrue(!text.contains(routerToken) && !text.contains(prometheusToken));
        }
        System.out.printf("[canary] promoted in %.1f s wall time (2 analysed steps of 2 s)%n", seconds);
    }

    @Test
    public void aFailingCanaryIsRolledBackAtTheFailureLimit() throws Exception {
        errorRatio = 0.25;
        Path state = folder.getRoot().toPath().resolve("state.json");
        Outcome outcome = mlstages(canary(state, "2", "1s"));
        assertEquals(outcome.err(), 1, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("canary ROLLED_BACK: " + model + "/2 (2 failed analyses (failure limit 2): "
                + "error_rate 0.25 [<= 0.01] FAIL); aliases {champion=1}"));
        assertEquals(List.of(10, 0), applied);
        assertEquals(Map.of("champion", "1"), aliases());
    }

    @Test
    public void aCanaryKilledMidStepIsResumedAndAnotherIsAborted() throws Exception {
        Path state = folder.getRoot().toPath().resolve("state.json");
        ObjectMapper json = new ObjectMapper();
        try (CliProcess killed = CliProcess.start(canary(state, "2", "4s"))) {
            LocalPrometheus.waitFor("the canary at 50 % (log: " + killed.log() + ")", Duration.ofSeconds(60), () -> {
                try {
                    JsonNode saved = json.readTree(state.toFile());
                    return saved.path("router").path("weight").asInt() == 50 && saved.path("router").path("confirmed").asBoolean();
                } catch (IOException notYet) {
                    return false;
                }
            });
            killed.kill();
        }
        assertEquals("PROGRESSING", json.readTree(state.toFile()).path("phase").asText());
        assertEquals(50, weight);

        Outcome resumed = mlstages("canary", "--state", state.toString(), "--resume", "--router", "http", "--router-url",
                "http://127.0.0.1:" + http.getAddress().getPort() + "/weights", "--prometheus-url", prometheusUrl,
                "--registry-url", server.url());
        assertEquals(resumed.err(), 0, resumed.exit());
        assertTrue(resumed.err(), resumed.err().contains("canary: resuming " + model + " version 2 in phase PROGRESSING at step 2; applying 50 % again"));
        assertEquals(100, weight);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases());

        // The next version: killed at 10 %, then aborted (no Prometheus needed to roll back).
        applied.clear();
        Path next = folder.getRoot().toPath().resolve("next.json");
        try (CliProcess second = CliProcess.start(canary(next, "3", "30s"))) {
            LocalPrometheus.waitFor("the canary at 10 % (log: " + second.log() + ")", Duration.ofSeconds(60), () -> weight == 10);
            second.kill();
        }
        Outcome aborted = mlstages("canary", "--state", next.toString(), "--abort", "--router", "http", "--router-url",
                "http://127.0.0.1:" + http.getAddress().getPort() + "/weights", "--registry-url", server.url());
        assertEquals(aborted.err(), 1, aborted.exit());
        assertTrue(aborted.out(), aborted.out().startsWith("canary ABORTED: " + model + "/3"));
        assertEquals(0, weight);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases());
    }

    /**
     * Killed with SIGKILL at random moments of a canary that runs on: each time only after the process
     * has applied its weight (so the kill hits the canary, not the JVM's start), then resumed. The step
     * clock goes on while no process runs, so the steps are long enough for several kills mid-rollout.
     */
    @Test
    public void killedAgainAndAgainAtRandomMomentsItStillEndsRight() throws Exception {
        Path state = folder.getRoot().toPath().resolve("state.json");
        String[] start = canary(state, "2", "4s", "--steps", "10,25,50,100");
        String[] resume = {"canary", "--state", state.toString(), "--resume", "--router", "http", "--router-url",
            "http://127.0.0.1:" + http.getAddress().getPort() + "/weights", "--prometheus-url", prometheusUrl,
            "--registry-url", server.url()};
        Random random = new Random(42);
        CanaryStateStore store = new CanaryStateStore(state);
        List<String> killedAt = new ArrayList<>();
        int midRollout = 0;
        for (int kill = 0; kill < 8; kill++) {
            int eventsBefore = Files.exists(state) ? store.load().timeline().size() : 0;
            try (CliProcess cli = CliProcess.start(Files.exists(state) ? resume : start)) {
                // this process has written the state and confirmed its weight: the canary runs
                LocalPrometheus.waitFor("the canary's weight confirmed (log: " + cli.log() + ")", Duration.ofSeconds(60), () -> {
                    CanaryState saved = loadIfWritten(store);
                    assertTrue("the canary exited by itself; log: " + cli.log(), cli.isAlive() || saved != null && saved.isDone());
                    return saved != null && saved.timeline().size() > eventsBefore
                            && (saved.router().confirmed() || saved.isDone());
                });
                Thread.sleep(random.nextInt(2000));
                cli.kill();
            }
            CanaryState saved = store.load(); // whole, whenever the kill came
            killedAt.add(saved.phase() + "@" + saved.router().weight() + (saved.router().confirmed() ? "" : "?"));
            if (saved.isDone()) {
                break;
            }
            midRollout++;
        }
        assertTrue("killed mid-rollout only " + midRollout + " times: " + killedAt, midRollout >= 3);
        Outcome end = mlstages(resume);
        assertEquals(end.err(), 0, end.exit());
        assertTrue(end.out(), end.out().startsWith("canary PROMOTED: " + model + "/2"));
        assertEquals(100, weight);
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases());
        System.out.println("[canary] killed with SIGKILL at " + killedAt + " (" + midRollout + " mid-rollout), then resumed: PROMOTED");
    }

    /** The state file, or null before the first save (every save replaces the file whole). */
    private static CanaryState loadIfWritten(CanaryStateStore store) {
        try {
            return store.exists() ? store.load() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
