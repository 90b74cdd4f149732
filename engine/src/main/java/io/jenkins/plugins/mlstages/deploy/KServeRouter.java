package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlstages.report.ServerAnswer;

/**
 * Splits traffic with a KServe InferenceService (serverless mode): a JSON merge patch of
 * {@code spec.predictor.canaryTrafficPercent} (and of {@code spec.predictor.model.storageUri} when a
 * canary model is configured) through the Kubernetes API (the fabric8 client), then a wait until
 * {@code status.components.predictor.traffic} gives the latest revision that share. KServe sends the
 * rest to the last revision rolled out at 100 % (tag {@code prev}); 100 % promotes the latest revision.
 *
 * <p>The split counts as applied when the status has caught up with the patched generation, the newest
 * created revision is ready, and the traffic entries marked {@code latestRevision} add up to the share.
 */
public final class KServeRouter implements TrafficRouter {
    static final ResourceDefinitionContext INFERENCE_SERVICE = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io").withVersion("v1beta1").withKind("InferenceService")
            .withPlural("inferenceservices").withNamespaced(true).build();
    private static final String READ = "read InferenceService";

    private final KServeConfig config;
    private final KubernetesCalls calls;
    private final Duration pollInterval;
    private final Sleeper sleeper;
    private final String path;
    private final ObjectMapper mapper = new ObjectMapper();

    public KServeRouter(KServeConfig config) {
        this(config, Sleeper.SYSTEM);
    }

    /**
     * @param sleeper every wait of this router (the readiness polls, the backoff between tries of a request)
     *        goes through it, so that a Jenkins abort interrupts them: the step's interruptible sleep
     */
    public KServeRouter(KServeConfig config, Sleeper sleeper) {
        this(config, Duration.ofSeconds(1), sleeper);
    }

    KServeRouter(KServeConfig config, Duration pollInterval, Sleeper sleeper) {
        this.config = config;
        this.pollInterval = pollInterval;
        this.sleeper = sleeper;
        this.calls = new KubernetesCalls(config.cluster(), DeployHttp.RETRIES, sleeper, this::hint);
        this.path = "/apis/serving.kserve.io/v1beta1/namespaces/" + config.namespace() + "/inferenceservices/" + config.name();
    }

    /** @throws InterruptedException when a wait was interrupted (a Jenkins abort): the split is left as it is */
    @Override
    public void setCanaryWeight(int canaryPercent) throws InterruptedException {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        JsonNode current = read();
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
        String operation = "set canary " + canaryPercent + " % of " + config.namespace() + "/" + config.name();
        JsonNode patched = tree(calls.call(operation, "PATCH", path,
                client -> resource(client).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString())));
        long generation = patched.path("metadata").path("generation").asLong(-1);

        Instant deadline = Instant.now().plus(config.readyTimeout());
        while (true) {
            Split split = Split.of(read());
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
        Split split;
        try {
            split = Split.of(read());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("kubernetes API " + READ + " of " + config.namespace() + "/" + config.name()
                    + " was interrupted", e);
        }
        if (split.canaryPercent() < 0) {
            throw new DeployException(describe() + " reports no predictor traffic yet (status.components.predictor.traffic)");
        }
        return split.canaryPercent();
    }

    @Override
    public String describe() {
        return "KServe InferenceService " + config.namespace() + "/" + config.name() + " at " + calls.url("/");
    }

    private Resource<GenericKubernetesResource> resource(KubernetesClient client) {
        return client.genericKubernetesResources(INFERENCE_SERVICE).inNamespace(config.namespace()).withName(config.name());
    }

    private JsonNode read() throws InterruptedException {
        String operation = READ + " of " + config.namespace() + "/" + config.name();
        GenericKubernetesResource isvc = calls.call(operation, "GET", path, client -> resource(client).get());
        if (isvc == null) {
            throw calls.notFound(operation, path);
        }
        return tree(isvc);
    }

    private JsonNode tree(GenericKubernetesResource resource) {
        try {
            return mapper.readTree(Serialization.asJson(resource));
        } catch (JsonProcessingException e) {
            throw new DeployException(describe() + " answered what is not a Kubernetes object", e);
        }
    }

    private String hint(int code) {
        return switch (code) {
            case 401 -> " (the cluster did not accept who we are: check the token, client certificate or exec plugin)";
            case 403 -> " (the account needs get and patch on inferenceservices.serving.kserve.io in " + config.namespace() + ")";
            case 404 -> " (is KServe installed and the InferenceService created?)";
            default -> "";
        };
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

}
