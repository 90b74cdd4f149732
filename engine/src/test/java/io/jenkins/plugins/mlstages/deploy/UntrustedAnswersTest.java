package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A URL chosen in a Pipeline may be an internal endpoint, e.g. a cloud metadata service: whatever it
 * answers, the registry client, the webhook and KServe routers and Prometheus say what came (status,
 * content type, size), never what it said. Only an error of a known JSON shape (MLflow's, Prometheus's,
 * the Kubernetes API's) is repeated, escaped.
 */
public class UntrustedAnswersTest {
    /** A metadata service's credentials. */
    static final String METADATA = "{\"Code\":\"Success\",\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\","
            + "\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"Token\":\"IQoJb3JpZ2luX2VjEXAMPLETOKEN\","
            + "\"Expiration\":\"2026-12-07T20:00:00Z\"}";
    static final String HTML = "<!DOCTYPE html><html><head><title>Instance metadata</title></head>"
            + "<body>ami-0abcdef1234567890 i-0123456789abcdef0</body></html>";
    static final String PLAIN = "ami-id\nhostname\niam/security-credentials/admin-role\ninstance-id\n";
    private static final int[] STATUSES = {200, 401, 403, 404, 500};

    private final MockWebServer server = new MockWebServer();
    private volatile MockResponse answer;
    private final List<String> checked = new ArrayList<>();

    @Before
    public void start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer;
            }
        });
        server.start();
    }

    @After
    public void stop() {
        server.close();
    }

    private void answer(int status, String contentType, String body) {
        answer = new MockResponse.Builder().code(status).setHeader("Content-Type", contentType).body(body).build();
    }

    /** Every stretch of 8 characters of {@code body} that has a letter in it (punctuation alone says nothing). */
    static void assertNothingOf(String body, String text) {
        for (int i = 0; i + 8 <= body.length(); i++) {
            String piece = body.substring(i, i + 8);
            if (piece.chars().anyMatch(Character::isLetter)) {
                assertFalse("'" + piece + "' of the answer in: " + text, text.contains(piece));
            }
        }
    }

    private MlflowRegistry registry() {
        return new MlflowRegistry(RegistryConfig.builder(server.url("/").toString()).retryPolicy(RetryPolicy.NONE).build());
    }

    private DeployHttp http(String system) {
        return new DeployHttp(system, Optional.empty(), Duration.ofSeconds(5), Optional.empty(), DeployHttp.RETRIES, d -> { });
    }

    private KServeRouter kserve() {
        KServeConfig config = KServeConfig.withToken(server.url("/").toString(), "token-of-the-test", Optional.empty(),
                "models", "iris", Optional.empty(), Duration.ofSeconds(1));
        return new KServeRouter(config, Duration.ofMillis(10), d -> { });
    }

    /** Each client's calls against the current answer: each fails, and says what came. */
    private List<ThrowingRunnable> calls(MlflowRegistry registry) {
        HttpRouter router = new HttpRouter(server.url("/router"), http("http router"));
        PrometheusMetricSource prometheus = new PrometheusMetricSource(server.url("/"), http("prometheus"));
        KServeRouter kserve = kserve();
        return List.of(() -> registry.getRun("r1"), registry::probe, () -> registry.getModelVersion("fraud", "1"),
                router::canaryWeight, () -> router.setCanaryWeight(10), () -> prometheus.query("up", Instant.EPOCH),
                kserve::canaryWeight, () -> kserve.setCanaryWeight(10));
    }

    private String failure(ThrowingRunnable call) {
        return failure(call, false);
    }

    /** The failure's messages, its causes' too; empty when the call may succeed and did. */
    private String failure(ThrowingRunnable call, boolean maySucceed) {
        Throwable e;
        try {
            call.run();
            assertTrue("succeeded", maySucceed);
            return "";
        } catch (Throwable thrown) {
            e = thrown;
        }
        assertTrue(e.toString(), e instanceof RuntimeException);
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        checked.add(text.toString());
        return text.toString();
    }

    @Test
    public void noClientRepeatsWhatAnUntrustedEndpointAnswers() {
        String[][] bodies = {{"application/json", METADATA}, {"text/html; charset=utf-8", HTML}, {"text/plain", PLAIN}};
        try (MlflowRegistry registry = registry()) {
            for (String[] body : bodies) {
                for (int status : STATUSES) {
                    answer(status, body[0], body[1]);
                    for (ThrowingRunnable call : calls(registry)) {
                        // a webhook router's PUT answered 2xx has applied the split, whatever the body
                        String text = failure(call, status == 200);
                        assertNothingOf(body[1], text);
                        if (text.contains("kubernetes API")) {
                            // the Kubernetes client (fabric8) keeps the answer to itself: the status is said
                            assertTrue(text, text.contains("answered HTTP " + status)
                                    || status == 200 && text.contains("answered what is not a Kubernetes object"));
                        } else if (!text.isEmpty() && (status != 200 || !body[0].equals("application/json"))) {
                            // what came is said: its size, and its type
                            assertTrue(text, text.contains(bytes(body[1])));
                            assertTrue(text, text.contains(body[0].split(";")[0]));
                        }
                    }
                }
            }
        }
        // all but the router's PUT answered 200 with JSON failed
        assertEquals(3 * STATUSES.length * 8 - 1, checked.size());
    }

    @Test
    public void knownErrorShapesAreRepeatedEscaped() throws Exception {
        try (MlflowRegistry registry = registry()) {
            String body = answer(403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"no READ on \\u001b[31mexperiment 1\"}");
            String mlflow = failure(() -> registry.getRun("r1"));
            assertTrue(mlflow, mlflow.contains("HTTP 403 PERMISSION_DENIED (application/json, " + bytes(body)
                    + "): no READ on \\u001b[31mexperiment 1"));
            assertFalse(mlflow, mlflow.contains("\u001b"));
        }
        String body = answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}");
        String prometheus = failure(() -> new PrometheusMetricSource(server.url("/"), http("prometheus")).query("up(", Instant.EPOCH));
        assertTrue(prometheus, prometheus.contains("HTTP 400 (application/json, " + bytes(body) + "): bad_data: parse error at char 3"));
        body = answer(403, "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"message\":\"inferenceservices is forbidden:\\n"
                + "User \\\"x\\\" cannot get\"}");
        String kubernetes = failure(kserve()::canaryWeight);
        assertTrue(kubernetes, kubernetes.contains("HTTP 403: Forbidden: inferenceservices is forbidden: User \"x\" cannot get"));
        // the webhook router has no error shape of its own, but repeats a known one
        body = answer(500, "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"weights store down\"}");
        String router = failure(new HttpRouter(server.url("/router"), http("http router"))::canaryWeight);
        assertTrue(router, router.endsWith("answered HTTP 500 (application/json, " + bytes(body) + "): INTERNAL_ERROR: weights store down\n"));
    }

    private String answer(int status, String json) {
        answer(status, "application/json", json);
        return json;
    }

    private static String bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length + " bytes";
    }
}
