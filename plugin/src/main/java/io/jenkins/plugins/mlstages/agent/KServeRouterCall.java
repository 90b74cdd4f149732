package io.jenkins.plugins.mlstages.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.KServeConfig;
import io.jenkins.plugins.mlstages.deploy.KServeRouter;
import io.jenkins.plugins.mlstages.deploy.KubernetesCluster;
import java.util.Optional;

/**
 * One operation of the engine's {@link KServeRouter} on the agent an administrator named in a KServe router
 * definition ({@link KubernetesRouterCall}): reads the canary's share, or sets it and waits for KServe to report it.
 */
public final class KServeRouterCall extends KubernetesWeightCall {
    private static final long serialVersionUID = 1L;
    /** The operation that reads the weight instead of setting it. */
    private static final int READ = -1;

    @CheckForNull
    private final String namespace;
    private final String inferenceService;
    @CheckForNull
    private final String canaryStorageUri;
    private final String readyTimeout;
    private final int weight;

    /**
     * @param kubeconfig the credential's kubeconfig (it travels to the agent with the call, as any credential a
     *        step uses there)
     * @param source names the credential in messages, e.g. {@code credentials 'prod-kube'}
     */
    public KServeRouterCall(String kubeconfig, String source, @CheckForNull String namespace, String inferenceService,
            @CheckForNull String canaryStorageUri, String readyTimeout) {
        this(kubeconfig, source, namespace, inferenceService, canaryStorageUri, readyTimeout, READ);
    }

    private KServeRouterCall(String kubeconfig, String source, @CheckForNull String namespace, String inferenceService,
            @CheckForNull String canaryStorageUri, String readyTimeout, int weight) {
        super(kubeconfig, source);
        this.namespace = namespace;
        this.inferenceService = inferenceService;
        this.canaryStorageUri = canaryStorageUri;
        this.readyTimeout = readyTimeout;
        this.weight = weight;
    }

    /** The same router, setting the canary's share to {@code canaryPercent} %. */
    @Override
    public KServeRouterCall setting(int canaryPercent) {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        return new KServeRouterCall(kubeconfig(), source(), namespace, inferenceService, canaryStorageUri, readyTimeout,
                canaryPercent);
    }

    /** The weight now in effect, after setting it when this is a {@link #setting} call. */
    @Override
    protected Integer on(KubernetesCluster cluster) throws InterruptedException {
        KServeRouter router = new KServeRouter(KServeConfig.of(cluster, namespace, inferenceService,
                Optional.ofNullable(canaryStorageUri), Durations.parse(readyTimeout)));
        if (weight == READ) {
            return router.canaryWeight();
        }
        router.setCanaryWeight(weight);
        return weight;
    }

    /** How logs and the canary state name this router; never the kubeconfig. */
    @Override
    public String describe(String agent) {
        return "KServe InferenceService " + (namespace == null ? "" : namespace + "/") + inferenceService + " (" + source()
                + ") through agent '" + agent + "'";
    }

    /** Never the kubeconfig. */
    @Override
    public String toString() {
        return "KServeRouterCall[" + source() + ", " + inferenceService + ", weight " + weight + "]";
    }
}
