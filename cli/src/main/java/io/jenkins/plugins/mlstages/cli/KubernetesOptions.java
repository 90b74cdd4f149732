package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.jenkins.plugins.mlstages.deploy.KubernetesCluster;
import picocli.CommandLine.Option;

/**
 * Where the Kubernetes API is and who we are there, for the {@code kserve} and {@code istio} routers: a kubeconfig
 * (token, client certificate, exec plugin, OIDC), else {@code $KUBECONFIG}, {@code ~/.kube/config}, the pod's
 * service account; read by the fabric8 client.
 */
final class KubernetesOptions {
    @Option(names = "--kubeconfig", paramLabel = "PATH",
            description = "kserve, istio: kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
    Path kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "kserve, istio: the InferenceService's or VirtualService's namespace (default: the context's)")
    String namespace;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "kserve, istio: how long a change may take to be reported (default: ${DEFAULT-VALUE})")
    String readyTimeout;

    /** The cluster; one line naming the file and field when it cannot be used. */
    KubernetesCluster cluster() {
        return KubernetesCluster.resolve(Optional.ofNullable(kubeconfig));
    }

    Duration readyTimeout() {
        return StageCommand.duration("--ready-timeout", readyTimeout);
    }
}
