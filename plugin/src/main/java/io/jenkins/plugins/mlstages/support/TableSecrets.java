package io.jenkins.plugins.mlstages.support;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Where a table stage's SQL runs and the secrets for it, resolved on the controller for the build and sent only
 * with that stage to the agent, which hands them to that location alone (docs/tables.md).
 *
 * @param location the step's {@code jdbcUrl} or {@code sparkRemote}, else the build's {@code SPARK_REMOTE}
 * @param secrets by {@link SqlEngines#USER}, {@link SqlEngines#PASSWORD}, {@link SqlEngines#TOKEN}
 */
public record TableSecrets(String location, Map<String, String> secrets) {

    public TableSecrets {
        secrets = Map.copyOf(secrets);
        // the build log redacts them too, whatever the agent sends back
        Secrets.remember(Secrets.basic(secrets.get(SqlEngines.USER), secrets.get(SqlEngines.PASSWORD)));
        Secrets.remember(Secrets.bearer(secrets.get(SqlEngines.TOKEN)));
        Secrets.remember(Secrets.bearer(SqlEngines.urlSecret(location)));
    }

    /**
     * The step's credential (Username with password for JDBC, Secret text for a Spark token), else the build
     * environment's variables, as {@code withCredentials} binds them.
     *
     * @param credentialOption the step's name for that credential, for the messages: {@code credentialsId} on
     *        validateData, {@code tableCredentialsId} on evaluateModel (whose {@code credentialsId} is the registry's)
     */
    static TableSecrets forStep(StepRun stage, @CheckForNull String jdbcUrl, @CheckForNull String sparkRemote,
            @CheckForNull String credentialsId, String credentialOption) throws AbortException {
        EnvVars env = stage.environment();
        Map<String, String> environment = env == null ? Map.of() : env;
        String location = jdbcUrl != null ? jdbcUrl : sparkRemote != null ? sparkRemote : environment.get("SPARK_REMOTE");
        if (location == null) {
            throw stage.failure("table and query need jdbcUrl or sparkRemote (or SPARK_REMOTE in the build's environment)");
        }
        if (SqlEngines.hasUrlSecret(jdbcUrl == null ? "" : jdbcUrl) || SqlEngines.hasUrlSecret(sparkRemote == null ? "" : sparkRemote)) {
            throw stage.failure("a password or token in jdbcUrl or sparkRemote would be stored with the Pipeline and shown in"
                    + " its steps: name a credential with " + credentialOption + " instead");
        }
        if (credentialsId == null) {
            return new TableSecrets(location, SqlEngines.secrets(location, environment));
        }
        List<DomainRequirement> anyDomain = List.of();
        StandardCredentials credentials =
                CredentialsProvider.findCredentialById(credentialsId, StandardCredentials.class, stage.run(), anyDomain);
        if (credentials == null) {
            throw stage.failure("no credentials with ID '" + credentialsId + "' are available to this build");
        }
        CredentialsProvider.track(stage.run(), credentials);
        Map<String, String> secrets = new HashMap<>();
        if (credentials instanceof StandardUsernamePasswordCredentials user) {
            secrets.put(SqlEngines.USER, user.getUsername());
            secrets.put(SqlEngines.PASSWORD, user.getPassword().getPlainText());
        } else if (credentials instanceof StringCredentials token) {
            secrets.put(location.startsWith("jdbc:") ? SqlEngines.PASSWORD : SqlEngines.TOKEN, token.getSecret().getPlainText());
        } else {
            throw stage.failure("credentials '" + credentialsId + "' are neither Username with password nor Secret text");
        }
        return new TableSecrets(location, secrets);
    }

    @Override
    public String toString() {
        return "TableSecrets[" + SqlEngines.withoutSecrets(location) + ", " + secrets.keySet() + "]";
    }
}
