package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A stand-in for a Kubernetes API server with KServe, for the one InferenceService a test drives (no
 * cluster exists here). It follows the API contract: bearer token, {@code Status} error objects, JSON
 * merge patches (RFC 7386) that bump {@code metadata.generation}; and it imitates KServe's serverless
 * controller after a delay: a change of the predictor's model creates a revision, which becomes ready
 * (unless told to fail), and the traffic is split as KServe's knative reconciler does it: the latest
 * ready revision gets {@code canaryTrafficPercent}, the last revision rolled out at 100 % (tag
 * {@code prev}) the rest, and a revision at 100 % becomes the rolled-out one.
 */
final class FakeKubernetes implements AutoCloseable {
    private final HttpServer server;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
    private final String namespace;
    private final String name;
    private final Duration delay;
    private volatile String token;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    // guarded by this
    private ObjectNode isvc;
    private int revisions;
    private String latestCreated;
    private String latestReady;
    private String latestRolledout;
    private String previousRolledout = "";
    private boolean newRevisionsFail;
    private ObjectNode patchRefusal;

    private FakeKubernetes(HttpServer server, String token, Duration delay, String namespace, String name, ObjectNode predictor) {
        this.server = server;
        this.token = token;
        this.delay = delay;
        this.namespace = namespace;
        this.name = name;
        isvc = mapper.createObjectNode();
        isvc.put("apiVersion", "serving.kserve.io/v1beta1").put("kind", "InferenceService");
        isvc.putObject("metadata").put("name", name).put("namespace", namespace).put("generation", 1);
        isvc.putObject("spec").set("predictor", predictor);
        // the first revision is rolled out at 100 %
        latestCreated = latestReady = latestRolledout = nextRevision();
        reconcile();
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves an InferenceService in the new predictor schema ({@code spec.predictor.model}). */
    static FakeKubernetes start(String token, Duration delay, String namespace, String name, String storageUri)
            throws IOException {
        return new FakeKubernetes(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), token, delay, namespace,
                name, modelPredictor(storageUri));
    }

