package io.jenkins.plugins.mlstages.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.After;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The administrator's global registry credential goes to the global registry URL only: a step that
 * points elsewhere ({@code registryUrl}, or {@code MLFLOW_TRACKING_URI} without a global URL) sends
 * its own {@code credentialsId}, the build's {@code MLFLOW_TRACKING_TOKEN}, or nothing. Two local
 * servers record the Authorization header of every request and refuse it (403), so each build fails at
 * its first registry call.
 */
public class RegistryAccessTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private static final String ADMIN_TOKEN = "admin-token-0123456789";
    private static final String TEAM_TOKEN = "team-token-0123456789";

    private Recorder global;
    private Recorder other;

    @Before
    public void configure() throws Exception {
        global = new Recorder();
        other = new Recorder();
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "admin-token", "global registry", Secret.fromString(ADMIN_TOKEN)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "team-token", "team registry", Secret.fromString(TEAM_TOKEN)));
        SystemCredentialsProvider.getInstance().save();
        MlStagesConfiguration config = MlStagesConfiguration.get();
        config.setRegistryUrl(global.url());
        config.setCredentialsId("admin-token");
        config.setRetryBudgetSeconds(0);
    }

    @After
    public void stop() {
        global.close();
        other.close();
    }

    private WorkflowRun register(String arguments, String... environment) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        String step = "registerModel model: 'm', source: 'models:/x/1'" + arguments;
        String env = environment.length == 0 ? "" : "'" + String.join("', '", environment) + "'";
        p.setDefinition(new CpsFlowDefinition(env.isEmpty() ? step : "withEnv([" + env + "]) { " + step + " }", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogNotContains(ADMIN_TOKEN, b);
        j.assertLogNotContains(TEAM_TOKEN, b);
        return b;
    }

    @Test
    public void theGlobalCredentialGoesToTheGlobalUrl() throws Exception {
        WorkflowRun b = register("");
        assertEquals(Set.of("Bearer " + ADMIN_TOKEN), Set.copyOf(global.authorizations));
        j.assertLogNotContains("global credentials are not sent", b);
    }

    @Test
    public void theGlobalUrlWrittenWithATrailingSlashAndUpperCaseHostIsStillTheGlobalUrl() throws Exception {
        String same = global.url().replace("http://localhost", "HTTP://LocalHost") + "/";
        register(", registryUrl: '" + same + "'");
        assertEquals(Set.of("Bearer " + ADMIN_TOKEN), Set.copyOf(global.authorizations));
    }

    @Test
    public void aStepUrlElsewhereGetsNoGlobalCredentialAndTheLogSaysSo() throws Exception {
        WorkflowRun b = register(", registryUrl: '" + other.url() + "'");
        assertEquals("without credentials", Set.of(""), Set.copyOf(other.authorizations));
        assertTrue(global.authorizations.isEmpty());
        j.assertLogContains("registry " + other.url() + " is not the registry URL of Manage Jenkins > System > ML Stages:"
                + " the global credentials are not sent there", b);
    }

    @Test
    public void aStepUrlElsewhereWithItsOwnCredentialSendsThat() throws Exception {
        WorkflowRun b = register(", registryUrl: '" + other.url() + "', credentialsId: 'team-token'");
        assertEquals(Set.of("Bearer " + TEAM_TOKEN), Set.copyOf(other.authorizations));
        j.assertLogNotContains("global credentials are not sent", b);
    }

    @Test
    public void aStepUrlElsewhereUsesTheBuildsOwnTrackingToken() throws Exception {
        register(", registryUrl: '" + other.url() + "'", "MLFLOW_TRACKING_TOKEN=build-bound-token");
        assertEquals(Set.of("Bearer build-bound-token"), Set.copyOf(other.authorizations));
    }

    @Test
    public void theEnvironmentsTrackingUriWithoutAGlobalUrlGetsNoGlobalCredential() throws Exception {
        MlStagesConfiguration.get().setRegistryUrl(null);
        WorkflowRun b = register("", "MLFLOW_TRACKING_URI=" + other.url());
        assertEquals(Set.of(""), Set.copyOf(other.authorizations));
        j.assertLogContains("the global credentials are not sent there", b);
    }

    @Test
    public void theGlobalUrlWinsOverTheEnvironmentsTrackingUri() throws Exception {
        register("", "MLFLOW_TRACKING_URI=" + other.url());
        assertEquals(Set.of("Bearer " + ADMIN_TOKEN), Set.copyOf(global.authorizations));
        assertTrue(other.authorizations.isEmpty());
    }

    /** A local HTTP server that records each request's Authorization header ("" without one) and answers 403. */
    private static final class Recorder implements AutoCloseable {
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Recorder() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(authorization == null ? "" : authorization);
                byte[] body = "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"no\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(403, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
