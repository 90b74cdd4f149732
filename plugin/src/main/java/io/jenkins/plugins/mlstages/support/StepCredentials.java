package io.jenkins.plugins.mlstages.support;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * Credentials a step names: the Secret text tokens of the canary's router and analysis source (a bearer
 * token each), and the drop-downs of every {@code credentialsId} field, which list what the job's builds
 * can look up.
 */
public final class StepCredentials {
    private StepCredentials() {}

    /** The token of {@code credentialsId} for {@code run}, tracked; empty without an ID. */
    public static Optional<String> token(Run<?, ?> run, @CheckForNull String credentialsId, String what) throws AbortException {
        if (credentialsId == null) {
            return Optional.empty();
        }
        List<DomainRequirement> anyDomain = List.of();
        StringCredentials credentials =
                CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run, anyDomain);
        if (credentials == null) {
            throw BuildLog.failure("canaryDeploy", "no Secret text credentials with ID '" + credentialsId + "' for the "
                    + what + " are available to this build");
        }
        CredentialsProvider.track(run, credentials);
        return Optional.of(credentials.getSecret().getPlainText());
    }

    /** Secret text credentials, to those who may configure the job or use its credentials. */
    public static ListBoxModel items(@CheckForNull Item item, @CheckForNull String credentialsId) {
        return items(item, credentialsId, StringCredentials.class, CredentialsMatchers.always());
    }

    /**
     * The credentials of {@code type} that {@code matcher} accepts, to those who may configure the job or
     * use its credentials. A job's list is what its builds can look up: the credentials visible to the
     * authentication the job runs as ({@link Tasks#getAuthenticationOf2}), not to the system, so that the
     * list offers no credential the build would then not find. Without a job (the global page, for
     * administrators) it is the system's.
     */
    public static ListBoxModel items(@CheckForNull Item item, @CheckForNull String credentialsId,
            Class<? extends StandardCredentials> type, CredentialsMatcher matcher) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null
                ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return credentialsId == null ? result : result.includeCurrentValue(credentialsId);
        }
        List<DomainRequirement> anyDomain = List.of();
        result.includeEmptyValue();
        if (item == null) {
            result.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, anyDomain, matcher);
        } else {
            result.includeMatchingAs(buildAuthentication(item), item, type, anyDomain, matcher);
        }
        return credentialsId == null ? result : result.includeCurrentValue(credentialsId);
    }

    /** The authentication builds of {@code item} run as, with which they look credentials up. */
    static Authentication buildAuthentication(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }
}
