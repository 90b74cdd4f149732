package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.ModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryCredentials;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * registerModel against a real MLflow server with its basic-auth app, the credentials from Jenkins: once
 * per build, lineage from the build's own stages, and the password nowhere a user can read it.
 */
public class RegisterModelStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private static MlflowServer server;

    @BeforeClass
    public static void startServer() {
        server = MlflowServer.startWithBasicAuth();
    }

    @AfterClass
    public static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static MlflowRegistry admin() {
        return new MlflowRegistry(RegistryConfig.builder(server.url())
                .credentials(RegistryCredentials.basic(MlflowServer.ADMIN_USER, MlflowServer.ADMIN_PASSWORD))
                .build());
    }

    private void configureRegistry() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "mlflow-admin", "MLflow admin", MlflowServer.ADMIN_USER, MlflowServer.ADMIN_PASSWORD));
        SystemCredentialsProvider.getInstance().save();
        MlStagesConfiguration config = MlStagesConfiguration.get();
        config.setRegistryUrl(server.url());
        config.setCredentialsId("mlflow-admin");
    }

    @Test
    public void registersOncePerBuildWithTheLineageOfItsStages() throws Exception {
        configureRegistry();
        String model = "plugin-register-" + UUID.randomUUID().toString().substring(0, 8);
        String runId;
        try (MlflowRegistry registry = admin()) {
            runId = registry.createRun(registry.getOrCreateExperiment("plugin-register").experimentId(), "train", Map.of())
                    .runId();
            // registration refuses a source without an MLmodel: give the run one (MLflow 2 style)
            registry.uploadArtifact(runId, "model/MLmodel", "flavors: {}\n".getBytes(StandardCharsets.UTF_8));
        }
        WorkflowJob p = j.createProject(WorkflowJob.class, "fraud");
        p.setDefinition(new CpsFlowDefinition("node {\n" + EvaluateModelStepTest.PREDICTIONS
                + "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'], resamples: 0\n"
                + "def first = registerModel model: '" + model + "', runId: '" + runId + "', alias: ['candidate'],"
                + " tag: ['team=fraud'], report: 'out/register.json'\n"
                + "def again = registerModel model: '" + model + "', runId: '" + runId + "', alias: ['candidate']\n"
                + "echo \"first=${first.version} reused=${first.reused} again=${again.version} reused=${again.reused}"
                + " key=${again.buildKey}\"\n"
                + "}", true));
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
        j.assertLogContains("first=1 reused=false again=1 reused=true key=fraud#1", b);
        j.assertLogContains("registerModel PASSED: " + model + "/1 (new), aliases candidate", b);
        j.assertLogContains("registerModel PASSED: " + model + "/1 (reused for build key fraud#1), aliases candidate", b);

        try (MlflowRegistry registry = admin()) {
            ModelVersion version = registry.getModelVersion(model, "1");
            Map<String, String> tags = version.tagMap();
            assertEquals("fraud#1", tags.get("mlstages.build_key"));
            assertEquals(j.getURL() + "job/fraud/1/", tags.get("mlstages.build_url"));
            assertEquals("fraud", tags.get("team"));
            assertTrue(tags.toString(), tags.get("mlstages.dataset_digests").startsWith("preds.csv@"));
            assertEquals("1", registry.findVersionByAlias(model, "candidate").orElseThrow().version());
        }

        MlReportAction action = b.getAction(MlReportAction.class);
        assertEquals(model, action.getModel());
        assertEquals("1", action.getModelVersion());
        assertEquals(server.url() + "/#/models/" + model + "/versions/1", action.getModelVersionUrl());
        assertEquals(3, action.getStages().size());

        assertNoSecret(b);
    }

    /** The password is in no log, no build.xml, no stage report and no /api/json. */
    private void assertNoSecret(WorkflowRun b) throws Exception {
        String secret = MlflowServer.ADMIN_PASSWORD;
        j.assertLogNotContains(secret, b);
        assertFalse(Files.readString(new File(b.getRootDir(), "build.xml").toPath(), StandardCharsets.UTF_8).contains(secret));
        File[] reports = new File(b.getRootDir(), "ml-stages").listFiles();
        assertNotNull(reports);
        for (File report : reports) {
            assertFalse(report.getName(), Files.readString(report.toPath(), StandardCharsets.UTF_8).contains(secret));
        }
        assertFalse(j.getJSON(b.getUrl() + "api/json?depth=3").getContentAsString().contains(secret));
        assertFalse(j.getJSON(b.getUrl() + "ml-stages/api/json?depth=3").getContentAsString().contains(secret));
    }

    @Test
    public void aBadSourceFailsWithOneLineBeforeTheRegistry() throws Exception {
        configureRegistry();
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("registerModel model: 'm', runId: 'r', source: 'models:/x/1'", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("registerModel: give exactly one source", b);
        j.assertLogNotContains("\tat ", b);
    }

    /** report and fromReport are workspace paths: outside node {} the step fails before registering anything. */
    @Test
    public void workspacePathsOutsideNodeFailBeforeTheRegistry() throws Exception {
        configureRegistry();
        String model = "plugin-no-node-" + UUID.randomUUID().toString().substring(0, 8);
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("registerModel model: '" + model + "', source: 'models:/x/1', report: 'r.json'", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("registerModel: fromReport and report are paths in the workspace: run the step inside node { }", b);
        j.assertLogNotContains("\tat ", b);
        try (MlflowRegistry registry = admin()) {
            assertTrue("the model was not even created", registry.findRegisteredModel(model).isEmpty());
        }
    }

    @Test
    public void wrongCredentialsFailWithoutTheSecret() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "wrong", "wrong", MlflowServer.ADMIN_USER, "not-the-password-" + UUID.randomUUID()));
        MlStagesConfiguration.get().setRegistryUrl(server.url());
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(
                "registerModel model: 'm', source: 'models:/x/1', credentialsId: 'wrong'", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("registerModel: ", b);
        j.assertLogNotContains("not-the-password-", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void configRoundTrip() throws Exception {
        RegisterModelStep step = new RegisterModelStep("fraud-detector");
        step.setRunId("abc");
        step.setArtifactPath("model");
        step.setAlias(List.of("candidate", "staging"));
        step.setTag(List.of("team=fraud"));
        step.setBuildKey("commit-1");
        step.setAwaitSeconds(60);
        RegisterModelStep after = new StepConfigTester(j).configRoundTrip(step);
        j.assertEqualDataBoundBeans(step, after);
        assertEquals(List.of("candidate", "staging"), after.getAlias());
    }
}
