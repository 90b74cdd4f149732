package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.sun.net.httpserver.HttpServer;

public class ShadowCaptureTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private HttpServer live;
    private HttpServer shadow;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean shadowHangs;
    private final HttpClient client = HttpClient.newHttpClient();

    @Before
    public void startModels() throws IOException {
        live = model("{\"predictions\": [0, 1]}", false);
        shadow = model("{\"predictions\": [1, 1]}", true);
    }

    @After
    public void stopModels() {
        release.countDown();
        live.stop(0);
        shadow.stop(0);
    }

    private HttpServer model(String answer, boolean isShadow) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (isShadow && shadowHangs) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private ShadowCapture.Settings settings(Path out, int queue, long maxBytes) {
        return new ShadowCapture.Settings(new InetSocketAddress("127.0.0.1", 0), URI.create("http://127.0.0.1:" + live.getAddress().getPort()),
                URI.create("http://127.0.0.1:" + shadow.getAddress().getPort()), out, queue, 1, Duration.ofSeconds(5), 1024, 4096, maxBytes);
    }

    private int mirror(ShadowCapture capture, String id, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + capture.port() + "/invocations"))
                .header("X-Request-Id", id).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void await(ShadowCapture capture, String counter, long value) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (capture.counters().get(counter) < value && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(counter + " " + capture.counters(), value, (long) capture.counters().get(counter));
    }

    @Test
    public void bothAnswersToTheSameRequestAreRecordedAndReadBackByRequestId() throws Exception {
        Path out = folder.newFolder("out").toPath();
        Instant before = Instant.now();
        try (ShadowCapture capture = ShadowCapture.start(settings(out, 16, 1 << 20))) {
            assertEquals(204, mirror(capture, "req-1", "{\"inputs\": [[1, 2]]}"));
            await(capture, "recorded", 1);
        }
        List<CapturedPair> pairs = CaptureFiles.read(out, before, Instant.now().plusSeconds(1), 100).pairs();
        assertEquals(1, pairs.size());
        CapturedPair pair = pairs.get(0);
        assertEquals("req-1", pair.id());
        assertEquals("/invocations", pair.path());
        assertEquals("{\"predictions\": [0, 1]}", pair.live().body());
        assertEquals("{\"predictions\": [1, 1]}", pair.shadow().body());
        assertEquals(0.5, ShadowComparison.metrics(pairs).get("agreement"), 0);
    }

    /** The mirror gets its answer at once while the shadow hangs; a full queue drops copies, never blocks. */
    @Test
    public void aHangingShadowNeitherDelaysTheMirrorNorGrowsMemory() throws Exception {
        shadowHangs = true;
        try (ShadowCapture capture = ShadowCapture.start(settings(folder.newFolder("out").toPath(), 2, 1 << 20))) {
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertEquals(204, mirror(capture, "r" + i, "{}"));
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue("20 copies answered in " + ms + " ms", ms < 3000);
            Map<String, Long> counters = capture.counters();
            assertEquals(20L, (long) counters.get("received"));
            // one with the worker, two queued: the rest dropped
            assertTrue(counters.toString(), counters.get("dropped_queue_full") >= 16);
        }
    }

    @Test
    public void aBodyOverTheLimitIsRefusedAndTheDiskLimitDeletesTheOldestFiles() throws Exception {
        Path out = folder.newFolder("out").toPath();
        try (ShadowCapture capture = ShadowCapture.start(settings(out, 64, 4096))) {
            assertEquals(413, mirror(capture, "big", "x".repeat(2000)));
            for (int i = 0; i < 60; i++) {
                mirror(capture, "r" + i, "{}");
            }
            await(capture, "recorded", 60);
        }
        long bytes = 0;
        try (var files = Files.list(out)) {
            for (Path file : files.toList()) {
                bytes += Files.size(file);
            }
        }
        assertTrue("capture files take " + bytes + " bytes", bytes <= 4096);
    }

    @Test
    public void aTornOrForeignLineIsSkippedNotFatal() throws Exception {
        Path out = folder.newFolder("out").toPath();
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        Files.writeString(out.resolve("pairs-1.jsonl"), "{\"id\":\"a\",\"time\":\"" + t + "\",\"path\":\"/\",\"live\":{\"status\":200,"
                + "\"latency_ms\":1},\"shadow\":{\"status\":200,\"latency_ms\":1}}\nnot json\n{\"id\":\"b\",\"ti");
        CaptureFiles.Read read = CaptureFiles.read(out, t, t.plusSeconds(1), 10);
        assertEquals(1, read.pairs().size());
        assertEquals(2, read.skippedLines());
    }
}
