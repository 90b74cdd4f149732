package io.jenkins.plugins.mlstages.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which InferenceService {@link KServeRouter} drives and how it reaches the Kubernetes API.
 *
 * @param cluster the API server and the identity there (a kubeconfig, a token, the service account)
 * @param namespace the InferenceService's namespace
 * @param name the InferenceService's name
 * @param canaryStorageUri the canary model's {@code spec.predictor.model.storageUri}, when the split should
 *        also (re)point the latest revision at it
 * @param readyTimeout how long to wait for the InferenceService to report a split
 */
public record KServeConfig(KubernetesCluster cluster, String namespace, String name, Optional<String> canaryStorageUri,
        Duration readyTimeout) {
    /** The longest wait for a split to be reported. */
    public static final Duration MAX_READY_TIMEOUT = Duration.ofHours(1);

    public KServeConfig {
        Objects.requireNonNull(cluster, "cluster");
        requireName(namespace, "namespace");
        requireName(name, "InferenceService name");
        canaryStorageUri = Objects.requireNonNullElse(canaryStorageUri, Optional.<String>empty()).filter(s -> !s.isBlank());
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        if (readyTimeout.isNegative() || readyTimeout.isZero() || readyTimeout.compareTo(MAX_READY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the KServe ready timeout (--ready-timeout, readyTimeout) must be positive and at most "
                    + Durations.format(MAX_READY_TIMEOUT) + ", was " + Durations.format(readyTimeout));
        }
    }

    /**
     * @param namespace the InferenceService's namespace; when null or blank, the cluster configuration's (the
     *        kubeconfig context's, the service account's), else {@code default}
     */
    public static KServeConfig of(KubernetesCluster cluster, String namespace, String name, Optional<String> canaryStorageUri,
            Duration readyTimeout) {
        return new KServeConfig(cluster, namespaceOf(cluster, namespace), name, canaryStorageUri, readyTimeout);
    }

    /** The namespace given, else the cluster configuration's, else {@code default}. */
    static String namespaceOf(KubernetesCluster cluster, String namespace) {
        return Kubeconfig.present(namespace).or(cluster::namespace).orElse("default");
    }

    /**
     * Finds the cluster and credentials as kubectl does ({@link KubernetesCluster#resolve}).
     *
     * @throws IllegalArgumentException when no configuration is found or it cannot be used; the message
     *         names the file and the field
     */
    public static KServeConfig resolve(Optional<Path> kubeconfig, String namespace, String name,
            Optional<String> canaryStorageUri, Duration readyTimeout) {
        return of(KubernetesCluster.resolve(kubeconfig), namespace, name, canaryStorageUri, readyTimeout);
    }

    /**
     * A kubeconfig held in memory, e.g. a Jenkins "Secret file" credential ({@link KubernetesCluster#fromKubeconfigContent}).
     *
     * @param mayRunPrograms whether an exec plugin may run in this JVM: never on the Jenkins controller
     */
    public static KServeConfig fromKubeconfigContent(String yaml, String source, boolean mayRunPrograms, String namespace,
            String name, Optional<String> canaryStorageUri, Duration readyTimeout) {
        return of(KubernetesCluster.fromKubeconfigContent(yaml, source, mayRunPrograms), namespace, name, canaryStorageUri,
                readyTimeout);
    }

    /** An API server and a bearer token, e.g. from a Jenkins "Secret text" credential ({@link KubernetesCluster#withToken}). */
    public static KServeConfig withToken(String apiServer, String token, Optional<String> caCertificatePem, String namespace,
            String name, Optional<String> canaryStorageUri, Duration readyTimeout) {
        return of(KubernetesCluster.withToken(apiServer, token, caCertificatePem), namespace, name, canaryStorageUri, readyTimeout);
    }

    /** The same InferenceService and credentials with another canary model. */
    public KServeConfig withCanaryStorageUri(Optional<String> storageUri) {
        return new KServeConfig(cluster, namespace, name, storageUri, readyTimeout);
    }

    static void requireName(String value, String what) {
        // Kubernetes names: DNS labels / subdomains
        if (value == null || !value.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || value.length() > 253) {
            throw new IllegalArgumentException("invalid Kubernetes " + what + ": '" + value + "'");
        }
    }

    /** Never shows a secret. */
    @Override
    public String toString() {
        return "KServeConfig[" + cluster + ", namespace=" + namespace + ", name=" + name
                + ", canaryStorageUri=" + canaryStorageUri.orElse("none") + ", readyTimeout=" + readyTimeout + "]";
    }
}
