package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.mlstages.canary.HttpCanaryRouter;

import hudson.model.Result;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Test;

/**
 * blueGreenDeploy end to end, on the fakes of {@link DeployStepFixture} (green is its "canary" scoring server, which
 * answers 1 - x): the engine's HTTP router against a webhook this test serves (it keeps the
 * weight and every change), Prometheus's HTTP API answered with the value the test chooses (a canary
 * must pass or fail on demand), and a real MLflow server for the aliases. The webhook and MLflow outlive
 * the Jenkins sessions, so a restart in the middle of a canary is seen from outside.
 */
public class BlueGreenDeployStepTest extends DeployStepFixture {
    @Override
    String modelPrefix() {
        return "blue-green-";
    }

    /** Two smoke requests as a Pipeline writes them into the workspace: green answers 1 - x. */
    private static String smokeFile(String expected) {
        return "writeFile file: 'smoke.jsonl', text: '{\"request\": {\"x\": 0.2}, \"expected\": " + expected
                + ", \"tolerance\": 0.01}\\n{\"request\": {\"x\": 0.5}, \"expected\": 0.5, \"tolerance\": 0.01}\\n'\n";
    }

    private WorkflowRun deploy(JenkinsRuleLike j, String expected) throws Exception {
        HttpCanaryRouter probed = new HttpCanaryRouter("probed", base() + "/router");
        probed.setProbeStableUrl(base() + "/stable");
        probed.setProbeCanaryUrl(base() + "/canary");
        configure(probed);
        WorkflowJob p = j.rule().createProject(WorkflowJob.class, "blue-green");
        p.setDefinition(new CpsFlowDefinition("node {\n" + smokeFile(expected)
                + "def r = blueGreenDeploy model: '" + model + "', version: '2', smoke: 'smoke.jsonl', window: '2s',"
                + " analyses: 2, router: 'probed', analysis: ['error_rate: sum(rate(errors[1m])) <= 0.01'],"
                + " analysisSource: prometheus(url: '" + base() + "')\n"
                + "echo \"verdict=${r.verdict}\"\n}\n", true));
        return p.scheduleBuild2(0).get();
    }

    /** The session's rule, so that {@link #deploy} can be shared by the tests. */
    private interface JenkinsRuleLike {
        org.jvnet.hudson.test.JenkinsRule rule();
    }

    @Test
    public void aGoodGreenIsSwitchedToAtOnceAndPromoted() throws Throwable {
        sessions.then(j -> {
            WorkflowRun b = deploy(() -> j, "0.8");
            j.assertBuildStatusSuccess(b);
            j.assertLogContains("verdict=PROMOTED", b);
            j.assertLogContains("smoke checks: PASS (2 of 2 passed)", b);
            assertEquals("all traffic at once, never a step between", List.of(100), weights);
            assertEquals("2", alias(model, "champion"));
            assertEquals("1", alias(model, "previous"));
            assertTrue(b.getAction(MlReportAction.class) != null);
        });
    }

    @Test
    public void aGreenFailingTheSmokeChecksNeverGetsTraffic() throws Throwable {
        sessions.then(j -> {
            WorkflowRun b = deploy(() -> j, "0.3");
            j.assertBuildStatus(Result.FAILURE, b);
            j.assertLogContains("smoke checks failed: smoke line 1", b);
            assertEquals("blue keeps all traffic", List.of(0), weights);
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void aFailingWindowSwitchesBack() throws Throwable {
        errorRate = "0.5";
        sessions.then(j -> {
            WorkflowRun b = deploy(() -> j, "0.8");
            j.assertBuildStatus(Result.FAILURE, b);
            j.assertLogContains("verdict=ROLLED_BACK", b);
            assertEquals(List.of(100, 0), weights);
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void withoutASmokeFileOrWindowTheStepSaysSoInOneLine() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "blue-green");
            p.setDefinition(new CpsFlowDefinition("blueGreenDeploy model: '" + model + "', version: '2', window: '1m',"
                    + " router: 'webhook'\n", true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("blueGreenDeploy needs smoke", b);
            j.assertLogNotContains("\tat ", b);
            assertTrue("nothing was routed", weights.isEmpty());
        });
    }

    @Test
    public void aRouterWithoutGreensScoringUrlIsOneLineNamingTheStep() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "blue-green");
            p.setDefinition(new CpsFlowDefinition("node {\n" + smokeFile("0.8") + "blueGreenDeploy model: '" + model
                    + "', version: '2', smoke: 'smoke.jsonl', window: '1m', router: 'webhook'\n}\n", true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("blueGreenDeploy: router 'webhook' defines no probeCanaryUrl and probeStableUrl", b);
            j.assertLogNotContains("\tat ", b);
            assertTrue("nothing was routed", weights.isEmpty());
        });
    }
}
