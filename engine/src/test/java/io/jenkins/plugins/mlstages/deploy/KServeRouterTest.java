package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * {@link KServeRouter} against fabric8's Kubernetes mock server in CRUD mode with {@link FakeKServe} playing KServe's
 * controller: no cluster can run here, so this checks the API contract (paths, merge patch, status shape, errors)
 * through the real client, not a real KServe.
 */
public class KServeRouterTest {
    private static final String TOKEN = "k8s-s3cret-token";
    private static final Duration CONTROLLER_DELAY = Duration.ofMillis(300);
    private static final String PATH = "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/iris";

    @org.junit.Rule
    public org.junit.rules.TemporaryFolder tmp = new org.junit.rules.TemporaryFolder();

    private KubernetesMock kubernetes;
    private FakeKServe kserve;

    @Before
    public void start() {
        kubernetes = new KubernetesMock();
    }

    @After
    public void stop() {
        if (kserve != null) {
            kserve.close();
        }
        kubernetes.close();
    }

    private KServeConfig config(Optional<String> storageUri, Duration readyTimeout) {
        return KServeConfig.withToken(kubernetes.url(), TOKEN, Optional.empty(), "models", "iris", storageUri, readyTimeout);
    }

    private static KServeRouter router(KServeConfig config) {
        return new KServeRouter(config, Duration.ofMillis(50), Sleeper.SYSTEM);
    }

    private static String trafficOf(JsonNode isvc) {
        StringBuilder text = new StringBuilder();
        for (JsonNode target : isvc.path("status").path("components").path("predictor").path("traffic")) {
            text.append(target.path("revisionName").asText()).append('=').append(target.path("percent").asInt()).append(' ');
        }
        return text.toString().strip();
    }

