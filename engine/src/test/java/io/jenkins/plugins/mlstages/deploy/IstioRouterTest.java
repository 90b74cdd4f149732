package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlstages.deploy.IstioConfig.Destination;

/**
 * {@link IstioRouter} against fabric8's Kubernetes mock server in CRUD mode (no cluster, no Istio here): the
 * VirtualService route's weights between two KServe predictors, and its mirror on and off for shadow mode; the
 * rest of the VirtualService is left as it was.
 */
public class IstioRouterTest {
    private static final String TOKEN = "istio-test-token";
    private static final Destination STABLE = Destination.parse("iris-v1-predictor.models.svc.cluster.local", "stable");
    private static final Destination CANARY = Destination.parse("iris-v2-predictor.models.svc.cluster.local", "canary");
    private static final Destination CAPTURE = Destination.parse("shadow-capture.models.svc.cluster.local", "mirror");

    private KubernetesMock kubernetes;

    @Before
    public void start() {
        kubernetes = new KubernetesMock();
        create("""
                {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                 "metadata": {"name": "iris", "namespace": "models"},
                 "spec": {"hosts": ["iris.example.com"], "gateways": ["models/gateway"],
                  "http": [
                   {"name": "health", "match": [{"uri": {"prefix": "/health"}}],
                    "route": [{"destination": {"host": "health.models.svc.cluster.local"}}]},
                   {"name": "predict", "timeout": "10s", "retries": {"attempts": 2},
                    "route": [{"destination": {"host": "iris-v1-predictor.models.svc.cluster.local", "port": {"number": 80}},
                               "headers": {"request": {"set": {"x-model": "iris"}}}}]}]}}""");
    }

    @After
    public void stop() {
        kubernetes.close();
    }

    private void create(String json) {
        kubernetes.client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace("models")
                .resource(Serialization.unmarshal(json, GenericKubernetesResource.class)).create();
    }

