package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * {@link KServeRouter} against {@link FakeKubernetes}, a stand-in for the Kubernetes API with KServe's
 * canary behaviour: no cluster exists here, so this checks the API contract (paths, merge patch,
 * token, CA, status shape), not a real KServe.
 */
public class KServeRouterTest {
    private static final String TOKEN = "k8s-s3cret-token";
    private static final Duration CONTROLLER_DELAY = Duration.ofMillis(300);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private FakeKubernetes kubernetes;

    @After
    public void stop() {
        if (kubernetes != null) {
            kubernetes.close();
        }
    }

    private KServeRouter router(KServeConfig config) {
        return new KServeRouter(config, new DeployHttp("kubernetes API", Optional.of(TOKEN), Duration.ofSeconds(5),
                Optional.empty(), DeployHttp.RETRIES, d -> { }), Duration.ofMillis(50));
    }

    private KServeConfig config(Optional<String> storageUri, Duration readyTimeout) {
        return new KServeConfig(kubernetes.url(), "models", "iris", Optional.of(TOKEN), Optional.empty(), storageUri,
                readyTimeout);
    }

    private static String trafficOf(JsonNode isvc) {
        StringBuilder text = new StringBuilder();
        for (JsonNode target : isvc.path("status").path("components").path("predictor").path("traffic")) {
            text.append(target.path("revisionName").asText()).append('=').append(target.path("percent").asInt()).append(' ');
        }
        return text.toString().strip();
    }

