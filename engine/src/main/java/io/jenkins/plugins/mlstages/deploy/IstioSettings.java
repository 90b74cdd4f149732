package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.util.Optional;

import io.jenkins.plugins.mlstages.deploy.IstioConfig.Destination;

/**
 * An Istio router's settings as an administrator wrote them in a Jenkins router definition, without the cluster:
 * plain text, so that they can travel to the agent where a kubeconfig's exec plugin runs and the router is built
 * there. {@link #problem} finds what is wrong without a cluster (when the definition is saved), {@link #config}
 * builds the router's configuration; messages name the definition's fields.
 *
 * @param namespace the VirtualService's namespace; null: the kubeconfig context's, else {@code default}
 * @param virtualService the VirtualService's name
 * @param route the {@code spec.http[]} route's name; null: the one route that sends to the stable destination
 * @param stableDestination the stable version's {@code HOST[/SUBSET]}
 * @param canaryDestination the canary's {@code HOST[/SUBSET]}, for weights; null: none (mirror only)
 * @param mirrorDestination the shadow capture's {@code HOST[/SUBSET]}, for shadow mode; null: none (weights only)
 * @param mirrorPercentage the share of requests mirrored, above 0 and at most 100
 * @param readyTimeout how long Istio may take to report a change, e.g. {@code 5m}
 */
public record IstioSettings(String namespace, String virtualService, String route, String stableDestination,
        String canaryDestination, String mirrorDestination, double mirrorPercentage, String readyTimeout) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What makes these settings unusable, naming the field; null when they can be used. */
    public String problem() {
        try {
            check();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private void check() {
        if (virtualService == null || virtualService.isBlank()) {
            throw new IllegalArgumentException("needs virtualService: the VirtualService's name");
        }
        named(virtualService, "virtualService");
        if (namespace != null) {
            named(namespace, "namespace");
        }
        if (stableDestination == null || stableDestination.isBlank()) {
            throw new IllegalArgumentException("needs stableDestination: the stable version's HOST[/SUBSET]");
        }
        Optional<Destination> canary = destination(canaryDestination, "canaryDestination");
        if (canary.isPresent() && canary.get().equals(Destination.parse(stableDestination, "stableDestination"))) {
            throw new IllegalArgumentException("canaryDestination is the stableDestination: " + canary.get());
        }
        destination(mirrorDestination, "mirrorDestination");
        if (!(mirrorPercentage > 0 && mirrorPercentage <= 100)) {
            throw new IllegalArgumentException("mirrorPercentage must be above 0 and at most 100, was " + mirrorPercentage);
        }
        try {
            Durations.parse(readyTimeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("readyTimeout: " + e.getMessage(), e);
        }
    }

    /** "invalid Kubernetes namespace: 'X'", naming the field. */
    private static void named(String value, String field) {
        KServeConfig.requireName(value, field);
    }

    private static Optional<Destination> destination(String text, String field) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(Destination.parse(text, field));
    }

    /** Whether a canary destination is set: the router can set weights. */
    public boolean weights() {
        return canaryDestination != null && !canaryDestination.isBlank();
    }

    /** Whether a mirror destination is set: the router can mirror. */
    public boolean mirrors() {
        return mirrorDestination != null && !mirrorDestination.isBlank();
    }

    /**
     * The router's configuration on {@code cluster}.
     *
     * @throws IllegalArgumentException naming the field that cannot be used
     */
    public IstioConfig config(KubernetesCluster cluster) {
        check();
        return IstioConfig.of(cluster, namespace, virtualService, Optional.ofNullable(route),
                Destination.parse(stableDestination, "stableDestination"), destination(canaryDestination, "canaryDestination"),
                destination(mirrorDestination, "mirrorDestination"), mirrorPercentage, Durations.parse(readyTimeout));
    }

    /**
     * How logs and the deployment state name the VirtualService route without a cluster (namespace as written):
     * e.g. {@code Istio VirtualService models/iris route predict}.
     */
    public String describe() {
        return "Istio VirtualService " + (namespace == null ? "" : namespace + "/") + virtualService
                + (route == null ? "" : " route " + route);
    }
}
