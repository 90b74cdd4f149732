package io.jenkins.plugins.mlstages.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which InferenceService {@link KServeRouter} drives and how it reaches the Kubernetes API.
 *
 * @param apiServer the API server's base URL, e.g. {@code https://10.0.0.1:6443}
 * @param namespace the InferenceService's namespace
 * @param name the InferenceService's name
 * @param bearerToken a token sent with every request, when it is known up front
 * @param caCertificate a PEM file of the CA that signed the API server's certificate (replaces the JVM's trust store)
 * @param canaryStorageUri the canary model's {@code spec.predictor.model.storageUri}, when the split should
 *        also (re)point the latest revision at it
 * @param readyTimeout how long to wait for the InferenceService to report a split
 * @param caCertificateData the same CA as PEM text (a kubeconfig's {@code certificate-authority-data}), decoded
 * @param tokenFile a file to read the token from for each request instead (an in-cluster service account
 *        token, which the kubelet rotates)
 */
public record KServeConfig(String apiServer, String namespace, String name, Optional<String> bearerToken,
        Optional<Path> caCertificate, Optional<String> canaryStorageUri, Duration readyTimeout,
        Optional<String> caCertificateData, Optional<Path> tokenFile) {
    /** The longest wait for a split to be reported. */
    public static final Duration MAX_READY_TIMEOUT = Duration.ofHours(1);

    public KServeConfig {
        Objects.requireNonNull(apiServer, "apiServer");
        requireName(namespace, "namespace");
        requireName(name, "InferenceService name");
        bearerToken = Objects.requireNonNullElse(bearerToken, Optional.empty());
        caCertificate = Objects.requireNonNullElse(caCertificate, Optional.empty());
        canaryStorageUri = Objects.requireNonNullElse(canaryStorageUri, Optional.<String>empty()).filter(s -> !s.isBlank());
        caCertificateData = Objects.requireNonNullElse(caCertificateData, Optional.empty());
        tokenFile = Objects.requireNonNullElse(tokenFile, Optional.empty());
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        if (readyTimeout.isNegative() || readyTimeout.isZero() || readyTimeout.compareTo(MAX_READY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the KServe ready timeout (--ready-timeout, readyTimeout) must be positive and at most "
                    + Durations.format(MAX_READY_TIMEOUT) + ", was " + Durations.format(readyTimeout));
        }
    }

    public KServeConfig(String apiServer, String namespace, String name, Optional<String> bearerToken,
            Optional<Path> caCertificate, Optional<String> canaryStorageUri, Duration readyTimeout) {
        this(apiServer, namespace, name, bearerToken, caCertificate, canaryStorageUri, readyTimeout, Optional.empty(),
                Optional.empty());
    }

    /**
     * Finds the cluster and credentials as kubectl does: the given kubeconfig, else {@code $KUBECONFIG}
     * (its first file), else {@code ~/.kube/config}, else the pod's service account (in-cluster).
     *
     * @param namespace the InferenceService's namespace; when null or blank, the kubeconfig context's, else
     *        the service account's, else {@code default}
     * @throws IllegalArgumentException when no configuration is found or it cannot be used; the message
     *         names the file and the field
     */
    public static KServeConfig resolve(Optional<Path> kubeconfig, String namespace, String name,
            Optional<String> canaryStorageUri, Duration readyTimeout) {
        return Kubeconfig.resolve(kubeconfig, namespace, name, canaryStorageUri, readyTimeout, System.getenv(),
                Path.of(System.getProperty("user.home")), Kubeconfig.SERVICE_ACCOUNT);
    }

    static KServeConfig resolve(Optional<Path> kubeconfig, String namespace, String name,
            Optional<String> canaryStorageUri, Duration readyTimeout, Map<String, String> environment, Path home,
            Path serviceAccount) {
        return Kubeconfig.resolve(kubeconfig, namespace, name, canaryStorageUri, readyTimeout, environment, home,
                serviceAccount);
    }

    /** TEMP stub of engine-deploy's member (dropped at merge): a kubeconfig's text, inline token/CA only. */
    public static KServeConfig fromKubeconfigContent(String yaml, String source, String namespace, String name,
            Optional<String> canaryStorageUri, Duration readyTimeout) {
        throw new UnsupportedOperationException("TEMP stub: engine-deploy provides KServeConfig.fromKubeconfigContent");
    }

    /** TEMP stub of engine-deploy's member (dropped at merge): a bearer token and an optional CA as PEM text. */
    public static KServeConfig withToken(String apiServer, String token, Optional<String> caCertificatePem,
            String namespace, String name, Optional<String> canaryStorageUri, Duration readyTimeout) {
        return new KServeConfig(apiServer, namespace, name, Optional.of(token), Optional.empty(), canaryStorageUri,
                readyTimeout, caCertificatePem, Optional.empty());
    }

    /** The same InferenceService and credentials with another canary model. */
    public KServeConfig withCanaryStorageUri(Optional<String> storageUri) {
        return new KServeConfig(apiServer, namespace, name, bearerToken, caCertificate, storageUri, readyTimeout,
                caCertificateData, tokenFile);
    }

    private static void requireName(String value, String what) {
        // Kubernetes names: DNS labels / subdomains
        if (value == null || !value.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || value.length() > 253) {
            throw new IllegalArgumentException("invalid Kubernetes " + what + ": '" + value + "'");
        }
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "KServeConfig[apiServer=" + apiServer + ", namespace=" + namespace + ", name=" + name
                + ", bearerToken=" + (bearerToken.isPresent() ? "****" : "none")
                + ", caCertificate=" + caCertificate.map(Path::toString).orElse(caCertificateData.isPresent() ? "(inline)" : "none")
                + ", canaryStorageUri=" + canaryStorageUri.orElse("none") + ", readyTimeout=" + readyTimeout
                + ", tokenFile=" + tokenFile.map(Path::toString).orElse("none") + "]";
    }
}
