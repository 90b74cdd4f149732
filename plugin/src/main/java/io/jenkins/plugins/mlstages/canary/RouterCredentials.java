package io.jenkins.plugins.mlstages.canary;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * The credentials of router definitions. A definition is global configuration an administrator made, who
 * chose both the credential and the URL or cluster it is sent to; so it is looked up as the system in
 * Jenkins' own store, not with the build's authentication, and only Global-scope credentials qualify
 * (System scope is for Jenkins itself, e.g. agent connections, never for what builds trigger).
 */
final class RouterCredentials {
    private static final List<DomainRequirement> ANY_DOMAIN = List.of();

    private RouterCredentials() {}

    /** The Global credential {@code id} of any kind, tracked on {@code run}; null when there is none. */
    @CheckForNull
    static StandardCredentials find(String id, Run<?, ?> run) {
        StandardCredentials credentials = CredentialsProvider.findCredentialByIdInItemGroup(id,
                StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2, ANY_DOMAIN);
        if (credentials == null || credentials.getScope() != CredentialsScope.GLOBAL) {
            return null;
        }
        CredentialsProvider.track(run, credentials);
        return credentials;
    }

    /** The Global credentials {@code matcher} accepts, to administrators only (the definitions are theirs). */
    static ListBoxModel items(@CheckForNull String credentialsId, CredentialsMatcher matcher) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return credentialsId == null ? result : result.includeCurrentValue(credentialsId);
        }
        result.includeEmptyValue();
        result.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardCredentials.class, ANY_DOMAIN,
                CredentialsMatchers.allOf(matcher, CredentialsMatchers.withScope(CredentialsScope.GLOBAL)));
        return credentialsId == null ? result : result.includeCurrentValue(credentialsId);
    }
}
