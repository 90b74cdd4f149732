package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Istio {@code VirtualService} route {@link IstioRouter} drives: the weights of two destinations (two KServe
 * InferenceServices' predictors, two Services, two subsets) and its mirror.
 *
 * @param cluster the API server and the identity there
 * @param namespace the VirtualService's namespace
 * @param virtualService the VirtualService's name
 * @param route the name of the {@code spec.http[]} route; empty: the one route that sends to the stable destination
 * @param stable the stable version's destination
 * @param canary the canary version's destination; empty for a mirror only (shadow mode)
 * @param mirror where mirrored requests go (the shadow capture); empty for weights only
 * @param mirrorPercent the share of requests mirrored, in (0, 100]
 * @param readyTimeout how long to wait for Istio to report the change when it reports status
 */
public record IstioConfig(KubernetesCluster cluster, String namespace, String virtualService, Optional<String> route,
        Destination stable, Optional<Destination> canary, Optional<Destination> mirror, double mirrorPercent,
        Duration readyTimeout) {

    /**
     * A route destination: {@code host} (a Service, e.g. {@code iris-v2-predictor.models.svc.cluster.local}) and an
     * optional {@code subset} of a DestinationRule.
     */
    public record Destination(String host, Optional<String> subset) {
        public Destination {
            if (host == null || !host.strip().matches("[A-Za-z0-9*]([-A-Za-z0-9.*]*[A-Za-z0-9])?")) {
                throw new IllegalArgumentException("an Istio destination host must be a DNS name, was '" + host + "'");
            }
            host = host.strip();
            subset = Objects.requireNonNullElse(subset, Optional.<String>empty()).map(String::strip).filter(s -> !s.isEmpty());
        }

        /** {@code HOST} or {@code HOST/SUBSET}. */
        public static Destination parse(String text, String what) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(what + " is empty: give HOST or HOST/SUBSET");
            }
            String[] parts = text.strip().split("/", -1);
            if (parts.length > 2 || (parts.length == 2 && parts[1].isBlank())) {
                throw new IllegalArgumentException(what + " must be HOST or HOST/SUBSET, was '" + text.strip() + "'");
            }
            try {
                return new Destination(parts[0], parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return host + subset.map(s -> "/" + s).orElse("");
        }
    }

    public IstioConfig {
        Objects.requireNonNull(cluster, "cluster");
        KServeConfig.requireName(namespace, "namespace");
        KServeConfig.requireName(virtualService, "VirtualService name");
        route = Objects.requireNonNullElse(route, Optional.<String>empty()).map(String::strip).filter(s -> !s.isEmpty());
        Objects.requireNonNull(stable, "stable");
        canary = Objects.requireNonNullElse(canary, Optional.empty());
        mirror = Objects.requireNonNullElse(mirror, Optional.empty());
        if (canary.isPresent() && canary.get().equals(stable)) {
            throw new IllegalArgumentException("the Istio canary destination is the stable one: " + stable);
        }
        if (!(mirrorPercent > 0 && mirrorPercent <= 100)) {
            throw new IllegalArgumentException("the mirror percentage must be above 0 and at most 100, was " + mirrorPercent);
        }
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        if (readyTimeout.isNegative() || readyTimeout.isZero() || readyTimeout.compareTo(KServeConfig.MAX_READY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the Istio ready timeout must be positive and at most "
                    + Durations.format(KServeConfig.MAX_READY_TIMEOUT) + ", was " + Durations.format(readyTimeout));
        }
    }

    /**
     * @param namespace the VirtualService's namespace; when null or blank, the cluster configuration's, else {@code default}
     */
    public static IstioConfig of(KubernetesCluster cluster, String namespace, String virtualService, Optional<String> route,
            Destination stable, Optional<Destination> canary, Optional<Destination> mirror, double mirrorPercent,
            Duration readyTimeout) {
        return new IstioConfig(cluster, KServeConfig.namespaceOf(cluster, namespace), virtualService, route, stable, canary,
                mirror, mirrorPercent, readyTimeout);
    }

    @Override
    public String toString() {
        return "IstioConfig[" + cluster + ", namespace=" + namespace + ", virtualService=" + virtualService + ", route="
                + route.orElse("(the stable one's)") + ", stable=" + stable + ", canary=" + canary.map(Destination::toString).orElse("none")
                + ", mirror=" + mirror.map(Destination::toString).orElse("none") + " " + mirrorPercent + " %]";
    }
}
