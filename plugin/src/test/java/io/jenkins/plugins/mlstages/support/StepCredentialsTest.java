package io.jenkins.plugins.mlstages.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.model.User;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import java.util.List;
import jenkins.security.QueueItemAuthenticatorConfiguration;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockQueueItemAuthenticator;

/**
 * A job's credentials drop-down offers what the job's builds can look up: the credentials visible to
 * the authentication the builds run as, not to the system.
 */
public class StepCredentialsTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    private static List<String> ids(ListBoxModel items) {
        return items.stream().map(option -> option.value).toList();
    }

    @Test
    public void theDropDownListsWhatTheBuildsCanUse() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "system-token", "Jenkins' own store", Secret.fromString("s3cr3t-0123456789")));
        SystemCredentialsProvider.getInstance().save();
        WorkflowJob p = j.createProject(WorkflowJob.class, "team");
        // builds run as SYSTEM: they can use the Jenkins store, and the lists offer it
        assertTrue(ids(RegistryAccess.credentialsItems(p, null)).contains("system-token"));
        assertTrue(ids(StepCredentials.items(p, null)).contains("system-token"));

        // builds of this job run as alice, to whom the Jenkins store gives nothing
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        QueueItemAuthenticatorConfiguration.get().getAuthenticators().add(
                new MockQueueItemAuthenticator().authenticate("team", User.getById("alice", true).impersonate2()));
        assertFalse(ids(RegistryAccess.credentialsItems(p, null)).contains("system-token"));
        assertFalse(ids(StepCredentials.items(p, null)).contains("system-token"));
        // the value already chosen stays shown, so that saving the form does not drop it
        assertEquals(List.of("", "system-token"), ids(RegistryAccess.credentialsItems(p, "system-token")));

        // ... and indeed a build cannot use it
        p.setDefinition(new CpsFlowDefinition("registerModel model: 'm', source: 'models:/x/1',"
                + " registryUrl: 'http://localhost:9', credentialsId: 'system-token'", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("no credentials with ID 'system-token'", b);
    }

    /** The global page (no job) lists the Jenkins store, for administrators. */
    @Test
    public void withoutAJobTheListIsTheSystems() {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "system-token", "Jenkins' own store", Secret.fromString("s3cr3t-0123456789")));
        assertTrue(ids(RegistryAccess.credentialsItems(null, null)).contains("system-token"));
    }
}
