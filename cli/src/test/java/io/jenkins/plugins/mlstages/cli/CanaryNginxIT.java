package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * The three cases with real traffic: a load generator sends requests through a real nginx
 * whose upstream file {@code mlstages canary --router nginx} owns, to two model-server stand-ins
 * (stable and canary) that count their answers for a real Prometheus; the analysis is the canary's
 * error ratio as Prometheus computes it; the aliases live in a real MLflow server. Case 1: a healthy
 * canary is promoted step by step. Case 2: a canary answering errors is rolled back at the failure
 * limit. Case 3: the canary process is killed (SIGKILL) mid-step and resumed. The model servers are
 * the only stand-ins; the integrator's end-to-end run in .ci/run replaces them with real ones.
 */
public class CanaryNginxIT {
    private static final String ERROR_RATIO = "sum(rate(model_requests_total{version=\"canary\",code=\"500\"}[3s]))"
            + " / sum(rate(model_requests_total{version=\"canary\"}[3s]))";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static ModelServer stable;
    private static ModelServer canary;
    private static HttpServer exporter;
    private static LocalNginx nginx;
    private static LocalPrometheus prometheus;
    private static Thread load;
    private static volatile boolean loading = true;
    private static final AtomicLong sent = new AtomicLong();

    private final MlflowServer server = MlflowServer.shared();
    private String model;

    /** Answers 200 with its name, or 500 while failing; counts its answers by status code. */
    static final class ModelServer implements AutoCloseable {
        final String name;
        final HttpServer http;
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile boolean failing;

