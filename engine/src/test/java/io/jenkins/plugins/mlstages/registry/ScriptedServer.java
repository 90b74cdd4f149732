package io.jenkins.plugins.mlstages.registry;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer that answers each API path from its own script of responses (the last one
 * repeats) and records what it was asked, for faults a real MLflow server will not produce on demand.
 */
final class ScriptedServer implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();
    private final Map<String, Deque<MockResponse>> scripts = new HashMap<>();
    final List<RecordedRequest> requests = new ArrayList<>();

    ScriptedServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                synchronized (ScriptedServer.this) {
                    requests.add(request);
                    Deque<MockResponse> script = scripts.get(request.getUrl().encodedPath());
                    if (script == null || script.isEmpty()) {
                        return json(404, "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"no script for "
                                + request.getUrl().encodedPath() + "\"}");
                    }
                    return script.size() > 1 ? script.poll() : script.peek();
                }
            }
        });
        server.start();
    }

    /** Answers {@code path} (e.g. {@code /api/2.0/mlflow/runs/get}) with these responses in turn. */
    synchronized ScriptedServer on(String path, MockResponse... responses) {
        scripts.put(path, new ArrayDeque<>(List.of(responses)));
        return this;
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    synchronized long count(String path) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().equals(path)).count();
    }

    @Override
    public void close() {
        server.close();
    }
}
