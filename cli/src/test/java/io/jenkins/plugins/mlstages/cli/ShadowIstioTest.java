package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * {@code mlstages shadow --router kserve} end to end against fabric8's Kubernetes mock API server in CRUD mode (no
 * API server can run here): the kubeconfig authenticates with an exec plugin (a script in a temporary folder), the
 * mirror of the Istio VirtualService in front of the InferenceService is turned on, the run collects, and the
 * mirror is off again at the end.
 */
public class ShadowIstioTest {
    private static final ResourceDefinitionContext VIRTUAL_SERVICE = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("VirtualService").withPlural("virtualservices")
            .withNamespaced(true).build();
    private static final String TOKEN = "cli-exec-token-77";
    /** The mock server logs every request at INFO: kept out of the test output (held, so the level stays). */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private KubernetesMockServer server;
    private NamespacedKubernetesClient client;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Before
    public void start() {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
        client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace("models").resource(Serialization.unmarshal("""
                {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                 "metadata": {"name": "fraud", "namespace": "models"},
                 "spec": {"hosts": ["fraud.example.com"], "http": [{"name": "predict",
                   "route": [{"destination": {"host": "fraud-predictor.models.svc.cluster.local"}}]}]}}""",
                GenericKubernetesResource.class)).create();
    }

    @After
    public void stop() {
        client.close();
        server.destroy();
    }

    private Path kubeconfig() throws Exception {
        Path script = folder.newFolder("bin").toPath().resolve("get-token.sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"" + TOKEN + "\"}}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        String url = server.url("/");
        Path file = folder.getRoot().toPath().resolve("kubeconfig");
        Files.writeString(file, String.join("\n",
                "apiVersion: v1", "kind: Config", "current-context: mock",
                "contexts:", "- name: mock", "  context: {cluster: mock, user: ci, namespace: models}",
                "clusters:", "- name: mock", "  cluster: {server: '" + url.substring(0, url.length() - 1) + "'}",
                "users:", "- name: ci", "  user:", "    exec:", "      apiVersion: client.authentication.k8s.io/v1",
                "      command: " + script, "      interactiveMode: Never", ""));
        return file;
    }

    @Test
    public void aKServeShadowRunMirrorsThroughTheVirtualServiceWithAnExecPluginKubeconfig() throws Exception {
        Path kubeconfig = kubeconfig();
        Path capture = folder.newFolder("capture").toPath();
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // the set-up's own requests
        }
        // what the VirtualService says while the run collects, read with the test's own client
        java.util.concurrent.atomic.AtomicBoolean sawMirror = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String seen = Serialization.asJson(client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace("models")
                        .withName("fraud").get());
                if (seen.contains("\"mirror\":{\"host\":\"shadow-capture.models.svc.cluster.local\"}")
                        && seen.contains("\"mirrorPercentage\":{\"value\":100.0}")) {
                    sawMirror.set(true);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        int code = Main.run(new String[] {"shadow", "--state", folder.getRoot().toPath().resolve("s.json").toString(),
            "--model", "fraud", "--version", "2", "--duration", "2s", "--min-requests", "1", "--poll-interval", "200ms",
            "--capture-folder", capture.toString(), "--check", "agreement >= 0.9",
            "--router", "kserve", "--kubeconfig", kubeconfig.toString(), "--virtual-service", "fraud",
            "--istio-stable", "fraud-predictor.models.svc.cluster.local",
            "--mirror-destination", "shadow-capture.models.svc.cluster.local"},
                Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        watcher.interrupt();
        watcher.join();
        assertEquals(err.toString(), 1, code);
        assertTrue("the mirror was on while collecting", sawMirror.get());
        assertTrue(out.toString(), out.toString().contains("shadow REJECTED: fraud/2"));

        List<String> puts = new ArrayList<>();
        int withExecToken = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            String authorization = request.getHeader("Authorization");
            if (authorization.equals("Bearer " + TOKEN)) {
                withExecToken++;
                if (request.getMethod().equals("PUT")) {
                    puts.add(request.getPath());
                }
            } else {
                assertEquals("only the test's own client else", "Bearer secret", authorization);
                assertEquals("GET", request.getMethod());
            }
        }
        assertTrue(String.valueOf(withExecToken), withExecToken >= 4);
        assertEquals("mirror on, then off", List.of("/apis/networking.istio.io/v1/namespaces/models/virtualservices/fraud",
                "/apis/networking.istio.io/v1/namespaces/models/virtualservices/fraud"), puts);
        String route = Serialization.asJson(client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace("models")
                .withName("fraud").get());
        assertFalse(route, route.contains("mirror"));
        assertFalse(err.toString(), err.toString().contains(TOKEN));
        assertFalse(out.toString(), out.toString().contains(TOKEN));
    }
}
