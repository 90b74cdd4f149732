package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@link KServeConfig#fromKubeconfigContent} and {@link KServeConfig#withToken}: a KServe identity only
 * from a credential. A kubeconfig held in memory gives inline data (token, client certificate and key, CA), an
 * OIDC auth provider, or an exec plugin where programs may run (an agent); nothing that names a file of the
 * machine or trusts any server; nothing is read from the machine.
 */
public class KServeCredentialConfigTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SOURCE = "credentials 'prod-kube'";
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String CA_DATA = Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.US_ASCII));
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.credential-token";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** A kubeconfig whose current context uses cluster {@code prod-cluster} and user {@code deployer}. */
    private static String kubeconfig(List<String> cluster, List<String> user) {
        StringBuilder yaml = new StringBuilder(String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: prod",
                "contexts:",
                "- name: prod",
                "  context: {cluster: prod-cluster, user: deployer, namespace: serving}",
                "clusters:",
                "- name: prod-cluster",
                "  cluster:",
                ""));
        cluster.forEach(line -> yaml.append("    ").append(line).append('\n'));
        yaml.append("users:\n- name: deployer\n  user:\n");
        user.forEach(line -> yaml.append("    ").append(line).append('\n'));
        return yaml.toString();
    }

    private static List<String> goodCluster() {
        return List.of("server: https://10.0.0.1:6443", "certificate-authority-data: " + CA_DATA);
    }

    private static KServeConfig fromContent(String yaml) {
        return KServeConfig.fromKubeconfigContent(yaml, SOURCE, false, null, "fraud", Optional.empty(), TIMEOUT);
    }

    /** What the fabric8 client is configured with. */
    private static Config configOf(KServeConfig config) {
        try (KubernetesClient client = config.cluster().client()) {
            return client.getConfiguration();
        }
    }

    private static String tokenOf(KServeConfig config) {
        Config fabric8 = configOf(config);
        return fabric8.getOauthToken() != null ? fabric8.getOauthToken() : fabric8.getAutoOAuthToken();
    }

    private static String serverOf(KServeConfig config) {
        String server = config.cluster().server();
        return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }

    private static String refusal(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> fromContent(yaml)).getMessage();
    }

    @Test
    public void anInlineTokenAndCaAreUsed() {
        KServeConfig config = fromContent(kubeconfig(goodCluster(), List.of("token: " + TOKEN)));
        assertEquals("https://10.0.0.1:6443", serverOf(config));
        assertEquals("serving", config.namespace());
        assertEquals("fraud", config.name());
        assertEquals(TOKEN, tokenOf(config));
        assertEquals(CA_DATA, configOf(config).getCaCertData());
        assertEquals(null, configOf(config).getCaCertFile());
        assertEquals(null, configOf(config).getOauthTokenProvider());
        KServeConfig other = KServeConfig.fromKubeconfigContent(kubeconfig(goodCluster(), List.of("token: " + TOKEN)), SOURCE,
                false, "models", "iris", Optional.of("gs://m/2"), TIMEOUT);
        assertEquals("models", other.namespace());
        assertEquals(Optional.of("gs://m/2"), other.canaryStorageUri());
    }

    @Test
    public void everyReferenceToAFileAProgramOrAnyServerIsRefusedNamingTheField() throws Exception {
        Path tokenFile = temp.newFile("token").toPath();
        Files.writeString(tokenFile, "file-token-that-must-not-be-read");
        String[][] users = {
            {"tokenFile: " + tokenFile, "tokenFile"},
            {"client-certificate: /etc/kube/client.crt", "client-certificate"},
            {"client-key: /etc/kube/client.key", "client-key"},
            {"username: admin", "username"},
            {"as: system:admin", "as"},
        };
        for (String[] user : users) {
            String message = refusal(kubeconfig(goodCluster(), List.of("token: " + TOKEN, user[0])));
            assertTrue(message, message.startsWith(SOURCE + ": users[deployer].user." + user[1] + " is not "));
            assertFalse(message, message.contains("\n"));
            assertFalse(message, message.contains(TOKEN));
            assertFalse(message, message.contains("file-token"));
        }
        String[][] clusters = {
            {"certificate-authority: " + tokenFile, "certificate-authority"},
            {"insecure-skip-tls-verify: true", "insecure-skip-tls-verify"},
            {"proxy-url: socks5://localhost:1080", "proxy-url"},
        };
        for (String[] cluster : clusters) {
            String message = refusal(kubeconfig(List.of("server: https://10.0.0.1:6443", cluster[0]), List.of("token: " + TOKEN)));
            assertTrue(message, message.startsWith(SOURCE + ": clusters[prod-cluster].cluster." + cluster[1] + " is "));
            assertFalse(message, message.contains("\n"));
        }
        // explicitly off is harmless
        assertEquals(TOKEN, tokenOf(fromContent(kubeconfig(List.of("server: https://10.0.0.1:6443",
                "insecure-skip-tls-verify: false"), List.of("token: " + TOKEN)))));
    }

    @Test
    public void inlineClientCertificatesAndOidcAreUsed() throws Exception {
        TestCertificates certificates = TestCertificates.shared();
        String certificate = TestCertificates.base64(certificates.clientCertificatePem);
        String key = TestCertificates.base64(certificates.clientKeyPem);
        Config config = configOf(fromContent(kubeconfig(goodCluster(), List.of("client-certificate-data: " + certificate,
                "client-key-data: " + key))));
        assertEquals(certificate, config.getClientCertData());
        assertEquals(key, config.getClientKeyData());
        KServeConfig oidc = fromContent(kubeconfig(goodCluster(), List.of("auth-provider: {name: oidc, config: {client-id: k8s,"
                + " id-token: " + TOKEN + ", idp-issuer-url: 'https://issuer.example'}}")));
        assertEquals(TOKEN, tokenOf(oidc));
    }

    @Test
    public void anExecPluginRunsOnlyWhereProgramsMayRun() throws Exception {
        Path script = KubeconfigTest.execPlugin(temp.newFolder("bin").toPath(), "exec-agent-token");
        Path ran = temp.getRoot().toPath().resolve("ran");
        Files.writeString(script, Files.readString(script).replace("#!/bin/sh\n", "#!/bin/sh\ntouch " + ran + "\n"));
        String yaml = kubeconfig(goodCluster(), List.of(KubeconfigTest.execUser(script).strip()));
        String message = refusal(yaml);
        assertEquals(SOURCE + ": users[deployer].user.exec runs a program ('" + script + "'), which runs only on an agent:"
                + " give the router definition an agent, or use a token", message);
        assertFalse("nothing ran on the controller", Files.exists(ran));
        KServeConfig onAgent = KServeConfig.fromKubeconfigContent(yaml, SOURCE, true, null, "fraud", Optional.empty(), TIMEOUT);
        assertEquals("exec-agent-token", tokenOf(onAgent));
        assertTrue(Files.exists(ran));
    }

    @Test
    public void aTokenFileIsRefusedNotRead() throws Exception {
        Path tokenFile = temp.newFile("token").toPath();
        Files.writeString(tokenFile, "file-token-that-must-not-be-read");
        // the only credential, an existing file: no configuration comes out that could read it for a request
        String message = refusal(kubeconfig(goodCluster(), List.of("tokenFile: " + tokenFile)));
        assertTrue(message, message.contains("users[deployer].user.tokenFile is not allowed"));
        assertFalse(message, message.contains("file-token"));
    }

    @Test
    public void aUserWithoutATokenOrAContextWithoutAUserIsRefused() {
        String message = refusal(kubeconfig(goodCluster(), List.of("extensions: []")));
        assertEquals(SOURCE + ": user 'deployer' has no credential: give a token, a client certificate and key, an exec plugin"
                + " or an auth provider", message);
        String noUser = kubeconfig(goodCluster(), List.of("token: " + TOKEN)).replace(", user: deployer", "");
        assertTrue(refusal(noUser), refusal(noUser).startsWith(SOURCE + ": context 'prod' names no user"));
    }

    @Test
    public void theServerMustBeHttpsButOnThisMachine() {
        String message = refusal(kubeconfig(List.of("server: http://10.0.0.1:8080"), List.of("token: " + TOKEN)));
        assertTrue(message, message.startsWith(SOURCE + ": clusters[prod-cluster].cluster.server must be an https:// URL"));
        assertEquals("http://127.0.0.1:8080", serverOf(fromContent(kubeconfig(List.of("server: http://127.0.0.1:8080"),
                List.of("token: " + TOKEN)))));
    }

    @Test
    public void parseErrorsNeverQuoteTheContent() {
        String message = refusal("current-context: prod\nusers: [{name: x, user: {token: " + TOKEN + "}}\n  bad: : :");
        assertTrue(message, message.startsWith(SOURCE + " is not readable YAML: "));
        assertFalse(message, message.contains(TOKEN));
        assertFalse(message, message.contains("credential-token"));
        assertEquals(SOURCE + ": the kubeconfig is empty", refusal("  \n"));
        assertEquals(SOURCE + " is empty", refusal("[]"));
        assertEquals(SOURCE + ": cluster 'prod-cluster' has a certificate-authority-data that is not base64",
                refusal(kubeconfig(List.of("server: https://10.0.0.1:6443", "certificate-authority-data: A"), List.of("token: " + TOKEN))));
    }

    @Test
    public void nothingOfTheMachineIsConsulted() {
        // the context's namespace, else default: never a service account's namespace file or $KUBECONFIG
        String yaml = kubeconfig(goodCluster(), List.of("token: " + TOKEN)).replace(", namespace: serving", "");
        assertEquals("default", fromContent(yaml).namespace());
    }

    @Test
    public void aTokenAndAServer() {
        KServeConfig config = KServeConfig.withToken("https://kube.example:6443", " " + TOKEN + "\n", Optional.of(PEM), "models",
                "iris", Optional.empty(), TIMEOUT);
        assertEquals("https://kube.example:6443", serverOf(config));
        assertEquals(TOKEN, tokenOf(config));
        assertEquals(PEM.strip(), new String(Base64.getDecoder().decode(configOf(config).getCaCertData()), StandardCharsets.US_ASCII));
        assertFalse(config.toString(), config.toString().contains(TOKEN));
        assertEquals("default", KServeConfig.withToken("https://kube.example", TOKEN, Optional.empty(), " ", "iris",
                Optional.empty(), TIMEOUT).namespace());
        assertEquals(null, configOf(KServeConfig.withToken("http://localhost:6443", TOKEN, Optional.of(" "), "models", "iris",
                Optional.empty(), TIMEOUT)).getCaCertData());
    }

    @Test
    public void aTokenIsNeverSentInClearNorEmpty() {
        String clear = assertThrows(IllegalArgumentException.class, () -> KServeConfig.withToken("http://10.0.0.1:8080", TOKEN,
                Optional.empty(), "models", "iris", Optional.empty(), TIMEOUT)).getMessage();
        assertTrue(clear, clear.startsWith("the Kubernetes API server must be an https:// URL"));
        assertFalse(clear, clear.contains(TOKEN));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KServeConfig.withToken("ftp://x", TOKEN, Optional.empty(),
                "models", "iris", Optional.empty(), TIMEOUT)).getMessage().contains("https://"));
        assertEquals("the Kubernetes token is empty", assertThrows(IllegalArgumentException.class, () -> KServeConfig.withToken(
                "https://kube.example", " ", Optional.empty(), "models", "iris", Optional.empty(), TIMEOUT)).getMessage());
        for (String loopback : List.of("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1")) {
            assertEquals(loopback, serverOf(KServeConfig.withToken(loopback, TOKEN, Optional.empty(), "models", "iris", Optional.empty(),
                    TIMEOUT)));
        }
    }
}
