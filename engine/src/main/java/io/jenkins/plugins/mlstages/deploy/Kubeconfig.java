package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.Printable;
import okhttp3.HttpUrl;

/**
 * Checks a kubeconfig before the fabric8 client reads it, so that a broken or unusable one is one line naming
 * the file (or credential) and the field, never its text (a kubeconfig holds tokens and keys): its current
 * context, cluster and user must exist, and a kubeconfig held in memory (a Jenkins credential) may refer to no
 * file and may run a program ({@code exec}) only where the caller allows it (on an agent).
 */
final class Kubeconfig {
    /** What the current context says, for messages and the namespace default. */
    record Context(String name, String server, Optional<String> namespace, Optional<String> user, Optional<String> execCommand,
            Optional<String> tokenFile) {
    }

    /** Fields of a cluster or user that make the client read a file of the machine, or trust any server. */
    private static final List<String> CLUSTER_REFERENCES = List.of("certificate-authority", "insecure-skip-tls-verify");
    private static final List<String> USER_REFERENCES = List.of("tokenFile", "client-certificate", "client-key",
            "username", "password");
    /** The only fields a kubeconfig held in memory may use; any other one may refer to a file. */
    private static final List<String> CLUSTER_FIELDS = List.of("server", "certificate-authority-data", "extensions");
    private static final List<String> USER_FIELDS = List.of("token", "client-certificate-data", "client-key-data",
            "exec", "auth-provider", "extensions");

    private Kubeconfig() {
    }

    /** The YAML tree; a parse error says what and where, never the text. */
    static JsonNode parse(byte[] content, String source) {
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

    /**
     * @param inMemory a Jenkins credential: no file references, https only (or this machine), a user required
     * @param mayRunPrograms whether {@code users[].user.exec} may run here (the CLI; an agent in Jenkins)
     */
    static Context check(JsonNode root, String source, boolean inMemory, boolean mayRunPrograms) {
        String contextName = text(root, "current-context")
                .orElseThrow(() -> new IllegalArgumentException(source + " has no current-context"));
        JsonNode context = named(root, "contexts", contextName, "context")
                .orElseThrow(() -> new IllegalArgumentException(source + ": current-context '" + contextName
                        + "' is not in contexts"));
        String clusterName = text(context, "cluster").orElseThrow(() -> new IllegalArgumentException(
                source + ": context '" + contextName + "' names no cluster"));
        JsonNode cluster = named(root, "clusters", clusterName, "cluster")
                .orElseThrow(() -> new IllegalArgumentException(source + ": cluster '" + clusterName + "' is not in clusters"));
        String clusterField = "clusters[" + clusterName + "].cluster.";
        String server = text(cluster, "server").orElseThrow(() -> new IllegalArgumentException(
                source + ": cluster '" + clusterName + "' has no server"));
        if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
            throw new IllegalArgumentException(source + ": " + clusterField + "insecure-skip-tls-verify is set, which"
                    + " ML Stages does not honour; give the cluster's certificate-authority" + (inMemory ? "-data" : ""));
        }
        text(cluster, "certificate-authority-data").ifPresent(data -> decode(source, clusterName, data));
        if (inMemory) {
            refuse(cluster, CLUSTER_REFERENCES, CLUSTER_FIELDS, source, clusterField);
            requireHttpsUnlessLoopback(server, source + ": " + clusterField + "server");
        }
        Optional<String> userName = text(context, "user");
        Optional<String> exec = Optional.empty();
        Optional<String> tokenFile = Optional.empty();
        if (userName.isPresent()) {
            JsonNode user = named(root, "users", userName.get(), "user")
                    .orElseThrow(() -> new IllegalArgumentException(source + ": user '" + userName.get() + "' is not in users"));
            String userField = "users[" + userName.get() + "].user.";
            if (inMemory) {
                refuse(user, USER_REFERENCES, USER_FIELDS, source, userField);
            }
            if (text(user, "token").isEmpty()) {
                tokenFile = text(user, "tokenFile");
            }
            if (user.has("exec")) {
                exec = Optional.of(Printable.escape(user.path("exec").path("command").asText("?")));
                if (!mayRunPrograms) {
                    throw new IllegalArgumentException(source + ": " + userField + "exec runs a program ('" + exec.get()
                            + "'), which runs only on an agent: give the router definition an agent, or use a token");
                }
            }
            boolean any = false;
            for (String field : List.of("token", "tokenFile", "client-certificate", "client-certificate-data", "exec",
                    "auth-provider", "username")) {
                any |= user.has(field);
            }
            if (!any) {
                throw new IllegalArgumentException(source + ": user '" + userName.get() + "' has no credential: give a token,"
                        + " a client certificate and key, an exec plugin or an auth provider");
            }
        } else if (inMemory) {
            throw new IllegalArgumentException(source + ": context '" + contextName + "' names no user; a kubeconfig"
                    + " credential needs a user with a token, a client certificate or an exec plugin");
        }
        return new Context(contextName, server, text(context, "namespace"), userName, exec, tokenFile);
    }

    /** One line naming the first field of {@code node} that is a reference (a file, a program) or not known. */
    private static void refuse(JsonNode node, List<String> references, List<String> allowed, String source, String prefix) {
        if (!node.isObject()) {
            return;
        }
        for (String field : references) {
            if (node.has(field) && !(field.equals("insecure-skip-tls-verify") && !node.path(field).asBoolean(false))) {
                throw new IllegalArgumentException(source + ": " + prefix + field + " is not allowed in a kubeconfig"
                        + " credential: only inline data is used (token, client-certificate-data, client-key-data,"
                        + " certificate-authority-data), never a file of the machine or an unverified server");
            }
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!allowed.contains(field) && !field.equals("insecure-skip-tls-verify")) {
                throw new IllegalArgumentException(source + ": " + prefix + Printable.escape(field) + " is not supported in a"
                        + " kubeconfig credential: only inline data, an exec plugin and an auth provider are used");
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

    static Optional<String> present(String value) {
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
