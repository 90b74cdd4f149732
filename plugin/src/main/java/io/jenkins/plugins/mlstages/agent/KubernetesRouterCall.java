package io.jenkins.plugins.mlstages.agent;

import hudson.AbortException;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.KubernetesCluster;
import java.io.IOException;
import jenkins.security.MasterToSlaveCallable;

/**
 * One operation of an engine router of the Kubernetes API (KServe, Istio) on the agent an administrator named in the
 * router definition, with the kubeconfig of the definition's Jenkins credential: an exec plugin in it (aws, gcloud,
 * kubelogin) runs there, never on the controller. Nothing of the agent's own identity is used: no
 * {@code ~/.kube/config}, no {@code $KUBECONFIG}, no service account, only the credential's content. A failure
 * crosses back as an {@link AbortException} holding only the engine's one-line message.
 *
 * @param <V> what the operation answers
 */
public abstract class KubernetesRouterCall<V> extends MasterToSlaveCallable<V, IOException> {
    private static final long serialVersionUID = 1L;

    private final String kubeconfig;
    private final String source;

    /**
     * @param kubeconfig the credential's kubeconfig (it travels to the agent with the call, as any credential a step
     *        uses there)
     * @param source names the credential in messages, e.g. {@code credentials 'prod-kube'}
     */
    protected KubernetesRouterCall(String kubeconfig, String source) {
        this.kubeconfig = kubeconfig;
        this.source = source;
    }

    /** Names the credential in messages, never its content. */
    protected final String source() {
        return source;
    }

    /** The same kubeconfig and credential name, for a call that copies this one with another operation. */
    protected final String kubeconfig() {
        return kubeconfig;
    }

    @Override
    public final V call() throws IOException {
        try {
            // on the agent: the kubeconfig's exec plugin may run here
            return on(KubernetesCluster.fromKubeconfigContent(kubeconfig, source, true));
        } catch (DeployException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AbortException("interrupted while waiting for the Kubernetes API (" + source + ")");
        }
    }

    /** The operation, on the cluster the kubeconfig names. */
    protected abstract V on(KubernetesCluster cluster) throws InterruptedException;
}
