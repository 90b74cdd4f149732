package io.jenkins.plugins.mlstages.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.ServerAnswer;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Splits traffic with a KServe InferenceService (serverless mode): a JSON merge patch of
 * {@code spec.predictor.canaryTrafficPercent} (and of {@code spec.predictor.model.storageUri} when a
 * canary model is configured) through the Kubernetes API, then a wait until
 * {@code status.components.predictor.traffic} gives the latest revision that share. KServe sends the
 * rest to the last revision rolled out at 100 % (tag {@code prev}); 100 % promotes the latest revision.
 *
 * <p>The split counts as applied when the status has caught up with the patched generation, the newest
 * created revision is ready, and the traffic entries marked {@code latestRevision} add up to the share.
 */
public final class KServeRouter implements TrafficRouter {
    private static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String READ = "read InferenceService";

    private final KServeConfig config;
    private final DeployHttp http;
    private final Duration pollInterval;
    private final Sleeper sleeper;
    private final HttpUrl url;
    private final ObjectMapper mapper = new ObjectMapper();

    public KServeRouter(KServeConfig config) {
        this(config, Sleeper.SYSTEM);
    }

    /**
     * @param sleeper every wait of this router (the readiness polls, the backoff between tries of a request)
     *        goes through it, so that a Jenkins abort interrupts them: the step's interruptible sleep
     */
    public KServeRouter(KServeConfig config, Sleeper sleeper) {
        this(config, new DeployHttp("kubernetes API", token(config), REQUEST_TIMEOUT, Optional.ofNullable(tls(config)),
                DeployHttp.RETRIES, sleeper), Duration.ofSeconds(1), sleeper);
    }

    KServeRouter(KServeConfig config, DeployHttp http, Duration pollInterval) {
        this(config, http, pollInterval, Sleeper.SYSTEM);
    }

    KServeRouter(KServeConfig config, DeployHttp http, Duration pollInterval, Sleeper sleeper) {
        this.config = config;
        this.http = http;
        this.pollInterval = pollInterval;
        this.sleeper = sleeper;
        HttpUrl server = HttpUrl.parse(config.apiServer());
        if (server == null) {
            throw new IllegalArgumentException("the Kubernetes API server must be an http(s) URL, was '" + config.apiServer() + "'");
        }
        this.url = server.newBuilder()
                .addPathSegments("apis/serving.kserve.io/v1beta1/namespaces")
                .addPathSegment(config.namespace())
                .addPathSegment("inferenceservices")
                .addPathSegment(config.name())
                .build();
    }

    /** @throws InterruptedException when a wait was interrupted (a Jenkins abort): the split is left as it is */
    @Override
    public void setCanaryWeight(int canaryPercent) throws InterruptedException {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        JsonNode current = requireSuccess(READ, "GET", http.send(READ, readRequest()));
        ObjectNode patch = mapper.createObjectNode();
        ObjectNode predictor = patch.putObject("spec").putObject("predictor");
        predictor.put("canaryTrafficPercent", canaryPercent);
        if (config.canaryStorageUri().isPresent()) {
            if (!current.path("spec").path("predictor").path("model").isObject()) {
                throw new DeployException(describe() + " has no spec.predictor.model (the predictor schema of KServe"
                        + " 0.8 and later), so its storage URI cannot be set; migrate it or leave the canary storage URI out");
            }
            predictor.putObject("model").put("storageUri", config.canaryStorageUri().get());
        }
        String operation = "set canary " + canaryPercent + " %";
        DeployHttp.Answer answer = http.send(operation, new Request.Builder().url(url)
                // bytes, so that OkHttp adds no charset parameter: exactly the media type kubectl sends
                .patch(RequestBody.create(patch.toString().getBytes(StandardCharsets.UTF_8), MERGE_PATCH)).build());
        JsonNode patched = requireSuccess(operation, "PATCH", answer);
        long generation = patched.path("metadata").path("generation").asLong(-1);

        Instant deadline = Instant.now().plus(config.readyTimeout());
        while (true) {
            Split split = Split.of(requireSuccess(READ, "GET", http.send(READ, readRequest())));
            if (split.reports(canaryPercent, generation)) {
                return;
            }
            if (Instant.now().plus(pollInterval).isAfter(deadline)) {
                throw new DeployException(describe() + " did not report canary " + canaryPercent + " % within "
                        + Durations.text(config.readyTimeout()) + "; it reports " + split);
            }
            sleeper.sleep(pollInterval);
        }
    }

    @Override
    public int canaryWeight() {
        Split split = Split.of(read());
        if (split.canaryPercent() < 0) {
            throw new DeployException(describe() + " reports no predictor traffic yet (status.components.predictor.traffic)");
        }
        return split.canaryPercent();
    }

    @Override
    public String describe() {
        return "KServe InferenceService " + config.namespace() + "/" + config.name() + " at " + DeployHttp.safe(url.newBuilder()
                .encodedPath("/").build());
    }

    private JsonNode read() {
        return requireSuccess(READ, "GET", http.sendOrFail(READ, readRequest()));
    }

    private Request readRequest() {
        return new Request.Builder().url(url).get().build();
    }

