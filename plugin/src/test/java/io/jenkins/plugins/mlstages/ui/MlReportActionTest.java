package io.jenkins.plugins.mlstages.ui;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Result;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** The ML report of a build: build page summary, full page, /api/json, and the job's trend. */
public class MlReportActionTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private static final String PREDICTIONS = "writeFile file: 'preds.csv', text: 'y,p\\n0,0.1\\n0,0.4\\n1,0.35\\n1,0.8\\n"
            + "0,0.2\\n1,0.9\\n0,0.65\\n1,0.7\\n1,0.55\\n0,0.3\\n1,0.45\\n0,0.05\\n'\n";

    /** validateData, evaluateModel and modelGate against a champion report, no registry. */
    private static final String PIPELINE = "node {\n"
            + "writeFile file: 'data.csv', text: 'id,age\\n1,30\\n2,45\\n'\n"
            + "validateData data: 'data.csv'\n"
            + PREDICTIONS
            + "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'], resamples: 0,"
            + " report: 'eval.json'\n"
            + "writeFile file: 'champion.json', text: '{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\","
            + "\"status\":\"PASSED\",\"metrics\":{\"roc_auc\":0.85,\"accuracy_score\":0.7}}'\n"
            + "modelGate metrics: 'eval.json', championMetrics: 'champion.json', rule: ['roc_auc >= champion.roc_auc']\n"
            + "}";

    /** evaluateModel alone: the summary compares with the previous build. */
    private static final String EVALUATE_ONLY = "node {\n" + PREDICTIONS
            + "evaluateModel predictions: 'preds.csv', task: 'binary', label: 'y', score: ['p'], resamples: 0\n"
            + "}";

    private WorkflowRun build(WorkflowJob p) throws Exception {
        return j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
    }

    @Test
    public void oneReportPerBuildWithEveryStage() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "ml");
        p.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun b = build(p);

        List<MlReportAction> actions = b.getActions(MlReportAction.class);
        assertEquals(1, actions.size());
        MlReportAction action = actions.get(0);
        assertEquals("PASSED", action.getVerdict());
        assertEquals(List.of("validate-data", "evaluate", "gate"),
                action.getStages().stream().map(StageSummary::getStage).toList());
        assertEquals(0.85, action.getChampionMetrics().get("roc_auc"), 0);
        for (String file : List.of("01-validate-data.json", "02-evaluate.json", "03-gate.json")) {
            assertTrue(file, new File(b.getRootDir(), "ml-stages/" + file).isFile());
        }
        // build.xml keeps the summary, not the reports: no curves, no findings
        String buildXml = Files.readString(new File(b.getRootDir(), "build.xml").toPath(), StandardCharsets.UTF_8);
        assertTrue(buildXml.contains("MlReportAction"));
        assertFalse(buildXml.contains("precision_recall"));
        assertFalse(buildXml.contains("findings"));

        // the deltas against the champion, for the summary
        KeyMetric auc = action.getKeyMetrics().get(0);
        assertEquals("roc_auc", auc.getName());
        assertEquals("0.8889", auc.getValueText());
        assertEquals("+0.0389 vs champion", auc.getDeltaText());

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setJavaScriptEnabled(false);
            String page = wc.getPage(b).getWebResponse().getContentAsString();
            assertTrue(page, page.contains("ML report"));
            assertTrue(page.contains("evaluateModel PASSED: preds.csv, 12 rows, roc_auc 0.8889"));
            assertTrue(page.contains("+0.0389 vs champion"));

            HtmlPage report = wc.getPage(b, "ml-stages/");
            DomElement holder = report.querySelector("div.ml-stages-report");
            assertNotNull(holder);
            JsonNode merged = new ObjectMapper().readTree(holder.getAttribute("data-report"));
            assertEquals("PASSED", merged.path("status").asText());
            assertEquals(3, merged.path("stages").size());
            assertEquals(0.888888888888889, merged.path("stages").get(1).path("metrics").path("roc_auc").asDouble(), 1e-12);
        }

        JSONObject run = j.getJSON(b.getUrl() + "api/json").getJSONObject();
        JSONObject exported = exportedAction(run);
        assertEquals("PASSED", exported.getString("verdict"));
        assertEquals(0.75, exported.getJSONObject("metrics").getDouble("accuracy_score"), 0);
        JSONArray stages = exported.getJSONArray("stages");
        assertEquals(3, stages.size());
        assertEquals("gate", stages.getJSONObject(2).getString("stage"));
        assertEquals(0.85, stages.getJSONObject(2).getJSONObject("championMetrics").getDouble("roc_auc"), 0);

        JSONObject own = j.getJSON(b.getUrl() + "ml-stages/api/json").getJSONObject();
        assertEquals("PASSED", own.getString("verdict"));
    }

    /** NaN and infinite metrics, as reports spell them, are kept, and /api/json stays JSON (as strings there). */
    @Test
    public void nonFiniteMetricsAreKeptAndExportedAsStrings() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "non-finite");
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "writeFile file: 'eval.json', text: '{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\","
                + "\"status\":\"PASSED\",\"metrics\":{\"roc_auc\":0.9,\"log_loss\":\"Infinity\"}}'\n"
                + "writeFile file: 'champion.json', text: '{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\","
                + "\"status\":\"PASSED\",\"metrics\":{\"roc_auc\":0.85,\"f1_score\":\"NaN\"}}'\n"
                + "modelGate metrics: 'eval.json', championMetrics: 'champion.json', rule: ['roc_auc >= champion.roc_auc']\n"
                + "}", true));
        WorkflowRun b = build(p);
        MlReportAction action = b.getAction(MlReportAction.class);
        assertNotNull(action);
        assertTrue(Double.isNaN(action.getChampionMetrics().get("f1_score")));
        assertEquals(Double.POSITIVE_INFINITY, action.getMetrics().get("log_loss"), 0);

        JSONObject run = j.getJSON(b.getUrl() + "api/json?depth=1").getJSONObject();
        JSONObject exported = exportedAction(run);
        assertEquals("Infinity", exported.getJSONObject("metrics").getString("log_loss"));
        assertEquals(0.9, exported.getJSONObject("metrics").getDouble("roc_auc"), 0);
        assertEquals("NaN", exported.getJSONObject("championMetrics").getString("f1_score"));
        JSONObject gate = exported.getJSONArray("stages").getJSONObject(0);
        assertEquals("NaN", gate.getJSONObject("championMetrics").getString("f1_score"));
    }

    /** The MlReportAction in a build's /api/json. */
    private static JSONObject exportedAction(JSONObject run) {
        JSONObject exported = null;
        for (Object candidate : run.getJSONArray("actions")) {
            if (candidate instanceof JSONObject object
                    && MlReportAction.class.getName().equals(object.optString("_class"))) {
                exported = object;
            }
        }
        assertNotNull(run.toString(), exported);
        return exported;
    }

    @Test
    public void theJobShowsTheTrendOfTheChosenMetrics() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "trend");
        p.setDefinition(new CpsFlowDefinition(EVALUATE_ONLY, true));
        WorkflowRun first = build(p);
        WorkflowRun second = build(p);

        MlTrendAction trend = p.getAction(MlTrendAction.class);
        assertNotNull("contributed by the last successful build's report", trend);
        assertTrue(trend.isTrendVisible());
        JsonNode model = new ObjectMapper().readTree(trend.getBuildTrendModel());
        assertEquals(List.of(1, 2), List.of(model.path("buildNumbers").get(0).asInt(), model.path("buildNumbers").get(1).asInt()));
        JsonNode series = model.path("series");
        assertEquals("roc_auc", series.get(0).path("name").asText());
        assertEquals(0.888888888888889, series.get(0).path("data").get(1).asDouble(), 1e-12);
        // each chosen metric the builds have, in the configured order
        assertEquals("f1_score", series.get(1).path("name").asText());
        assertEquals("accuracy_score", series.get(2).path("name").asText());
        assertEquals(3, series.size());

        // without a champion, the summary compares with the previous build's metrics
        assertEquals("", first.getAction(MlReportAction.class).getKeyMetrics().get(0).getDeltaText());
        assertEquals("+0.0000 vs #1", second.getAction(MlReportAction.class).getKeyMetrics().get(0).getDeltaText());

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setJavaScriptEnabled(false);
            String page = wc.getPage(p).getWebResponse().getContentAsString();
            assertTrue(page.contains("ML metrics"));
        }
    }

    /** The report page of a build whose stage files are gone: a message and the stage lines, not HTTP 500. */
    @Test
    public void theReportPageSaysWhyWhenNoStageReportCanBeRead() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "deleted");
        p.setDefinition(new CpsFlowDefinition(EVALUATE_ONLY, true));
        WorkflowRun b = build(p);
        File[] files = new File(b.getRootDir(), "ml-stages").listFiles();
        assertNotNull(files);
        for (File file : files) {
            Files.delete(file.toPath());
        }
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setJavaScriptEnabled(false);
            HtmlPage page = wc.getPage(b, "ml-stages/");
            assertEquals(200, page.getWebResponse().getStatusCode());
            assertNull(page.querySelector("div.ml-stages-report"));
            DomElement message = page.querySelector("p.ml-stages-no-report");
            assertNotNull(page.asXml(), message);
            assertTrue(message.getTextContent(), message.getTextContent().contains("no stage reports in this build"));
            DomElement stage = page.querySelector("li.ml-stages-stage");
            assertNotNull(stage);
            assertTrue(stage.getTextContent(), stage.getTextContent().contains("evaluateModel PASSED: preds.csv"));
        }
    }

    /**
     * The job's ml-stages/ URL (the trend action's) opens the newest build that has an ML report, even a
     * failed one, not the last successful build that contributes the action.
     */
    @Test
    public void theJobsMlStagesUrlOpensTheNewestBuildsReport() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "newest");
        p.setDefinition(new CpsFlowDefinition(EVALUATE_ONLY, true));
        build(p);
        p.setDefinition(new CpsFlowDefinition(EVALUATE_ONLY.replaceFirst("}$", "error 'after the stage'\n}"), true));
        WorkflowRun withReport = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        assertNotNull(withReport.getAction(MlReportAction.class));
        p.setDefinition(new CpsFlowDefinition("error 'before any stage'", true));
        WorkflowRun without = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        assertNull(without.getAction(MlReportAction.class));

        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setJavaScriptEnabled(false);
            HtmlPage page = wc.getPage(p, "ml-stages/");
            assertEquals(200, page.getWebResponse().getStatusCode());
            assertEquals(j.getURL() + withReport.getUrl() + "ml-stages/", page.getUrl().toString());
            assertNotNull(page.querySelector("div.ml-stages-report"));
        }
    }
}
