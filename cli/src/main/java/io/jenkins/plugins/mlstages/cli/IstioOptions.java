package io.jenkins.plugins.mlstages.cli;

import java.util.Optional;

import io.jenkins.plugins.mlstages.deploy.IstioConfig;
import io.jenkins.plugins.mlstages.deploy.IstioConfig.Destination;
import io.jenkins.plugins.mlstages.deploy.IstioRouter;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import picocli.CommandLine.Option;

/**
 * An Istio VirtualService route: its weights between two destinations ({@code canary --router istio}), and its
 * mirror to the shadow capture ({@code shadow --router istio}, also in front of KServe InferenceServices).
 */
final class IstioOptions {
    @Option(names = "--virtual-service", paramLabel = "NAME", description = "istio: the VirtualService")
    String virtualService;

    @Option(names = "--istio-route", paramLabel = "NAME",
            description = "istio: the spec.http route's name (default: the one route that sends to --istio-stable)")
    String route;

    @Option(names = "--istio-stable", paramLabel = "HOST[/SUBSET]",
            description = "istio: the stable (live) version's destination, e.g. iris-v1-predictor.models.svc.cluster.local")
    String stable;

    @Option(names = "--istio-canary", paramLabel = "HOST[/SUBSET]", description = "istio: the canary version's destination")
    String canary;

    @Option(names = "--mirror-destination", paramLabel = "HOST[/SUBSET]",
            description = "istio: where mirrored requests go: the shadow capture's Service")
    String mirror;

    @Option(names = "--mirror-percent", paramLabel = "P", defaultValue = "100",
            description = "istio: the share of requests mirrored, above 0 and at most 100 (default: ${DEFAULT-VALUE})")
    double mirrorPercent;

    /**
     * @param router the value of {@code --router}, for messages
     * @param mirroring a shadow run (a mirror destination) rather than a canary (a canary destination)
     */
    IstioRouter router(KubernetesOptions kubernetes, String router, boolean mirroring, Sleeper sleeper) {
        require(virtualService, "--virtual-service", router);
        require(stable, "--istio-stable", router);
        Optional<Destination> canaryDestination = Optional.empty();
        Optional<Destination> mirrorDestination = Optional.empty();
        if (mirroring) {
            require(mirror, "--mirror-destination", router);
            mirrorDestination = Optional.of(Destination.parse(mirror, "--mirror-destination"));
        } else {
            require(canary, "--istio-canary", router);
            canaryDestination = Optional.of(Destination.parse(canary, "--istio-canary"));
        }
        IstioConfig config = IstioConfig.of(kubernetes.cluster(), kubernetes.namespace, virtualService, Optional.ofNullable(route),
                Destination.parse(stable, "--istio-stable"), canaryDestination, mirrorDestination, mirrorPercent,
                kubernetes.readyTimeout());
        return new IstioRouter(config, sleeper);
    }

    private static void require(Object value, String option, String router) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + option + " with --router " + router);
        }
    }
}
