package io.jenkins.plugins.mlstages.support;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import java.util.List;
import java.util.Map;

/**
 * The registry a build talks to, decided by {@link RegistryChoice}: the URL is the step's
 * {@code registryUrl}, else the global configuration's, else {@code MLFLOW_TRACKING_URI} from the
 * build's environment. The credentials are the step's {@code credentialsId}; else the global one, but
 * only when the URL is the global URL; else {@code MLFLOW_TRACKING_TOKEN} or
 * {@code MLFLOW_TRACKING_USERNAME}/{@code _PASSWORD} from the environment (for example bound by
 * {@code withCredentials}), as the CLI does. A Jenkins credential is resolved for the run, with the
 * job's authentication, and tracked.
 */
public final class RegistryAccess {
    private RegistryAccess() {}

    /**
     * The registry of a step's run. When the global credential is withheld from a URL the step chose,
     * one line in {@code listener}'s log says so.
     */
    public static RegistryConfig forRun(
            Run<?, ?> run,
            @CheckForNull Map<String, String> environment,
            @CheckForNull String registryUrl,
            @CheckForNull String credentialsId,
            TaskListener listener)
            throws AbortException {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        Map<String, String> env = environment == null ? Map.of() : environment;
        RegistryChoice choice = RegistryChoice.decide(registryUrl, credentialsId, config.getRegistryUrl(),
                config.getCredentialsId(), env.get(RegistryConfig.TRACKING_URI));
        if (choice.url() == null) {
            throw new AbortException("no MLflow registry URL: set registryUrl on the step, the registry URL under"
                    + " Manage Jenkins > System > ML Stages, or MLFLOW_TRACKING_URI");
        }
        if (choice.globalWithheld()) {
            new BuildLog(listener.getLogger()).line("registry " + choice.url() + " is not the registry URL of"
                    + " Manage Jenkins > System > ML Stages: the global credentials are not sent there;"
                    + " give the step its own credentialsId (now using the build's MLFLOW_TRACKING_* variables, if any)");
        }
        try {
            RegistryConfig.Builder builder;
            if (choice.credentialsId() == null) {
                builder = RegistryConfig.fromEnvironment(env, choice.url());
            } else {
                String id = choice.credentialsId();
                List<DomainRequirement> anyDomain = List.of();
                StandardCredentials credentials =
                        CredentialsProvider.findCredentialById(id, StandardCredentials.class, run, anyDomain);
                if (credentials == null) {
                    throw new AbortException(BuildLog.oneLine("no credentials with ID '" + id
                            + "' (Secret text or Username with password) are available to this build"));
                }
                CredentialsProvider.track(run, credentials);
                builder = RegistryConfig.builder(choice.url())
                        .credentials(MlStagesConfiguration.toRegistryCredentials(credentials));
            }
            return config.withTimeouts(builder).build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(BuildLog.oneLine(e.getMessage()));
        }
    }

    /**
     * As {@link #forRun(Run, Map, String, String, TaskListener)} without the log line when the global
     * credential is withheld; for callers that have no listener at hand. Prefer the other.
     */
    public static RegistryConfig forRun(
            Run<?, ?> run,
            @CheckForNull Map<String, String> environment,
            @CheckForNull String registryUrl,
            @CheckForNull String credentialsId)
            throws AbortException {
        return forRun(run, environment, registryUrl, credentialsId, TaskListener.NULL);
    }

    /**
     * The credentials a step's {@code credentialsId} field offers: Secret text or Username with
     * password, to those who may configure the job or use its credentials.
     */
    public static ListBoxModel credentialsItems(@CheckForNull Item item, @CheckForNull String credentialsId) {
        return StepCredentials.items(item, credentialsId, StandardCredentials.class,
                MlStagesConfiguration.registryCredentialsMatcher());
    }
}