        ModelServer(String name) throws IOException {
            this.name = name;
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.createContext("/", exchange -> {
                int status = failing ? 500 : 200;
                (failing ? errors : ok).incrementAndGet();
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
        }

        String address() {
            return "127.0.0.1:" + http.getAddress().getPort();
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
        stable = new ModelServer("stable");
        canary = new ModelServer("canary");
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
        // About 100 requests a second through nginx, each on a fresh connection.
        load = new Thread(() -> {
            while (loading) {
                try {
                    nginx.request();
                    sent.incrementAndGet();
                    Thread.sleep(10);
                } catch (IOException | InterruptedException e) {
                    // during a reload a request may fail: the next one goes on
                }
            }
        }, "load-generator");
        load.setDaemon(true);
        load.start();
        prometheus.awaitValue("sum(rate(model_requests_total{version=\"stable\"}[3s]))");
    }

    @AfterClass
    public static void stopTheStack() throws Exception {
        loading = false;
        if (load != null) {
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
    }

    @Before
    public void allTrafficOnStableAndThreeVersions() throws Exception {
        canary.failing = false;
        new NginxRouter(routerConfig()).setCanaryWeight(0);
        model = "canary-nginx-" + UUID.randomUUID().toString().substring(0, 8);
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String runId = registry.createRun(registry.getOrCreateExperiment("canary-it").experimentId(), "train", Map.of()).runId();
            registry.createRegisteredModel(model, null, Map.of());
            for (int i = 0; i < 2; i++) {
                String version = registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model")).version();
                registry.awaitReady(model, version, Duration.ofSeconds(30), Duration.ofMillis(100));
            }
            registry.setAlias(model, "champion", "1");
        }
        awaitAllTrafficOn(stable);
    }

    private static NginxRouterConfig routerConfig() {
        return NginxRouterConfig.of(nginx.upstreamFile, "model", stable.address(), canary.address())
                .withNginx(LocalNginx.BINARY, nginx.prefix, nginx.mainConfig);
    }

    private String[] canary(Path state, String... more) {
        List<String> args = new ArrayList<>(List.of("canary", "--state", state.toString(), "--model", model, "--version", "2",
                "--steps", "10,50,100", "--interval", "4s", "--analyses-per-step", "2", "--failure-limit", "2",
                "--analysis", "error_rate: " + ERROR_RATIO + " <= 0.05",
                "--router", "nginx", "--nginx-config", nginx.upstreamFile.toString(), "--nginx-upstream", "model",
                "--stable-server", stable.address(), "--canary-server", canary.address(),
                "--nginx-test-command", nginx.testCommand(), "--nginx-reload-command", nginx.reloadCommand(),
                "--prometheus-url", prometheus.url, "--registry-url", server.url()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome mlstages(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
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

    /** Waits until 50 requests in a row, after nginx's reload has settled, all reach one server. */
    private static void awaitAllTrafficOn(ModelServer target) throws InterruptedException {
        LocalPrometheus.waitFor("all traffic on " + target.name, Duration.ofSeconds(20), () -> {
            long before = target.served();
            long total = stable.served() + canary.served();
            try {
                for (int i = 0; i < 50; i++) {
                    nginx.request();
                }
            } catch (IOException e) {
                return false;
            }
            // The load generator runs meanwhile: count only that the other server got nothing.
            long other = stable.served() + canary.served() - total - (target.served() - before);
            return other == 0;
        });
    }

    @Test
    public void case1AHealthyCanaryIsPromotedStepByStep() throws Exception {
        Path report = folder.getRoot().toPath().resolve("canary.json");
        long canaryBefore = canary.served();
        long started = System.nanoTime();
        Outcome outcome = mlstages(canary(folder.getRoot().toPath().resolve("state.json"), "--report", report.toString()));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(outcome.err(), 0, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("canary PROMOTED: " + model + "/2"));
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases());
        awaitAllTrafficOn(canary);
        assertTrue("the canary served traffic during the steps", canary.served() - canaryBefore > 50);
        JsonNode timeline = new ObjectMapper().readTree(report.toFile()).path("timeline");
        List<Integer> analysedAt = new ArrayList<>();
        for (JsonNode event : timeline) {
            if ("analysis".equals(event.path("event").asText())) {
                assertEquals(event.toString(), "PASS", event.path("verdict").asText());
                assertEquals(0.0, event.path("analyses").get(0).path("value").asDouble(), 0);
                analysedAt.add(event.path("weight").asInt());
            }
        }
        assertEquals(List.of(10, 10, 50, 50), analysedAt);
        System.out.printf("[canary nginx] healthy canary promoted in %.1f s; %d requests sent through nginx so far%n",
                seconds, sent.get());
    }

    @Test
    public void case2AFailingCanaryIsRolledBackAtTheFailureLimit() throws Exception {
        canary.failing = true;
        Path report = folder.getRoot().toPath().resolve("canary.json");
        long started = System.nanoTime();
        Outcome outcome = mlstages(canary(folder.getRoot().toPath().resolve("state.json"), "--report", report.toString()));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(outcome.err(), 1, outcome.exit());
        assertTrue(outcome.out(), outcome.out().startsWith("canary ROLLED_BACK: " + model + "/2 (2 failed analyses (failure limit 2): error_rate 1 [<= 0.05] FAIL)"));
        assertEquals(Map.of("champion", "1"), aliases());
        awaitAllTrafficOn(stable);
        JsonNode timeline = new ObjectMapper().readTree(report.toFile()).path("timeline");
        String secondFailure = null;
        String rolledBack = null;
        for (JsonNode event : timeline) {
            if ("analysis".equals(event.path("event").asText())) {
                secondFailure = event.path("time").asText();
            }
            if ("weight".equals(event.path("event").asText()) && event.path("weight").asInt() == 0) {
                rolledBack = event.path("time").asText();
            }
        }
        Duration reaction = Duration.between(java.time.Instant.parse(secondFailure), java.time.Instant.parse(rolledBack));
        // Rolled back within one analysis interval (2 s) of the analysis that reached the failure limit.
        assertTrue("rollback took " + reaction, reaction.compareTo(Duration.ofSeconds(2)) < 0);
        System.out.printf("[canary nginx] failing canary rolled back after %.1f s in all; router at 0 %% %d ms after the"
                + " failure limit%n", seconds, reaction.toMillis());
    }

    @Test
    public void case3TheCanaryIsKilledMidStepAndResumed() throws Exception {
        Path state = folder.getRoot().toPath().resolve("state.json");
        ObjectMapper json = new ObjectMapper();
        try (CliProcess killed = CliProcess.start(canary(state))) {
            LocalPrometheus.waitFor("the canary at 50 % (log: " + killed.log() + ")", Duration.ofSeconds(60), () -> {
                try {
                    JsonNode saved = json.readTree(state.toFile());
                    return saved.path("router").path("weight").asInt() == 50 && saved.path("router").path("confirmed").asBoolean();
                } catch (IOException notYet) {
                    return false;
                }
            });
            Thread.sleep(1000); // mid-step: after the weight, before the step's analyses are done
            killed.kill();
        }
        assertEquals("PROGRESSING", json.readTree(state.toFile()).path("phase").asText());

        String[] resume = {"canary", "--state", state.toString(), "--resume", "--router", "nginx", "--nginx-config",
            nginx.upstreamFile.toString(), "--nginx-upstream", "model", "--stable-server", stable.address(), "--canary-server",
            canary.address(), "--nginx-test-command", nginx.testCommand(), "--nginx-reload-command", nginx.reloadCommand(),
            "--prometheus-url", prometheus.url, "--registry-url", server.url()};
        Outcome resumed = mlstages(resume);
        assertEquals(resumed.err(), 0, resumed.exit());
        assertTrue(resumed.out(), resumed.out().startsWith("canary PROMOTED: " + model + "/2"));
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases());
        awaitAllTrafficOn(canary);
        // Resuming an ended canary only reports it.
        Outcome again = mlstages(resume);
        assertEquals(0, again.exit());
        assertTrue(again.err(), again.err().contains("already ended PROMOTED; nothing to do"));
    }
}
