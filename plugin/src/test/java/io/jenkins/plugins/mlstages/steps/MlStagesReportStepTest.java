package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;

import hudson.model.Result;
import java.util.HashMap;
import java.util.Map;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * mlStagesReport: the build's merged ML report written as JUnit XML that Jenkins' own junit step records
 * (one test per gate rule: a failed error rule fails, a skipped rule is skipped, a failed warning rule
 * passes), and as Markdown; one-line failures without outputs or before any stage.
 */
public class MlStagesReportStepTest {
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
    public void junitRecordsOneTestPerCheckAndGateRule() throws Exception {
        WorkflowRun b = run(Result.UNSTABLE, "node {\n" + REPORTS
                // 6 checks, one WARNING (age above 50 in row 3), drift against itself (none): the drift picture
                + "writeFile file: 'data.csv', text: 'id,age\\n1,30\\n2,45\\n3,70\\n'\n"
                + "writeFile file: 'schema.yaml', text: 'columns:\\n  age:\\n    type: integer\\n    max: {value: 50, severity: warning}\\n'\n"
                + "validateData data: 'data.csv', schema: 'schema.yaml', reference: 'data.csv'\n"
                // rule 1 passes, rule 2 (a warning) fails: the stage is UNSTABLE
                + "modelGate metrics: 'candidate.json', championMetrics: 'champion.json',"
                + " rule: ['roc_auc >= 0.85', 'warning: f1_score >= champion.f1_score']\n"
                // rule 1 fails (error; not failing the step), rule 2 is skipped: no champion
                + "modelGate metrics: 'candidate.json', rule: ['roc_auc >= 0.95', 'f1_score >= champion.f1_score'],"
                + " failOn: 'NEVER', unstableOn: 'NEVER'\n"
                + "def r = mlStagesReport junit: 'out/ml-checks.xml', markdown: 'out/ml-summary.md'\n"
                + "echo \"status=${r.status} tests=${r.tests} failures=${r.failures} skipped=${r.skipped}\"\n"
                + "junit 'out/ml-checks.xml'\n"
                + "echo readFile('out/ml-summary.md')\n"
                + "echo \"drift picture: ${fileExists('out/ml-summary-drift.svg')}\"\n"
                + "}");
        j.assertLogContains("status=FAILED tests=10 failures=1 skipped=1", b);
        j.assertLogContains("mlStagesReport: out/ml-checks.xml: 10 test cases, 1 failed, 1 skipped (record them with junit 'out/ml-checks.xml')", b);
        j.assertLogContains("drift picture: true", b);
        j.assertLogContains("| 2 | `warning: f1_score >= champion.f1_score` | FAIL (warning) |", b);
        JSONObject report = j.getJSON(b.getUrl() + "testReport/api/json").getJSONObject();
        assertEquals(1, report.getInt("failCount"));
        assertEquals(1, report.getInt("skipCount"));
        assertEquals(8, report.getInt("passCount"));
        Map<String, String> statuses = new HashMap<>();
        JSONArray suites = report.getJSONArray("suites");
        for (int s = 0; s < suites.size(); s++) {
            JSONArray cases = suites.getJSONObject(s).getJSONArray("cases");
            for (int c = 0; c < cases.size(); c++) {
                JSONObject testCase = cases.getJSONObject(c);
                statuses.put(testCase.getString("className") + " / " + testCase.getString("name"), testCase.getString("status"));
            }
        }
        assertEquals("FAILED", statuses.get("ml-stages.gate / rule 1: roc_auc >= 0.95"));
        assertEquals("SKIPPED", statuses.get("ml-stages.gate / rule 2: f1_score >= champion.f1_score"));
        assertEquals("a failed warning rule passes", "PASSED", statuses.get("ml-stages.gate / rule 2: warning: f1_score >= champion.f1_score"));
        assertEquals("PASSED", statuses.get("ml-stages.gate / rule 1: roc_auc >= 0.85"));
        assertEquals("a failed warning check passes", "PASSED", statuses.get("ml-stages.validate-data / column.max age"));
    }

    @Test
    public void withoutAnOutputItFailsWithOneLine() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + REPORTS
                + "modelGate metrics: 'candidate.json', rule: ['roc_auc >= 0.85']\n"
                + "mlStagesReport()\n"
                + "}");
        j.assertLogContains("mlStagesReport: give junit, markdown or both: the workspace files to write the build's ML report to", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void beforeAnyStageItFailsWithOneLine() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\nmlStagesReport junit: 'ml-checks.xml'\n}");
        j.assertLogContains("mlStagesReport: no ML Stages step has recorded a report in this build yet", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void anUnknownMarkdownDetailFailsWithOneLine() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + REPORTS
                + "modelGate metrics: 'candidate.json', rule: ['roc_auc >= 0.85']\n"
                + "mlStagesReport markdown: 'ml-summary.md', markdownDetail: 'long'\n"
                + "}");
        j.assertLogContains("mlStagesReport: markdownDetail: unknown detail 'long': use short or full", b);
    }
}
