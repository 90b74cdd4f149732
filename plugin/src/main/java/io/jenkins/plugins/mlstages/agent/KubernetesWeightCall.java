package io.jenkins.plugins.mlstages.agent;

/**
 * A {@link KubernetesRouterCall} that reads the canary's share of the traffic, or, as its {@link #setting} copy, sets
 * it: the KServe and Istio routers on an agent, driven the same way.
 */
public abstract class KubernetesWeightCall extends KubernetesRouterCall<Integer> {
    private static final long serialVersionUID = 1L;

    protected KubernetesWeightCall(String kubeconfig, String source) {
        super(kubeconfig, source);
    }

    /** The same router, setting the canary's share to {@code canaryPercent} %. */
    public abstract KubernetesWeightCall setting(int canaryPercent);

    /** How logs and the deployment state name this router on {@code agent}; never the kubeconfig. */
    public abstract String describe(String agent);
}
