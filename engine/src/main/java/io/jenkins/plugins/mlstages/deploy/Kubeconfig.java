package io.jenkins.plugins.mlstages.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import okhttp3.HttpUrl;

/**
 * Reads what {@link KServeConfig#resolve} needs from a kubeconfig file (current context, its cluster's
 * server and CA, its user's token) or from a pod's service account, and what
 * {@link KServeConfig#fromKubeconfigContent} needs from a kubeconfig held in memory (a Jenkins credential),
 * which may refer to no file, program or ambient identity at all. Only bearer tokens are supported:
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
        byte[] content;
        try {
            content = InputFiles.readAll(file, InputFiles.CONFIG_CAP, "a kubeconfig");
        } catch (UnusableFileException e) {
            throw new IllegalArgumentException("kubeconfig " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("kubeconfig " + file + " cannot be read: " + InputFiles.parseProblem(e));
        }
        return fromTree(parse(content, "kubeconfig " + file), "kubeconfig " + file, Optional.of(file.toAbsolutePath().getParent()),
                namespace, name, canaryStorageUri, readyTimeout);
    }

    /**
     * A kubeconfig held in memory (a Jenkins credential): its current context, with an inline token and
     * CA only. Nothing is read from a file, the environment, the home folder or a service account.
     *
     * @param source names the kubeconfig in messages, e.g. {@code credentials 'prod-kube'}
     */
    static KServeConfig fromContent(String yaml, String source, String namespace, String name,
            Optional<String> canaryStorageUri, Duration readyTimeout) {
        if (yaml == null || yaml.isBlank()) {
            throw new IllegalArgumentException(source + ": the kubeconfig is empty");
        }
        if (yaml.length() > InputFiles.CONFIG_CAP) {
            throw new IllegalArgumentException(source + ": the kubeconfig is larger than " + InputFiles.CONFIG_CAP + " characters");
        }
        return fromTree(parse(yaml.getBytes(StandardCharsets.UTF_8), source), source, Optional.empty(), namespace, name,
                canaryStorageUri, readyTimeout);
    }

    /** The YAML tree; a parse error says what and where, never the text (a kubeconfig holds a token). */
    private static JsonNode parse(byte[] content, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not readable YAML: " + InputFiles.parseProblemAndPlace(e));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " is empty");
        }
        return root;
    }

    /** Fields of a cluster or user that make the client read a file or run a program, or trust any server. */
    private static final List<String> CLUSTER_REFERENCES = List.of("certificate-authority", "insecure-skip-tls-verify");
    private static final List<String> USER_REFERENCES = List.of("tokenFile", "client-certificate", "client-certificate-data",
            "client-key", "client-key-data", "exec", "auth-provider", "username", "password");
    /** The only fields a kubeconfig held in memory may use; any other one may refer to a file. */
    private static final List<String> CLUSTER_FIELDS = List.of("server", "certificate-authority-data", "extensions");
    private static final List<String> USER_FIELDS = List.of("token", "extensions");

    /**
     * @param base the folder relative paths of the kubeconfig resolve against; empty for one held in memory,
     *        which may then refer to no file at all
     */
    private static KServeConfig fromTree(JsonNode root, String source, Optional<Path> base, String namespace, String name,
            Optional<String> canaryStorageUri, Duration readyTimeout) {
        String contextName = text(root, "current-context")
                .orElseThrow(() -> new IllegalArgumentException(source + " has no current-context"));
        JsonNode context = named(root, "contexts", contextName, "context")
                .orElseThrow(() -> new IllegalArgumentException(source + ": current-context '" + contextName
                        + "' is not in contexts"));
        String clusterName = text(context, "cluster").orElseThrow(() -> new IllegalArgumentException(
                source + ": context '" + contextName + "' names no cluster"));
        JsonNode cluster = named(root, "clusters", clusterName, "cluster")
                .orElseThrow(() -> new IllegalArgumentException(source + ": cluster '" + clusterName
                        + "' is not in clusters"));
        String clusterField = "clusters[" + clusterName + "].cluster.";
        String server = text(cluster, "server").orElseThrow(() -> new IllegalArgumentException(
                source + ": cluster '" + clusterName + "' has no server"));
        if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
            throw new IllegalArgumentException(source + ": " + clusterField + "insecure-skip-tls-verify is set, which"
                    + " canaryDeploy does not honour; give the cluster's certificate-authority" + (base.isEmpty() ? "-data" : ""));
        }
        if (base.isEmpty()) {
            refuse(cluster, CLUSTER_REFERENCES, CLUSTER_FIELDS, source, clusterField);
            requireHttpsUnlessLoopback(server, source + ": " + clusterField + "server");
        }
        Optional<Path> ca = base.flatMap(folder -> text(cluster, "certificate-authority").map(folder::resolve));
        Optional<String> caData = text(cluster, "certificate-authority-data").map(data -> decode(source, clusterName, data));

        Optional<String> token = Optional.empty();
        Optional<Path> tokenFile = Optional.empty();
        Optional<String> userName = text(context, "user");
        if (userName.isPresent()) {
            JsonNode user = named(root, "users", userName.get(), "user")
                    .orElseThrow(() -> new IllegalArgumentException(source + ": user '" + userName.get()
                            + "' is not in users"));
            if (base.isEmpty()) {
                refuse(user, USER_REFERENCES, USER_FIELDS, source, "users[" + userName.get() + "].user.");
            }
            token = text(user, "token");
            tokenFile = base.flatMap(folder -> text(user, "tokenFile").map(folder::resolve));
            if (token.isEmpty() && tokenFile.isEmpty()) {
                String how = user.has("exec") ? "an exec plugin" : user.has("auth-provider") ? "an auth provider"
                        : user.has("client-certificate") || user.has("client-certificate-data") ? "a client certificate"
                        : user.has("username") ? "a user name and password" : "nothing";
                throw new IllegalArgumentException(source + ": user '" + userName.get() + "' authenticates with "
                        + how + "; canaryDeploy needs a bearer token (users[].user.token"
                        + (base.isPresent() ? " or tokenFile" : "") + "), e.g. of a service account");
            }
        } else if (base.isEmpty()) {
            throw new IllegalArgumentException(source + ": context '" + contextName + "' names no user; canaryDeploy needs"
                    + " a user with a bearer token (users[].user.token)");
        }
        String resolvedNamespace = present(namespace).or(() -> text(context, "namespace")).orElse("default");
        return new KServeConfig(server, resolvedNamespace, name, token, ca, canaryStorageUri, readyTimeout, caData, tokenFile);
    }

    /** One line naming the first field of {@code node} that is a reference (a file, a program) or not known. */
    private static void refuse(JsonNode node, List<String> references, List<String> allowed, String source, String prefix) {
        if (!node.isObject()) {
            return;
        }
        for (String field : references) {
            if (node.has(field) && !(field.equals("insecure-skip-tls-verify") && !node.path(field).asBoolean(false))) {
                throw new IllegalArgumentException(source + ": " + prefix + field + " is not allowed in a kubeconfig"
                        + " credential: only the user's inline token and the cluster's inline certificate-authority-data"
                        + " are used, never a file, a program or an unverified server");
            }
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!allowed.contains(field) && !field.equals("insecure-skip-tls-verify")) {
                throw new IllegalArgumentException(source + ": " + prefix + Printable.escape(field) + " is not supported in a"
                        + " kubeconfig credential: only an inline token and certificate-authority-data are used");
            }
        }
    }

    /** A bearer token goes in clear over http: only to this machine. */
    static void requireHttpsUnlessLoopback(String url, String what) {
        HttpUrl parsed = HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new IllegalArgumentException(what + " must be an https:// URL");
        }
        String host = parsed.host();
        boolean loopback = host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
        if (!parsed.isHttps() && !loopback) {
            throw new IllegalArgumentException(what + " must be an https:// URL (http only to this machine: localhost,"
                    + " 127.0.0.1, [::1]), so that the token is not sent in clear; was " + parsed.scheme() + "://" + host);
        }
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

    private static String decode(String source, String cluster, String base64) {
        try {
            return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": cluster '" + cluster
                    + "' has a certificate-authority-data that is not base64");
        }
    }
}
