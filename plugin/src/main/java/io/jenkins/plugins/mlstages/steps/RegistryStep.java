package io.jenkins.plugins.mlstages.steps;

import hudson.Util;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.support.RegistryAccess;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A step that talks to the registry: the URL defaults to the global configuration ({@code mlStages})
 * and may be overridden per step; the global credentials go with the global URL only, so a step that
 * overrides the URL names its own {@code credentialsId} (see {@link RegistryAccess}).
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

    /**
     * The descriptor of a registry step: the {@code credentialsId} drop-down too. Public, as its web
     * method is found by reflection on the step's public descriptor.
     */
    public abstract static class RegistryDescriptor extends MlStageDescriptor {
        protected RegistryDescriptor(String functionName, String displayName, boolean needsWorkspace, String... textAreas) {
            super(functionName, displayName, needsWorkspace, textAreas);
        }

        /** The registry credentials the job's builds can use (see {@link RegistryAccess#credentialsItems}). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return RegistryAccess.credentialsItems(item, credentialsId);
        }
    }
}
