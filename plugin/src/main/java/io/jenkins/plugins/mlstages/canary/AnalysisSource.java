package io.jenkins.plugins.mlstages.canary;

import hudson.AbortException;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.deploy.MetricSource;
import java.io.Serializable;

/**
 * Where a {@code canaryDeploy} reads the numbers its analysis checks judge: {@code prometheus(...)}.
 * Plain settings only, like {@link CanaryRouter}.
 */
public abstract class AnalysisSource implements Describable<AnalysisSource>, Serializable {
    private static final long serialVersionUID = 1L;

    /** The engine's metric source for this build, credentials resolved for {@code run}. */
    public abstract MetricSource open(Run<?, ?> run) throws AbortException;

    /** The kinds of analysis source. */
    public abstract static class AnalysisSourceDescriptor extends Descriptor<AnalysisSource> {}
}
