package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.FilePath;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.registry.Metric;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

public class EvaluateModelStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    /**
     * Twelve binary predictions. The oracle, scikit-learn on the same rows: roc_auc_score =
     * 0.888888888888889, f1_score (threshold 0.5) = 0.7272727272727273, accuracy_score = 0.75,
     * log_loss = 0.4523721571621521.
     */
    static final String PREDICTIONS = "writeFile file: 'preds.csv', text: 'y,p\\n0,0.1\\n0,0.4\\n1,0.35\\n1,0.8\\n"
            + "0,0.2\\n1,0.9\\n0,0.65\\n1,0.7\\n1,0.55\\n0,0.3\\n1,0.45\\n0,0.05\\n'\n";

    /** Labels of one class only: ranking metrics are undefined, the stage ends WARNING. */
    private static final String ONE_CLASS = "writeFile file: 'one.csv', text: 'y,p\\n0,0.1\\n0,0.4\\n0,0.3\\n'\n";

    private WorkflowRun run(Result expected, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return j.assertBuildStatus(expected, p.scheduleBuild2(0));
    }

    @Test
    public void runsOnTheAgentWithTheOraclesNumbers() throws Exception {
        DumbSlave agent = j.createOnlineSlave();
        WorkflowJob p = j.createProject(WorkflowJob.class, "on-agent");
        p.setDefinition(new CpsFlowDefinition("node('" + agent.getNodeName() + "') {\n" + PREDICTIONS
                + "def r = evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'],"
                + " resamples: 0, report: 'out/eval.json'\n"
                + "echo \"status=${r.status} rows=${r.rows} task=${r.task} acc=${r.metrics.accuracy_score}"
                + " report=${r.report}\"\n"
                + "}", true));
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
        j.assertLogContains("status=PASSED rows=12 task=binary acc=0.75 report=out/eval.json", b);
        j.assertLogContains("evaluateModel PASSED: preds.csv, 12 rows, roc_auc 0.8889, f1_score 0.7273,"
                + " accuracy_score 0.7500; report: out/eval.json", b);
        assertNull(ValidateDataStepTest.warningNode(b));

        FilePath report = agent.getWorkspaceFor(p).child("out/eval.json");
        assertTrue("the report is written where the data is", report.exists());
        assertFalse(j.jenkins.getWorkspaceFor(p).child("out/eval.json").exists());
        JsonNode metrics = new ObjectMapper().readTree(report.readToString()).path("metrics");
        assertEquals(0.888888888888889, metrics.path("roc_auc").asDouble(), 1e-12);
        assertEquals(0.7272727272727273, metrics.path("f1_score").asDouble(), 1e-12);
        assertEquals(0.4523721571621521, metrics.path("log_loss").asDouble(), 1e-12);

        MlReportAction action = b.getAction(MlReportAction.class);
        assertNotNull(action);
        assertEquals("PASSED", action.getVerdict());
        assertEquals(0.75, action.getMetrics().get("accuracy_score"), 0);
        assertTrue(new java.io.File(b.getRootDir(), "ml-stages/01-evaluate.json").isFile());
    }

    @Test
    public void anUndefinedMetricMarksTheStageUnstable() throws Exception {
        WorkflowRun b = run(Result.UNSTABLE, "node {\n" + ONE_CLASS
                + "def r = evaluateModel predictions: 'one.csv', task: 'binary', label: 'y', score: ['p'], resamples: 0\n"
                + "echo \"status=${r.status}\"\n"
                + "}");
        j.assertLogContains("WARNING evaluate.one_class the labels hold one class only", b);
        j.assertLogContains("status=WARNING", b);
        FlowNode node = ValidateDataStepTest.warningNode(b);
        assertNotNull(node);
        WarningAction warning = node.getPersistentAction(WarningAction.class);
        assertEquals(Result.UNSTABLE, warning.getResult());
        assertTrue(warning.getMessage(), warning.getMessage().startsWith("evaluateModel WARNING: one.csv, 3 rows"));
    }

    @Test
    public void failOnWarningFailsTheBuild() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + ONE_CLASS
                + "evaluateModel predictions: 'one.csv', task: 'binary', label: 'y', score: ['p'], resamples: 0,"
                + " failOn: 'WARNING'\n"
                + "echo 'not reached'\n"
                + "}");
        j.assertLogContains("evaluateModel WARNING: one.csv, 3 rows", b);
        j.assertLogNotContains("not reached", b);
        assertEquals("WARNING", b.getAction(MlReportAction.class).getVerdict());
    }

    @Test
    public void badInputFailsWithOneLine() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + PREDICTIONS
                + "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['nope']\n"
                + "}");
        j.assertLogContains("evaluateModel: ", b);
        j.assertLogContains("nope", b);
        j.assertLogNotContains("DataFormatException", b);
        j.assertLogNotContains("\tat ", b);

        WorkflowRun both = run(Result.FAILURE, "node {\n" + PREDICTIONS
                + "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'], prediction: 'p'\n"
                + "}");
        j.assertLogContains("give either --score (probabilities or values) or --prediction, not both", both);
        j.assertLogNotContains("\tat ", both);

        WorkflowRun task = run(Result.FAILURE, "node {\nevaluateModel predictions: 'p.csv', task: 'ranking', label: 'y'\n}");
        j.assertLogContains("unknown task 'ranking': use binary, multiclass or regression", task);
    }

    @Test
    public void logsMetricsAndReportToTheMlflowRun() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String runId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            runId = registry.createRun(registry.getOrCreateExperiment("plugin-evaluate").experimentId(), "train", Map.of())
                    .runId();
        }
        MlStagesConfiguration.get().setRegistryUrl(server.url());
        WorkflowRun b = run(Result.SUCCESS, "node {\n" + PREDICTIONS
                + "def r = evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'],"
                + " resamples: 0, runId: '" + runId + "'\n"
                + "echo \"run=${r.runId}\"\n"
                + "}");
        j.assertLogContains("run=" + runId, b);
        j.assertLogContains("to MLflow run " + runId, b);

        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            Map<String, Double> logged = new HashMap<>();
            for (Metric metric : registry.getRun(runId).data().metrics()) {
                logged.put(metric.key(), metric.value());
            }
            assertEquals(0.888888888888889, logged.get("roc_auc"), 1e-12);
            assertEquals(0.75, logged.get("accuracy_score"), 0);
            String artifact = new String(registry.downloadArtifact(runId, "mlstages/evaluate.json"), StandardCharsets.UTF_8);
            assertTrue(artifact, artifact.contains("\"stage\" : \"evaluate\""));
        }
        MlReportAction action = b.getAction(MlReportAction.class);
        assertEquals(runId, action.getRunId());
        assertEquals(server.url() + "/#/runs/" + runId, action.getRunUrl());
    }

    @Test
    public void aModelIdOfAnotherRunFailsBeforeAnythingIsLogged() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String runId;
        String modelId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("plugin-evaluate").experimentId();
            runId = registry.createRun(experiment, "eval", Map.of()).runId();
            String otherRun = registry.createRun(experiment, "train", Map.of()).runId();
            modelId = registry.createLoggedModel(experiment, "model", otherRun, Map.of()).modelId();
        }
        MlStagesConfiguration.get().setRegistryUrl(server.url());
        WorkflowRun b = run(Result.FAILURE, "node {\n" + PREDICTIONS
                + "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'],"
                + " resamples: 0, runId: '" + runId + "', modelId: '" + modelId + "'\n"
                + "}");
        j.assertLogContains("evaluateModel: --model-id " + modelId + ": the logged model belongs to run", b);
        j.assertLogNotContains("\tat ", b);
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            assertTrue(registry.getRun(runId).data().metrics().isEmpty());
        }
    }

    @Test
    public void noRegistryUrlFailsBeforeTheEvaluation() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\n" + PREDICTIONS
                + "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'], runId: 'abc'\n"
                + "}");
        j.assertLogContains("no MLflow registry URL", b);
        j.assertLogNotContains("evaluateModel PASSED", b);
    }

    /** Predictions changed behind DVC's back: a WARNING by default (UNSTABLE), FAILED with dvcCheck: 'error'. */
    @Test
    public void predictionsChangedBehindDvcsBack() throws Exception {
        String repo = "writeFile file: '.dvc/config', text: ''\n"
                + "writeFile file: 'preds.csv.dvc', text: 'outs:\\n- md5: 0123456789abcdef0123456789abcdef\\n  hash: md5\\n"
                + "  path: preds.csv\\n'\n" + PREDICTIONS;
        String evaluate = "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'], resamples: 0";
        WorkflowRun warned = run(Result.UNSTABLE, "node {\n" + repo + evaluate + "\n}");
        j.assertLogContains("WARNING dvc.modified preds.csv: changed since preds.csv.dvc recorded it", warned);
        WorkflowRun failed = run(Result.FAILURE, "node {\n" + repo + evaluate + ", dvcCheck: 'error'\n}");
        j.assertLogContains("ERROR dvc.modified preds.csv", failed);
        WorkflowRun off = run(Result.SUCCESS, "node {\n" + repo + evaluate + ", dvcCheck: 'off'\n}");
        j.assertLogNotContains("dvc.modified", off);
    }

    @Test
    public void configRoundTrip() throws Exception {
        EvaluateModelStep step = new EvaluateModelStep("out/preds.csv", "multiclass", "label");
        step.setScore(List.of("p0", "p1", "p2"));
        step.setSlice(List.of("country"));
        step.setResamples(500);
        step.setLevel(0.9);
        step.setReport("out/eval.json");
        step.setRunId("abc123");
        step.setUnstableOn("NEVER");
        step.setDvcCheck("Off");
        EvaluateModelStep after = new StepConfigTester(j).configRoundTrip(step);
        j.assertEqualDataBoundBeans(step, after);
        assertEquals(List.of("p0", "p1", "p2"), after.getScore());
        assertEquals("off", after.getDvcCheck());
        EvaluateModelStep minimal = new EvaluateModelStep("preds.csv", "regression", "y");
        minimal.setPrediction("yhat");
        j.assertEqualDataBoundBeans(minimal, new StepConfigTester(j).configRoundTrip(minimal));
    }

    @Test
    public void argumentsToStringNamesFileAndTask() {
        EvaluateModelStep.DescriptorImpl descriptor = j.jenkins.getDescriptorByType(EvaluateModelStep.DescriptorImpl.class);
        assertEquals("preds.csv (binary)", descriptor.argumentsToString(Map.of("predictions", "preds.csv", "task", "binary")));
    }

    /** Predictions in a table are never read from the controller: a step-chosen URL opened there is request forgery. */
    @Test
    public void aTableSourceNeverRunsOnTheController() throws Exception {
        WorkflowRun b = run(Result.FAILURE, "node {\nevaluateModel table: 'scores', sparkRemote: 'sc://127.0.0.1:1',"
                + " task: 'binary', label: 'y', score: ['p']\n}");
        j.assertLogContains("evaluateModel: a table source is read from an agent, not from the built-in node", b);
        j.assertLogNotContains("\tat ", b);
    }

    /**
     * On an agent the table source is opened there: without the Spark module on that agent the step says in one line
     * what is missing, and the token from the build's environment never shows.
     */
    @Test
    public void aSparkTableOnAnAgentWithoutTheModuleIsOneLine() throws Exception {
        DumbSlave agent = j.createOnlineSlave();
        WorkflowJob p = j.createProject(WorkflowJob.class, "spark-on-agent");
        p.setDefinition(new CpsFlowDefinition("node('" + agent.getNodeName() + "') {\n"
                + "withEnv(['MLSTAGES_SPARK_TOKEN=dapi-from-the-env-77']) {\n"
                + "evaluateModel query: 'SELECT y, p FROM scores', sparkRemote: 'sc://127.0.0.1:1', task: 'binary',"
                + " label: 'y', score: ['p']\n"
                + "}\n}", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("sc:// needs the Spark Connect module", b);
        j.assertLogNotContains("dapi-from-the-env-77", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void predictionsAndATableTogetherOrATokenInTheUrlAreRefused() throws Exception {
        WorkflowRun both = run(Result.FAILURE, "node {\nevaluateModel predictions: 'preds.csv', table: 'scores',"
                + " sparkRemote: 'sc://h:15002', task: 'binary', label: 'y', score: ['p']\n}");
        j.assertLogContains("give only one of predictions, table and query", both);
        WorkflowRun neither = run(Result.FAILURE, "node {\nevaluateModel task: 'binary', label: 'y', score: ['p']\n}");
        j.assertLogContains("evaluateModel needs predictions", neither);
        WorkflowRun secret = run(Result.FAILURE, "node {\nevaluateModel query: 'SELECT 1', sparkRemote:"
                + " 'sc://h:443/;token=dapi-in-the-script-9', task: 'binary', label: 'y', score: ['p']\n}");
        j.assertLogNotContains("dapi-in-the-script-9", secret);
        // the table credential here is tableCredentialsId: credentialsId is the registry's
        j.assertLogContains("name a credential with tableCredentialsId instead", secret);
    }

    @Test
    public void tableOptionsRoundTripThroughTheSnippetGenerator() throws Exception {
        EvaluateModelStep step = new EvaluateModelStep(null, "binary", "y");
        step.setScore(List.of("p"));
        step.setSparkRemote("sc://spark.example:15002");
        step.setTable("ml.scores");
        step.setTableCredentialsId("spark-token");
        EvaluateModelStep round = new StepConfigTester(j).configRoundTrip(step);
        assertEquals("sc://spark.example:15002", round.getSparkRemote());
        assertEquals("ml.scores", round.getTable());
        assertEquals("spark-token", round.getTableCredentialsId());
        assertNull(round.getPredictions());
        assertTrue(round.readsTable());
    }
}
