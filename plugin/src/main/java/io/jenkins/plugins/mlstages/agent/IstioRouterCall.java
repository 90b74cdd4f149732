package io.jenkins.plugins.mlstages.agent;

import io.jenkins.plugins.mlstages.deploy.IstioRouter;
import io.jenkins.plugins.mlstages.deploy.IstioSettings;
import io.jenkins.plugins.mlstages.deploy.KubernetesCluster;
import io.jenkins.plugins.mlstages.deploy.Sleeper;

/**
 * One weight operation of the engine's {@link IstioRouter} on the agent an administrator named in an Istio router
 * definition ({@link KubernetesRouterCall}): reads the canary destination's share of the VirtualService route, or
 * sets it.
 */
public final class IstioRouterCall extends KubernetesWeightCall {
    private static final long serialVersionUID = 1L;
    /** The operation that reads the weight instead of setting it. */
    private static final int READ = -1;

    private final IstioSettings settings;
    private final int weight;

    /** Reads the weight; {@code source} names the credential in messages. */
    public IstioRouterCall(String kubeconfig, String source, IstioSettings settings) {
        this(kubeconfig, source, settings, READ);
    }

    private IstioRouterCall(String kubeconfig, String source, IstioSettings settings, int weight) {
        super(kubeconfig, source);
        this.settings = settings;
        this.weight = weight;
    }

    /** The same route, setting the canary's share to {@code canaryPercent} %. */
    @Override
    public IstioRouterCall setting(int canaryPercent) {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        return new IstioRouterCall(kubeconfig(), source(), settings, canaryPercent);
    }

    /** The weight now in effect, after setting it when this is a {@link #setting} call. */
    @Override
    protected Integer on(KubernetesCluster cluster) throws InterruptedException {
        IstioRouter router = new IstioRouter(settings.config(cluster), Sleeper.SYSTEM);
        if (weight == READ) {
            return router.canaryWeight();
        }
        router.setCanaryWeight(weight);
        return weight;
    }

    /** How logs and the deployment state name this router; never the kubeconfig. */
    @Override
    public String describe(String agent) {
        return IstioMirrorCall.describe(settings, source(), agent);
    }

    /** Never the kubeconfig. */
    @Override
    public String toString() {
        return "IstioRouterCall[" + source() + ", " + settings.describe() + ", weight " + weight + "]";
    }
}
