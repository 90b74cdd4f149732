package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link KServeConfig#resolve}: kubeconfig files, $KUBECONFIG, ~/.kube/config and the in-cluster service account. */
public class KubeconfigTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
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

    private KServeConfig resolve(Optional<Path> file, String namespace, Map<String, String> env) {
        return KServeConfig.resolve(file, namespace, "iris", Optional.of("gs://m/v2"), TIMEOUT, env,
                temp.getRoot().toPath().resolve("home"), temp.getRoot().toPath().resolve("sa"));
    }

    @Test
    public void currentContextGivesServerCaTokenAndNamespace() throws Exception {
        Path file = kubeconfig("kube/config", "    token: prod-token");
        KServeConfig config = resolve(Optional.of(file), null, Map.of());
        assertEquals("https://10.0.0.1:6443", config.apiServer());
        assertEquals("serving", config.namespace());
        assertEquals("iris", config.name());
        assertEquals(Optional.of("prod-token"), config.bearerToken());
        assertEquals(Optional.of(PEM), config.caCertificateData());
        assertEquals(Optional.of("gs://m/v2"), config.canaryStorageUri());
        assertFalse("no secret in toString", config.toString().contains("prod-token"));
        assertEquals("an explicit namespace wins", "other", resolve(Optional.of(file), "other", Map.of()).namespace());
    }

    @Test
    public void relativePathsAreRelativeToTheKubeconfig() throws Exception {
        Path file = kubeconfig("kube/config", "    tokenFile: secrets/token");
        Files.writeString(file, Files.readString(file).replaceFirst("certificate-authority-data: \\S+",
                "certificate-authority: certs/ca.crt"));
        KServeConfig config = resolve(Optional.of(file), null, Map.of());
        assertEquals(Optional.of(file.getParent().resolve("certs/ca.crt")), config.caCertificate());
        assertEquals(Optional.of(file.getParent().resolve("secrets/token")), config.tokenFile());
        assertEquals(Optional.empty(), config.bearerToken());
    }

    @Test
    public void kubeconfigVariableThenHome() throws Exception {
        Path fromEnv = kubeconfig("env/config", "    token: env-token");
        Path missing = temp.getRoot().toPath().resolve("missing");
        KServeConfig config = resolve(Optional.empty(), null, Map.of("KUBECONFIG", missing + ":" + fromEnv));
        assertEquals(Optional.of("env-token"), config.bearerToken());

        kubeconfig("home/.kube/config", "    token: home-token");
        assertEquals(Optional.of("home-token"), resolve(Optional.empty(), null, Map.of()).bearerToken());
    }

    @Test
    public void inClusterServiceAccount() throws Exception {
        Path sa = temp.newFolder("sa").toPath();
        Files.writeString(sa.resolve("token"), "sa-token");
        Files.writeString(sa.resolve("ca.crt"), PEM);
        Files.writeString(sa.resolve("namespace"), "kserve-test\n");
        KServeConfig config = resolve(Optional.empty(), null,
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"));
        assertEquals("https://10.96.0.1:443", config.apiServer());
        assertEquals("kserve-test", config.namespace());
        assertEquals(Optional.of(sa.resolve("ca.crt")), config.caCertificate());
        assertEquals(Optional.of(sa.resolve("token")), config.tokenFile());
    }

    @Test
    public void nothingFoundSaysWhereItLooked() {
        try {
            resolve(Optional.empty(), null, Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("no Kubernetes configuration: give a kubeconfig, set KUBECONFIG"));
        }
    }

    @Test
    public void unsupportedAuthenticationIsRefusedClearly() throws Exception {
        Path exec = kubeconfig("exec/config", "    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}");
        try {
            resolve(Optional.of(exec), null, Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("kubeconfig " + exec + ": user 'deployer' authenticates with an exec plugin; canaryDeploy needs a"
                    + " bearer token (users[].user.token or tokenFile), e.g. of a service account", e.getMessage());
        }
        Path cert = kubeconfig("cert/config", "    client-certificate-data: AAAA\n    client-key-data: BBBB");
        try {
            resolve(Optional.of(cert), null, Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("authenticates with a client certificate"));
            assertFalse(e.getMessage().contains("BBBB"));
        }
    }

    @Test
    public void brokenFilesNameTheFileAndField() throws Exception {
        Path file = temp.getRoot().toPath().resolve("config");
        Files.writeString(file, "current-context: nowhere\ncontexts: []\n");
        try {
            resolve(Optional.of(file), null, Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("kubeconfig " + file + ": current-context 'nowhere' is not in contexts", e.getMessage());
        }
        Files.writeString(file, "clusters: [\n");
        try {
            resolve(Optional.of(file), null, Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("kubeconfig " + file + " is not readable YAML"));
        }
        try {
            resolve(Optional.of(temp.getRoot().toPath().resolve("absent")), null, Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().endsWith("absent: does not exist"));
        }
    }

    /** SnakeYAML's message quotes the lines around the error: a token there must not reach the build log. */
    @Test
    public void aMalformedKubeconfigNamesLineAndColumnButNotItsToken() throws Exception {
        Path file = temp.getRoot().toPath().resolve("config");
        Files.writeString(file, "users:\n- name: ci\n  user:\n    token: \"SECRET-TOKEN-123\" junk\n");
        try {
            resolve(Optional.of(file), null, Map.of());
            fail();
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage(), e.getMessage().contains("SECRET-TOKEN-123"));
            assertFalse(e.getMessage(), e.getMessage().contains("\n"));
            assertTrue(e.getMessage(), e.getMessage().matches("kubeconfig \\Q" + file + "\\E is not readable YAML: .+ at line 4, column \\d+"));
        }
    }
}