    @Test
    public void shiftsStepByStepAndPromotes() throws Exception {
        kubernetes = FakeKubernetes.start(TOKEN, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        KServeRouter router = router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10)));
        assertEquals(100, router.canaryWeight());

        long start = System.nanoTime();
        router.setCanaryWeight(10);
        assertTrue("waited for the controller", System.nanoTime() - start >= CONTROLLER_DELAY.toNanos());
        JsonNode isvc = kubernetes.inferenceService();
        assertEquals("gs://models/v2", isvc.path("spec").path("predictor").path("model").path("storageUri").asText());
        assertEquals("sklearn", isvc.path("spec").path("predictor").path("model").path("modelFormat").path("name").asText());
        assertEquals("iris-predictor-00002=10 iris-predictor-00001=90", trafficOf(isvc));
        assertEquals(10, router.canaryWeight());
        assertTrue(kubernetes.requests.toString(), kubernetes.requests.contains(
                "PATCH /apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/iris application/merge-patch+json"));

        router.setCanaryWeight(50);
        assertEquals("iris-predictor-00002=50 iris-predictor-00001=50", trafficOf(kubernetes.inferenceService()));
        router.setCanaryWeight(100);
        isvc = kubernetes.inferenceService();
        assertEquals("iris-predictor-00002=100", trafficOf(isvc));
        assertEquals("iris-predictor-00002",
                isvc.path("status").path("components").path("predictor").path("latestRolledoutRevision").asText());
        assertEquals(100, router.canaryWeight());
        assertEquals("the same model all along: one new revision", "iris-predictor-00002",
                isvc.path("status").path("components").path("predictor").path("latestCreatedRevision").asText());
    }

    @Test
    public void rollsBackToThePreviousRevision() throws Exception {
        kubernetes = FakeKubernetes.start(TOKEN, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        KServeRouter router = router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10)));
        router.setCanaryWeight(10);
        router.setCanaryWeight(0);
        assertEquals("iris-predictor-00002=0 iris-predictor-00001=100", trafficOf(kubernetes.inferenceService()));
        assertEquals(0, router.canaryWeight());
        // setting what is in effect again is harmless
        router.setCanaryWeight(0);
        assertEquals(0, router.canaryWeight());
    }

    @Test
    public void withoutACanaryModelOnlyThePercentIsPatched() throws Exception {
        kubernetes = FakeKubernetes.start(TOKEN, Duration.ZERO, "models", "iris", "gs://models/v1");
        // the operator created the new revision; the router only splits
        router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(10))).setCanaryWeight(0);
        KServeRouter router = router(config(Optional.empty(), Duration.ofSeconds(10)));
        router.setCanaryWeight(25);
        JsonNode isvc = kubernetes.inferenceService();
        assertEquals(25, isvc.path("spec").path("predictor").path("canaryTrafficPercent").asInt());
        assertEquals("gs://models/v2", isvc.path("spec").path("predictor").path("model").path("storageUri").asText());
        assertEquals(25, router.canaryWeight());
    }

    @Test
    public void aSplitKServeDoesNotMakeIsATimeoutNamingWhatItReports() throws Exception {
        kubernetes = FakeKubernetes.start(TOKEN, Duration.ZERO, "models", "iris", "gs://models/v1");
        // one revision only: KServe keeps 100 % on it whatever canaryTrafficPercent says
        KServeRouter router = router(config(Optional.empty(), Duration.ofMillis(700)));
        try {
            router.setCanaryWeight(10);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(
                    "KServe InferenceService models/iris at " + kubernetes.url() + "/ did not report canary 10 % within 700 ms;"
                            + " it reports traffic iris-predictor-00001 (latest) 100 %"));
        }
    }

    @Test
    public void aCanaryRevisionThatNeverBecomesReadyTimesOut() throws Exception {
        kubernetes = FakeKubernetes.start(TOKEN, Duration.ofMillis(50), "models", "iris", "gs://models/v1");
        kubernetes.failNewRevisions();
        KServeRouter router = router(config(Optional.of("gs://models/broken"), Duration.ofSeconds(1)));
        try {
            router.setCanaryWeight(10);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("latest created revision iris-predictor-00002, latest ready"
                    + " revision iris-predictor-00001, Ready False (Revision \"iris-predictor-00002\" failed"));
        }
        // Knative keeps serving the ready revision: the canary has no traffic
        assertEquals("iris-predictor-00001=100", trafficOf(kubernetes.inferenceService()));
    }

    @Test
    public void apiErrorsAreNamedWithoutTheToken() throws Exception {
        kubernetes = FakeKubernetes.start("another-token", Duration.ZERO, "models", "iris", "gs://models/v1");
        try {
            router(config(Optional.empty(), Duration.ofSeconds(1))).setCanaryWeight(10);
            fail();
        } catch (DeployException e) {
            assertEquals("kubernetes API read InferenceService of models/iris failed: GET " + kubernetes.url()
                    + "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/iris answered HTTP 401"
                    + " (application/json, 114 bytes): Unauthorized: Unauthorized (the token was refused)", e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN));
        }
        kubernetes.token(TOKEN);
        KServeConfig other = new KServeConfig(kubernetes.url(), "models", "nope", Optional.of(TOKEN), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(1));
        try {
            router(other).canaryWeight();
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(
                    " NotFound: inferenceservices.serving.kserve.io \"nope\" not found (is KServe installed"));
            assertTrue(e.getMessage(), e.getMessage().contains("answered HTTP 404 (application/json, "));
        }
        assertEquals(0, kubernetes.patches());
    }

    @Test
    public void aMultiLineApiErrorIsReportedOnOneLine() throws Exception {
        kubernetes = FakeKubernetes.start(TOKEN, Duration.ZERO, "models", "iris", "gs://models/v1");
        kubernetes.refusePatches(422, "Invalid", "admission webhook \"inferenceservice.kserve-webhook-server.validator\" denied"
                + " the request:\n  spec.predictor.canaryTrafficPercent:\tInvalid value: 10\r\n\n  quota exceeded");
        try {
            router(config(Optional.empty(), Duration.ofSeconds(1))).setCanaryWeight(10);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().matches(".*answered HTTP 422 \\(application/json, \\d+ bytes\\): .*"));
            assertTrue(e.getMessage(), e.getMessage().endsWith(" bytes): Invalid: admission webhook"
                    + " \"inferenceservice.kserve-webhook-server.validator\" denied the request: spec.predictor.canaryTrafficPercent:"
                    + " Invalid value: 10 quota exceeded"));
        }
    }

    @Test
    public void theOldPredictorSchemaCannotTakeAStorageUri() throws Exception {
        kubernetes = FakeKubernetes.startOldSchema(TOKEN, "models", "iris");
        try {
            router(config(Optional.of("gs://models/v2"), Duration.ofSeconds(1))).setCanaryWeight(10);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("has no spec.predictor.model"));
        }
        assertEquals("nothing patched", 0, kubernetes.patches());
    }

    @Test
    public void tlsWithThePrivateCaFromAFileOrInline() throws Exception {
        Path dir = temp.getRoot().toPath();
        SSLContext serverTls = TestCertificates.serverContext(dir);
        kubernetes = FakeKubernetes.startTls(serverTls, TOKEN, Duration.ZERO, "models", "iris", "gs://models/v1");
        Path ca = dir.resolve("ca.pem");
        KServeConfig fromFile = new KServeConfig(kubernetes.url(), "models", "iris", Optional.of(TOKEN), Optional.of(ca),
                Optional.empty(), Duration.ofSeconds(5));
        assertEquals(100, new KServeRouter(fromFile).canaryWeight());
        KServeConfig inline = new KServeConfig(kubernetes.url(), "models", "iris", Optional.of(TOKEN), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5), Optional.of(Files.readString(ca)), Optional.empty());
        assertEquals(100, new KServeRouter(inline).canaryWeight());
        // without the CA the JVM's trust store does not know the server
        KServeConfig untrusted = new KServeConfig(kubernetes.url(), "models", "iris", Optional.of(TOKEN),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
        try {
            router(untrusted).canaryWeight();
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("(TLS failed:"));
        }
    }

    @Test
    public void aTokenFileIsReadForEachRequest() throws Exception {
        kubernetes = FakeKubernetes.start("first", Duration.ZERO, "models", "iris", "gs://models/v1");
        Path tokenFile = temp.newFile("token").toPath();
        Files.writeString(tokenFile, "first\n");
        KServeRouter router = new KServeRouter(new KServeConfig(kubernetes.url(), "models", "iris", Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Optional.empty(), Optional.of(tokenFile)));
        assertEquals(100, router.canaryWeight());
        // the kubelet rotates the token
        Files.writeString(tokenFile, "second\n");
        kubernetes.token("second");
        assertEquals(100, router.canaryWeight());
        Files.delete(tokenFile);
        try {
            router.canaryWeight();
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("cannot read the Kubernetes token file " + tokenFile));
        }
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
        kubernetes = FakeKubernetes.start(TOKEN, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        RecordingSleeper sleeper = new RecordingSleeper();
        KServeRouter router = new KServeRouter(KServeConfig.withToken(kubernetes.url(), TOKEN, Optional.empty(), "models", "iris",
                Optional.of("gs://models/v2"), Duration.ofSeconds(10)), sleeper);
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
            assertEquals(4, server.getRequestCount());
            assertEquals(sleeper.waits.toString(), 3, sleeper.waits.size());
        }
    }

    @Test
    public void anInterruptedWaitEndsSetCanaryWeightWithInterruptedException() throws Exception {
        kubernetes = FakeKubernetes.start(TOKEN, CONTROLLER_DELAY, "models", "iris", "gs://models/v1");
        Sleeper aborted = d -> {
            throw new InterruptedException("aborted");
        };
        KServeRouter router = new KServeRouter(KServeConfig.withToken(kubernetes.url(), TOKEN, Optional.empty(), "models", "iris",
                Optional.of("gs://models/v2"), Duration.ofSeconds(10)), aborted);
        // waiting for readiness
        InterruptedException e = assertThrows(InterruptedException.class, () -> router.setCanaryWeight(10));
        assertEquals("aborted", e.getMessage());
        assertEquals("patched once, then stopped waiting", 1, kubernetes.patches());
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

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
    static final class TestCertificates {
        static SSLContext serverContext(Path dir) throws Exception {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Path store = dir.resolve("server.p12");
            run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"));
            run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
                    "-storepass", "changeit", "-file", dir.resolve("ca.pem").toString()));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (FileInputStream in = new FileInputStream(store.toFile())) {
                keys.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, "changeit".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        }

        private static void run(List<String> command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        }
    }
}
