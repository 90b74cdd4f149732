package io.jenkins.plugins.mlstages.deploy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The mirror's target, placed next to the router (never on the Jenkins controller: it receives
 * production traffic). For every mirrored request it answers 204 at once, before calling any model,
 * so a slow or dead shadow never holds nginx's mirror subrequest, and hence never the live request;
 * then a worker sends the same body to the live model and to the shadow model and appends both answers
 * as one {@link CapturedPair} JSON line to the output folder.
 *
 * <p>The live answer comes from a second call to the live model (not from sitting in the live path):
 * the live path keeps no extra hop, at the price of one more live-model call per mirrored request
 * (docs/shadow.md has the measured overhead). Bounded: a request body over {@code maxBody} is refused
 * (413, counted), a full queue drops the copy (counted), each answer is cut at {@code maxAnswer}
 * characters, and the JSON lines rotate into files of a quarter of {@code maxBytes}, the oldest deleted
 * when the folder's files would exceed it. {@code GET /_mlstages/capture} answers the counters.
 */
public final class ShadowCapture implements Closeable {
    /** The status path; never captured. */
    public static final String STATUS = "/_mlstages/capture";
    /** One JSON object per line: the shared mapper indents, this writer does not. */
    private static final ObjectWriter LINE = CanaryStateStore.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService acceptors;
    private final ExecutorService workers;
    private final BlockingQueue<Copy> queue;
    private final HttpClient client;
    private final Clock clock;
    private final Deque<Path> files = new ArrayDeque<>();
    private final Map<String, AtomicLong> counters = new LinkedHashMap<>();
    private Path current;
    private long currentBytes;
    private long totalBytes;
    private volatile boolean closed;

    /**
     * @param listen where the mirror sends its copies
     * @param live the live model's base URL, e.g. {@code http://127.0.0.1:8001}
     * @param shadow the shadow (candidate) model's base URL
     * @param out the folder the JSON lines go to (created)
     */
    public record Settings(InetSocketAddress listen, URI live, URI shadow, Path out, int queueSize, int workers,
            Duration timeout, int maxBody, int maxAnswer, long maxBytes) {
        public Settings {
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(live, "live");
            Objects.requireNonNull(shadow, "shadow");
            Objects.requireNonNull(out, "out");
            if (queueSize < 1 || workers < 1 || maxBody < 1 || maxAnswer < 1 || maxBytes < 4096) {
                throw new IllegalArgumentException("capture limits must be positive (and --max-bytes at least 4 KiB)");
            }
        }

        /** 256 queued copies, 2 workers, 5 s per call, 1 MiB bodies, 64 Ki characters per answer, 1 GiB on disk. */
        public static Settings of(InetSocketAddress listen, URI live, URI shadow, Path out) {
            return new Settings(listen, live, shadow, out, 256, 2, Duration.ofSeconds(5), 1 << 20, 1 << 16, 1L << 30);
        }
    }

    private record Copy(String id, String time, String method, String path, String contentType, byte[] body) {
    }

    private ShadowCapture(Settings settings, Clock clock) throws IOException {
        this.settings = settings;
        this.clock = clock;
        for (String name : new String[] {"received", "recorded", "dropped_queue_full", "refused_too_large", "write_failures"}) {
            counters.put(name, new AtomicLong());
        }
        Files.createDirectories(settings.out());
        try (var existing = Files.list(settings.out())) {
            existing.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().forEach(p -> {
                files.add(p);
                totalBytes += p.toFile().length();
            });
        }
        queue = new ArrayBlockingQueue<>(settings.queueSize());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout()).build();
        server = HttpServer.create(settings.listen(), 128);
        acceptors = Executors.newFixedThreadPool(4, daemon("shadow-capture-accept"));
        server.setExecutor(acceptors);
        server.createContext("/", this::accept);
        workers = Executors.newFixedThreadPool(settings.workers(), daemon("shadow-capture-worker"));
        for (int i = 0; i < settings.workers(); i++) {
            workers.execute(this::work);
        }
        server.start();
    }

    /** Starts listening; the capture runs until {@link #close()}. */
    public static ShadowCapture start(Settings settings) throws IOException {
        return new ShadowCapture(settings, Clock.systemUTC());
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** received, recorded, dropped_queue_full, refused_too_large, write_failures. */
    public Map<String, Long> counters() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach((k, v) -> values.put(k, v.get()));
        return values;
    }

    private void accept(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (STATUS.equals(path)) {
                byte[] body = LINE.writeValueAsBytes(counters());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            counters.get("received").incrementAndGet();
            byte[] body = readCapped(exchange.getRequestBody(), settings.maxBody());
            if (body == null) {
                counters.get("refused_too_large").incrementAndGet();
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
            String query = exchange.getRequestURI().getRawQuery();
            Copy copy = new Copy(id == null || id.isBlank() ? UUID.randomUUID().toString() : id.strip(), clock.instant().toString(),
                    exchange.getRequestMethod(), path + (query == null ? "" : "?" + query),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            if (!queue.offer(copy)) {
                counters.get("dropped_queue_full").incrementAndGet();
            }
            // at once, whatever happens next: the mirror subrequest ends here
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private static byte[] readCapped(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return bytes;
    }

    private void work() {
        while (!closed) {
            Copy copy;
            try {
                copy = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (copy == null) {
                continue;
            }
            CapturedPair pair = new CapturedPair(copy.id(), copy.time(), copy.path(), call(settings.live(), copy),
                    call(settings.shadow(), copy));
            try {
                append((LINE.writeValueAsString(pair) + "\n").getBytes(StandardCharsets.UTF_8));
                counters.get("recorded").incrementAndGet();
            } catch (IOException e) {
                counters.get("write_failures").incrementAndGet();
            }
        }
    }

    private CapturedPair.Answer call(URI base, Copy copy) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(copy.path())).timeout(settings.timeout())
                .method(copy.method(), copy.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(copy.body()));
        if (copy.contentType() != null) {
            request.header("Content-Type", copy.contentType());
        }
        request.header("X-Request-Id", copy.id());
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            double ms = (System.nanoTime() - started) / 1e6;
            String body = response.body();
            return new CapturedPair.Answer(response.statusCode(), ms,
                    body.length() > settings.maxAnswer() ? body.substring(0, settings.maxAnswer()) : body, null);
        } catch (IOException e) {
            return new CapturedPair.Answer(null, (System.nanoTime() - started) / 1e6, null,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CapturedPair.Answer(null, (System.nanoTime() - started) / 1e6, null, "interrupted");
        }
    }

    /** Appends one line, rotating at a quarter of the disk limit and deleting the oldest files beyond it. */
    private synchronized void append(byte[] line) throws IOException {
        long fileLimit = Math.max(1024, settings.maxBytes() / 4);
        if (current == null || currentBytes + line.length > fileLimit) {
            current = settings.out().resolve("pairs-" + clock.millis() + "-" + UUID.randomUUID().toString().substring(0, 8) + ".jsonl");
            currentBytes = 0;
            files.add(current);
        }
        while (totalBytes + line.length > settings.maxBytes() && files.size() > 1) {
            Path oldest = files.removeFirst();
            totalBytes -= oldest.toFile().length();
            Files.deleteIfExists(oldest);
        }
        Files.write(current, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        currentBytes += line.length;
        totalBytes += line.length;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        acceptors.shutdownNow();
        workers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
