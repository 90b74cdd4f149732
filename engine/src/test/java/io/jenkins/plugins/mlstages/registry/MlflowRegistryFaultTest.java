package io.jenkins.plugins.mlstages.registry;

import static io.jenkins.plugins.mlstages.registry.ScriptedServer.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.jenkins.plugins.mlstages.report.StageLog;

import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/** What a real server will not do on demand: 429, 503, resets, timeouts, 401, pending registration. */
public class MlflowRegistryFaultTest {
    private static final String API = "/api/2.0/mlflow/";
    private static final String RUN = "{\"run\":{\"info\":{\"run_id\":\"r1\",\"experiment_id\":\"1\",\"status\":\"RUNNING\"}}}";
    private static final String SECRET = "s3cr3t-token-value";

    private ScriptedServer server;
    private FakeTime time;
    private MlflowRegistry registry;
    /** The retry lines the registry logged. */
    private final List<String> lines = new ArrayList<>();

    @Before
    public void setUp() throws Exception {
        server = new ScriptedServer();
        time = new FakeTime();
        registry = registry(RetryPolicy.DEFAULT, Duration.ofSeconds(5));
    }

    private MlflowRegistry registry(RetryPolicy policy, Duration readTimeout) {
        RegistryConfig config = RegistryConfig.builder(server.url()).credentials(RegistryCredentials.bearer(SECRET))
                .retryPolicy(policy).readTimeout(readTimeout).build();
        StageLog log = new StageLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void progress(String task, double share, String detail) {
                throw new AssertionError("no progress expected");
            }
        };
        return new MlflowRegistry(config, new MlflowHttp(config, MlflowRegistry.newMapper(), time, () -> 0.5, time, log));
    }

    @After
    public void tearDown() {
        registry.close();
        server.close();
    }

    private static MockResponse reset() {
        return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build();
    }

    @Test
    public void honoursRetryAfterOn429() {
        server.on(API + "runs/get",
                new MockResponse.Builder().code(429).setHeader("Retry-After", "7").body("slow down").build(),
                json(200, RUN));
        assertEquals("r1", registry.getRun("r1").runId());
        assertEquals(List.of(Duration.ofSeconds(7)), time.sleeps);
        assertEquals(2, server.count(API + "runs/get"));
        assertEquals(List.of("get run r1 failed: HTTP 429 REQUEST_LIMIT_EXCEEDED (9 bytes without a content type); retrying in 7 s"
                + " (attempt 2; 113 s of the 120 s retry budget left then)"), lines);
    }

    @Test
    public void retriesA503WithExponentialBackoffThenSucceeds() {
        server.on(API + "runs/get", json(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"busy\"}"),
                json(503, "{}"), json(200, RUN));
        assertEquals("r1", registry.getRun("r1").runId());
        // 1 s and 2 s, each plus half of the 1 s jitter
        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofMillis(2500)), time.sleeps);
        assertEquals(List.of(
                "get run r1 failed: HTTP 503 TEMPORARILY_UNAVAILABLE (application/json, 57 bytes): busy; retrying in 1.5 s"
                        + " (attempt 2; 118.5 s of the 120 s retry budget left then)",
                "get run r1 failed: HTTP 503 TEMPORARILY_UNAVAILABLE (application/json, 2 bytes); retrying in 2.5 s"
                        + " (attempt 3; 116 s of the 120 s retry budget left then)"), lines);
    }

    @Test
    public void givesUpWhenTheBudgetIsSpentAndSaysSo() {
        server.on(API + "runs/get", json(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"busy\"}"));
        ServerErrorException e = assertThrows(ServerErrorException.class, () -> registry.getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().startsWith(
                "get run r1 failed: HTTP 503 TEMPORARILY_UNAVAILABLE (application/json, 57 bytes): busy"));
        // the last wait is cut to end with the budget: the whole budget is used, not more
        assertEquals(RetryPolicy.DEFAULT_BUDGET, time.slept());
        long attempts = server.count(API + "runs/get");
        assertTrue(e.getMessage(), e.getMessage().endsWith(
                " (gave up after " + attempts + " attempts in 120 s; retry budget 120 s)"));
        assertEquals("one line per retry", attempts - 1, lines.size());
        assertTrue(lines.get(lines.size() - 1), lines.get(lines.size() - 1).endsWith(
                "(attempt " + attempts + "; 0 s of the 120 s retry budget left then)"));
    }

    @Test
    public void aRetryAfterLongerThanTheBudgetFailsAtOnceAndSaysWhy() {
        server.on(API + "runs/get", new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").build());
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> registry.getRun("r1"));
        assertTrue(time.sleeps.isEmpty());
        assertEquals(429, e.getHttpStatus());
        assertEquals(1, server.count(API + "runs/get"));
        assertEquals("get run r1 failed: HTTP 429 REQUEST_LIMIT_EXCEEDED (no body) (the server asked to wait 3600 s"
                + " (Retry-After) before trying again, longer than the 120 s left of the 120 s retry budget)",
                e.getMessage());
        assertTrue(lines.isEmpty());
    }

    @Test
    public void aRetryAfterThatOutlastsTheRestOfTheBudgetEndsTheRetries() {
        server.on(API + "runs/get", json(503, "{}"),
                new MockResponse.Builder().code(429).setHeader("Retry-After", "119").build());
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> registry.getRun("r1"));
        assertEquals(List.of(Duration.ofMillis(1500)), time.sleeps);
        assertTrue(e.getMessage(), e.getMessage().endsWith("(the server asked to wait 119 s (Retry-After) before"
                + " trying again, longer than the 118.5 s left of the 120 s retry budget; gave up after 2 attempts)"));
    }

    @Test
    public void aShorterBudgetIsRespected() {
        registry.close();
        registry = registry(RetryPolicy.DEFAULT.withBudget(Duration.ofSeconds(10)), Duration.ofSeconds(5));
        server.on(API + "runs/get", json(503, "{}"));
        ServerErrorException e = assertThrows(ServerErrorException.class, () -> registry.getRun("r1"));
        // 1.5, 2.5, 4.5, then the last 1.5 of the 10 s
        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofMillis(2500), Duration.ofMillis(4500),
                Duration.ofMillis(1500)), time.sleeps);
        assertEquals(5, server.count(API + "runs/get"));
        assertTrue(e.getMessage(), e.getMessage().endsWith("(gave up after 5 attempts in 10 s; retry budget 10 s)"));
        assertEquals(4, lines.size());
    }

    @Test
    public void aZeroBudgetTriesOnceAndSaysSo() {
        registry.close();
        registry = registry(RetryPolicy.DEFAULT.withBudget(Duration.ZERO), Duration.ofSeconds(5));
        server.on(API + "runs/get", json(503, "{}"));
        ServerErrorException e = assertThrows(ServerErrorException.class, () -> registry.getRun("r1"));
        assertEquals(1, server.count(API + "runs/get"));
        assertTrue(time.sleeps.isEmpty());
        assertTrue(lines.isEmpty());
        assertEquals("get run r1 failed: HTTP 503 TEMPORARILY_UNAVAILABLE (application/json, 2 bytes)"
                + " (not retried: the 0 s retry budget was spent)",
                e.getMessage());
    }

    @Test
    public void retriesAResetMidResponse() {
        server.on(API + "runs/get", reset(), json(200, RUN));
        assertEquals("r1", registry.getRun("r1").runId());
        assertEquals(2, server.count(API + "runs/get"));
    }

    @Test
    public void retriesAReadTimeout() {
        registry.close();
        registry = registry(RetryPolicy.DEFAULT, Duration.ofMillis(300));
        server.on(API + "runs/get", new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build(),
                json(200, RUN));
        assertEquals("r1", registry.getRun("r1").runId());
        assertEquals(2, server.count(API + "runs/get"));
    }

    @Test
    public void aLostCreateAnswerIsFoundInsteadOfCreatedTwice() {
        server.on(API + "runs/create", reset(), json(200, RUN));
        server.on(API + "runs/search", json(200, "{\"runs\":[" + RUN.substring(7, RUN.length() - 1) + "]}"));
        assertEquals("r1", registry.createRun("1", "train", Map.of()).runId());
        assertEquals("one create only; the retry found the run", 1, server.count(API + "runs/create"));
        RecordedRequest search = server.requests.stream()
                .filter(r -> r.getUrl().encodedPath().endsWith("runs/search")).findFirst().orElseThrow();
        String body = search.getBody().utf8();
        assertTrue(body, body.contains("tags.`mlstages.request_id` = '"));
        RecordedRequest create = server.requests.get(0);
        String requestId = create.getBody().utf8().replaceAll(".*\"mlstages.request_id\",\"value\":\"([^\"]+)\".*", "$1");
        assertTrue(body, body.contains(requestId));
    }

    @Test
    public void aCreateThatWasNotMadeIsSentAgain() {
        server.on(API + "model-versions/create",
                json(503, "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\"}"),
                json(200, "{\"model_version\":{\"name\":\"m\",\"version\":\"1\",\"status\":\"READY\"}}"));
        server.on(API + "model-versions/search", json(200, "{}"));
        assertEquals("1", registry.createModelVersion(NewModelVersion.fromRun("m", "r1", "model")).version());
        assertEquals(2, server.count(API + "model-versions/create"));
        assertEquals(1, server.count(API + "model-versions/search"));
    }

    @Test
    public void whenTheLookUpFailsNothingIsCreatedUntilItSucceeds() {
        server.on(API + "model-versions/create", reset(),
                json(200, "{\"model_version\":{\"name\":\"m\",\"version\":\"2\",\"status\":\"READY\"}}"));
        server.on(API + "model-versions/search", json(503, "{}"), json(503, "{}"),
                json(200, "{\"model_versions\":[{\"name\":\"m\",\"version\":\"1\",\"status\":\"READY\"}]}"));
        assertEquals("1", registry.createModelVersion(NewModelVersion.fromRun("m", "r1", "model")).version());
        assertEquals(1, server.count(API + "model-versions/create"));
        assertEquals(3, server.count(API + "model-versions/search"));
    }

    @Test
    public void unauthorizedIsNotRetriedAndHidesTheToken() {
        server.on(API + "runs/get", new MockResponse.Builder().code(401)
                .setHeader("WWW-Authenticate", "Basic realm=\"mlflow\"")
                .body("You are not authenticated. Please see the documentation for details.").build());
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> registry.getRun("r1"));
        // plain text, MLflow's basic-auth app's or a proxy's: said to have come, not repeated
        assertEquals("get run r1 failed: HTTP 401 UNAUTHENTICATED (68 bytes without a content type)", e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
        assertEquals(1, server.count(API + "runs/get"));
        assertEquals("Bearer " + SECRET, server.requests.get(0).getHeaders().get("Authorization"));
    }

    @Test
    public void errorCodesWinOverStatuses() {
        server.on(API + "registered-models/create",
                json(400, "{\"error_code\":\"RESOURCE_ALREADY_EXISTS\",\"message\":\"Registered Model (name=m) already exists.\"}"));
        AlreadyExistsException e = assertThrows(AlreadyExistsException.class,
                () -> registry.createRegisteredModel("m", null, Map.of()));
        assertEquals("create registered model 'm' failed: HTTP 400 RESOURCE_ALREADY_EXISTS (application/json, 94 bytes):"
                + " Registered Model (name=m) already exists.",
                e.getMessage());
        server.on(API + "registered-models/get", json(403, "Permission denied"));
        assertThrows(PermissionDeniedException.class, () -> registry.getRegisteredModel("m"));
    }

    @Test
    public void waitsForPendingRegistrationToBecomeReady() {
        server.on(API + "model-versions/get",
                json(200, "{\"model_version\":{\"name\":\"m\",\"version\":\"3\",\"status\":\"PENDING_REGISTRATION\"}}"),
                json(200, "{\"model_version\":{\"name\":\"m\",\"version\":\"3\",\"status\":\"PENDING_REGISTRATION\"}}"),
                json(200, "{\"model_version\":{\"name\":\"m\",\"version\":\"3\",\"status\":\"READY\"}}"));
        ModelVersion ready = registry.awaitReady("m", "3", Duration.ofMinutes(5), Duration.ofSeconds(3));
        assertEquals(ModelVersionStatus.READY, ready.status());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)), time.sleeps);
    }

    @Test
    public void failedRegistrationIsAnErrorWithTheServersReason() {
        server.on(API + "model-versions/get", json(200,
                "{\"model_version\":{\"name\":\"m\",\"version\":\"3\",\"status\":\"FAILED_REGISTRATION\",\"status_message\":\"upload failed\"}}"));
        RegistrationFailedException e = assertThrows(RegistrationFailedException.class,
                () -> registry.awaitReady("m", "3", Duration.ofMinutes(5), Duration.ofSeconds(3)));
        assertEquals("wait for model version m/3 to be READY failed: registration failed: upload failed", e.getMessage());
    }

    @Test
    public void pendingTooLongIsAnError() {
        server.on(API + "model-versions/get",
                json(200, "{\"model_version\":{\"name\":\"m\",\"version\":\"3\",\"status\":\"PENDING_REGISTRATION\"}}"));
        RegistrationFailedException e = assertThrows(RegistrationFailedException.class,
                () -> registry.awaitReady("m", "3", Duration.ofSeconds(10), Duration.ofSeconds(3)));
        assertTrue(e.getMessage(), e.getMessage().endsWith("still PENDING_REGISTRATION after 10 s"));
        assertEquals(3, time.sleeps.size());
    }

    @Test
    public void aPathPrefixIsKeptAndEmptyAnswersAreEmpty() throws Exception {
        registry.close();
        RegistryConfig config = RegistryConfig.builder(server.url() + "/mlflow/").retryPolicy(RetryPolicy.NONE).build();
        registry = new MlflowRegistry(config, new MlflowHttp(config, MlflowRegistry.newMapper(), time, () -> 0, time));
        server.on("/mlflow" + API + "model-versions/search", json(200, "{}"));
        Page<ModelVersion> page = registry.searchModelVersions("name = 'm'", 100, null);
        assertTrue(page.items().isEmpty());
        assertTrue(page.next().isEmpty());
        assertEquals("name = 'm'", server.requests.get(0).getUrl().queryParameter("filter"));
    }

    @Test
    public void deleteSendsAJsonBody() {
        server.on(API + "registered-models/alias", json(200, "{}"));
        registry.deleteAlias("m", "champion");
        RecordedRequest request = server.requests.get(0);
        assertEquals("DELETE", request.getMethod());
        assertEquals("{\"name\":\"m\",\"alias\":\"champion\"}", request.getBody().utf8());
        assertTrue(request.getHeaders().get("Content-Type").startsWith("application/json"));
    }

    @Test
    public void connectionRefusedIsUnreachableAfterRetries() {
        server.close();
        RegistryUnreachableException e = assertThrows(RegistryUnreachableException.class, () -> registry.getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().contains("connection refused"));
        assertTrue(e.getMessage(), e.getMessage().contains("gave up after 8 attempts in 120 s; retry budget 120 s"));
        assertEquals(7, lines.size());
        for (String line : lines) {
            assertTrue(line, line.startsWith("get run r1 failed: no answer from " + server.url()
                    + " (connection refused); retrying in "));
        }
    }

    /** MLflow 2.x answers the MLflow 3 logged-models/search with 404: no logged models, not a failure (exit 3). */
    @Test
    public void anMlflow2ServerHasNoLoggedModels() {
        server.on(API + "logged-models/search", json(404, "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"not found\"}"));
        server.on(API + "runs/get", json(200, RUN));
        assertEquals(List.of(), registry.searchLoggedModels("1", "name = " + MlflowRegistry.quote("model")));
        io.jenkins.plugins.mlstages.eval.EvaluationToRun.Target target =
                io.jenkins.plugins.mlstages.eval.EvaluationToRun.target(registry, "r1", null);
        assertEquals(null, target.modelId());
        assertEquals(2, server.count(API + "logged-models/search"));
    }

    /** A 200 that is not JSON (a sign-on page, a wrong URL) is a registry failure (exit 3), not an internal error. */
    @Test
    public void anAnswerThatIsNotJsonIsARegistryFailureNamingTheUrl() {
        server.on(API + "runs/get", new MockResponse.Builder().code(200).body("<html>Sign in " + SECRET + "</html>").build());
        RegistryException e = assertThrows(RegistryException.class, () -> registry.getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("get run r1 failed: " + server.url()));
        assertTrue(e.getMessage(), e.getMessage().contains(API + "runs/get answered HTTP 200 with something that is not JSON"
                + " (39 bytes without a content type; a sign-in page, or not an MLflow server?)"));
        assertFalse(e.getMessage(), e.getMessage().contains("Sign in"));
        assertFalse(e.getMessage(), e.getMessage().contains(SECRET));
    }
}
