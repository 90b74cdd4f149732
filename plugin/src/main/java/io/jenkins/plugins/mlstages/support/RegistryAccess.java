package io.jenkins.plugins.mlstages.support;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;

/**
 * The registry a build talks to. The URL is the step's {@code registryUrl}, else the global
 * configuration's, else {@code MLFLOW_TRACKING_URI} from the build's environment. The credentials are
 * the step's {@code credentialsId}, else the global one, resolved for the run (and tracked); without
 * either, {@code MLFLOW_TRACKING_TOKEN} or {@code MLFLOW_TRACKING_USERNAME}/{@code _PASSWORD} from the
 * environment (for example bound by {@code withCredentials}), as the CLI does.
 */
public final class RegistryAccess {
    private RegistryAccess() {}

    public static RegistryConfig forRun(
            Run<?, ?> run,
            @CheckForNull Map<String, String> environment,
            @CheckForNull String registryUrl,
            @CheckForNull String credentialsId)
            throws AbortException {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        Map<String, String> env = environment == null ? Map.of() : environment;
        String url = first(registryUrl, config.getRegistryUrl(), env.get(RegistryConfig.TRACKING_URI));
        if (url == null) {
            throw new AbortException("no MLflow registry URL: set registryUrl on the step, the registry URL under"
                    + " Manage Jenkins > System > ML Stages, or MLFLOW_TRACKING_URI");
        }
        String id = first(credentialsId, config.getCredentialsId());
        try {
            RegistryConfig.Builder builder;
            if (id == null) {
                builder = RegistryConfig.fromEnvironment(env, url);
            } else {
                List<DomainRequirement> anyDomain = List.of();
                StandardCredentials credentials =
                        CredentialsProvider.findCredentialById(id, StandardCredentials.class, run, anyDomain);
                if (credentials == null) {
                    throw new AbortException(BuildLog.oneLine("no credentials with ID '" + id
                            + "' (Secret text or Username with password) are available to this build"));
                }
                CredentialsProvider.track(run, credentials);
                builder = RegistryConfig.builder(url).credentials(MlStagesConfiguration.toRegistryCredentials(credentials));
            }
            return config.withTimeouts(builder).build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(BuildLog.oneLine(e.getMessage()));
        }
    }

    /**
     * The credentials a step's {@code credentialsId} field offers: Secret text or Username with
     * password, to those who may configure the job or use its credentials.
     */
    public static ListBoxModel credentialsItems(@CheckForNull Item item, @CheckForNull String credentialsId) {
        return StepCredentials.items(item, credentialsId, StandardCredentials.class,
                MlStagesConfiguration.registryCredentialsMatcher());
    }

    @CheckForNull
    private static String first(String... values) {
        for (String value : values) {
            String v = Util.fixEmptyAndTrim(value);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