    private JsonNode virtualService() throws Exception {
        GenericKubernetesResource vs = kubernetes.client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE)
                .inNamespace("models").withName("iris").get();
        return new ObjectMapper().readTree(Serialization.asJson(vs));
    }

    private JsonNode predictRoute() throws Exception {
        return virtualService().path("spec").path("http").path(1);
    }

    private IstioRouter router(Optional<String> route, Optional<Destination> canary, Optional<Destination> mirror) {
        return new IstioRouter(IstioConfig.of(KubernetesCluster.withToken(kubernetes.url(), TOKEN, Optional.empty()), "models",
                "iris", route, STABLE, canary, mirror, 100, Duration.ofSeconds(5)), Duration.ofMillis(20), d -> { });
    }

    private static String weights(JsonNode route) {
        StringBuilder text = new StringBuilder();
        for (JsonNode entry : route.path("route")) {
            text.append(entry.path("destination").path("host").asText()).append('=').append(entry.path("weight").asInt()).append(' ');
        }
        return text.toString().strip();
    }

    @Test
    public void shiftsTheWeightsOfTheStableRouteOnly() throws Exception {
        IstioRouter router = router(Optional.empty(), Optional.of(CANARY), Optional.empty());
        assertEquals("one destination takes everything", 0, router.canaryWeight());
        JsonNode before = virtualService();

        router.setCanaryWeight(10);
        JsonNode route = predictRoute();
        assertEquals("iris-v1-predictor.models.svc.cluster.local=90 iris-v2-predictor.models.svc.cluster.local=10", weights(route));
        // the canary entry copies the stable one's port and headers
        assertEquals(80, route.path("route").path(1).path("destination").path("port").path("number").asInt());
        assertEquals("iris", route.path("route").path(1).path("headers").path("request").path("set").path("x-model").asText());
        assertEquals(10, router.canaryWeight());
        assertEquals("the rest of the route stays", "10s", route.path("timeout").asText());
        JsonNode after = virtualService();
        assertEquals(before.path("spec").path("http").path(0), after.path("spec").path("http").path(0));
        assertEquals(before.path("spec").path("hosts"), after.path("spec").path("hosts"));

        router.setCanaryWeight(50);
        assertEquals(50, router.canaryWeight());
        router.setCanaryWeight(100);
        assertEquals("iris-v1-predictor.models.svc.cluster.local=0 iris-v2-predictor.models.svc.cluster.local=100",
                weights(predictRoute()));
        // rollback
        router.setCanaryWeight(0);
        assertEquals(0, router.canaryWeight());
        assertEquals("iris-v1-predictor.models.svc.cluster.local=100 iris-v2-predictor.models.svc.cluster.local=0",
                weights(predictRoute()));
    }

    @Test
    public void mirrorsToTheCaptureAndStops() throws Exception {
        IstioRouter mirror = router(Optional.of("predict"), Optional.empty(), Optional.of(CAPTURE));
        assertFalse(mirror.mirroring());
        mirror.setMirroring(true);
        JsonNode route = predictRoute();
        assertEquals("shadow-capture.models.svc.cluster.local", route.path("mirror").path("host").asText());
        assertEquals(100.0, route.path("mirrorPercentage").path("value").asDouble(), 0);
        assertEquals("users still get the live model", "iris-v1-predictor.models.svc.cluster.local=0", weights(route));
        assertEquals(1, route.path("route").size());
        assertTrue(mirror.mirroring());
        // on again is harmless
        mirror.setMirroring(true);
        assertTrue(mirror.mirroring());
        mirror.setMirroring(false);
        route = predictRoute();
        assertTrue(route.path("mirror").isMissingNode());
        assertTrue(route.path("mirrorPercentage").isMissingNode());
        assertFalse(mirror.mirroring());
        assertEquals("a router without a canary destination only mirrors",
                assertThrows(DeployException.class, mirror::canaryWeight).getMessage(),
                mirror.describe() + " has no canary destination configured: it only mirrors");
    }

    @Test
    public void aPartialMirrorAndSubsets() throws Exception {
        Destination stable = Destination.parse("iris-v1-predictor.models.svc.cluster.local", "stable");
        IstioRouter router = new IstioRouter(IstioConfig.of(KubernetesCluster.withToken(kubernetes.url(), TOKEN, Optional.empty()),
                "models", "iris", Optional.empty(), stable, Optional.of(Destination.parse("iris-v1-predictor.models.svc.cluster.local/v2",
                        "canary")), Optional.of(Destination.parse("capture.models.svc.cluster.local/a", "mirror")), 12.5,
                Duration.ofSeconds(5)), Duration.ofMillis(20), d -> { });
        router.setCanaryWeight(30);
        JsonNode route = predictRoute();
        assertEquals("v2", route.path("route").path(1).path("destination").path("subset").asText());
        assertEquals(30, router.canaryWeight());
        router.setMirroring(true);
        route = predictRoute();
        assertEquals("a", route.path("mirror").path("subset").asText());
        assertEquals(12.5, route.path("mirrorPercentage").path("value").asDouble(), 0);
        assertEquals("the weights stay", 30, router.canaryWeight());
    }

    @Test
    public void aRouteThatCannotBeToldApartOrSendsElsewhereIsOneLine() throws Exception {
        DeployException e = assertThrows(DeployException.class,
                () -> router(Optional.of("nope"), Optional.of(CANARY), Optional.empty()).setCanaryWeight(10));
        assertTrue(e.getMessage(), e.getMessage().endsWith(" has no spec.http routes named 'nope'"));
        IstioRouter wrongStable = new IstioRouter(IstioConfig.of(KubernetesCluster.withToken(kubernetes.url(), TOKEN, Optional.empty()),
                "models", "iris", Optional.of("health"), STABLE, Optional.of(CANARY), Optional.empty(), 100, Duration.ofSeconds(5)),
                Duration.ofMillis(20), d -> { });
        e = assertThrows(DeployException.class, () -> wrongStable.setCanaryWeight(10));
        assertTrue(e.getMessage(), e.getMessage().contains("route 'health' also sends to health.models.svc.cluster.local, which is"
                + " neither the stable"));
        JsonNode unchanged = virtualService();
        assertEquals("nothing written", 1, unchanged.path("metadata").path("generation").asLong(1));
        IstioRouter missing = new IstioRouter(IstioConfig.of(KubernetesCluster.withToken(kubernetes.url(), TOKEN, Optional.empty()),
                "models", "other", Optional.empty(), STABLE, Optional.of(CANARY), Optional.empty(), 100, Duration.ofSeconds(5)),
                Duration.ofMillis(20), d -> { });
        e = assertThrows(DeployException.class, missing::canaryWeight);
        assertEquals("kubernetes API read VirtualService models/other failed: GET " + kubernetes.url()
                + "/apis/networking.istio.io/v1/namespaces/models/virtualservices/other answered HTTP 404: NotFound"
                + " (is Istio installed and the VirtualService created?)", e.getMessage());
    }

    @Test
    public void aConcurrentChangeIsNotOverwritten() throws Exception {
        IstioRouter router = router(Optional.empty(), Optional.of(CANARY), Optional.empty());
        router.setCanaryWeight(10);
        // someone edits the other route meanwhile: the router's next change reads it again and keeps it
        GenericKubernetesResource vs = kubernetes.client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE)
                .inNamespace("models").withName("iris").get();
        JsonNode tree = new ObjectMapper().readTree(Serialization.asJson(vs));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("spec").path("http").path(0)).put("timeout", "3s");
        kubernetes.client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace("models")
                .resource(Serialization.unmarshal(tree.toString(), GenericKubernetesResource.class)).update();
        router.setCanaryWeight(20);
        assertEquals("3s", virtualService().path("spec").path("http").path(0).path("timeout").asText());
        assertEquals(20, router.canaryWeight());
    }

    @Test
    public void aConflictingWriteIsReadAndWrittenAgain() throws Exception {
        // the API server refuses the first write as a concurrent change would (409, resourceVersion moved on)
        kubernetes.server.expect().put().withPath("/apis/networking.istio.io/v1/namespaces/models/virtualservices/iris")
                .andReturn(409, new io.fabric8.kubernetes.api.model.StatusBuilder().withStatus("Failure").withReason("Conflict")
                        .withCode(409).withMessage("the object has been modified; please apply your changes to the latest version")
                        .build()).once();
        IstioRouter router = router(Optional.empty(), Optional.of(CANARY), Optional.empty());
        router.setCanaryWeight(10);
        assertEquals(10, router.canaryWeight());
        long puts = 0;
        io.fabric8.mockwebserver.http.RecordedRequest request;
        while ((request = kubernetes.server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            puts += request.getMethod().equals("PUT") ? 1 : 0;
        }
        assertEquals("written again after the conflict", 2, puts);
    }

    @Test
    public void destinationsAreCheckedWhenConfigured() {
        assertEquals("--istio-canary must be HOST or HOST/SUBSET, was 'a/b/c'", assertThrows(IllegalArgumentException.class,
                () -> Destination.parse("a/b/c", "--istio-canary")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Destination.parse("http://x", "--istio-canary"))
                .getMessage().startsWith("--istio-canary"));
        assertEquals(new Destination("h.svc", Optional.of("v1")), Destination.parse(" h.svc/v1 ", "x"));
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> IstioConfig.of(
                KubernetesCluster.withToken(kubernetes.url(), TOKEN, Optional.empty()), "models", "iris", Optional.empty(), STABLE,
                Optional.of(STABLE), Optional.empty(), 100, Duration.ofSeconds(5)));
        assertTrue(same.getMessage(), same.getMessage().startsWith("the Istio canary destination is the stable one"));
        assertThrows(IllegalArgumentException.class, () -> IstioConfig.of(KubernetesCluster.withToken(kubernetes.url(), TOKEN,
                Optional.empty()), "models", "iris", Optional.empty(), STABLE, Optional.empty(), Optional.of(CAPTURE), 0,
                Duration.ofSeconds(5)));
    }
}