    /** The requests the server got so far: method, path, content type and authorization. */
    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = kubernetes.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    @Test
    public void shiftsStepByStepAndPromotes() throws Exception {
        kserve = FakeKServe.start(kubernetes, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        KServeRouter router = router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10)));
        assertEquals(100, router.canaryWeight());

        long start = System.nanoTime();
        router.setCanaryWeight(10);
        assertTrue("waited for the controller", System.nanoTime() - start >= CONTROLLER_DELAY.toNanos());
        JsonNode isvc = kserve.inferenceService();
        assertEquals("gs://models/v2", isvc.path("spec").path("predictor").path("model").path("storageUri").asText());
        assertEquals("sklearn", isvc.path("spec").path("predictor").path("model").path("modelFormat").path("name").asText());
        assertEquals("iris-predictor-00002=10 iris-predictor-00001=90", trafficOf(isvc));
        assertEquals(10, router.canaryWeight());
        // the router's patches (FakeKServe writes the status with JSON patches)
        List<RecordedRequest> patches = requests().stream().filter(r -> r.getMethod().equals("PATCH")
                && r.getPath().equals(PATH) && r.getHeader("Content-Type").startsWith("application/merge-patch+json")).toList();
        assertEquals(1, patches.size());
        assertEquals("Bearer " + TOKEN, patches.get(0).getHeader("Authorization"));

        router.setCanaryWeight(50);
        assertEquals("iris-predictor-00002=50 iris-predictor-00001=50", trafficOf(kserve.inferenceService()));
        router.setCanaryWeight(100);
        isvc = kserve.inferenceService();
        assertEquals("iris-predictor-00002=100", trafficOf(isvc));
        assertEquals("iris-predictor-00002",
                isvc.path("status").path("components").path("predictor").path("latestRolledoutRevision").asText());
        assertEquals(100, router.canaryWeight());
        assertEquals("the same model all along: one new revision", "iris-predictor-00002",
                isvc.path("status").path("components").path("predictor").path("latestCreatedRevision").asText());
    }

    @Test
    public void rollsBackToThePreviousRevision() throws Exception {
        kserve = FakeKServe.start(kubernetes, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        KServeRouter router = router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10)));
        router.setCanaryWeight(10);
        router.setCanaryWeight(0);
        assertEquals("iris-predictor-00002=0 iris-predictor-00001=100", trafficOf(kserve.inferenceService()));
        assertEquals(0, router.canaryWeight());
        // setting what is in effect again is harmless
        router.setCanaryWeight(0);
        assertEquals(0, router.canaryWeight());
    }

    @Test
    public void withoutACanaryModelOnlyThePercentIsPatched() throws Exception {
        kserve = FakeKServe.start(kubernetes, Duration.ZERO, "models", "iris", "gs://models/v1");
        // the operator created the new revision; the router only splits
        router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10))).setCanaryWeight(0);
        KServeRouter router = router(config(Optional.empty(), Duration.ofSeconds(10)));
        router.setCanaryWeight(25);
        JsonNode isvc = kserve.inferenceService();
        assertEquals(25, isvc.path("spec").path("predictor").path("canaryTrafficPercent").asInt());
        assertEquals("gs://models/v2", isvc.path("spec").path("predictor").path("model").path("storageUri").asText());
        assertEquals(25, router.canaryWeight());
    }

    @Test
    public void aSplitKServeDoesNotMakeIsATimeoutNamingWhatItReports() throws Exception {
        kserve = FakeKServe.start(kubernetes, Duration.ZERO, "models", "iris", "gs://models/v1");
        // one revision only: KServe keeps 100 % on it whatever canaryTrafficPercent says
        KServeRouter router = router(config(Optional.empty(), Duration.ofMillis(700)));
        DeployException e = assertThrows(DeployException.class, () -> router.setCanaryWeight(10));
        assertTrue(e.getMessage(), e.getMessage().startsWith("KServe InferenceService models/iris at " + kubernetes.url()
                + "/ did not report canary 10 % within 700 ms; it reports traffic iris-predictor-00001 (latest) 100 %"));
    }

    @Test
    public void aCanaryRevisionThatNeverBecomesReadyTimesOut() throws Exception {
        kserve = FakeKServe.start(kubernetes, Duration.ofMillis(50), "models", "iris", "gs://models/v1");
        kserve.failNewRevisions();
        KServeRouter router = router(config(Optional.of("gs://models/broken"), Duration.ofSeconds(1)));
        DeployException e = assertThrows(DeployException.class, () -> router.setCanaryWeight(10));
        assertTrue(e.getMessage(), e.getMessage().contains("latest created revision iris-predictor-00002, latest ready"
                + " revision iris-predictor-00001, Ready False (Revision \"iris-predictor-00002\" failed"));
        // Knative keeps serving the ready revision: the canary has no traffic
        assertEquals("iris-predictor-00001=100", trafficOf(kserve.inferenceService()));
    }

    @Test
    public void apiErrorsAreNamedWithoutTheToken() throws Exception {
        kubernetes.server.expect().get().withPath(PATH).andReturn(401, new StatusBuilder().withKind("Status")
                .withStatus("Failure").withReason("Unauthorized").withMessage("Unauthorized").withCode(401).build()).once();
        DeployException e = assertThrows(DeployException.class,
                () -> router(config(Optional.empty(), Duration.ofSeconds(1))).setCanaryWeight(10));
        assertEquals("kubernetes API read InferenceService of models/iris failed: GET " + kubernetes.url() + PATH
                + " answered HTTP 401: Unauthorized: Unauthorized (the cluster did not accept who we are: check the token, client certificate or exec plugin)", e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));

        kserve = FakeKServe.start(kubernetes, Duration.ZERO, "models", "iris", "gs://models/v1");
        long generation = kserve.generation();
        KServeConfig other = KServeConfig.withToken(kubernetes.url(), TOKEN, Optional.empty(), "models", "nope",
                Optional.empty(), Duration.ofSeconds(1));
        e = assertThrows(DeployException.class, () -> router(other).canaryWeight());
        assertEquals("kubernetes API read InferenceService of models/nope failed: GET " + kubernetes.url()
                + "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/nope answered HTTP 404: NotFound"
                + " (is KServe installed and the InferenceService created?)", e.getMessage());
        assertEquals("nothing patched", generation, kserve.generation());
    }

    /**
     * A refused credential (401, 403) will not clear: the canary's router retries (6 attempts, about 31 s going forward
     * and again for the rollback) stop at once, one request forward and one for the rollback, then exit 3's one line.
     */
    @Test
    public void aRefusedCredentialIsNotRetried() throws Exception {
        for (int code : new int[] {401, 403}) {
            kubernetes.server.expect().get().withPath(PATH).andReturn(code, new StatusBuilder().withKind("Status")
                    .withStatus("Failure").withReason(code == 401 ? "Unauthorized" : "Forbidden").withMessage("no").withCode(code)
                    .build()).always();
            List<Duration> waits = new CopyOnWriteArrayList<>();
            Sleeper recording = waits::add;
            CanaryRun run = new CanaryRun(new CanaryStateStore(tmp.getRoot().toPath().resolve("state-" + code + ".json")),
                    new KServeRouter(config(Optional.empty(), Duration.ofSeconds(1)), Duration.ofMillis(50), recording), MetricSource.NONE,
                    new Fakes.Aliases(), new io.jenkins.plugins.mlstages.report.StageLog() {
                        @Override
                        public void info(String message) {
                        }

                        @Override
                        public void progress(String task, double share, String detail) {
                        }
                    }, java.time.Clock.systemUTC(), recording, Backoff.DEFAULT);
            DeployException e = assertThrows(DeployException.class, () -> run.start(CanaryRunTest.plan(CanaryRunTest.errorRate())));
            assertTrue(e.getMessage(), e.getMessage().contains("answered HTTP " + code + ": ") && e.getMessage().contains("(after 1 attempt)"));
            assertFalse(e.getMessage(), e.getMessage().contains("\n"));
            assertEquals("no wait between attempts", List.of(), waits);
            assertEquals("one read forward, one for the rollback", 2, requests().size());
            kubernetes.close();
            kubernetes = new KubernetesMock();
        }
    }

    @Test
    public void aMultiLineApiErrorIsReportedOnOneLine() throws Exception {
        kserve = FakeKServe.start(kubernetes, Duration.ZERO, "models", "iris", "gs://models/v1");
        kubernetes.server.expect().patch().withPath(PATH).andReturn(422, new StatusBuilder().withKind("Status")
                .withStatus("Failure").withReason("Invalid").withCode(422).withMessage("admission webhook"
                        + " \"inferenceservice.kserve-webhook-server.validator\" denied the request:\n"
                        + "  spec.predictor.canaryTrafficPercent:\tInvalid value: 10\r\n\n  quota exceeded").build()).always();
        DeployException e = assertThrows(DeployException.class,
                () -> router(config(Optional.empty(), Duration.ofSeconds(1))).setCanaryWeight(10));
        assertEquals("kubernetes API set canary 10 % of models/iris failed: PATCH " + kubernetes.url() + PATH
                + " answered HTTP 422: Invalid: admission webhook \"inferenceservice.kserve-webhook-server.validator\" denied"
                + " the request: spec.predictor.canaryTrafficPercent: Invalid value: 10 quota exceeded", e.getMessage());
    }

    @Test
    public void theOldPredictorSchemaCannotTakeAStorageUri() throws Exception {
        kserve = FakeKServe.startOldSchema(kubernetes, "models", "iris");
        long generation = kserve.generation();
        DeployException e = assertThrows(DeployException.class,
                () -> router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(1))).setCanaryWeight(10));
        assertTrue(e.getMessage(), e.getMessage().contains("has no spec.predictor.model"));
        assertEquals("nothing patched", generation, kserve.generation());
    }

    /** Records each wait, waiting a little for real so that the fake controller catches up. */
    private static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            waits.add(duration);
            Thread.sleep(20);
        }
    }

    @Test
    public void everyReadinessWaitGoesThroughTheSleeper() throws Exception {
        kserve = FakeKServe.start(kubernetes, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        RecordingSleeper sleeper = new RecordingSleeper();
        KServeRouter router = new KServeRouter(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10)), sleeper);
        router.setCanaryWeight(10);
        assertEquals(10, router.canaryWeight());
        assertFalse("the controller's delay was waited for", sleeper.waits.isEmpty());
        assertEquals(sleeper.waits.toString(), Set.of(Duration.ofSeconds(1)), Set.copyOf(sleeper.waits));
    }

    @Test
    public void theRetriesOfARequestWaitThroughTheSleeperToo() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            for (int i = 0; i < 4; i++) {
                server.enqueue(new MockResponse.Builder().code(503).body("").build());
            }
            RecordingSleeper sleeper = new RecordingSleeper();
            KServeRouter router = new KServeRouter(KServeConfig.withToken(server.url("/").toString(), TOKEN, Optional.empty(),
                    "models", "iris", Optional.empty(), Duration.ofSeconds(10)), sleeper);
            DeployException e = assertThrows(DeployException.class, () -> router.setCanaryWeight(10));
            assertTrue(e.getMessage(), e.getMessage().contains("answered HTTP 503"));
            assertEquals("fabric8's own retries are off: ours only", 4, server.getRequestCount());
            assertEquals(sleeper.waits.toString(), 3, sleeper.waits.size());
        }
    }

    @Test
    public void anInterruptedWaitEndsSetCanaryWeightWithInterruptedException() throws Exception {
        kserve = FakeKServe.start(kubernetes, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        Sleeper aborted = d -> {
            throw new InterruptedException("aborted");
        };
        long generation = kserve.generation();
        KServeRouter router = new KServeRouter(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10)), aborted);
        // waiting for readiness
        InterruptedException e = assertThrows(InterruptedException.class, () -> router.setCanaryWeight(10));
        assertEquals("aborted", e.getMessage());
        assertEquals("patched once, then stopped waiting", generation + 1, kserve.generation());
        // waiting before another try of a request
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(503).body("").build());
            KServeRouter failing = new KServeRouter(KServeConfig.withToken(server.url("/").toString(), TOKEN, Optional.empty(),
                    "models", "iris", Optional.empty(), Duration.ofSeconds(10)), aborted);
            assertThrows(InterruptedException.class, () -> failing.setCanaryWeight(10));
            assertEquals(1, server.getRequestCount());
        }
    }
}
