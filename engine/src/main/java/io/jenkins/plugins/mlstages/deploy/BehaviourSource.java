package io.jenkins.plugins.mlstages.deploy;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.MlflowEndpoint;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeResult;

/**
 * Where a canary analysis gets the comparison its behaviour rules judge. {@link #PROBE} replays the
 * plan's probe against both versions; another source (captured traffic) can stand in.
 */
public interface BehaviourSource {
    /** Sends the plan's probe rows to the stable and the canary version's scoring servers. */
    BehaviourSource PROBE = plan -> {
        try (MlflowEndpoint stable = new MlflowEndpoint(plan.stableUrl(), plan.timeout());
                MlflowEndpoint canary = new MlflowEndpoint(plan.canaryUrl(), plan.timeout())) {
            return plan.replay().run(stable, canary);
        }
    };

    /**
     * The comparison for one analysis.
     *
     * @throws RuntimeException when there is none (the probe unreadable): the rules are inconclusive
     * @throws InterruptedException when the run was interrupted (a Jenkins abort)
     */
    ProbeResult compare(BehaviourPlan plan) throws InterruptedException;
}
