package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * {@link IstioSettings}: what a Jenkins istio router definition holds, checked without a cluster (naming the
 * definition's fields), sent to an agent, and there built into the router with the credential's exec-plugin
 * kubeconfig, against fabric8's mock API server in CRUD mode (no cluster and no Istio here).
 */
public class IstioSettingsTest {
    private static final String STABLE = "iris-v1-predictor.models.svc.cluster.local";
    private static final String CANARY = "iris-v2-predictor.models.svc.cluster.local";
    private static final String CAPTURE = "shadow-capture.models.svc.cluster.local";
    private static final String TOKEN = "exec-issued-istio-token";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static IstioSettings settings(String namespace, String virtualService, String canary, String mirror, double percent,
            String readyTimeout) {
        return new IstioSettings(namespace, virtualService, null, STABLE, canary, mirror, percent, readyTimeout);
    }

    @Test
    public void eachUnusableSettingIsNamedWithoutACluster() {
        assertNull(settings(null, "iris", CANARY, CAPTURE, 100, "5m").problem());
        assertNull("a mirror only", settings("models", "iris", null, CAPTURE, 25, "5m").problem());
        assertEquals("needs virtualService: the VirtualService's name", settings(null, null, CANARY, null, 100, "5m").problem());
        assertEquals("invalid Kubernetes namespace: 'Models_1'", settings("Models_1", "iris", CANARY, null, 100, "5m").problem());
        assertEquals("invalid Kubernetes virtualService: 'iris vs'", settings(null, "iris vs", CANARY, null, 100, "5m").problem());
        assertEquals("canaryDestination is the stableDestination: " + STABLE,
                settings(null, "iris", STABLE, null, 100, "5m").problem());
        assertEquals("mirrorDestination must be HOST or HOST/SUBSET, was 'a/b/c'",
                settings(null, "iris", CANARY, "a/b/c", 100, "5m").problem());
        assertEquals("mirrorPercentage must be above 0 and at most 100, was 150.0",
                settings(null, "iris", null, CAPTURE, 150, "5m").problem());
        assertTrue(settings(null, "iris", CANARY, null, 100, "soon").problem().startsWith("readyTimeout: "));
        assertEquals("needs stableDestination: the stable version's HOST[/SUBSET]",
                new IstioSettings(null, "iris", null, " ", CANARY, null, 100, "5m").problem());
        assertTrue(settings(null, "iris", CANARY, null, 100, "5m").weights());
        assertFalse(settings(null, "iris", CANARY, null, 100, "5m").mirrors());
        assertEquals("Istio VirtualService models/iris route predict",
                new IstioSettings("models", "iris", "predict", STABLE, CANARY, null, 100, "5m").describe());
    }

    @Test
    public void onTheAgentTheyDriveTheRouteWithTheExecPluginsToken() throws Exception {
        IstioSettings sent = settings(null, "iris", CANARY, CAPTURE, 50, "5s");
        // as a Jenkins agent receives them
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sent);
        }
        IstioSettings settings;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            settings = (IstioSettings) in.readObject();
        }
        assertEquals(sent, settings);

        try (KubernetesMock kubernetes = new KubernetesMock()) {
            kubernetes.client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE).inNamespace("models")
                    .resource(Serialization.unmarshal("""
                            {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                             "metadata": {"name": "iris", "namespace": "models"},
                             "spec": {"hosts": ["iris.example.com"],
                              "http": [{"name": "predict", "route": [{"destination": {"host": "%s"}}]}]}}"""
                            .formatted(STABLE), GenericKubernetesResource.class)).create();
            while (kubernetes.server.takeRequest(50, TimeUnit.MILLISECONDS) != null) {
                // the test's own create, without a token
            }
            Path script = KubeconfigTest.execPlugin(temp.newFolder("bin").toPath(), TOKEN);
            // the namespace is the kubeconfig context's
            KubernetesCluster cluster = KubernetesCluster.fromKubeconfigContent(
                    kubernetes.kubeconfig("models", KubeconfigTest.execUser(script)), "credentials 'eks'", true);
            IstioRouter router = new IstioRouter(settings.config(cluster), Sleeper.SYSTEM);

            router.setCanaryWeight(10);
            assertEquals(10, router.canaryWeight());
            router.setMirroring(true);
            JsonNode route = predictRoute(kubernetes);
            assertEquals(CAPTURE, route.path("mirror").path("host").asText());
            assertEquals(50.0, route.path("mirrorPercentage").path("value").asDouble(), 0);
            assertEquals("the weights stay", 10, router.canaryWeight());
            router.setMirroring(false);
            assertFalse(router.mirroring());
            assertTrue(predictRoute(kubernetes).path("mirror").isMissingNode());

            // every request but the test client's own reads carries the exec plugin's token
            String testClient = "Bearer " + kubernetes.client.getConfiguration().getOauthToken();
            int requests = 0;
            RecordedRequest request;
            while ((request = kubernetes.server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
                if (!testClient.equals(request.getHeader("Authorization"))) {
                    assertEquals(request.getPath(), "Bearer " + TOKEN, request.getHeader("Authorization"));
                    requests++;
                }
            }
            assertTrue("reads and writes: " + requests, requests >= 6);
        }
    }

    @Test
    public void whereNoProgramMayRunTheExecPluginIsRefusedBeforeItRuns() throws Exception {
        Path marker = temp.getRoot().toPath().resolve("ran");
        Path script = temp.newFolder("bin").toPath().resolve("get-token.sh");
        java.nio.file.Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\n");
        java.nio.file.Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try (KubernetesMock kubernetes = new KubernetesMock()) {
            String kubeconfig = kubernetes.kubeconfig("models", KubeconfigTest.execUser(script));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KubernetesCluster.fromKubeconfigContent(kubeconfig, "credentials 'eks'", false));
            assertTrue(e.getMessage(), e.getMessage().startsWith("credentials 'eks': users[deployer].user.exec runs a program"));
            assertFalse("the program never started", java.nio.file.Files.exists(marker));
        }
    }

    private static JsonNode predictRoute(KubernetesMock kubernetes) throws Exception {
        GenericKubernetesResource vs = kubernetes.client.genericKubernetesResources(IstioRouter.VIRTUAL_SERVICE)
                .inNamespace("models").withName("iris").get();
        return new ObjectMapper().readTree(Serialization.asJson(vs)).path("spec").path("http").path(0);
    }
}
