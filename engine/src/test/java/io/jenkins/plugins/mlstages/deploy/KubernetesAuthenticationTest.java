package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLParameters;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The ways EKS, GKE, AKS and on-premises clusters authenticate, end to end through the fabric8 client: an exec
 * plugin (a script in a temporary folder that prints an ExecCredential) whose token reaches fabric8's mock API
 * server, and a client certificate presented over mutual TLS to a server that requires it and is trusted through
 * the kubeconfig's {@code certificate-authority-data}.
 */
public class KubernetesAuthenticationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String INFERENCE_SERVICE = "{\"apiVersion\":\"serving.kserve.io/v1beta1\",\"kind\":\"InferenceService\","
            + "\"metadata\":{\"name\":\"iris\",\"namespace\":\"models\",\"generation\":1},\"status\":{\"observedGeneration\":1,"
            + "\"components\":{\"predictor\":{\"traffic\":[{\"revisionName\":\"iris-predictor-00001\",\"latestRevision\":true,"
            + "\"percent\":100}]}}}}";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void theTokenOfAnExecPluginReachesTheApiServer() throws Exception {
        try (KubernetesMock kubernetes = new KubernetesMock()) {
            // an InferenceService whose status says 100 % on its one revision; no controller polls meanwhile
            kubernetes.client.genericKubernetesResources(KServeRouter.INFERENCE_SERVICE).inNamespace("models")
                    .resource(Serialization.unmarshal(INFERENCE_SERVICE, GenericKubernetesResource.class)).create();
            Path script = KubeconfigTest.execPlugin(temp.newFolder("bin").toPath(), "exec-issued-token-42");
            Path file = temp.getRoot().toPath().resolve("kubeconfig");
            Files.writeString(file, kubernetes.kubeconfig("models", KubeconfigTest.execUser(script)));
            KServeRouter router = new KServeRouter(KServeConfig.resolve(Optional.of(file), null, "iris", Optional.empty(), TIMEOUT));
            assertEquals(100, router.canaryWeight());
            assertEquals(1, execTokenRequests(kubernetes));
            // the same from a Jenkins credential on an agent
            KServeRouter agent = new KServeRouter(KServeConfig.fromKubeconfigContent(Files.readString(file), "credentials 'k'",
                    true, null, "iris", Optional.empty(), TIMEOUT));
            assertEquals(100, agent.canaryWeight());
            assertEquals(1, execTokenRequests(kubernetes));
        }
    }

    /** The reads of the InferenceService with the exec plugin's token since the last call. */
    private static int execTokenRequests(KubernetesMock kubernetes) throws InterruptedException {
        int count = 0;
        RecordedRequest request;
        while ((request = kubernetes.server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            if ("Bearer exec-issued-token-42".equals(request.getHeader("Authorization"))) {
                assertEquals("/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/iris", request.getPath());
                count++;
            }
        }
        return count;
    }

    /** An API server over mutual TLS: it answers only a client that presents the trusted certificate. */
    private static HttpsServer mutualTls(TestCertificates certificates, List<String> clients) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> answer(exchange, clients));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, List<String> clients) throws IOException {
        clients.add(((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
        byte[] bytes = INFERENCE_SERVICE.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String kubeconfig(String server, String caPem, String user) {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: tls",
                "contexts:",
                "- name: tls",
                "  context: {cluster: tls, user: deployer, namespace: models}",
                "clusters:",
                "- name: tls",
                "  cluster:",
                "    server: " + server,
                "    certificate-authority-data: " + TestCertificates.base64(caPem),
                "users:",
                "- name: deployer",
                "  user:",
                user,
                "");
    }

    @Test
    public void aClientCertificateAuthenticatesOverMutualTls() throws Exception {
        TestCertificates certificates = TestCertificates.shared();
        List<String> clients = new CopyOnWriteArrayList<>();
        HttpsServer server = mutualTls(certificates, clients);
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort();
            String withCertificate = kubeconfig(url, certificates.serverCertificatePem,
                    "    client-certificate-data: " + TestCertificates.base64(certificates.clientCertificatePem) + "\n"
                            + "    client-key-data: " + TestCertificates.base64(certificates.clientKeyPem));
            Path file = temp.getRoot().toPath().resolve("kubeconfig");
            Files.writeString(file, withCertificate);
            KServeRouter cli = new KServeRouter(KServeConfig.of(KubernetesCluster.resolve(Optional.of(file), Map.of(),
                    temp.getRoot().toPath(), temp.getRoot().toPath()), null, "iris", Optional.empty(), TIMEOUT));
            assertEquals(100, cli.canaryWeight());
            assertEquals(1, clients.size());
            assertEquals("CN=ml-stages-deployer,O=system:masters", clients.get(0).replace(", ", ","));
            // a Jenkins credential with inline data: no program, no file
            KServeRouter credential = new KServeRouter(KServeConfig.fromKubeconfigContent(withCertificate, "credentials 'k'",
                    false, null, "iris", Optional.empty(), TIMEOUT));
            assertEquals(100, credential.canaryWeight());
            assertEquals(2, clients.size());

            // without the certificate the server refuses the handshake
            String tokenOnly = kubeconfig(url, certificates.serverCertificatePem, "    token: not-enough-token-1");
            KServeRouter refused = new KServeRouter(KServeConfig.fromKubeconfigContent(tokenOnly, "credentials 'k'", false, null,
                    "iris", Optional.empty(), TIMEOUT), Duration.ofMillis(10), d -> { });
            DeployException e = assertThrows(DeployException.class, refused::canaryWeight);
            assertTrue(e.getMessage(), e.getMessage().startsWith("kubernetes API read InferenceService of models/iris failed: no answer from "
                    + url + "/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/iris ("));
            assertFalse(e.getMessage(), e.getMessage().contains("not-enough-token"));
            assertEquals(2, clients.size());
        } finally {
            server.stop(0);
        }
    }

    @Test
    public void anUntrustedServerCertificateIsRefused() throws Exception {
        TestCertificates certificates = TestCertificates.shared();
        TestCertificates other = TestCertificates.make(temp.newFolder("other").toPath());
        List<String> clients = new CopyOnWriteArrayList<>();
        HttpsServer server = mutualTls(certificates, clients);
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort();
            // the kubeconfig trusts another CA than the one that signed the server's certificate
            String yaml = kubeconfig(url, other.serverCertificatePem,
                    "    client-certificate-data: " + TestCertificates.base64(certificates.clientCertificatePem) + "\n"
                            + "    client-key-data: " + TestCertificates.base64(certificates.clientKeyPem));
            KServeRouter router = new KServeRouter(KServeConfig.fromKubeconfigContent(yaml, "credentials 'k'", false, null, "iris",
                    Optional.empty(), TIMEOUT), Duration.ofMillis(10), d -> { });
            DeployException e = assertThrows(DeployException.class, router::canaryWeight);
            assertTrue(e.getMessage(), e.getMessage().contains("(TLS failed: "));
            assertTrue(clients.isEmpty());
        } finally {
            server.stop(0);
        }
    }
}
