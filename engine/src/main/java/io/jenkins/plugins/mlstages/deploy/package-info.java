/**
 * canaryDeploy: progressive traffic shift with metric analysis, promotion or rollback, resumable.
 *
 * <p>{@link io.jenkins.plugins.mlstages.deploy.CanaryPlan} says what to do;
 * {@link io.jenkins.plugins.mlstages.deploy.CanaryController} is the pure state machine over a
 * {@link io.jenkins.plugins.mlstages.deploy.CanaryState}; {@link io.jenkins.plugins.mlstages.deploy.CanaryRun}
 * persists each transition ({@link io.jenkins.plugins.mlstages.deploy.CanaryStateStore}) before acting
 * on the ports {@link io.jenkins.plugins.mlstages.deploy.TrafficRouter},
 * {@link io.jenkins.plugins.mlstages.deploy.MetricSource} and {@link io.jenkins.plugins.mlstages.deploy.ModelAliases},
 * and returns a {@link io.jenkins.plugins.mlstages.deploy.CanaryResult}. A Jenkins step runs
 * {@code start(plan)}, calls {@code resume()} from {@code onResume()}, and {@code abort(why)} when the build is
 * aborted; all three block until the canary ends or throw {@link io.jenkins.plugins.mlstages.deploy.DeployException}
 * with the work left pending in the state file. User documentation: docs/canary.md.
 */
package io.jenkins.plugins.mlstages.deploy;
