package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
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
 * Behaviour checks with real parts: three versions of the example fraud model served by
 * {@code mlflow models serve} (stable; an equivalent retrain on a 90 % subsample; the same model trained on
 * shuffled labels, {@code engine/src/test/python/behaviour_models.py}), users' requests through a real nginx
 * whose upstream the canary owns, the canary's error ratio from a real Prometheus, aliases in a real MLflow
 * server. Between nginx and each model server a counting proxy gives Prometheus the HTTP status codes (as
 * the example's metrics_proxy.py does); the canary's proxy forwards to the candidate under test.
 *
 * <p>The shuffled candidate answers 200 to everything, so the Prometheus check passes at every analysis;
 * the behaviour rules on a 200-row probe sent to both versions roll it back. The equivalent candidate
 * passes them with its figures far from the bounds (asserted: PSI at most half its bound, mean |diff| at
 * most half its bound).
 */
public class BehaviourCanaryIT {
    private static final String ERROR_RATIO = "sum(rate(model_requests_total{version=\"canary\",code!=\"200\"}[3s]))"
            + " / sum(rate(model_requests_total{version=\"canary\"}[3s]))";
    private static final String PSI_BOUND = "0.1";
    private static final String DIFF_BOUND = "0.02";
    private static final int PROBE_ROWS = 200;

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    private static final List<Process> SERVERS = new ArrayList<>();
    private static final Map<String, String> MODELS = new ConcurrentHashMap<>();
    private static Forwarder stable;
    private static Forwarder canary;
    private static HttpServer exporter;
    private static LocalNginx nginx;
    private static LocalPrometheus prometheus;
    private static Thread load;
    private static volatile boolean loading = true;
    private static Path probe;

    private final MlflowServer server = MlflowServer.shared();
    private String model;

    /** Forwards every request to a model server and counts the answers by status, for Prometheus. */
    static final class Forwarder implements AutoCloseable {
        final String name;
        final HttpServer http;
        final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        volatile String backend;

        Forwarder(String name, String backend) throws IOException {
            this.name = name;
            this.backend = backend;
            answers.put(200, new AtomicLong());
            answers.put(500, new AtomicLong());
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status;
                byte[] answer;
                try {
                    HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(this.backend
                            + exchange.getRequestURI().getPath())).timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = response.statusCode();
                    answer = response.body();
                } catch (IOException | InterruptedException e) {
                    status = 502;
                    answer = new byte[0];
                }
                answers.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            http.start();
        }

        String address() {
            return "127.0.0.1:" + http.getAddress().getPort();
        }

        long served() {
            return answers.values().stream().mapToLong(AtomicLong::get).sum();
        }

        String metrics() {
            StringBuilder text = new StringBuilder();
            answers.forEach((code, count) -> text.append("model_requests_total{version=\"").append(name).append("\",code=\"")
                    .append(code).append("\"} ").append(count.get()).append('\n'));
            return text.toString();
        }

        @Override
        public void close() {
            http.stop(0);
            ((ExecutorService) http.getExecutor()).shutdownNow();
        }
    }

    @BeforeClass
    public static void startTheStack() throws Exception {
        Path venv = MlflowServer.venv();
        Path root = Path.of(System.getProperty("mlstages.root", ".")).toAbsolutePath().normalize();
        Path dir = FOLDER.newFolder("models").toPath();
        Process train = new ProcessBuilder(venv.resolve("bin/python").toString(),
                root.resolve("engine/src/test/python/behaviour_models.py").toString(), root.toString(), dir.toString(),
                Integer.toString(PROBE_ROWS))
                .redirectInput(new File("/dev/null")).redirectError(dir.resolve("train.log").toFile())
                .redirectOutput(dir.resolve("models.json").toFile()).start();
        assertTrue("behaviour_models.py did not finish; see " + dir.resolve("train.log"), train.waitFor(5, TimeUnit.MINUTES));
        assertEquals(Files.readString(dir.resolve("train.log")), 0, train.exitValue());
        System.err.print(Files.readString(dir.resolve("train.log")).lines().filter(l -> !l.contains("WARNING"))
                .map(l -> "[behaviour models] " + l + "\n").reduce("", String::concat));
        JsonNode dirs = new ObjectMapper().readTree(dir.resolve("models.json").toFile());
        for (String name : List.of("stable", "equivalent", "shuffled")) {
            MODELS.put(name, serve(venv, dirs.path(name).asText(), dir.resolve("serve-" + name + ".log")));
        }
        for (String name : List.of("stable", "equivalent", "shuffled")) {
            String url = MODELS.get(name);
            LocalPrometheus.waitFor("mlflow models serve " + name + " (log: " + dir + "/serve-" + name + ".log)",
                    Duration.ofSeconds(120), () -> LocalPrometheus.get(url + "/ping") != null);
        }
        probe = dir.resolve("probe.jsonl");
        List<String> rows = Files.readAllLines(dir.resolve("load.jsonl"));

        stable = new Forwarder("stable", MODELS.get("stable"));
        canary = new Forwarder("canary", MODELS.get("shuffled"));
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE model_requests_total counter\n" + stable.metrics() + canary.metrics())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        nginx = new LocalNginx(stable.address());
        prometheus = new LocalPrometheus("127.0.0.1:" + exporter.getAddress().getPort());
        // Users: the example's rows through nginx, about 30 a second, each on a fresh connection.
        load = new Thread(() -> {
            for (int i = 0; loading; i++) {
                try {
                    post("http://127.0.0.1:" + nginx.port + "/invocations", "{\"dataframe_records\": ["
                            + rows.get(i % rows.size()) + "]}");
                    Thread.sleep(30);
                } catch (IOException e) {
                    // during a reload a request may fail: the next one goes on
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "users");
        load.setDaemon(true);
        load.start();
        prometheus.awaitValue("sum(rate(model_requests_total{version=\"stable\"}[3s]))");
    }

    /** One user's request on a fresh connection (so that no old nginx worker keeps serving it after a reload). */
    private static void post(String url, String body) throws IOException {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Connection", "close");
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        try {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            try (java.io.InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
        } finally {
            connection.disconnect();
        }
    }

    /** {@code mlflow models serve} of a saved model on a free port; its base URL. */
    private static String serve(Path venv, String modelDir, Path log) throws IOException {
        int port = LocalPrometheus.freePort();
        ProcessBuilder builder = new ProcessBuilder(venv.resolve("bin/mlflow").toString(), "models", "serve", "-m", modelDir,
                "-h", "127.0.0.1", "-p", Integer.toString(port), "--env-manager", "local", "--workers", "1")
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).redirectOutput(log.toFile());
        // it starts uvicorn from the PATH: the virtualenv's
        builder.environment().put("PATH", venv.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        SERVERS.add(builder.start());
        return "http://127.0.0.1:" + port;
    }

    @AfterClass
    public static void stopTheStack() throws Exception {
        loading = false;
        if (load != null) {
            load.interrupt();
            load.join(5000);
        }
        for (AutoCloseable closeable : new AutoCloseable[] {prometheus, nginx, stable, canary}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (exporter != null) {
            exporter.stop(0);
        }
        for (Process process : SERVERS) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : SERVERS) {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Before
    public void allTrafficOnStableAndTwoVersions() throws Exception {
        new NginxRouter(NginxRouterConfig.of(nginx.upstreamFile, "model", stable.address(), canary.address())
                .withNginx(LocalNginx.BINARY, nginx.prefix, nginx.mainConfig)).setCanaryWeight(0);
        model = "behaviour-" + UUID.randomUUID().toString().substring(0, 8);
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String runId = registry.createRun(registry.getOrCreateExperiment("behaviour-it").experimentId(), "train", Map.of()).runId();
            registry.createRegisteredModel(model, null, Map.of());
            for (int i = 0; i < 2; i++) {
                String version = registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model")).version();
                registry.awaitReady(model, version, Duration.ofSeconds(30), Duration.ofMillis(100));
            }
            registry.setAlias(model, "champion", "1");
        }
    }

    private String[] canary(Path state, Path report, String candidate) {
        return new String[] {"canary", "--state", state.toString(), "--model", model, "--version", "2",
            "--steps", "10,50,100", "--interval", "4s", "--failure-limit", "2",
            "--analysis", "error_rate: " + ERROR_RATIO + " <= 0.05",
            "--analysis", "prediction_psi <= " + PSI_BOUND, "--analysis", "mean_abs_diff <= " + DIFF_BOUND,
            "--analysis", "agreement >= 0.97",
            "--probe", probe.toString(), "--probe-label", "is_fraud", "--probe-stable-url", MODELS.get("stable"), "--probe-canary-url", MODELS.get(candidate),
            "--router", "nginx", "--nginx-config", nginx.upstreamFile.toString(), "--nginx-upstream", "model",
            "--stable-server", stable.address(), "--canary-server", canary.address(),
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

    /** The analyses of a canary report: each one's results by check name. */
    private static List<JsonNode> analyses(Path report) throws IOException {
        List<JsonNode> analyses = new ArrayList<>();
        for (JsonNode event : new ObjectMapper().readTree(report.toFile()).path("timeline")) {
            if ("analysis".equals(event.path("event").asText())) {
                analyses.add(event);
            }
        }
        return analyses;
    }

    private static JsonNode check(JsonNode analysis, String name) {
        for (JsonNode result : analysis.path("analyses")) {
            if (name.equals(result.path("check").asText())) {
                return result;
            }
        }
        throw new AssertionError("no result of " + name + " in " + analysis);
    }

    @Test
    public void aCandidateTrainedOnShuffledLabelsIsRolledBackByTheBehaviourRulesAloneWhilePrometheusPasses() throws Exception {
        canary.backend = MODELS.get("shuffled");
        long before = canary.served();
        Path report = FOLDER.getRoot().toPath().resolve("shuffled.json");
        Outcome outcome = mlstages(canary(FOLDER.getRoot().toPath().resolve("shuffled-state.json"), report, "shuffled"));
        assertEquals(outcome.err(), 1, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("canary ROLLED_BACK: " + model + "/2 (2 failed analyses (failure limit 2): "
                + "prediction_psi "));
        assertTrue("users' requests reached the candidate", canary.served() - before > 10);
        List<JsonNode> analyses = analyses(report);
        assertEquals(2, analyses.size());
        for (JsonNode analysis : analyses) {
            JsonNode errors = check(analysis, "error_rate");
            assertEquals(analysis.toString(), "PASS", errors.path("verdict").asText());
            assertEquals("FAIL", check(analysis, "prediction_psi").path("verdict").asText());
            assertEquals("FAIL", check(analysis, "mean_abs_diff").path("verdict").asText());
            JsonNode behaviour = analysis.path("behaviour").path("behaviour");
            assertEquals(PROBE_ROWS, behaviour.path("pairs").asInt());
            assertEquals(0.0, behaviour.path("shadow_error_rate").asDouble(), 0);
            System.out.printf("[behaviour canary] shuffled candidate at %d %%: error_rate %s (PASS); prediction_psi %.3f, "
                    + "prediction_ks %.3f, mean_abs_diff %.4f, agreement %.3f, shadow p50/p99 %.1f/%.1f ms%n",
                    analysis.path("weight").asInt(), errors.path("value").asText(), behaviour.path("prediction_psi").asDouble(),
                    behaviour.path("prediction_ks").asDouble(), behaviour.path("mean_abs_diff").asDouble(),
                    behaviour.path("agreement").asDouble(), behaviour.path("shadow_latency_p50_ms").asDouble(),
                    behaviour.path("shadow_latency_p99_ms").asDouble());
        }
        // the report page shows the comparison next to the traffic timeline: a row per analysis, both outputs' bars
        Path page = FOLDER.getRoot().toPath().resolve("shuffled.html");
        Outcome written = mlstages("report", "--in", report.toString(), "--html", page.toString());
        assertEquals(written.err(), 0, written.exit());
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.open(page);
            assertEquals(2, browser.all("[data-table='canary-behaviour'] tbody tr").size());
            for (var psi : browser.all("[data-table='canary-behaviour'] td[data-metric='prediction_psi']")) {
                assertEquals("FAIL", psi.getDomAttribute("data-verdict"));
            }
            int bins = analyses.get(1).path("behaviour").path("behaviour").path("distribution").path("bins").size();
            assertTrue("bins " + bins, bins > 1);
            assertEquals(bins, browser.all(".mlr-distribution .mlr-bar[data-version='stable']").size());
            assertEquals(bins, browser.all(".mlr-distribution .mlr-bar[data-version='canary']").size());
            assertEquals(List.of(), browser.severe());
            String screenshot = System.getProperty("mlstages.behaviour.screenshot");
            if (screenshot != null) {
                Files.write(Path.of(screenshot), browser.fullPage());
            }
        }
    }

    @Test
    public void anEquivalentCandidatePassesTheBehaviourRulesWithAMarginAndIsPromoted() throws Exception {
        canary.backend = MODELS.get("equivalent");
        Path report = FOLDER.getRoot().toPath().resolve("equivalent.json");
        Outcome outcome = mlstages(canary(FOLDER.getRoot().toPath().resolve("equivalent-state.json"), report, "equivalent"));
        assertEquals(outcome.err(), 0, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("canary PROMOTED: " + model + "/2"));
        List<JsonNode> analyses = analyses(report);
        assertEquals(2, analyses.size());
        for (JsonNode analysis : analyses) {
            assertEquals(analysis.toString(), "PASS", analysis.path("verdict").asText());
            JsonNode behaviour = analysis.path("behaviour").path("behaviour");
            double psi = behaviour.path("prediction_psi").asDouble();
            double diff = behaviour.path("mean_abs_diff").asDouble();
            // the margin: at most half of each bound
            assertTrue("psi " + psi, psi <= Double.parseDouble(PSI_BOUND) / 2);
            assertTrue("mean |diff| " + diff, diff <= Double.parseDouble(DIFF_BOUND) / 2);
            System.out.printf("[behaviour canary] equivalent candidate at %d %%: prediction_psi %.4f (bound %s), "
                    + "prediction_ks %.3f, mean_abs_diff %.4f (bound %s), agreement %.3f%n", analysis.path("weight").asInt(),
                    psi, PSI_BOUND, behaviour.path("prediction_ks").asDouble(), diff, DIFF_BOUND,
                    behaviour.path("agreement").asDouble());
        }
    }

    @Test
    public void compareOnALabelledProbeReportsBothVersionsAccuracyAndThePairedInterval() throws Exception {
        Path report = FOLDER.getRoot().toPath().resolve("compare.json");
        Outcome outcome = mlstages("compare", "--probe", probe.toString(), "--live-url", MODELS.get("stable"),
                "--candidate-url", MODELS.get("shuffled"), "--label", "is_fraud", "--check", "prediction_psi <= " + PSI_BOUND,
                "--report", report.toString());
        assertEquals(outcome.err(), 1, outcome.exit());
        JsonNode result = new ObjectMapper().readTree(report.toFile()).path("result");
        JsonNode labelled = result.path("labelled");
        assertEquals(PROBE_ROWS, labelled.path("rows").asInt());
        JsonNode auc = labelled.path("roc_auc_diff");
        assertTrue(auc.toString(), auc.path("lower").asDouble() <= auc.path("estimate").asDouble()
                && auc.path("estimate").asDouble() <= auc.path("upper").asDouble());
        System.out.printf("[behaviour compare] shuffled vs stable on %d labelled rows: accuracy %.3f vs %.3f, ROC AUC %.3f vs %.3f,"
                + " paired 95 %% interval of the AUC difference [%.3f, %.3f]; prediction_psi %.3f%n", PROBE_ROWS,
                labelled.path("shadow_accuracy").asDouble(), labelled.path("live_accuracy").asDouble(),
                labelled.path("shadow_roc_auc").asDouble(), labelled.path("live_roc_auc").asDouble(), auc.path("lower").asDouble(),
                auc.path("upper").asDouble(), result.path("behaviour").path("prediction_psi").asDouble());
    }
}
