package io.jenkins.plugins.mlstages.registry;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sits between the client and a real MLflow server and, for chosen API paths, injects faults: the
 * server does the work but the answer is lost, or the request is refused with 503 / 429 before it
 * reaches the server. Everything else is forwarded unchanged.
 */
final class FaultyProxy implements AutoCloseable {
    /** What happens to one request. */
    enum Fault {
        /** Forwarded, answered by the real server, and the answer cut off before it reaches the client. */
        LOST_ANSWER,
        /** Refused with 503, not forwarded. */
        UNAVAILABLE,
        /** Refused with 429 and Retry-After: 1, not forwarded. */
        RATE_LIMITED
    }

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient upstream = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private final String target;
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    final AtomicInteger forwarded = new AtomicInteger();

    FaultyProxy(String target) throws IOException {
        this.target = target;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Fault fault = next(request.getUrl().encodedPath());
                if (fault == Fault.UNAVAILABLE) {
                    return new MockResponse.Builder().code(503).body("upstream unavailable").build();
                }
                if (fault == Fault.RATE_LIMITED) {
                    return new MockResponse.Builder().code(429).setHeader("Retry-After", "1").body("slow down").build();
                }
                MockResponse answer = forward(request);
                if (fault == Fault.LOST_ANSWER) {
                    return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build();
                }
                return answer;
            }
        });
        server.start();
    }

    /** The faults for the next requests to {@code /api/2.0/mlflow/<path>}, in order. */
    synchronized FaultyProxy inject(String path, Fault... sequence) {
        faults.put("/api/2.0/mlflow/" + path, new ArrayDeque<>(List.of(sequence)));
        return this;
    }

    private synchronized Fault next(String path) {
        Deque<Fault> sequence = faults.get(path);
        return sequence == null ? null : sequence.poll();
    }

    private MockResponse forward(RecordedRequest request) {
        forwarded.incrementAndGet();
        String contentType = request.getHeaders().get("Content-Type");
        RequestBody body = "GET".equals(request.getMethod()) ? null
                : RequestBody.create(request.getBody() == null ? new byte[0] : request.getBody().toByteArray(),
                        contentType == null ? null : MediaType.get(contentType));
        Request.Builder forward = new Request.Builder().url(target + request.getTarget()).method(request.getMethod(), body);
        String authorization = request.getHeaders().get("Authorization");
        if (authorization != null) {
            forward.header("Authorization", authorization);
        }
        try (Response response = upstream.newCall(forward.build()).execute()) {
            MockResponse.Builder answer = new MockResponse.Builder().code(response.code()).body(response.body().string());
            String type = response.header("Content-Type");
            if (type != null) {
                answer.setHeader("Content-Type", type);
            }
            return answer.build();
        } catch (IOException e) {
            return new MockResponse.Builder().code(502).body("proxy: " + e).build();
        }
    }

    String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    @Override
    public void close() {
        server.close();
        upstream.dispatcher().executorService().shutdown();
        upstream.connectionPool().evictAll();
    }
}
