package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jenkins.plugins.mlstages.deploy.IstioConfig.Destination;

/**
 * Splits and mirrors traffic with an Istio {@code VirtualService} (networking.istio.io/v1): the weights of the
 * stable and canary destinations of one {@code spec.http[]} route, and that route's {@code mirror} and
 * {@code mirrorPercentage}, which send a copy of each request to the shadow capture while users keep the live
 * answer (shadow mode, also in front of KServe InferenceServices). Each change is a read, a change of that route
 * only, and an update carrying the read's {@code resourceVersion}, so a concurrent change is never overwritten
 * (a conflict reads again). Istio reports no traffic status of its own: the change counts as applied once the API
 * server holds it, and, where Istio writes {@code status.observedGeneration}, once that has caught up.
 */
public final class IstioRouter implements TrafficRouter, ShadowMirror {
    static final ResourceDefinitionContext VIRTUAL_SERVICE = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("VirtualService")
            .withPlural("virtualservices").withNamespaced(true).build();
    private static final int CONFLICT_TRIES = 5;

    private final IstioConfig config;
    private final KubernetesCalls calls;
    private final Sleeper sleeper;
    private final Duration pollInterval;
    private final String path;
    private final ObjectMapper mapper = new ObjectMapper();

    public IstioRouter(IstioConfig config, Sleeper sleeper) {
        this(config, Duration.ofSeconds(1), sleeper);
    }

    IstioRouter(IstioConfig config, Duration pollInterval, Sleeper sleeper) {
        this.config = config;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
        this.calls = new KubernetesCalls(config.cluster(), DeployHttp.RETRIES, sleeper, this::hint);
        this.path = "/apis/networking.istio.io/v1/namespaces/" + config.namespace() + "/virtualservices/" + config.virtualService();
    }

    @Override
    public void setCanaryWeight(int canaryPercent) throws InterruptedException {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        Destination canary = config.canary().orElseThrow(() -> new DeployException(describe()
                + " has no canary destination configured: it only mirrors"));
        change("set canary " + canaryPercent + " %", route -> {
            ArrayNode destinations = (ArrayNode) route.path("route");
            ObjectNode stableEntry = null;
            ObjectNode canaryEntry = null;
            for (JsonNode entry : destinations) {
                Destination target = destinationOf(entry.path("destination"));
                if (matches(target, config.stable())) {
                    stableEntry = (ObjectNode) entry;
                } else if (matches(target, canary)) {
                    canaryEntry = (ObjectNode) entry;
                } else {
                    throw new DeployException(describe() + ": route " + routeName(route) + " also sends to " + target
                            + ", which is neither the stable (" + config.stable() + ") nor the canary (" + canary + ") destination");
                }
            }
            if (stableEntry == null) {
                throw new DeployException(describe() + ": route " + routeName(route) + " does not send to the stable destination "
                        + config.stable());
            }
            if (canaryEntry == null) {
                // the stable entry's settings (port, headers) with the canary's host and subset
                canaryEntry = stableEntry.deepCopy();
                ObjectNode destination = (ObjectNode) canaryEntry.path("destination");
                destination.put("host", canary.host());
                destination.remove("subset");
                canary.subset().ifPresent(subset -> destination.put("subset", subset));
            }
            stableEntry.put("weight", 100 - canaryPercent);
            canaryEntry.put("weight", canaryPercent);
            ArrayNode replaced = mapper.createArrayNode().add(stableEntry).add(canaryEntry);
            route.set("route", replaced);
        });
        int applied = canaryWeight();
        if (applied != canaryPercent) {
            throw new DeployException(describe() + " holds canary " + applied + " % after setting " + canaryPercent
                    + " %: something else changed the route");
        }
    }

    @Override
    public int canaryWeight() {
        JsonNode route = selectedRoute(readOrFail());
        Destination canary = config.canary().orElseThrow(() -> new DeployException(describe()
                + " has no canary destination configured: it only mirrors"));
        int stable = -1;
        int share = 0;
        int entries = route.path("route").size();
        for (JsonNode entry : route.path("route")) {
            Destination target = destinationOf(entry.path("destination"));
            // Istio: a route with one destination sends it everything, whatever its weight
            int weight = entries == 1 ? 100 : entry.path("weight").asInt(0);
            if (matches(target, canary)) {
                share = weight;
            } else if (matches(target, config.stable())) {
                stable = weight;
            }
        }
        if (stable < 0 && share == 0) {
            throw new DeployException(describe() + ": route " + routeName(route) + " sends to neither the stable ("
                    + config.stable() + ") nor the canary (" + canary + ") destination");
        }
        return share;
    }

    @Override
    public void setMirroring(boolean on) throws InterruptedException {
        Destination mirror = config.mirror().orElseThrow(() -> new DeployException(describe()
                + " has no mirror destination configured (the shadow capture's Service)"));
        change(on ? "mirror on" : "mirror off", route -> {
            if (on) {
                ObjectNode target = route.putObject("mirror").put("host", mirror.host());
                mirror.subset().ifPresent(subset -> target.put("subset", subset));
                route.putObject("mirrorPercentage").put("value", config.mirrorPercent());
            } else {
                route.remove("mirror");
                route.remove("mirrorPercentage");
            }
        });
        if (mirroring() != on) {
            throw new DeployException(describe() + " does not hold the mirror " + (on ? "on" : "off")
                    + " after setting it: something else changed the route");
        }
    }

    @Override
    public boolean mirroring() {
        JsonNode route = selectedRoute(readOrFail());
        JsonNode mirror = route.path("mirror");
        if (!mirror.isObject()) {
            return false;
        }
        boolean ours = config.mirror().map(m -> matches(destinationOf(mirror), m)).orElse(true);
        double percent = route.path("mirrorPercentage").path("value").asDouble(100);
        return ours && percent > 0;
    }

