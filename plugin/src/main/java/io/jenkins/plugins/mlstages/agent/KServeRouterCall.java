package io.jenkins.plugins.mlstages.agent;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.KServeConfig;
import io.jenkins.plugins.mlstages.deploy.KServeRouter;
import java.io.IOException;
import java.util.Optional;
import jenkins.security.MasterToSlaveCallable;

/**
 * One operation of the engine's {@link KServeRouter} on the agent an administrator named in a KServe router
 * definition, with the kubeconfig of the definition's Jenkins credential: an exec plugin in it (aws, gcloud,
 * kubelogin) runs there, never on the controller. Nothing of the agent's own identity is used: no
 * {@code ~/.kube/config}, no {@code $KUBECONFIG}, no service account, only the credential's content. A failure
 * crosses back as an {@link AbortException} holding only the engine's one-line message.
 */
public final class KServeRouterCall extends MasterToSlaveCallable<Integer, IOException> {
    private static final long serialVersionUID = 1L;
    /** The operation that reads the weight instead of setting it. */
    private static final int READ = -1;

    private final String kubeconfig;
    private final String source;
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
        this.kubeconfig = kubeconfig;
        this.source = source;
        this.namespace = namespace;
        this.inferenceService = inferenceService;
        this.canaryStorageUri = canaryStorageUri;
        this.readyTimeout = readyTimeout;
        this.weight = weight;
    }

    /** The same router, setting the canary's share to {@code canaryPercent} %. */
    public KServeRouterCall setting(int canaryPercent) {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        return new KServeRouterCall(kubeconfig, source, namespace, inferenceService, canaryStorageUri, readyTimeout, canaryPercent);
    }

    /** The weight now in effect, after setting it when this is a {@link #setting} call. */
    @Override
    public Integer call() throws IOException {
        try {
            // on the agent: the kubeconfig's exec plugin may run here
            KServeRouter router = new KServeRouter(KServeConfig.fromKubeconfigContent(kubeconfig, source, true, namespace,
                    inferenceService, Optional.ofNullable(canaryStorageUri), Durations.parse(readyTimeout)));
            if (weight == READ) {
                return router.canaryWeight();
            }
            router.setCanaryWeight(weight);
            return weight;
        } catch (DeployException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AbortException("interrupted while waiting for KServe InferenceService " + inferenceService);
        }
    }

    /** How logs and the canary state name this router; never the kubeconfig. */
    public String describe(String agent) {
        return "KServe InferenceService " + (namespace == null ? "" : namespace + "/") + inferenceService + " (" + source
                + ") through agent '" + agent + "'";
    }

    /** Never the kubeconfig. */
    @Override
    public String toString() {
        return "KServeRouterCall[" + source + ", " + inferenceService + ", weight " + weight + "]";
    }
}
