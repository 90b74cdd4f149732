package io.jenkins.plugins.mlstages.deploy;

/**
 * Where canary traffic is split between the stable and the canary model version (nginx weighted
 * upstreams, a KServe InferenceService, an HTTP webhook). Adapters are stateless beyond their
 * configuration, so a resumed canary can build a fresh one and ask it what is applied.
 */
public interface TrafficRouter {
    /**
     * Sends {@code canaryPercent} % of requests to the canary and the rest to the stable version, and
     * returns once the split is in effect. Setting the split already in effect is harmless.
     *
     * @param canaryPercent 0 (all stable) to 100 (all canary)
     * @throws DeployException when the split could not be applied or confirmed
     * @throws InterruptedException when a wait for the router was interrupted (a Jenkins abort)
     */
    void setCanaryWeight(int canaryPercent) throws InterruptedException;

    /**
     * The canary's share as the router itself reports it now.
     *
     * @throws DeployException when the router cannot be read
     */
    int canaryWeight();

    /** What this router drives, for logs and reports, e.g. {@code nginx upstream 'model' in /etc/nginx/ml.conf}. */
    String describe();
}