    @Override
    public String describe() {
        return "Istio VirtualService " + config.namespace() + "/" + config.virtualService() + config.route().map(r -> " route " + r)
                .orElse("") + " at " + calls.url("/");
    }

    /** Reads, changes the selected route, and updates with the read's resourceVersion; a conflict reads again. */
    private void change(String what, Consumer<ObjectNode> edit) throws InterruptedException {
        String operation = what + " in VirtualService " + config.namespace() + "/" + config.virtualService();
        GenericKubernetesResource updated = calls.call(operation, "PUT", path, client -> {
            for (int attempt = 1; ; attempt++) {
                GenericKubernetesResource current = resource(client).get();
                if (current == null) {
                    return null;
                }
                ObjectNode tree = (ObjectNode) tree(current);
                edit.accept(selectedRoute(tree));
                GenericKubernetesResource changed = Serialization.unmarshal(tree.toString(), GenericKubernetesResource.class);
                try {
                    return client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace(config.namespace()).resource(changed).update();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt >= CONFLICT_TRIES) {
                        throw e;
                    }
                }
            }
        });
        if (updated == null) {
            throw calls.notFound(operation, path);
        }
        waitForIstio(tree(updated).path("metadata").path("generation").asLong(-1));
    }

    /** Where Istio reports status (its status writer on), until it has seen this generation. */
    private void waitForIstio(long generation) throws InterruptedException {
        Instant deadline = Instant.now().plus(config.readyTimeout());
        while (true) {
            JsonNode status = read().path("status");
            long observed = status.path("observedGeneration").asLong(-1);
            if (observed < 0 || generation < 0 || observed >= generation) {
                return;
            }
            if (Instant.now().plus(pollInterval).isAfter(deadline)) {
                throw new DeployException(describe() + " was changed, but Istio did not report generation " + generation
                        + " within " + Durations.text(config.readyTimeout()) + " (status.observedGeneration " + observed + ")");
            }
            sleeper.sleep(pollInterval);
        }
    }

    /** The route named in the configuration, else the one route that sends to the stable destination. */
    private ObjectNode selectedRoute(JsonNode virtualService) {
        JsonNode http = virtualService.path("spec").path("http");
        List<ObjectNode> candidates = new ArrayList<>();
        for (JsonNode route : http) {
            if (!route.isObject()) {
                continue;
            }
            if (config.route().isPresent()) {
                if (config.route().get().equals(route.path("name").asText(null))) {
                    candidates.add((ObjectNode) route);
                }
            } else {
                for (JsonNode entry : route.path("route")) {
                    if (matches(destinationOf(entry.path("destination")), config.stable())) {
                        candidates.add((ObjectNode) route);
                        break;
                    }
                }
            }
        }
        if (candidates.size() == 1) {
            if (!candidates.get(0).path("route").isArray()) {
                throw new DeployException(describe() + ": route " + routeName(candidates.get(0)) + " has no route[] destinations");
            }
            return candidates.get(0);
        }
        String which = config.route().map(r -> "named '" + r + "'").orElse("sending to the stable destination " + config.stable());
        throw new DeployException(describe() + " has " + (candidates.isEmpty() ? "no" : candidates.size()) + " spec.http routes "
                + which + (candidates.isEmpty() ? "" : "; name the one to drive (--istio-route, route)"));
    }

    private static String routeName(JsonNode route) {
        return route.hasNonNull("name") ? "'" + io.jenkins.plugins.mlstages.report.ServerAnswer.shown(route.path("name").asText()) + "'"
                : "(unnamed)";
    }

    private static Destination destinationOf(JsonNode destination) {
        String host = destination.path("host").asText("");
        try {
            return new Destination(host, Optional.ofNullable(destination.path("subset").asText(null)));
        } catch (IllegalArgumentException e) {
            return new Destination("invalid-host", Optional.empty());
        }
    }

    /** The same host and subset; a configured destination without a subset matches the host's entry without one. */
    private static boolean matches(Destination actual, Destination wanted) {
        return actual.host().equals(wanted.host()) && actual.subset().equals(wanted.subset());
    }

    private Resource<GenericKubernetesResource> resource(KubernetesClient client) {
        return client.genericKubernetesResources(VIRTUAL_SERVICE).inNamespace(config.namespace()).withName(config.virtualService());
    }

    private JsonNode read() throws InterruptedException {
        String operation = "read VirtualService " + config.namespace() + "/" + config.virtualService();
        GenericKubernetesResource virtualService = calls.call(operation, "GET", path, client -> resource(client).get());
        if (virtualService == null) {
            throw calls.notFound(operation, path);
        }
        return tree(virtualService);
    }

    private JsonNode readOrFail() {
        try {
            return read();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("kubernetes API read VirtualService " + config.namespace() + "/" + config.virtualService()
                    + " was interrupted", e);
        }
    }

    private JsonNode tree(GenericKubernetesResource resource) {
        try {
            return mapper.readTree(Serialization.asJson(resource));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DeployException(describe() + " answered what is not a Kubernetes object", e);
        }
    }

    private String hint(int code) {
        return switch (code) {
            case 401 -> " (the cluster did not accept who we are: check the token, client certificate or exec plugin)";
            case 403 -> " (the account needs get and update on virtualservices.networking.istio.io in " + config.namespace() + ")";
            case 404 -> " (is Istio installed and the VirtualService created?)";
            case 409 -> " (the VirtualService kept changing under us; try again)";
            default -> "";
        };
    }
}
