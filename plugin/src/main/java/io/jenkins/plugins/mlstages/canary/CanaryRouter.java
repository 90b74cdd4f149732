package io.jenkins.plugins.mlstages.canary;

import hudson.AbortException;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.io.Serializable;

/**
 * What splits the traffic of a {@code canaryDeploy}: {@code nginx(...)}, {@code kserve(...)} or
 * {@code http(...)}. Holds plain settings only (a credentials ID, never a secret): it is kept with the
 * running step and in build.xml, so that the router can be opened again after a controller restart
 * or to roll a canary back when its build ended.
 */
public abstract class CanaryRouter implements Describable<CanaryRouter>, Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The engine's router for this build, credentials resolved for {@code run}.
     *
     * @throws AbortException with one line when a setting or a credential cannot be used
     */
    public abstract TrafficRouter open(Run<?, ?> run) throws AbortException;

    /** The kinds of router. */
    public abstract static class CanaryRouterDescriptor extends Descriptor<CanaryRouter> {}
}
