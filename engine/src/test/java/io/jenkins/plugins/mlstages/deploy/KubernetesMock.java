package io.jenkins.plugins.mlstages.deploy;

import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * fabric8's Kubernetes mock API server in CRUD mode (objects are stored, patched, updated with resourceVersion
 * checks and generation bumps), with expectations on top where a test needs an error answer: no real API server
 * can run here. The JUnit 4 way of {@code @EnableKubernetesMockClient(crud = true)}.
 */
final class KubernetesMock implements AutoCloseable {
    /** The mock server logs every request at INFO: kept out of the test output (held, so the level stays). */
    private static final java.util.logging.Logger QUIET = quiet();

    final KubernetesMockServer server;
    /** A client of the test's own, that plays the cluster's controllers and reads what the router did. */
    final NamespacedKubernetesClient client;

    KubernetesMock() {
        QUIET.fine("starting");
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** The API server's URL, e.g. {@code http://localhost:34567}. */
    String url() {
        String url = server.url("/");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A kubeconfig of this server for user {@code user}, whose YAML is given (indented by four spaces). */
    String kubeconfig(String namespace, String user) {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "current-context: mock",
                "contexts:",
                "- name: mock",
                "  context: {cluster: mock, user: deployer, namespace: " + namespace + "}",
                "clusters:",
                "- name: mock",
                "  cluster: {server: '" + url() + "'}",
                "users:",
                "- name: deployer",
                "  user:",
                user,
                "");
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