    private JsonNode requireSuccess(String operation, String method, DeployHttp.Answer answer) {
        JsonNode body = null;
        try {
            body = answer.body().isBlank() ? null : mapper.readTree(answer.body());
        } catch (JsonProcessingException notJson) {
            // reported below
        }
        if (answer.successful() && body != null && body.isObject()) {
            return body;
        }
        StringBuilder message = new StringBuilder("kubernetes API " + operation + " of " + config.namespace() + "/"
                + config.name() + " failed: " + method + " " + DeployHttp.safe(url) + " answered " + answer.described());
        if (answer.successful()) {
            // what came, never what it said: the API server URL may point at another endpoint
            message.append(", not a Kubernetes object");
        }
        if (answer.code() == 401) {
            message.append(" (the token was refused)");
        } else if (answer.code() == 403) {
            message.append(" (the account needs get and patch on inferenceservices.serving.kserve.io in ")
                    .append(config.namespace()).append(")");
        } else if (answer.code() == 404) {
            message.append(" (is KServe installed and the InferenceService created?)");
        }
        throw new DeployException(message.toString());
    }

    /** What an InferenceService's status says about the predictor's split. */
    record Split(long observedGeneration, int canaryPercent, String latestCreated, String latestReady,
            String traffic, String ready) {

        static Split of(JsonNode isvc) {
            JsonNode status = isvc.path("status");
            JsonNode predictor = status.path("components").path("predictor");
            int share = -1;
            List<String> entries = new ArrayList<>();
            for (JsonNode target : predictor.path("traffic")) {
                int percent = target.path("percent").asInt(0);
                if (target.path("latestRevision").asBoolean(false)) {
                    share = Math.max(share, 0) + percent;
                }
                entries.add(shown(target.path("revisionName").asText("?"))
                        + (target.has("tag") ? " (" + shown(target.path("tag").asText()) + ")" : "") + " " + percent + " %");
            }
            if (share < 0 && predictor.path("traffic").isArray() && !predictor.path("traffic").isEmpty()) {
                share = 0; // only pinned revisions: none is the latest
            }
            String ready = "unknown";
            for (JsonNode condition : status.path("conditions")) {
                if ("Ready".equals(condition.path("type").asText())) {
                    ready = shown(condition.path("status").asText("unknown"))
                            + (condition.hasNonNull("message") ? " (" + shown(condition.path("message").asText()) + ")" : "");
                }
            }
            return new Split(status.path("observedGeneration").asLong(-1), share,
                    shown(predictor.path("latestCreatedRevision").asText(null)), shown(predictor.path("latestReadyRevision").asText(null)),
                    entries.isEmpty() ? "no traffic" : String.join(", ", entries), ready);
        }

        /** A text of the status, fit for a message (see {@link ServerAnswer#shown}). */
        private static String shown(String text) {
            return text == null ? null : ServerAnswer.shown(text);
        }

        boolean reports(int percent, long generation) {
            boolean caughtUp = generation < 0 || observedGeneration < 0 || observedGeneration >= generation;
            boolean newestReady = latestCreated == null || latestCreated.equals(latestReady);
            return caughtUp && newestReady && canaryPercent == percent;
        }

        @Override
        public String toString() {
            return "traffic " + traffic + ", latest created revision " + latestCreated + ", latest ready revision "
                    + latestReady + ", Ready " + ready + ", observed generation " + observedGeneration;
        }
    }

    private static Supplier<Optional<String>> token(KServeConfig config) {
        if (config.tokenFile().isEmpty()) {
            return config::bearerToken;
        }
        Path file = config.tokenFile().get();
        return () -> {
            try {
                return Optional.of(new String(InputFiles.readAll(file, InputFiles.SECRET_CAP, "a token file"),
                        StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                String reason = e instanceof UnusableFileException ? ((UnusableFileException) e).problem() : e.getMessage();
                throw new DeployException("cannot read the Kubernetes token file " + file + ": " + reason, e);
            }
        };
    }

    /** Trust in exactly the configured CA, as kubectl does with certificate-authority; null when none is configured. */
    static DeployHttp.Tls tls(KServeConfig config) {
        if (config.caCertificate().isEmpty() && config.caCertificateData().isEmpty()) {
            return null;
        }
        String source = config.caCertificate().map(Path::toString).orElse("certificate (certificate-authority-data)");
        try (InputStream pem = config.caCertificate().isPresent()
                ? new ByteArrayInputStream(InputFiles.readAll(config.caCertificate().get(), InputFiles.SECRET_CAP, "a CA certificate"))
                : new ByteArrayInputStream(config.caCertificateData().get().getBytes(StandardCharsets.US_ASCII))) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(pem);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("the Kubernetes CA " + source + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            X509TrustManager trust = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    trust = x509;
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return new DeployHttp.Tls(context, trust);
        } catch (IOException e) {
            String reason = e instanceof UnusableFileException ? ((UnusableFileException) e).problem() : e.getMessage();
            throw new IllegalArgumentException("cannot read the Kubernetes CA " + source + ": " + reason);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the Kubernetes CA " + source + " is not a PEM certificate: " + e.getMessage());
        }
    }
}
