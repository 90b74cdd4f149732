package io.jenkins.plugins.mlstages.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/**
 * Reads what {@link KServeConfig#resolve} needs from a kubeconfig file (current context, its cluster's
 * server and CA, its user's token) or from a pod's service account. Only bearer tokens are supported:
 * a user that authenticates with a client certificate, an exec plugin or an auth provider is refused
 * with a message saying so.
 */
final class Kubeconfig {
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private Kubeconfig() {
    }

    static KServeConfig resolve(Optional<Path> explicit, String namespace, String name, Optional<String> canaryStorageUri,
            Duration readyTimeout, Map<String, String> environment, Path home, Path serviceAccount) {
        Optional<Path> file = explicit;
        if (file.isPresent()) {
            try {
                InputFiles.requireReadable(file.get());
            } catch (UnusableFileException e) {
                throw new IllegalArgumentException("kubeconfig " + e.getMessage(), e);
            }
        } else {
            file = fromEnvironment(environment).or(() -> Optional.of(home.resolve(".kube/config")).filter(Files::isRegularFile));
        }
        if (file.isPresent()) {
            return fromFile(file.get(), namespace, name, canaryStorageUri, readyTimeout);
        }
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        if (host != null && !host.isBlank() && Files.isRegularFile(serviceAccount.resolve("token"))) {
            return inCluster(host, environment.getOrDefault("KUBERNETES_SERVICE_PORT", "443"), serviceAccount, namespace,
                    name, canaryStorageUri, readyTimeout);
        }
        throw new IllegalArgumentException("no Kubernetes configuration: give a kubeconfig, set KUBECONFIG, create "
                + home.resolve(".kube/config") + ", or run in a pod with a service account");
    }

    /** The first existing file of {@code $KUBECONFIG} (kubectl merges them all; we read the first). */
    private static Optional<Path> fromEnvironment(Map<String, String> environment) {
        String list = environment.get("KUBECONFIG");
        if (list == null || list.isBlank()) {
            return Optional.empty();
        }
        for (String entry : list.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
                return Optional.of(Path.of(entry));
            }
        }
        throw new IllegalArgumentException("KUBECONFIG names no existing file: " + list);
    }

    static KServeConfig fromFile(Path file, String namespace, String name, Optional<String> canaryStorageUri,
            Duration readyTimeout) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(InputFiles.readAll(file, InputFiles.CONFIG_CAP, "a kubeconfig"));
        } catch (UnusableFileException e) {
            throw new IllegalArgumentException("kubeconfig " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("kubeconfig " + file + " is not readable YAML: " + InputFiles.parseProblemAndPlace(e));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("kubeconfig " + file + " is empty");
        }
        String contextName = text(root, "current-context")
                .orElseThrow(() -> new IllegalArgumentException("kubeconfig " + file + " has no current-context"));
        JsonNode context = named(root, "contexts", contextName, "context")
                .orElseThrow(() -> new IllegalArgumentException("kubeconfig " + file + ": current-context '" + contextName
                        + "' is not in contexts"));
        String clusterName = text(context, "cluster").orElseThrow(() -> new IllegalArgumentException(
                "kubeconfig " + file + ": context '" + contextName + "' names no cluster"));
        JsonNode cluster = named(root, "clusters", clusterName, "cluster")
                .orElseThrow(() -> new IllegalArgumentException("kubeconfig " + file + ": cluster '" + clusterName
                        + "' is not in clusters"));
        String server = text(cluster, "server").orElseThrow(() -> new IllegalArgumentException(
                "kubeconfig " + file + ": cluster '" + clusterName + "' has no server"));
        if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
            throw new IllegalArgumentException("kubeconfig " + file + ": cluster '" + clusterName
                    + "' sets insecure-skip-tls-verify, which canaryDeploy does not honour; give its certificate-authority");
        }
        Path base = file.toAbsolutePath().getParent();
        Optional<Path> ca = text(cluster, "certificate-authority").map(base::resolve);
        Optional<String> caData = text(cluster, "certificate-authority-data").map(data -> decode(file, clusterName, data));

        Optional<String> token = Optional.empty();
        Optional<Path> tokenFile = Optional.empty();
        Optional<String> userName = text(context, "user");
        if (userName.isPresent()) {
            JsonNode user = named(root, "users", userName.get(), "user")
                    .orElseThrow(() -> new IllegalArgumentException("kubeconfig " + file + ": user '" + userName.get()
                            + "' is not in users"));
            token = text(user, "token");
            tokenFile = text(user, "tokenFile").map(base::resolve);
            if (token.isEmpty() && tokenFile.isEmpty()) {
                String how = user.has("exec") ? "an exec plugin" : user.has("auth-provider") ? "an auth provider"
                        : user.has("client-certificate") || user.has("client-certificate-data") ? "a client certificate"
                        : user.has("username") ? "a user name and password" : "nothing";
                throw new IllegalArgumentException("kubeconfig " + file + ": user '" + userName.get() + "' authenticates with "
                        + how + "; canaryDeploy needs a bearer token (users[].user.token or tokenFile), e.g. of a service account");
            }
        }
        String resolvedNamespace = present(namespace).or(() -> text(context, "namespace")).orElse("default");
        return new KServeConfig(server, resolvedNamespace, name, token, ca, canaryStorageUri, readyTimeout, caData, tokenFile);
    }

    private static KServeConfig inCluster(String host, String port, Path serviceAccount, String namespace, String name,
            Optional<String> canaryStorageUri, Duration readyTimeout) {
        String server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        Path ca = serviceAccount.resolve("ca.crt");
        String resolvedNamespace = present(namespace).orElseGet(() -> {
            try {
                Path file = serviceAccount.resolve("namespace");
                return Files.isRegularFile(file)
                        ? new String(InputFiles.readAll(file, InputFiles.SECRET_CAP, "a namespace file"), StandardCharsets.UTF_8).strip()
                        : "default";
            } catch (IOException e) {
                return "default";
            }
        });
        return new KServeConfig(server, resolvedNamespace, name, Optional.empty(),
                Optional.of(ca).filter(Files::isRegularFile), canaryStorageUri, readyTimeout, Optional.empty(),
                Optional.of(serviceAccount.resolve("token")));
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : present(value.asText());
    }

    /** The {@code inner} object of the entry of list {@code list} whose {@code name} is {@code name}. */
    private static Optional<JsonNode> named(JsonNode root, String list, String name, String inner) {
        for (JsonNode entry : root.path(list)) {
            if (name.equals(entry.path("name").asText(null))) {
                return Optional.of(entry.path(inner));
            }
        }
        return Optional.empty();
    }

    private static String decode(Path file, String cluster, String base64) {
        try {
            return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kubeconfig " + file + ": cluster '" + cluster
                    + "' has a certificate-authority-data that is not base64");
        }
    }
}
