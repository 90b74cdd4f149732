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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * {@code mlstages ab-test} with real parts: nginx splitting the traffic between two model servers, a load
 * generator, and Prometheus scraping each version's running totals of predictions and conversions (the
 * control converting on every 10th request, the candidate on every 3rd, or both on every 10th). One nginx
 * and one Prometheus for the suite; the statistics themselves are tested on a virtual clock (AbTestRunTest).
 */
public class AbTestNginxIT {
    private static ModelServer control;
    private static ModelServer candidate;
    private static HttpServer exporter;
    private static LocalNginx nginx;
    private static LocalPrometheus prometheus;
    private static Thread load;
    private static volatile boolean loading = true;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /**
     * Answers 200; counts its predictions, and a conversion every {@code every}-th one. Both are counters that only
     * grow: a test changing {@code every} changes the rate from then on, never the totals already scraped.
     */
    static final class ModelServer implements AutoCloseable {
        final String name;
        final HttpServer http;
        final AtomicLong predictions = new AtomicLong();
        final AtomicLong conversions = new AtomicLong();
        volatile int every = 10;

        ModelServer(String name) throws IOException {
            this.name = name;
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.createContext("/", exchange -> {
                if (predictions.incrementAndGet() % every == 0) {
                    conversions.incrementAndGet();
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
        }

        String address() {
            return "127.0.0.1:" + http.getAddress().getPort();
        }

        String metrics() {
            return "predictions_total{version=\"" + name + "\"} " + predictions.get() + "\n" + "conversions_total{version=\"" + name
                    + "\"} " + conversions.get() + "\n";
        }

        @Override
        public void close() {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
    }

    @BeforeClass
    public static void startTheStack() throws Exception {
        control = new ModelServer("1");
        candidate = new ModelServer("2");
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE predictions_total counter\n# TYPE conversions_total counter\n" + control.metrics()
                    + candidate.metrics()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        nginx = new LocalNginx(control.address());
        prometheus = new LocalPrometheus("127.0.0.1:" + exporter.getAddress().getPort());
        // About 100 requests a second through nginx
        load = new Thread(() -> {
            while (loading) {
                try {
                    nginx.request();
                    Thread.sleep(10);
                } catch (IOException | InterruptedException e) {
                    // during a reload a request may fail: the next one goes on
                }
            }
        }, "load-generator");
        load.setDaemon(true);
        load.start();
        prometheus.awaitValue("sum(predictions_total{version=\"1\"})");
    }

    @AfterClass
    public static void stopTheStack() throws Exception {
        loading = false;
        if (load != null) {
            load.join(5000);
        }
        for (AutoCloseable closeable : new AutoCloseable[] {prometheus, nginx, control, candidate}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (exporter != null) {
            exporter.stop(0);
        }
    }

    @Before
    public void allTrafficOnTheControl() throws Exception {
        new NginxRouter(NginxRouterConfig.of(nginx.upstreamFile, "model", control.address(), candidate.address())
                .withNginx(LocalNginx.BINARY, nginx.prefix, nginx.mainConfig)).setCanaryWeight(0);
        // the candidate gets nothing now: wait until Prometheus has its final totals, so that the next test's baseline
        // is not an earlier scrape (which would count the previous test's requests in this one)
        String query = prometheus.url + "/api/v1/query?query=" + java.net.URLEncoder.encode("sum(predictions_total{version=\"2\"})",
                StandardCharsets.UTF_8);
        LocalPrometheus.waitFor("Prometheus to scrape the candidate's final totals", java.time.Duration.ofSeconds(20), () -> {
            String answer = LocalPrometheus.get(query);
            return answer != null && answer.contains(",\"" + candidate.predictions.get() + "\"]");
        });
    }

    private String[] abTest(Path state, String... more) {
        List<String> args = new ArrayList<>(List.of("ab-test", "--state", state.toString(), "--model", "churn", "--version", "2",
                "--control-version", "1", "--interval", "2s",
                "--prometheus-url", prometheus.url,
                "--control-trials", "sum(predictions_total{version=\"1\"})",
                "--control-conversions", "sum(conversions_total{version=\"1\"})",
                "--candidate-trials", "sum(predictions_total{version=\"2\"})",
                "--candidate-conversions", "sum(conversions_total{version=\"2\"})",
                "--router", "nginx", "--nginx-config", nginx.upstreamFile.toString(), "--nginx-upstream", "model",
                "--stable-server", control.address(), "--canary-server", candidate.address(),
                "--nginx-test-command", nginx.testCommand(), "--nginx-reload-command", nginx.reloadCommand()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private static int mlstages(StringWriter out, StringWriter err, String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    public void aBetterCandidateIsFoundAndGetsAllTraffic() throws Exception {
        candidate.every = 3;
        Path report = folder.getRoot().toPath().resolve("ab.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = mlstages(out, err, abTest(folder.getRoot().toPath().resolve("s.json"), "--duration", "30s", "--min-sample", "50",
                "--report", report.toString()));
        assertEquals(err.toString(), 0, exit);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("candidate", json.get("winner").asText());
        assertTrue(json.toString(), json.get("interval").get(0).asDouble() > 0);
        // the counts are the servers' own, since the split: the candidate's rate near a third, the control's near a tenth
        JsonNode counts = json.get("counts");
        double candidateRate = counts.get("candidate_conversions").asDouble() / counts.get("candidate_trials").asDouble();
        double controlRate = counts.get("control_conversions").asDouble() / counts.get("control_trials").asDouble();
        assertEquals(json.toString(), 1 / 3.0, candidateRate, 0.05);
        assertEquals(json.toString(), 0.1, controlRate, 0.05);
        assertTrue(Files.readString(nginx.upstreamFile), Files.readString(nginx.upstreamFile).contains("server " + control.address()
                + " down;"));
        // once nginx's reload has settled, the control gets nothing more
        LocalPrometheus.waitFor("the candidate to get all traffic", java.time.Duration.ofSeconds(10), () -> {
            try {
                return nginx.request().endsWith(" 2");
            } catch (IOException e) {
                return false;
            }
        });
        Thread.sleep(500);
        long before = control.predictions.get();
        for (int i = 0; i < 30; i++) {
            assertTrue(nginx.request().endsWith(" 2"));
        }
        assertEquals(before, control.predictions.get());
    }

    @Test
    public void noDifferenceIsInconclusiveAndRollsBack() throws Exception {
        candidate.every = 10;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = mlstages(out, err, abTest(folder.getRoot().toPath().resolve("s.json"), "--duration", "8s", "--min-sample", "50"));
        assertEquals(err.toString(), 1, exit);
        assertTrue(out.toString(), out.toString().startsWith("ab-test ROLLED_BACK: churn/2, winner inconclusive"));
        assertTrue(Files.readString(nginx.upstreamFile), Files.readString(nginx.upstreamFile).contains("server "
                + candidate.address() + " down;"));
    }

    /**
     * kill -9 of the driving process in the middle of the test (split set, analyses under way), then --resume:
     * the same baseline and schedule go on, and the test ends with nginx where its verdict says.
     */
    @Test
    public void aTestKilledMidwayIsResumedToAConsistentEnd() throws Exception {
        candidate.every = 3;
        Path state = folder.getRoot().toPath().resolve("state.json");
        ObjectMapper json = new ObjectMapper();
        // a minimum sample the load reaches only after several analyses: the kill comes while the test runs
        String[] start = abTest(state, "--duration", "60s", "--min-sample", "400");
        try (CliProcess killed = CliProcess.start(start)) {
            LocalPrometheus.waitFor("two analyses (log: " + killed.log() + ")", java.time.Duration.ofSeconds(30), () -> {
                try {
                    JsonNode saved = json.readTree(state.toFile());
                    return "RUNNING".equals(saved.path("phase").asText()) && saved.path("analyses").size() >= 2;
                } catch (IOException notYet) {
                    return false;
                }
            });
            killed.kill();
        }
        JsonNode saved = json.readTree(state.toFile());
        assertEquals("RUNNING", saved.path("phase").asText());
        assertTrue(Files.readString(nginx.upstreamFile), Files.readString(nginx.upstreamFile).contains("# canary 50 %"));
        long analysesBefore = saved.path("analyses").size();
        JsonNode baseline = saved.path("baseline");

        List<String> resume = new ArrayList<>(List.of(abTest(state)));
        resume.add("--resume");
        resume.removeAll(List.of("--model", "churn", "--version", "2", "--control-version", "1", "--interval", "2s"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(err.toString(), 0, mlstages(out, err, resume.toArray(new String[0])));
        assertTrue(out.toString(), out.toString().startsWith("ab-test PROMOTED: churn/2, winner candidate"));
        JsonNode done = json.readTree(state.toFile());
        assertEquals("DONE", done.path("phase").asText());
        assertEquals("the baseline survives the kill", baseline, done.path("baseline"));
        assertTrue(done.path("analyses").size() > analysesBefore);
        assertTrue(done.path("timeline").toString(), done.path("timeline").toString().contains("\"event\":\"resumed\""));
        assertTrue(Files.readString(nginx.upstreamFile), Files.readString(nginx.upstreamFile).contains("server " + control.address()
                + " down;"));
    }
}
