package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.jenkins.plugins.mlstages.deploy.NginxMirror;
import io.jenkins.plugins.mlstages.deploy.ShadowCapture;
import io.jenkins.plugins.mlstages.registry.MlflowServer;

/**
 * Shadow mode with real parts: three `mlflow models serve` processes (the live model; an equivalent
 * candidate, the same random forest with another seed; a candidate trained on shuffled labels, which
 * answers 200 as fast with wrong predictions), a real nginx proxying to the live model and mirroring
 * through the file `mlstages shadow --router nginx` owns, and the capture next to it. A load generator
 * sends requests through nginx all along and checks that every answer users get is the live model's.
 * Cases: the shuffled candidate is rejected by the behaviour checks alone; the equivalent one is
 * promote-ready with a wide margin; a run killed with SIGKILL while collecting is resumed and ends
 * consistent. The capture's overhead on the live path is measured side by side (printed, and written
 * to target/shadow-overhead.txt).
 */
public class ShadowNginxIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CHECKS = {"--check", "agreement >= 0.9", "--check", "prediction_psi <= 0.1", "--check",
        "shadow_error_rate <= 0.01"};

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static Path models;
    private static List<String> bodies;
    private static List<String> liveAnswers;
    private static ModelServe live;
    private static ModelServe equivalent;
    private static ModelServe shuffled;
    private static LocalNginx nginx;
    private static Path mirrorFile;
    private static HttpClient client;
    private static Thread load;
    private static volatile boolean loading = true;
    private static volatile boolean paused;
    private static final AtomicLong sent = new AtomicLong();
    /** Answers users got that were not the live model's answer to their request (must stay 0). */
    private static final AtomicLong notLive = new AtomicLong();
    /** Requests that got no answer because nginx closed their connection at a reload (reported, not asserted). */
    private static final AtomicLong reloadDrops = new AtomicLong();

    /** One `mlflow models serve` in a process of its own; closing kills it and its uvicorn child. */
    static final class ModelServe implements AutoCloseable {
        final int port;
        final Process process;
        final Path log;

        ModelServe(Path model) throws IOException {
            port = LocalPrometheus.freePort();
            log = Files.createTempFile("mlflow-serve-" + model.getFileName(), ".log");
            Path venv = MlflowServer.venv();
            ProcessBuilder builder = new ProcessBuilder(venv.resolve("bin/mlflow").toString(), "models", "serve", "-m",
                    model.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "--env-manager", "local")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // serve starts uvicorn from the PATH: the virtualenv's
            builder.environment().put("PATH", venv.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
            process = builder.start();
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void awaitReady() throws InterruptedException {
            LocalPrometheus.waitFor("mlflow models serve on " + port + " (log: " + log + ")", Duration.ofSeconds(180), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("mlflow models serve exited; see " + log);
                }
                try {
                    return client.send(HttpRequest.newBuilder(URI.create(url() + "/ping")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @BeforeClass
    public static void startTheStack() throws Exception {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        models = Files.createTempDirectory("mlstages-shadow-models-");
        Path script = Path.of(System.getProperty("mlstages.root", "..")).resolve("cli/src/test/resources/shadow/train_models.py");
        Path trainLog = models.resolve("train.log");
        Process train = new ProcessBuilder(MlflowServer.venv().resolve("bin/python").toString(), script.toString(), models.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(trainLog.toFile()).start();
        if (!train.waitFor(5, TimeUnit.MINUTES) || train.exitValue() != 0) {
            throw new AssertionError("training the shadow test models failed: " + Files.readString(trainLog));
        }
        bodies = Files.readAllLines(models.resolve("requests.jsonl"));
        live = new ModelServe(models.resolve("live"));
        equivalent = new ModelServe(models.resolve("equivalent"));
        shuffled = new ModelServe(models.resolve("shuffled"));
        for (ModelServe serve : List.of(live, equivalent, shuffled)) {
            serve.awaitReady();
        }
        liveAnswers = new ArrayList<>();
        for (String body : bodies) {
            liveAnswers.add(post(live.url() + "/invocations", body));
        }
        mirrorFile = Files.createTempDirectory("mlstages-shadow-mirror-").resolve("shadow-mirror.conf");
        nginx = new LocalNginx("127.0.0.1:" + live.port, mirrorFile);
        // About 40 requests a second through nginx on kept-alive connections, as users would send them.
        load = new Thread(() -> {
            int i = 0;
            while (loading) {
                try {
                    if (!paused) {
                        int k = i++ % bodies.size();
                        if (!liveAnswers.get(k).equals(post(nginxUrl(), bodies.get(k)))) {
                            notLive.incrementAndGet();
                        }
                        sent.incrementAndGet();
                    }
                    Thread.sleep(25);
                } catch (IOException e) {
                    // a kept-alive connection an old worker closes at a reload (the canary ITs see the same):
                    // no answer at all, never another model's
                    reloadDrops.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "shadow-load");
        load.setDaemon(true);
        load.start();
    }

    @AfterClass
    public static void stopTheStack() throws Exception {
        loading = false;
        if (load != null) {
            load.join(5000);
        }
        for (AutoCloseable closeable : new AutoCloseable[] {nginx, live, equivalent, shuffled}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private static String nginxUrl() {
        return "http://127.0.0.1:" + nginx.port + "/invocations";
    }

    /** POSTs a body; the status and answer ("200 {...}"). */
    private static String post(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return answer.statusCode() + " " + answer.body();
    }

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome mlstages(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(exit, out.toString().strip(), err.toString().strip());
    }

    private ShadowCapture capture(ModelServe shadow, Path out) throws IOException {
        return ShadowCapture.start(ShadowCapture.Settings.of(new InetSocketAddress("127.0.0.1", 0), URI.create(live.url()),
                URI.create(shadow.url()), out));
    }

    private static String[] shadow(Path state, ShadowCapture capture, Path captured, String... more) {
        List<String> args = new ArrayList<>(List.of("shadow", "--state", state.toString(), "--model", "fraud", "--version", "2",
                "--stable-version", "1", "--min-requests", "150", "--poll-interval", "1s", "--capture-folder", captured.toString(),
                "--router", "nginx", "--nginx-mirror-config", mirrorFile.toString(), "--capture-server", "127.0.0.1:" + capture.port(),
                "--nginx-test-command", nginx.testCommand(), "--nginx-reload-command", nginx.reloadCommand()));
        args.addAll(Arrays.asList(CHECKS));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** After the run the mirror is off: requests keep flowing, the capture receives none of them. */
    private static void assertMirrorOff(ShadowCapture capture) throws Exception {
        assertTrue(Files.readString(mirrorFile).contains("# shadow mirror: off"));
        Thread.sleep(1500); // old nginx workers finish the requests they serve
        long received = capture.counters().get("received");
        for (int i = 0; i < 30; i++) {
            post(nginxUrl(), bodies.get(i));
        }
        assertEquals("copies after the mirror was turned off", received, (long) capture.counters().get("received"));
    }

    @Test
    public void aCandidateTrainedOnShuffledLabelsIsRejectedByTheBehaviourChecksAlone() throws Exception {
        Path captured = folder.newFolder("captured").toPath();
        Path report = folder.getRoot().toPath().resolve("shadow.json");
        long notLiveBefore = notLive.get();
        try (ShadowCapture capture = capture(shuffled, captured)) {
            Outcome outcome = mlstages(shadow(folder.getRoot().toPath().resolve("state.json"), capture, captured,
                    "--duration", "60s", "--requests", "300", "--report", report.toString()));
            assertEquals(outcome.err(), 1, outcome.exit());
            assertTrue(outcome.out(), outcome.out().startsWith("shadow REJECTED: fraud/2 (behaviour check failed on 300 paired requests: agreement "));
            JsonNode result = JSON.readTree(report.toFile());
            Map<String, Double> metrics = metrics(result);
            // healthy HTTP, fast answers: only the predictions give it away
            assertEquals(0.0, metrics.get("shadow_error_rate"), 0);
            assertEquals(0.0, metrics.get("shadow_live_error_rate"), 0);
            assertTrue(metrics.toString(), metrics.get("shadow_agreement") < 0.7);
            assertEquals("FAIL", check(result, "agreement").path("verdict").asText());
            assertEquals("PASS", check(result, "shadow_error_rate").path("verdict").asText());
            assertMirrorOff(capture);
            System.out.printf("[shadow nginx] shuffled-label candidate REJECTED: %s; %d of %d load requests so far lost"
                    + " their connection at a reload%n", metrics, reloadDrops.get(), sent.get());
        }
        assertEquals("answers users got that were not the live model's", notLiveBefore, notLive.get());
    }

    @Test
    public void anEquivalentCandidatePassesFarFromTheThresholds() throws Exception {
        Path captured = folder.newFolder("captured").toPath();
        Path report = folder.getRoot().toPath().resolve("shadow.json");
        long notLiveBefore = notLive.get();
        try (ShadowCapture capture = capture(equivalent, captured)) {
            Outcome outcome = mlstages(shadow(folder.getRoot().toPath().resolve("state.json"), capture, captured,
                    "--duration", "60s", "--requests", "300", "--report", report.toString()));
            assertEquals(outcome.err() + "\n" + outcome.out(), 0, outcome.exit());
            assertTrue(outcome.out(), outcome.out().startsWith("shadow PROMOTE_READY: fraud/2"));
            Map<String, Double> metrics = metrics(JSON.readTree(report.toFile()));
            // the stated margin: agreement at least 0.05 above its threshold (0.9), PSI at most a fifth of its (0.1)
            assertTrue(metrics.toString(), metrics.get("shadow_agreement") >= 0.95);
            assertTrue(metrics.toString(), metrics.get("shadow_prediction_psi") <= 0.02);
            assertEquals(300.0, metrics.get("shadow_paired_requests"), 0);
            assertEquals(1200.0, metrics.get("shadow_pairs"), 0);
            assertMirrorOff(capture);
            System.out.printf("[shadow nginx] equivalent candidate PROMOTE_READY: %s%n", metrics);
        }
        assertEquals("answers users got that were not the live model's", notLiveBefore, notLive.get());
    }

    @Test
    public void aShadowRunKilledWhileCollectingIsResumedAndEndsConsistent() throws Exception {
        Path captured = folder.newFolder("captured").toPath();
        Path state = folder.getRoot().toPath().resolve("state.json");
        try (ShadowCapture capture = capture(equivalent, captured)) {
            String[] args = shadow(state, capture, captured, "--duration", "12s");
            try (CliProcess killed = CliProcess.start(args)) {
                LocalPrometheus.waitFor("the shadow run collecting (log: " + killed.log() + ")", Duration.ofSeconds(60), () -> {
                    try {
                        return "COLLECTING".equals(JSON.readTree(state.toFile()).path("phase").asText());
                    } catch (IOException notYet) {
                        return false;
                    }
                });
                Thread.sleep(3000);
                killed.kill();
            }
            JsonNode saved = JSON.readTree(state.toFile());
            assertEquals("COLLECTING", saved.path("phase").asText());
            // killed with the mirror on: users still get the live model's answers, the capture keeps recording
            assertTrue(Files.readString(mirrorFile).contains("# shadow mirror: on"));
            List<String> resume = new ArrayList<>(List.of("shadow", "--state", state.toString(), "--resume", "--router", "nginx",
                    "--nginx-mirror-config", mirrorFile.toString(), "--capture-server", "127.0.0.1:" + capture.port(),
                    "--nginx-test-command", nginx.testCommand(), "--nginx-reload-command", nginx.reloadCommand()));
            Outcome resumed = mlstages(resume.toArray(new String[0]));
            assertEquals(resumed.err() + "\n" + resumed.out(), 0, resumed.exit());
            assertTrue(resumed.out(), resumed.out().startsWith("shadow PROMOTE_READY: fraud/2"));
            JsonNode done = JSON.readTree(state.toFile());
            assertEquals("DONE", done.path("phase").asText());
            assertFalse(done.path("mirror_on").asBoolean());
            // the window is the one saved before the kill: from mirror_since to collect_until
            assertEquals(saved.path("collect_until").asText(), done.path("collect_until").asText());
            assertTrue(done.path("metrics").path("paired_requests").asDouble() >= 150);
            assertMirrorOff(capture);
            Outcome again = mlstages(resume.toArray(new String[0]));
            assertEquals(0, again.exit());
            assertTrue(again.err(), again.err().contains("already ended PROMOTE_READY; nothing to do"));
        }
    }

    /**
     * The live path's latency through nginx, sequential requests on a kept-alive connection, with the
     * mirror off, on with the capture, on with a dead capture (nothing listening) and on with a shadow
     * that takes 2 s to answer, interleaved in blocks so that all four see the same machine.
     */
    @Test
    public void theCaptureAddsLittleToTheLivePathEvenWithASlowOrDeadShadow() throws Exception {
        Path captured = folder.newFolder("captured").toPath();
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        slow.createContext("/", exchange -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"predictions\": [0, 0, 0, 0]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        paused = true;
        try (ShadowCapture capture = capture(equivalent, captured);
                ShadowCapture slowCapture = ShadowCapture.start(ShadowCapture.Settings.of(new InetSocketAddress("127.0.0.1", 0),
                        URI.create(live.url()), URI.create("http://127.0.0.1:" + slow.getAddress().getPort()),
                        folder.newFolder("slow").toPath()))) {
            String[] names = {"no mirror", "mirror + capture", "mirror, capture dead", "mirror + capture, shadow 2 s slow"};
            NginxMirror[] mirrors = {mirror("127.0.0.1:" + capture.port()), mirror("127.0.0.1:" + capture.port()),
                mirror("127.0.0.1:" + LocalPrometheus.freePort()), mirror("127.0.0.1:" + slowCapture.port())};
            boolean[] on = {false, true, true, true};
            List<List<Double>> samples = new ArrayList<>();
            for (int c = 0; c < names.length; c++) {
                samples.add(new ArrayList<>());
            }
            for (int round = 0; round < 4; round++) {
                for (int c = 0; c < names.length; c++) {
                    mirrors[c].setMirroring(on[c]);
                    Thread.sleep(700); // the new workers serve
                    for (int i = 0; i < 250; i++) {
                        String body = bodies.get(i % bodies.size());
                        long started = System.nanoTime();
                        post(nginxUrl(), body);
                        if (i >= 25) {
                            samples.get(c).add((System.nanoTime() - started) / 1e6);
                        }
                    }
                }
            }
            mirrors[0].setMirroring(false);
            StringBuilder table = new StringBuilder("live path through nginx, " + samples.get(0).size()
                    + " sequential requests per configuration (ms):\n");
            double[] p50 = new double[names.length];
            double[] p99 = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                double[] sorted = samples.get(c).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                p50[c] = sorted[sorted.length / 2];
                p99[c] = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
                table.append(String.format("  %-36s p50 %6.2f  p99 %6.2f%n", names[c], p50[c], p99[c]));
            }
            table.append("capture counters: ").append(capture.counters()).append("; slow shadow's: ")
                    .append(slowCapture.counters()).append('\n');
            System.out.print("[shadow nginx] " + table);
            Files.writeString(Path.of(System.getProperty("mlstages.root", "..")).resolve("target/shadow-overhead.txt"), table);
            assertTrue("the capture recorded copies", capture.counters().get("recorded") > 0);
            assertTrue("the slow shadow's queue overflowed and dropped", slowCapture.counters().get("dropped_queue_full") > 0);
            // A dead capture or a 2 s shadow must not show on the live path (it would show as 200 ms or seconds);
            // bounds generous for a shared 2-core machine.
            for (int c = 2; c < names.length; c++) {
                assertTrue(names[c] + ": " + table, p50[c] < p50[0] + 10);
                assertTrue(names[c] + ": " + table, p99[c] < Math.max(150, p99[0] * 4));
            }
            // A working capture costs CPU (two more model calls per request on the same 2 cores), never a wait on the shadow.
            assertTrue(names[1] + ": " + table, p99[1] < 1000);
        } finally {
            paused = false;
            slow.stop(0);
            ((java.util.concurrent.ExecutorService) slow.getExecutor()).shutdownNow();
        }
    }

    private static NginxMirror mirror(String capture) {
        return new NginxMirror(mirrorFile, capture, Arrays.asList(nginx.testCommand().split(" ")),
                Arrays.asList(nginx.reloadCommand().split(" ")), Duration.ofSeconds(30));
    }

    private static Map<String, Double> metrics(JsonNode result) {
        Map<String, Double> metrics = new java.util.TreeMap<>();
        result.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        return metrics;
    }

    private static JsonNode check(JsonNode result, String name) {
        for (JsonNode check : result.path("checks")) {
            if (name.equals(check.path("check").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + result);
    }
}
