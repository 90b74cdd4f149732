package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.support.Verdict;
import java.io.Serializable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every ML Stages step has: which verdict fails the step ({@code failOn}) and which makes the
 * stage UNSTABLE ({@code unstableOn}), as junit's options do. Serializable because the durable
 * {@code canaryDeploy} keeps its step in the program state.
 */
public abstract class MlStageStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private String failOn = Verdict.DEFAULT_FAIL_ON;
    private String unstableOn = Verdict.DEFAULT_UNSTABLE_ON;

    public String getFailOn() {
        return failOn;
    }

    /** {@code FAILED} (default), {@code WARNING} or {@code NEVER}: the verdict from which the step fails. */
    @DataBoundSetter
    public void setFailOn(String failOn) {
        this.failOn = Verdict.threshold(failOn, Verdict.DEFAULT_FAIL_ON, "failOn");
    }

    public String getUnstableOn() {
        return unstableOn;
    }

    /** {@code WARNING} (default), {@code FAILED} or {@code NEVER}: the verdict from which the stage is UNSTABLE. */
    @DataBoundSetter
    public void setUnstableOn(String unstableOn) {
        this.unstableOn = Verdict.threshold(unstableOn, Verdict.DEFAULT_UNSTABLE_ON, "unstableOn");
    }
}
