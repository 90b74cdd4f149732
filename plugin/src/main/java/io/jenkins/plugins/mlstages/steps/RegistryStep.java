package io.jenkins.plugins.mlstages.steps;

import hudson.Util;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A step that talks to the registry: the URL and the credentials default to the global configuration
 * ({@code mlStages}) and may be overridden per step.
 */
public abstract class RegistryStep extends MlStageStep {
    private static final long serialVersionUID = 1L;

    private String registryUrl;
    private String credentialsId;

    public String getRegistryUrl() {
        return registryUrl;
    }

    /** The MLflow tracking/registry URL, instead of the global configuration's. */
    @DataBoundSetter
    public void setRegistryUrl(String registryUrl) {
        this.registryUrl = Util.fixEmptyAndTrim(registryUrl);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** The credentials for the registry, instead of the global configuration's. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }
}
