package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import java.net.ServerSocket;
import java.util.List;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class ModelGateStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    /** A candidate slightly below the champion on f1_score, and the champion's report (no registry). */
    private static final String REPORTS =
            "writeFile file: 'candidate.json', text: '{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\","
                    + "\"status\":\"PASSED\",\"metrics\":{\"roc_auc\":0.91,\"f1_score\":0.84}}'\n"
                    + "writeFile file: 'champion.json', text: '{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\","
                    + "\"status\":\"PASSED\",\"metrics\":{\"roc_auc\":0.90,\"f1_score\":0.85}}'\n";

    private WorkflowRun run(Result expected, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return j.assertBuildStatus(expected, p.scheduleBuild2(0));
    }

    @Test
    public void passesAgainstAChampionReport() throws Exception {
        WorkflowRun b = run(Result.SUCCESS, "node {\n" + REPORTS
                + "def g = modelGate metrics: 'candidate.json', championMetrics: 'champion.json',"
                + " rule: ['roc_auc >= 0.85', 'f1_score >= champion.f1_score - 0.02']\n"
                + "echo \"status=${g.status} rules=${g.rules.size()} first=${g.rules[0].status}"
                + " champion=${g.champion.source} auc=${g.metrics.roc_auc}\"\n"
                + "}");
        j.assertLogContains("PASS roc_auc >= 0.85: 0.9100 vs required 0.8500, margin +0.0600", b);
        j.assertLogContains("modelGate PASSED: 2 rules, 0 failed, champion from champion.json", b);
        j.assertLogContains("status=PASSED rules=2 first=PASSED champion=report auc=0.91", b);
        assertNull(ValidateDataStepTest.warningNode(b));
    }

    @Test
    public void failedWarningRuleMarksTheStageUnstable() throws Exception {
        WorkflowRun b = run(Result.UNSTABLE, "node {\n" + REPORTS
                + "def g = modelGate metrics: 'candidate.json', championMetrics: 'champion.json',"
                + " rule: ['roc_auc >= 0.85', 'warning: f1_score >= champion.f1_score'], report: 'out/gate.json'\n"
                + "echo \"status=${g.status} second=${g.rules[1].status}\"\n"
                + "echo readFile('out/gate.json')\n"
                + "}");
        j.assertLogContains(
                "FAIL warning: f1_score >= champion.f1_score: 0.8400 vs required 0.8500 (champion 0.8500), margin -0.0100",
                b);
        j.assertLogContains("status=WARNING second=FAILED", b);
        j.assertLogContains("\"stage\" : \"gate\"", b);
        FlowNode node = ValidateDataStepTest.warningNode(b);
        assertNotNull(node);
        WarningAction warning = node.getPersistentAction(WarningAction.class);
        assertEquals(Result.UNSTABLE, warning.getResult());
        assertEquals("modelGate WARNING: 2 rules, 1 failed, champion from champion.json", warning.getMessage());
    }

    @Test
    public void failedErrorRuleFailsTheBuild() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + REPORTS
                + "modelGate metrics: 'candidate.json', rule: ['roc_auc >= 0.95']\n"
                + "echo 'not reached'\n"
                + "}");
        j.assertLogContains("FAIL roc_auc >= 0.95: 0.9100 vs required 0.9500, margin -0.0400", b);
        j.assertLogContains("modelGate FAILED: 1 rule, 1 failed, no champion", b);
        j.assertLogNotContains("not reached", b);
    }

    @Test
    public void badRuleFailsWithoutStackTrace() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + REPORTS
                + "modelGate metrics: 'candidate.json', rule: ['accuracy_score >= 0.5']\n"
                + "}");
        j.assertLogContains("modelGate: unknown metric 'accuracy_score' in rule 1", b);
        j.assertLogNotContains("GateException", b);
        j.assertLogNotContains("\tat ", b);
    }

    /** On an agent, a report that cannot be read fails the step with one line, as on the built-in node. */
    @Test
    public void anUnusableReportOnAnAgentFailsWithOneLine() throws Exception {
        DumbSlave agent = j.createOnlineSlave();
        WorkflowRun b = run(Result.FAILURE, "node('" + agent.getNodeName() + "') {\n" + REPORTS
                + "writeFile file: 'reports/keep', text: ''\n"
                + "modelGate metrics: 'reports', rule: ['roc_auc >= 0.5']\n"
                + "}");
        j.assertLogContains("modelGate: reports: is a directory, not a file", b);
        j.assertLogNotContains("remote file operation failed", b);
        j.assertLogNotContains("UnusableFileException", b);
        j.assertLogNotContains("\tat ", b);
    }

    /** A report Jackson cannot parse: the engine's wording, no Java setting names, control characters escaped. */
    @Test
    public void anUnparsableReportFailsWithTheEnginesWording() throws Exception {
        WorkflowRun deep = run(Result.FAILURE, "node {\n"
                + "writeFile file: 'deep.json', text: '" + "[".repeat(1200) + "'\n"
                + "modelGate metrics: 'deep.json', rule: ['roc_auc >= 0.5']\n"
                + "}");
        j.assertLogContains("modelGate: deep.json: is not a readable JSON report: Document nesting depth (1001)"
                + " exceeds the maximum allowed (1000)", deep);
        j.assertLogNotContains("StreamReadConstraints", deep);
        // Groovy writes ESC into the file; the log shows it as six visible characters (backslash, u, 001b)
        WorkflowRun escape = run(Result.FAILURE, "node {\n"
                + "writeFile file: 'bad.json', text: 'x\\u001b[2J'\n"
                + "modelGate metrics: 'bad.json', rule: ['roc_auc >= 0.5']\n"
                + "}");
        j.assertLogContains("modelGate: bad.json: is not a readable JSON report: Unrecognized token 'x\\u001b'", escape);
        j.assertLogNotContains("\u001b", escape);
    }

    /** The report is written as the engine writes reports: a directory in the way is one line, no stack trace. */
    @Test
    public void aReportPathThatIsADirectoryFailsWithOneLine() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + REPORTS
                + "writeFile file: 'out/keep', text: ''\n"
                + "modelGate metrics: 'candidate.json', rule: ['roc_auc >= 0.5'], report: 'out'\n"
                + "}");
        j.assertLogContains("modelGate: out: cannot write: is a directory", b);
        j.assertLogNotContains("\tat ", b);
    }

    /** An option echoed in the failure goes through the build log's one path: control characters escaped. */
    @Test
    public void anUnknownFirstModelPolicyIsEscapedInTheLog() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + REPORTS
                + "modelGate metrics: 'candidate.json', rule: ['roc_auc >= 0.5'], firstModel: 'x\\u001b[2J'\n"
                + "}");
        j.assertLogContains("modelGate: unknown first-model policy 'x\\u001b[2J'", b);
        j.assertLogNotContains("\u001b", b);
    }

    @Test
    public void anUnreachableRegistryIsRetriedAloudWithinTheConfiguredBudget() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        MlStagesConfiguration.get().setRetryBudgetSeconds(2);
        WorkflowRun b = run(Result.FAILURE, "node {\n" + REPORTS
                + "modelGate metrics: 'candidate.json', model: 'fraud', registryUrl: '" + url + "',"
                + " rule: ['roc_auc >= champion.roc_auc']\n"
                + "}");
        String failure = "read alias 'champion' of 'fraud' failed: no answer from " + url + " (connection refused)";
        j.assertLogContains(failure + "; retrying in ", b);
        j.assertLogContains("(attempt 2; ", b);
        j.assertLogContains(" of the 2 s retry budget left then)", b);
        j.assertLogContains("; retry budget 2 s)", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void rulesSplitOnLines() {
        ModelGateStep step = new ModelGateStep("candidate.json", List.of("roc_auc >= 0.85\n\n  f1_score >= 0.8 ", "log_loss <= 0.4"));
        assertEquals(List.of("roc_auc >= 0.85", "f1_score >= 0.8", "log_loss <= 0.4"), step.getRule());
        assertEquals("roc_auc >= 0.85\nf1_score >= 0.8\nlog_loss <= 0.4", step.getRuleText());
    }

    @Test
    public void configRoundTrip() throws Exception {
        ModelGateStep step = new ModelGateStep("out/eval.json", List.of("roc_auc >= 0.85", "warning: f1_score >= champion.f1_score"));
        step.setModel("fraud-detector");
        step.setChampionAlias("prod");
        step.setFirstModel("pass");
        step.setFailOn("WARNING");
        ModelGateStep after = new StepConfigTester(j).configRoundTrip(step);
        j.assertEqualDataBoundBeans(step, after);
        assertEquals(2, after.getRule().size());
    }
}