    /** The same over HTTPS with this server certificate. */
    static FakeKubernetes startTls(SSLContext tls, String token, Duration delay, String namespace, String name,
            String storageUri) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeKubernetes(server, token, delay, namespace, name, modelPredictor(storageUri));
    }

    /** An InferenceService in the schema before KServe 0.8 ({@code spec.predictor.sklearn}). */
    static FakeKubernetes startOldSchema(String token, String namespace, String name) throws IOException {
        ObjectNode predictor = new ObjectMapper().createObjectNode();
        predictor.putObject("sklearn").put("storageUri", "gs://models/v1");
        return new FakeKubernetes(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), token, Duration.ZERO,
                namespace, name, predictor);
    }

    private static ObjectNode modelPredictor(String storageUri) {
        ObjectNode predictor = new ObjectMapper().createObjectNode();
        ObjectNode model = predictor.putObject("model");
        model.putObject("modelFormat").put("name", "sklearn");
        model.put("storageUri", storageUri);
        return predictor;
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    void token(String newToken) {
        token = newToken;
    }

    synchronized void failNewRevisions() {
        newRevisionsFail = true;
    }

    /** Answers every PATCH with this Status error, as an admission webhook that denies the change does. */
    synchronized void refusePatches(int code, String reason, String message) {
        patchRefusal = statusBody(code, reason, message);
    }

    synchronized JsonNode inferenceService() {
        return isvc.deepCopy();
    }

    synchronized int patches() {
        return (int) requests.stream().filter(r -> r.startsWith("PATCH")).count();
    }

    private String nextRevision() {
        return String.format("%s-predictor-%05d", name, ++revisions);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        requests.add(method + " " + exchange.getRequestURI().getPath() + " "
                + exchange.getRequestHeaders().getFirst("Content-Type"));
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            status(exchange, 401, "Unauthorized", "Unauthorized");
            return;
        }
        String path = "/apis/serving.kserve.io/v1beta1/namespaces/" + namespace + "/inferenceservices/" + name;
        if (!exchange.getRequestURI().getPath().equals(path)) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            status(exchange, 404, "NotFound", "inferenceservices.serving.kserve.io \"" + parts[parts.length - 1] + "\" not found");
            return;
        }
        switch (method) {
            case "GET" -> send(exchange, 200, inferenceService());
            case "PATCH" -> {
                ObjectNode refusal = refusal();
                if (refusal != null) {
                    send(exchange, refusal.path("code").asInt(), refusal);
                    return;
                }
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type == null || !type.startsWith("application/merge-patch+json")) {
                    status(exchange, 415, "UnsupportedMediaType", "the body of the request was in an unknown format");
                    return;
                }
                JsonNode patch = mapper.readTree(exchange.getRequestBody());
                send(exchange, 200, applyPatch(patch));
            }
            default -> status(exchange, 405, "MethodNotAllowed", method + " is not supported");
        }
    }

    private synchronized JsonNode applyPatch(JsonNode patch) {
        JsonNode before = isvc.path("spec").deepCopy();
        isvc = (ObjectNode) merge(isvc, patch);
        JsonNode after = isvc.path("spec");
        if (!before.equals(after)) {
            ObjectNode metadata = (ObjectNode) isvc.path("metadata");
            metadata.put("generation", metadata.path("generation").asLong() + 1);
            if (!before.path("predictor").path("model").equals(after.path("predictor").path("model"))) {
                latestCreated = nextRevision();
            }
            controller.schedule(this::reconcile, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return isvc.deepCopy();
    }

    /** What KServe's controller and Knative do once they have seen the spec. */
    private synchronized void reconcile() {
        if (!newRevisionsFail) {
            latestReady = latestCreated;
        }
        JsonNode canary = isvc.path("spec").path("predictor").get("canaryTrafficPercent");
        String lastRolledout = latestRolledout;
        if (latestRolledout.equals(latestReady) && canary != null && canary.asInt() < 100) {
            lastRolledout = previousRolledout;
        }
        ObjectNode status = isvc.putObject("status");
        status.put("observedGeneration", isvc.path("metadata").path("generation").asLong());
        ObjectNode ready = status.putArray("conditions").addObject().put("type", "Ready");
        if (latestReady.equals(latestCreated)) {
            ready.put("status", "True");
        } else {
            ready.put("status", "False").put("reason", "RevisionFailed")
                    .put("message", "Revision \"" + latestCreated + "\" failed with message: Back-off pulling image.");
        }
        ObjectNode predictor = status.putObject("components").putObject("predictor");
        predictor.put("latestCreatedRevision", latestCreated).put("latestReadyRevision", latestReady);
        ArrayNode traffic = predictor.putArray("traffic");
        int latestShare;
        if (canary != null && !lastRolledout.isEmpty()) {
            latestShare = canary.asInt();
            traffic.addObject().put("tag", "latest").put("revisionName", latestReady).put("latestRevision", true)
                    .put("percent", latestShare);
            if (latestShare < 100) {
                traffic.addObject().put("tag", "prev").put("revisionName", lastRolledout).put("latestRevision", false)
                        .put("percent", 100 - latestShare);
            }
        } else {
            latestShare = 100;
            traffic.addObject().put("tag", "latest").put("revisionName", latestReady).put("latestRevision", true)
                    .put("percent", 100);
        }
        if (latestShare == 100 && !latestReady.equals(latestRolledout)) {
            previousRolledout = latestRolledout;
            latestRolledout = latestReady;
        }
        predictor.put("latestRolledoutRevision", latestRolledout);
        if (!previousRolledout.isEmpty()) {
            predictor.put("previousRolledoutRevision", previousRolledout);
        }
    }

    /** RFC 7386: objects merge member by member, null removes, anything else replaces. */
    private JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : mapper.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    private synchronized ObjectNode refusal() {
        return patchRefusal;
    }

    private void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
        send(exchange, code, statusBody(code, reason, message));
    }

    private ObjectNode statusBody(int code, String reason, String message) {
        ObjectNode status = mapper.createObjectNode();
        status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure").put("message", message)
                .put("reason", reason).put("code", code);
        return status;
    }

    private void send(HttpExchange exchange, int code, JsonNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        controller.shutdownNow();
    }
}
