package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@link KubernetesCluster#resolve} (the CLI): kubeconfig files read by the fabric8 client (tokens, token files,
 * client certificates, exec plugins), $KUBECONFIG, ~/.kube/config and the in-cluster service account.
 */
public class KubeconfigTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path kubeconfig(String name, String user) throws Exception {
        Path file = temp.getRoot().toPath().resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: prod",
                "contexts:",
                "- name: dev",
                "  context: {cluster: dev-cluster, user: dev-user}",
                "- name: prod",
                "  context:",
                "    cluster: prod-cluster",
                "    user: deployer",
                "    namespace: serving",
                "clusters:",
                "- name: dev-cluster",
                "  cluster: {server: 'https://dev:6443'}",
                "- name: prod-cluster",
                "  cluster:",
                "    server: https://10.0.0.1:6443",
                "    certificate-authority-data: " + Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.US_ASCII)),
                "users:",
                "- name: dev-user",
                "  user: {token: dev-token}",
                "- name: deployer",
                "  user:",
                user,
                ""));
        return file;
    }

    private KubernetesCluster resolve(Optional<Path> file, Map<String, String> env) {
        return KubernetesCluster.resolve(file, env, temp.getRoot().toPath().resolve("home"), temp.getRoot().toPath().resolve("sa"));
    }

    /** What the fabric8 client was configured with. */
    private static Config configOf(KubernetesCluster cluster) {
        try (KubernetesClient client = cluster.client()) {
            return client.getConfiguration();
        }
    }

    private static String tokenOf(KubernetesCluster cluster) {
        Config config = configOf(cluster);
        if (config.getOauthTokenProvider() != null) {
            return config.getOauthTokenProvider().getToken();
        }
        return config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
    }

    /** A program that prints an ExecCredential, as aws eks get-token, gke-gcloud-auth-plugin or kubelogin do. */
    static Path execPlugin(Path folder, String token) throws Exception {
        Path script = folder.resolve("get-token.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"" + token + "\"}}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    static String execUser(Path script) {
        return String.join("\n",
                "    exec:",
                "      apiVersion: client.authentication.k8s.io/v1",
                "      command: " + script,
                "      interactiveMode: Never");
    }

    @Test
    public void currentContextGivesServerCaTokenAndNamespace() throws Exception {
        Path file = kubeconfig("kube/config", "    token: prod-token-123");
        KubernetesCluster cluster = resolve(Optional.of(file), Map.of());
        assertTrue(cluster.server(), cluster.server().startsWith("https://10.0.0.1:6443"));
        assertEquals(Optional.of("serving"), cluster.namespace());
        assertEquals("prod-token-123", tokenOf(cluster));
        assertEquals(Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.US_ASCII)), configOf(cluster).getCaCertData());
        assertFalse("no secret in toString", cluster.toString().contains("prod-token"));
        KServeConfig config = KServeConfig.of(cluster, null, "iris", Optional.of("gs://m/v2"), java.time.Duration.ofMinutes(1));
        assertEquals("serving", config.namespace());
        assertEquals("an explicit namespace wins", "other",
                KServeConfig.of(cluster, "other", "iris", Optional.empty(), java.time.Duration.ofMinutes(1)).namespace());
        assertFalse(config.toString().contains("prod-token"));
    }

    @Test
    public void relativePathsAreRelativeToTheKubeconfigAndATokenFileIsReadForEachRequest() throws Exception {
        Path file = kubeconfig("kube/config", "    tokenFile: secrets/token\n    client-certificate: certs/client.crt\n"
                + "    client-key: certs/client.key");
        Files.writeString(file, Files.readString(file).replaceFirst("certificate-authority-data: \\S+",
                "certificate-authority: certs/ca.crt"));
        Path secrets = Files.createDirectories(file.getParent().resolve("secrets"));
        TestCertificates certificates = TestCertificates.shared();
        Path certs = Files.createDirectories(file.getParent().resolve("certs"));
        Files.writeString(certs.resolve("ca.crt"), certificates.serverCertificatePem);
        Files.writeString(certs.resolve("client.crt"), certificates.clientCertificatePem);
        Files.writeString(certs.resolve("client.key"), certificates.clientKeyPem);
        Files.writeString(secrets.resolve("token"), "first\n");
        KubernetesCluster cluster = resolve(Optional.of(file), Map.of());
        Config config = configOf(cluster);
        assertEquals(file.getParent().resolve("certs/ca.crt").toString(), config.getCaCertFile());
        assertEquals(file.getParent().resolve("certs/client.crt").toString(), config.getClientCertFile());
        assertEquals(file.getParent().resolve("certs/client.key").toString(), config.getClientKeyFile());
        assertEquals("first", tokenOf(cluster));
        // a projected token the kubelet rotates
        Files.writeString(secrets.resolve("token"), "second\n");
        assertEquals("second", tokenOf(cluster));
        Files.delete(secrets.resolve("token"));
        DeployException e = assertThrows(DeployException.class, () -> tokenOf(cluster));
        assertTrue(e.getMessage(), e.getMessage().startsWith("cannot read the Kubernetes token file " + secrets.resolve("token")));
    }

    @Test
    public void anExecPluginGivesTheToken() throws Exception {
        Path script = execPlugin(temp.newFolder("bin").toPath(), "exec-token-456");
        KubernetesCluster cluster = resolve(Optional.of(kubeconfig("exec/config", execUser(script))), Map.of());
        assertEquals("exec-token-456", tokenOf(cluster));
        assertFalse(cluster.toString().contains("exec-token"));
    }

    @Test
    public void anExecPluginThatGivesNothingIsOneLine() throws Exception {
        Path script = temp.newFolder("bin").toPath().resolve("broken.sh");
        Files.writeString(script, "#!/bin/sh\necho 'error: SSO session expired, secret-ish output'\nexit 1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path file = kubeconfig("exec/config", execUser(script));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(Optional.of(file), Map.of()));
        assertEquals("kubeconfig " + file + ": the exec plugin of user 'deployer' ('" + script + "') gave no credential: it must"
                + " exit 0 and print an ExecCredential with the kubeconfig's apiVersion and a status.token or client certificate",
                e.getMessage());
        assertFalse(e.getMessage().contains("secret-ish"));
    }

    /**
     * A 401 makes the client run the exec plugin again: fabric8 did so with no time limit (Config.refresh), so a plugin
     * that hangs on its second run hung the CLI. Every run goes through the limit: one line, its processes ended.
     */
    /** A token the server refuses (401) is renewed by running the exec plugin again, and the request then passes. */
    @Test(timeout = 60_000)
    public void aRefusedExecTokenIsRenewedByRunningThePluginAgain() throws Exception {
        Path bin = temp.newFolder("bin3").toPath();
        Path script = bin.resolve("get-token-count.sh");
        Files.writeString(script, "#!/bin/sh\necho x >> '" + bin.resolve("runs") + "'\nn=$(wc -l < '" + bin.resolve("runs") + "')\n"
                + "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"token-'$n'\"}}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (KubernetesMock kubernetes = new KubernetesMock()) {
            Path file = kubeconfig("exec3/config", execUser(script));
            Files.writeString(file, Files.readString(file).replace("https://10.0.0.1:6443", kubernetes.url()));
            String path = "/api/v1/namespaces/models/configmaps/c";
            kubernetes.server.expect().get().withPath(path).andReturn(401, new io.fabric8.kubernetes.api.model.StatusBuilder()
                    .withKind("Status").withStatus("Failure").withReason("Unauthorized").withCode(401).build()).once();
            kubernetes.server.expect().get().withPath(path).andReturn(200, new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("c").withNamespace("models").endMetadata().build()).once();
            KubernetesCluster cluster = KubernetesCluster.fromFile(file, Duration.ofSeconds(10));
            KubernetesCalls calls = new KubernetesCalls(cluster, DeployHttp.RETRIES, Sleeper.SYSTEM, code -> "");
            assertEquals("c", calls.call("read ConfigMap", "GET", path,
                    client -> client.configMaps().inNamespace("models").withName("c").get()).getMetadata().getName());
            assertEquals("Bearer token-1", kubernetes.server.takeRequest().getHeader("Authorization"));
            assertEquals("Bearer token-2", kubernetes.server.takeRequest().getHeader("Authorization"));
            assertEquals(2, Files.readAllLines(bin.resolve("runs")).size());
        }
    }

    @Test(timeout = 60_000)
    public void anExecPluginThatHangsOnItsSecondRunIsEndedAndOneLine() throws Exception {
        Path bin = temp.newFolder("bin2").toPath();
        Path script = bin.resolve("get-token-once.sh");
        Files.writeString(script, "#!/bin/sh\nif [ -e '" + bin.resolve("ran") + "' ]; then sleep 300; fi\n"
                + "touch '" + bin.resolve("ran") + "'\n"
                + "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"first-token\"}}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (KubernetesMock kubernetes = new KubernetesMock()) {
            Path file = kubeconfig("exec2/config", execUser(script));
            Files.writeString(file, Files.readString(file).replace("https://10.0.0.1:6443", kubernetes.url()));
            String path = "/api/v1/namespaces/models/configmaps/c";
            kubernetes.server.expect().get().withPath(path).andReturn(401, new io.fabric8.kubernetes.api.model.StatusBuilder()
                    .withKind("Status").withStatus("Failure").withReason("Unauthorized").withCode(401).build()).once();
            KubernetesCluster cluster = KubernetesCluster.fromFile(file, Duration.ofSeconds(2));
            KubernetesCalls calls = new KubernetesCalls(cluster, DeployHttp.RETRIES, Sleeper.SYSTEM, code -> "");
            long started = System.nanoTime();
            DeployException e = assertThrows(DeployException.class, () -> calls.call("read ConfigMap", "GET", path,
                    client -> client.configMaps().inNamespace("models").withName("c").get()));
            assertTrue("took " + (System.nanoTime() - started) / 1_000_000 + " ms", System.nanoTime() - started < 20_000_000_000L);
            assertEquals("kubeconfig " + file + ": the exec plugin ('" + script + "') did not finish within 2 s: run it by hand to"
                    + " see what it waits for (a login, a prompt)", e.getMessage());
            assertEquals("Bearer first-token", kubernetes.server.takeRequest().getHeader("Authorization"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count());
        }
    }

    @Test(timeout = 30_000)
    public void anExecPluginThatHangsIsEndedAndOneLine() throws Exception {
        // an SSO plugin waiting for a browser login: it and its children must not outlive the refusal
        Path script = temp.newFolder("bin").toPath().resolve("waits-for-login.sh");
        Files.writeString(script, "#!/bin/sh\necho 'open https://sso.example/device to log in' >&2\nsleep 300\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path file = kubeconfig("exec/config", execUser(script));
        long started = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KubernetesCluster.fromFile(file, Duration.ofSeconds(2)));
        assertTrue("took " + (System.nanoTime() - started) / 1_000_000 + " ms", System.nanoTime() - started < 20_000_000_000L);
        assertEquals("kubeconfig " + file + ": the exec plugin ('" + script + "') did not finish within 2 s: run it by hand to see what"
                + " it waits for (a login, a prompt)", e.getMessage());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count());
    }

    @Test
    public void inlineClientCertificatesAreUsed() throws Exception {
        TestCertificates certificates = TestCertificates.shared();
        String certificate = TestCertificates.base64(certificates.clientCertificatePem);
        String key = TestCertificates.base64(certificates.clientKeyPem);
        Path file = kubeconfig("cert/config", "    client-certificate-data: " + certificate + "\n    client-key-data: " + key);
        Config config = configOf(resolve(Optional.of(file), Map.of()));
        assertEquals(certificate, config.getClientCertData());
        assertEquals(key, config.getClientKeyData());
        assertNull(config.getAutoOAuthToken());
    }

    @Test
    public void anOidcAuthProviderGivesItsIdToken() throws Exception {
        Path file = kubeconfig("oidc/config", String.join("\n",
                "    auth-provider:",
                "      name: oidc",
                "      config:",
                "        client-id: kubernetes",
                "        id-token: oidc-id-token-789",
                "        idp-issuer-url: https://issuer.example"));
        KubernetesCluster cluster = resolve(Optional.of(file), Map.of());
        assertEquals("oidc-id-token-789", tokenOf(cluster));
        assertEquals("oidc", configOf(cluster).getAuthProvider().getName());
    }

    @Test
    public void kubeconfigVariableThenHome() throws Exception {
        Path fromEnv = kubeconfig("env/config", "    token: env-token");
        Path missing = temp.getRoot().toPath().resolve("missing");
        assertEquals("env-token", tokenOf(resolve(Optional.empty(), Map.of("KUBECONFIG", missing + ":" + fromEnv))));
        kubeconfig("home/.kube/config", "    token: home-token");
        assertEquals("home-token", tokenOf(resolve(Optional.empty(), Map.of())));
    }

    @Test
    public void inClusterServiceAccount() throws Exception {
        Path sa = temp.newFolder("sa").toPath();
        Files.writeString(sa.resolve("token"), "sa-token");
        Files.writeString(sa.resolve("ca.crt"), PEM);
        Files.writeString(sa.resolve("namespace"), "kserve-test\n");
        KubernetesCluster cluster = resolve(Optional.empty(), Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
                "KUBERNETES_SERVICE_PORT", "443"));
        assertTrue(cluster.server(), cluster.server().startsWith("https://10.96.0.1:443"));
        assertEquals(Optional.of("kserve-test"), cluster.namespace());
        assertEquals(sa.resolve("ca.crt").toString(), configOf(cluster).getCaCertFile());
        assertEquals("sa-token", tokenOf(cluster));
        Files.writeString(sa.resolve("token"), "rotated-token");
        assertEquals("read for each request", "rotated-token", tokenOf(cluster));
    }

    @Test
    public void nothingFoundSaysWhereItLooked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(Optional.empty(), Map.of()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("no Kubernetes configuration: give a kubeconfig, set KUBECONFIG"));
    }

    @Test
    public void insecureSkipTlsVerifyIsRefused() throws Exception {
        Path file = kubeconfig("insecure/config", "    token: t");
        Files.writeString(file, Files.readString(file).replace("    server: https://10.0.0.1:6443",
                "    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(Optional.of(file), Map.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("clusters[prod-cluster].cluster.insecure-skip-tls-verify is set"));
    }

    @Test
    public void brokenFilesNameTheFileAndField() throws Exception {
        Path file = temp.getRoot().toPath().resolve("config");
        Files.writeString(file, "current-context: nowhere\ncontexts: []\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(Optional.of(file), Map.of()));
        assertEquals("kubeconfig " + file + ": current-context 'nowhere' is not in contexts", e.getMessage());
        Files.writeString(file, "clusters: [\n");
        e = assertThrows(IllegalArgumentException.class, () -> resolve(Optional.of(file), Map.of()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("kubeconfig " + file + " is not readable YAML"));
        e = assertThrows(IllegalArgumentException.class,
                () -> resolve(Optional.of(temp.getRoot().toPath().resolve("absent")), Map.of()));
        assertTrue(e.getMessage(), e.getMessage().endsWith("absent: does not exist"));
        Path noCredential = kubeconfig("none/config", "    extensions: []");
        e = assertThrows(IllegalArgumentException.class, () -> resolve(Optional.of(noCredential), Map.of()));
        assertTrue(e.getMessage(), e.getMessage().endsWith("user 'deployer' has no credential: give a token, a client"
                + " certificate and key, an exec plugin or an auth provider"));
    }

    /** SnakeYAML's message quotes the lines around the error: a token there must not reach the build log. */
    @Test
    public void aMalformedKubeconfigNamesLineAndColumnButNotItsToken() throws Exception {
        Path file = temp.getRoot().toPath().resolve("config");
        Files.writeString(file, "users:\n- name: ci\n  user:\n    token: \"SECRET-TOKEN-123\" junk\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(Optional.of(file), Map.of()));
        assertFalse(e.getMessage(), e.getMessage().contains("SECRET-TOKEN-123"));
        assertFalse(e.getMessage(), e.getMessage().contains("\n"));
        assertTrue(e.getMessage(), e.getMessage().matches("kubeconfig \\Q" + file + "\\E is not readable YAML: .+ at line 4, column \\d+"));
    }
}
