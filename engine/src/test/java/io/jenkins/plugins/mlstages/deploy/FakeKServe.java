package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * KServe's serverless controller, imitated against {@link KubernetesMock} for the one InferenceService a test
 * drives (no cluster exists here): it watches the object's {@code metadata.generation}, and a delay after a
 * change it writes the status as KServe's knative reconciler does: a change of the predictor's model creates a
 * revision, which becomes ready (unless told to fail); the latest ready revision gets {@code canaryTrafficPercent},
 * the last revision rolled out at 100 % (tag {@code prev}) the rest, and a revision at 100 % becomes the rolled-out one.
 */
final class FakeKServe implements AutoCloseable {
    private final KubernetesMock kubernetes;
    private final ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String namespace;
    private final String name;
    private final Duration delay;

    // guarded by this
    private long seenGeneration;
    private JsonNode seenModel;
    private int revisions;
    private String latestCreated;
    private String latestReady;
    private String latestRolledout;
    private String previousRolledout = "";
    private boolean newRevisionsFail;

    private FakeKServe(KubernetesMock kubernetes, Duration delay, String namespace, String name, ObjectNode predictor) {
        this.kubernetes = kubernetes;
        this.delay = delay;
        this.namespace = namespace;
        this.name = name;
        ObjectNode isvc = mapper.createObjectNode();
        isvc.put("apiVersion", "serving.kserve.io/v1beta1").put("kind", "InferenceService");
        isvc.putObject("metadata").put("name", name).put("namespace", namespace);
        isvc.putObject("spec").set("predictor", predictor);
        GenericKubernetesResource created = kubernetes.client.genericKubernetesResources(KServeRouter.INFERENCE_SERVICE)
                .inNamespace(namespace).resource(Serialization.unmarshal(isvc.toString(), GenericKubernetesResource.class)).create();
        synchronized (this) {
            seenGeneration = tree(created).path("metadata").path("generation").asLong(1);
            seenModel = predictor.path("model");
            // the first revision is rolled out at 100 %
            latestCreated = latestReady = latestRolledout = nextRevision();
        }
        reconcile();
        controller.scheduleWithFixedDelay(this::watch, 10, 10, TimeUnit.MILLISECONDS);
    }

    /** An InferenceService in the new predictor schema ({@code spec.predictor.model}). */
    static FakeKServe start(KubernetesMock kubernetes, Duration delay, String namespace, String name, String storageUri) {
        ObjectNode predictor = new ObjectMapper().createObjectNode();
        ObjectNode model = predictor.putObject("model");
        model.putObject("modelFormat").put("name", "sklearn");
        model.put("storageUri", storageUri);
        return new FakeKServe(kubernetes, delay, namespace, name, predictor);
    }

    /** An InferenceService in the schema before KServe 0.8 ({@code spec.predictor.sklearn}). */
    static FakeKServe startOldSchema(KubernetesMock kubernetes, String namespace, String name) {
        ObjectNode predictor = new ObjectMapper().createObjectNode();
        predictor.putObject("sklearn").put("storageUri", "gs://models/v1");
        return new FakeKServe(kubernetes, Duration.ZERO, namespace, name, predictor);
    }

    synchronized void failNewRevisions() {
        newRevisionsFail = true;
    }

    JsonNode inferenceService() {
        return tree(resource().get());
    }

    long generation() {
        return inferenceService().path("metadata").path("generation").asLong();
    }

    private Resource<GenericKubernetesResource> resource() {
        return kubernetes.client.genericKubernetesResources(KServeRouter.INFERENCE_SERVICE).inNamespace(namespace).withName(name);
    }

    private JsonNode tree(GenericKubernetesResource resource) {
        return readTree(Serialization.asJson(resource));
    }

    private JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String nextRevision() {
        return String.format("%s-predictor-%05d", name, ++revisions);
    }

    /** A new generation: a model change makes a revision at once; the status follows after the delay. */
    private void watch() {
        try {
            JsonNode isvc = inferenceService();
            long generation = isvc.path("metadata").path("generation").asLong();
            synchronized (this) {
                if (generation <= seenGeneration) {
                    return;
                }
                seenGeneration = generation;
                JsonNode model = isvc.path("spec").path("predictor").path("model");
                if (!model.equals(seenModel)) {
                    seenModel = model;
                    latestCreated = nextRevision();
                }
            }
            controller.schedule(this::reconcile, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // the server is going away at the end of a test
        }
    }

    /** What KServe's controller and Knative do once they have seen the spec. */
    private synchronized void reconcile() {
        JsonNode isvc = inferenceService();
        if (!newRevisionsFail) {
            latestReady = latestCreated;
        }
        JsonNode canary = isvc.path("spec").path("predictor").get("canaryTrafficPercent");
        String lastRolledout = latestRolledout;
        if (latestRolledout.equals(latestReady) && canary != null && canary.asInt() < 100) {
            lastRolledout = previousRolledout;
        }
        ObjectNode status = mapper.createObjectNode();
        status.put("observedGeneration", seenGeneration);
        ObjectNode ready = status.putArray("conditions").addObject().put("type", "Ready");
        if (latestReady.equals(latestCreated)) {
            ready.put("status", "True");
        } else {
            ready.put("status", "False").put("reason", "RevisionFailed")
                    .put("message", "Revision \"" + latestCreated + "\" failed with message: Back-off pulling image.");
        }
        ObjectNode predictor = status.putObject("components").putObject("predictor");
        predictor.put("latestCreatedRevision", latestCreated).put("latestReadyRevision", latestReady);
        ArrayNode traffic = predictor.putArray("traffic");
        int latestShare;
        if (canary != null && !lastRolledout.isEmpty()) {
            latestShare = canary.asInt();
            traffic.addObject().put("tag", "latest").put("revisionName", latestReady).put("latestRevision", true)
                    .put("percent", latestShare);
            if (latestShare < 100) {
                traffic.addObject().put("tag", "prev").put("revisionName", lastRolledout).put("latestRevision", false)
                        .put("percent", 100 - latestShare);
            }
        } else {
            latestShare = 100;
            traffic.addObject().put("tag", "latest").put("revisionName", latestReady).put("latestRevision", true)
                    .put("percent", 100);
        }
        if (latestShare == 100 && !latestReady.equals(latestRolledout)) {
            previousRolledout = latestRolledout;
            latestRolledout = latestReady;
        }
        predictor.put("latestRolledoutRevision", latestRolledout);
        if (!previousRolledout.isEmpty()) {
            predictor.put("previousRolledoutRevision", previousRolledout);
        }
        // the status replaced whole (a JSON patch: a merge patch would merge the traffic arrays in the mock server);
        // the spec and the generation stay
        ArrayNode patch = mapper.createArrayNode();
        patch.addObject().put("op", "add").put("path", "/status").set("value", status);
        resource().patch(PatchContext.of(PatchType.JSON), patch.toString());
    }

    @Override
    public void close() {
        controller.shutdownNow();
    }
}
