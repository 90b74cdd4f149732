package io.jenkins.plugins.mlstages.deploy;

import java.util.List;

import io.jenkins.plugins.mlstages.deploy.behaviour.MlflowEndpoint;

/**
 * Where a blue/green deployment's smoke checks get their answers. {@link #HTTP} sends the smoke file's requests to
 * the green version's scoring server; tests stand in another.
 */
public interface SmokeSource {
    /** Reads the smoke file and sends each request to the green version's scoring server. */
    SmokeSource HTTP = plan -> {
        SmokeFile file = plan.read();
        try (MlflowEndpoint green = new MlflowEndpoint(plan.greenUrl(), plan.timeout())) {
            return file.run(green);
        }
    };

    /**
     * One result per smoke request, in the file's order.
     *
     * @throws RuntimeException when the checks could not run (the file unreadable): inconclusive, which rolls back
     * @throws InterruptedException when the run was interrupted (a Jenkins abort)
     */
    List<CheckResult> check(SmokePlan plan) throws InterruptedException;
}
