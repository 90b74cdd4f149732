package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import hudson.FilePath;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

public class ValidateDataStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    /** Three rows; the age 70 breaks a maximum of 50. */
    private static final String DATA = "writeFile file: 'data.csv', text: 'id,age\\n1,30\\n2,45\\n3,70\\n'\n";

    private static String schema(String name, String yaml) {
        return "writeFile file: '" + name + "', text: '" + yaml + "'\n";
    }

    private static final String PASSING = "columns:\\n  id:\\n    type: integer\\n  age:\\n    type: integer\\n"
            + "    min: 0\\n    max: 120\\n";
    private static final String WARNING = "columns:\\n  age:\\n    type: integer\\n    max: {value: 50, severity: warning}\\n";
    private static final String FAILING = "columns:\\n  age:\\n    type: integer\\n    max: 50\\n";
    private static final String BROKEN = "columns:\\n  age:\\n    mni: 3\\n";

    private WorkflowRun run(Result expected, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return j.assertBuildStatus(expected, p.scheduleBuild2(0));
    }

    @Test
    public void passes() throws Exception {
        WorkflowRun b = run(Result.SUCCESS, "node {\n" + DATA + schema("schema.yaml", PASSING)
                + "def r = validateData data: 'data.csv', schema: 'schema.yaml', report: 'out/data.json'\n"
                + "echo \"status=${r.status} rows=${r.rows} failed=${r.failedChecks} columns=${r.metrics.columns}\"\n"
                + "echo readFile('out/data.json')\n"
                + "}");
        j.assertLogContains("status=PASSED rows=3 failed=0 columns=2.0", b);
        j.assertLogContains("validateData PASSED: data.csv, 3 rows, 0 of ", b);
        j.assertLogContains("\"stage\" : \"validate-data\"", b);
        assertNull(warningNode(b));
    }

    @Test
    public void warningMarksTheStageUnstable() throws Exception {
        WorkflowRun b = run(Result.UNSTABLE, "node {\n" + DATA + schema("schema.yaml", WARNING)
                + "def r = validateData data: 'data.csv', schema: 'schema.yaml'\n"
                + "echo \"status=${r.status}\"\n"
                + "}");
        j.assertLogContains("WARNING column.max age: 1 of 3 values are above 50", b);
        j.assertLogContains("status=WARNING", b);
        FlowNode node = warningNode(b);
        assertNotNull(node);
        WarningAction warning = node.getPersistentAction(WarningAction.class);
        assertEquals(Result.UNSTABLE, warning.getResult());
        assertTrue(warning.getMessage(), warning.getMessage().startsWith("validateData WARNING: data.csv, 3 rows, 1 of "));
    }

    @Test
    public void failedChecksFailTheBuild() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + DATA + schema("schema.yaml", FAILING)
                + "validateData data: 'data.csv', schema: 'schema.yaml'\n"
                + "echo 'not reached'\n"
                + "}");
        j.assertLogContains("ERROR column.max age: 1 of 3 values are above 50", b);
        j.assertLogContains("validateData FAILED: data.csv, 3 rows, 1 of ", b);
        j.assertLogNotContains("not reached", b);
    }

    @Test
    public void failOnNeverAndUnstableOnFailed() throws Exception {
        WorkflowRun b = run(Result.UNSTABLE, "node {\n" + DATA + schema("schema.yaml", FAILING)
                + "def r = validateData data: 'data.csv', schema: 'schema.yaml', failOn: 'NEVER', unstableOn: 'FAILED'\n"
                + "echo \"status=${r.status}\"\n"
                + "}");
        j.assertLogContains("status=FAILED", b);
        assertNotNull(warningNode(b));
    }

    @Test
    public void badInputFailsWithOneLine() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + DATA + schema("schema.yaml", BROKEN)
                + "validateData data: 'data.csv', schema: 'schema.yaml'\n"
                + "}");
        j.assertLogContains("columns.age.mni: unknown key", b);
        j.assertLogNotContains("DataFormatException", b);
        j.assertLogNotContains("\tat ", b);

        WorkflowRun missing = run(Result.FAILURE, "node {\nvalidateData data: 'missing.csv'\n}");
        j.assertLogContains("missing.csv: does not exist", missing);
        j.assertLogNotContains("\tat ", missing);
    }

    /** The bad input's line names user input: control characters in it are escaped, as everywhere in the log. */
    @Test
    public void badInputIsEscapedInTheLog() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\nvalidateData data: 'missing\\u001b[2J.csv'\n}");
        j.assertLogContains("missing\\u001b[2J.csv: does not exist", b);
        j.assertLogNotContains("\u001b", b);
    }

    @Test
    public void runsOnTheAgent() throws Exception {
        DumbSlave agent = j.createOnlineSlave();
        WorkflowJob p = j.createProject(WorkflowJob.class, "on-agent");
        p.setDefinition(new CpsFlowDefinition("node('" + agent.getNodeName() + "') {\n" + DATA
                + schema("schema.yaml", PASSING)
                + "def r = validateData data: 'data.csv', schema: 'schema.yaml', report: 'out/data.json'\n"
                + "echo \"rows=${r.rows}\"\n"
                + "}", true));
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
        j.assertLogContains("rows=3", b);
        FilePath report = agent.getWorkspaceFor(p).child("out/data.json");
        assertTrue(report.exists());
        assertTrue(report.readToString().contains("validate-data"));
        assertFalse(j.jenkins.getWorkspaceFor(p).child("out/data.json").exists());
    }

    /** A table source on the built-in node is refused before any connection: a step-chosen URL from the controller is request forgery. */
    @Test
    public void aTableSourceNeverRunsOnTheController() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\nvalidateData table: 'features', jdbcUrl: 'jdbc:postgresql://127.0.0.1:1/x'\n}");
        j.assertLogContains("validateData: a table source is read from an agent, not from the built-in node", b);
        j.assertLogNotContains("\tat ", b);
    }

    /** On an agent the table source is opened there: an unreachable database is one line naming the URL without parameters. */
    @Test
    public void aTableSourceRunsOnTheAgentAndAnUnreachableDatabaseIsOneLine() throws Exception {
        DumbSlave agent = j.createOnlineSlave();
        WorkflowJob p = j.createProject(WorkflowJob.class, "table-on-agent");
        p.setDefinition(new CpsFlowDefinition("node('" + agent.getNodeName() + "') {\n"
                + "withEnv(['MLSTAGES_JDBC_PASSWORD=pw-from-the-env-123']) {\n"
                + "validateData table: 'features', jdbcUrl: 'jdbc:postgresql://127.0.0.1:1/x?sslmode=disable'\n"
                + "}\n}", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("jdbc:postgresql://127.0.0.1:1/x: ", b);
        j.assertLogNotContains("pw-from-the-env-123", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void aRefusedUrlParameterOrTwoSourcesAreOneLine() throws Exception {
        DumbSlave agent = j.createOnlineSlave();
        WorkflowJob p = j.createProject(WorkflowJob.class, "refused");
        p.setDefinition(new CpsFlowDefinition("node('" + agent.getNodeName() + "') {\n"
                + "validateData table: 'features', jdbcUrl: 'jdbc:postgresql://127.0.0.1:1/x?socketFactory=a.B'\n}", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("parameter 'socketFactory' is not allowed", b);
        WorkflowRun both = run(Result.FAILURE, "node {\nvalidateData data: 'd.csv', table: 'features', jdbcUrl: 'jdbc:postgresql://h/x'\n}");
        j.assertLogContains("give only one of data, table and query", both);
        WorkflowRun secret = run(Result.FAILURE, "node {\nvalidateData query: 'SELECT 1', sparkRemote: 'sc://h:443/;token=dapi-in-the-script-9'\n}");
        j.assertLogNotContains("dapi-in-the-script-9", secret);
    }

    @Test
    public void configRoundTripOfATableSource() throws Exception {
        ValidateDataStep step = new ValidateDataStep(null);
        step.setJdbcUrl("jdbc:postgresql://db:5432/sales");
        step.setQuery("SELECT * FROM features WHERE day = CURRENT_DATE");
        step.setReferenceTable("features_train");
        step.setCredentialsId("db-reader");
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    public void configRoundTrip() throws Exception {
        ValidateDataStep step = new ValidateDataStep("data/train.csv");
        step.setSchema("schema.yaml");
        step.setReference("data/reference.csv");
        step.setDelimiter(";");
        step.setMaxErrors(10);
        step.setSkipTextDrift(true);
        step.setDvcCheck("error");
        step.setUnstableOn("NEVER");
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
        ValidateDataStep minimal = new ValidateDataStep("data.csv");
        j.assertEqualDataBoundBeans(minimal, new StepConfigTester(j).configRoundTrip(minimal));
    }

    /** A data file changed behind DVC's back: a WARNING by default (UNSTABLE), FAILED with dvcCheck: 'error'. */
    @Test
    public void aDataFileChangedBehindDvcsBack() throws Exception {
        String repo = "writeFile file: '.dvc/config', text: ''\n"
                + "writeFile file: 'data.csv.dvc', text: 'outs:\\n- md5: 0123456789abcdef0123456789abcdef\\n  hash: md5\\n"
                + "  path: data.csv\\n'\n" + DATA;
        WorkflowRun warned = run(Result.UNSTABLE, "node {\n" + repo + "def r = validateData data: 'data.csv'\n"
                + "echo \"status=${r.status}\"\n}");
        j.assertLogContains("WARNING dvc.modified data.csv: changed since data.csv.dvc recorded it", warned);
        j.assertLogContains("status=WARNING", warned);
        WorkflowRun failed = run(Result.FAILURE, "node {\n" + repo + "validateData data: 'data.csv', dvcCheck: 'error'\n}");
        j.assertLogContains("ERROR dvc.modified data.csv", failed);
        WorkflowRun bad = run(Result.FAILURE, "node {\n" + repo + "validateData data: 'data.csv', dvcCheck: 'strict'\n}");
        j.assertLogContains("dvcCheck: expected error, warning or off, not 'strict'", bad);
    }

    static FlowNode warningNode(WorkflowRun b) {
        return new DepthFirstScanner()
                .findFirstMatch(b.getExecution(), n -> n.getPersistentAction(WarningAction.class) != null);
    }
}
