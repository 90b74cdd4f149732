package io.jenkins.plugins.mlstages.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.mlstages.deploy.IstioRouter;
import io.jenkins.plugins.mlstages.deploy.IstioSettings;
import io.jenkins.plugins.mlstages.deploy.KubernetesCluster;
import io.jenkins.plugins.mlstages.deploy.Sleeper;

/**
 * One mirror operation of the engine's {@link IstioRouter} on the agent an administrator named in an Istio router
 * definition ({@link KubernetesRouterCall}): whether the VirtualService route mirrors to the shadow capture, or turns
 * its {@code mirror} and {@code mirrorPercentage} on or off.
 */
public final class IstioMirrorCall extends KubernetesRouterCall<Boolean> {
    private static final long serialVersionUID = 1L;

    private final IstioSettings settings;
    /** null reads; true or false sets. */
    @CheckForNull
    private final Boolean setting;

    /** Reads the mirror's state; {@code source} names the credential in messages. */
    public IstioMirrorCall(String kubeconfig, String source, IstioSettings settings) {
        this(kubeconfig, source, settings, null);
    }

    private IstioMirrorCall(String kubeconfig, String source, IstioSettings settings, @CheckForNull Boolean setting) {
        super(kubeconfig, source);
        this.settings = settings;
        this.setting = setting;
    }

    /** The same mirror, turned on or off. */
    public IstioMirrorCall setting(boolean on) {
        return new IstioMirrorCall(kubeconfig(), source(), settings, on);
    }

    /** Whether the route mirrors now, after setting it when this is a {@link #setting} call. */
    @Override
    protected Boolean on(KubernetesCluster cluster) throws InterruptedException {
        IstioRouter router = new IstioRouter(settings.config(cluster), Sleeper.SYSTEM);
        if (setting == null) {
            return router.mirroring();
        }
        router.setMirroring(setting);
        return setting;
    }

    /** How logs and the deployment state name this router; never the kubeconfig. */
    public String describe(String agent) {
        return describe(settings, source(), agent);
    }

    static String describe(IstioSettings settings, String source, String agent) {
        return settings.describe() + " (" + source + ") through agent '" + agent + "'";
    }

    /** Never the kubeconfig. */
    @Override
    public String toString() {
        return "IstioMirrorCall[" + source() + ", " + settings.describe() + ", mirror " + setting + "]";
    }
}
