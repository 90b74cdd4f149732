package io.jenkins.plugins.mlstages.canary;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.deploy.MetricSource;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.support.RegistryAccess;

/** The router, the analysis source and the registry of one drive of a canary. */
public final class CanaryConnections implements AutoCloseable {
    private final TrafficRouter router;
    private final MetricSource metrics;
    private final MlflowRegistry registry;

    /**
     * @param analyse whether the analysis source is needed (not to roll back or finish)
     * @param sleeper the waits of the router (KServe's readiness), interruptible by the step
     * @param log where registry retries are announced
     * @param listener where a withheld global registry credential is announced
     */
    public CanaryConnections(CanarySetup setup, Run<?, ?> run, EnvVars env, boolean analyse, Sleeper sleeper,
            StageLog log, TaskListener listener) throws AbortException {
        this.router = CanaryRouters.get().require(setup.router()).open(run, sleeper, setup.canaryStorageUri());
        this.metrics = analyse && setup.analysisSource() != null ? setup.analysisSource().open(run) : MetricSource.NONE;
        RegistryConfig config = RegistryAccess.forRun(run, env, setup.registryUrl(), setup.credentialsId(), listener);
        this.registry = new MlflowRegistry(config, log);
    }

    public TrafficRouter router() {
        return router;
    }

    public MetricSource metrics() {
        return metrics;
    }

    public MlflowRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        registry.close();
    }
}
