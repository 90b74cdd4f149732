package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.Test;

import io.jenkins.plugins.mlstages.registry.LoggedModel;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/** The one way an evaluation reaches a run (CLI and Jenkins step), against a real server. */
public class EvaluationToRunIT {
    @Test
    public void numbersNaNAndTheReportReachTheRunAndAbsentValuesAreSkipped() {
        MlflowServer server = MlflowServer.shared();
        String report = "{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\",\"status\":\"PASSED\","
                + "\"metrics\":{\"roc_auc\":0.8125,\"log_loss\":\"NaN\",\"r2_score\":null}}";
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String runId = registry.createRun(registry.getOrCreateExperiment("evaluation-to-run-it").experimentId(), "eval",
                    Map.of()).runId();

            assertEquals("null is no metric", 2, EvaluationToRun.log(registry, runId, report).metrics());

            assertEquals(0.8125, registry.getMetricHistory(runId, "roc_auc").get(0).value(), 0);
            assertTrue(Double.isNaN(registry.getMetricHistory(runId, "log_loss").get(0).value()));
            assertEquals(0, registry.getMetricHistory(runId, "r2_score").size());
            assertEquals(report, new String(registry.downloadArtifact(runId, EvaluationToRun.ARTIFACT_PATH), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void theCurvesReachTheRunAsCsvTables() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String report = "{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\",\"status\":\"PASSED\","
                + "\"metrics\":{\"roc_auc\":0.75},\"curves\":{\"roc\":{\"x\":\"false_positive_rate\","
                + "\"y\":\"true_positive_rate\",\"xs\":[0,0.5,1],\"ys\":[0,1,1],\"thresholds\":[\"Infinity\",0.5,0.1]}}}";
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String runId = registry.createRun(registry.getOrCreateExperiment("evaluation-to-run-it").experimentId(), "curves",
                    Map.of()).runId();
            EvaluationToRun.log(registry, runId, report);
            assertEquals("false_positive_rate,true_positive_rate,threshold\n0,0,Infinity\n0.5,1,0.5\n1,1,0.1\n",
                    new String(registry.downloadArtifact(runId, CurveFiles.DIRECTORY + "roc.csv"), StandardCharsets.UTF_8));
        }
    }

    private static final String REPORT = "{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\",\"status\":\"PASSED\","
            + "\"metrics\":{\"roc_auc\":0.8125,\"log_loss\":\"NaN\"}}";

    /** The model's metric rows as MLflow's own client reads them: key=value@run, in its order. */
    private static List<String> modelMetrics(MlflowServer server, String modelId) throws Exception {
        List<String> rows = new ArrayList<>();
        for (JsonNode row : new ObjectMapper().readTree(server.runPython("logged_model_metrics.py", Map.of(), modelId))) {
            rows.add(row.path("key").asText() + "=" + row.path("value").asText() + "@" + row.path("run_id").asText());
        }
        rows.sort(null);
        return rows;
    }

    @Test
    public void theMetricsAlsoAttachToTheRunsOnlyLoggedModelAndARerunDoesNotRepeatThem() throws Exception {
        MlflowServer server = MlflowServer.shared();
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("evaluation-to-run-it").experimentId();
            String runId = registry.createRun(experiment, "train", Map.of()).runId();
            String modelId = registry.createLoggedModel(experiment, "model", runId, Map.of()).modelId();

            EvaluationToRun.Target target = EvaluationToRun.target(registry, runId, null);
            assertEquals(modelId, target.modelId());
            assertEquals("NaN stays on the run: MLflow would show it as 0 on the model", new EvaluationToRun.Logged(2, 1, modelId),
                    EvaluationToRun.log(registry, target, REPORT));
            assertEquals(List.of("roc_auc=0.8125@" + runId), modelMetrics(server, modelId));

            assertEquals("a rerun logs to the run only", new EvaluationToRun.Logged(2, 0, modelId),
                    EvaluationToRun.log(registry, runId, REPORT));
            assertEquals(List.of("roc_auc=0.8125@" + runId), modelMetrics(server, modelId));
            assertEquals(2, registry.getMetricHistory(runId, "roc_auc").size());
        }
    }

    @Test
    public void aModelIdGivenIsUsedAndSeveralModelsWithoutOneAttachNothing() {
        MlflowServer server = MlflowServer.shared();
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("evaluation-to-run-it").experimentId();
            String runId = registry.createRun(experiment, "train", Map.of()).runId();
            String first = registry.createLoggedModel(experiment, "model", runId, Map.of()).modelId();
            registry.createLoggedModel(experiment, "other", runId, Map.of());

            EvaluationToRun.Target unsaid = EvaluationToRun.target(registry, runId, null);
            assertNull(unsaid.modelId());
            assertEquals("run " + runId + " has 2 logged models: the metrics go to the run only (give --model-id to attach"
                    + " them to one)", unsaid.note());
            assertEquals(first, EvaluationToRun.target(registry, runId, first).modelId());
            assertEquals(1, EvaluationToRun.log(registry, EvaluationToRun.target(registry, runId, first), REPORT).onModel());
            assertEquals(List.of("roc_auc"), registry.getLoggedModelMetrics(first).stream().map(m -> m.key()).toList());
        }
    }

    @Test
    public void aModelIdThatIsMissingOrOfAnotherRunIsOneErrorBeforeAnythingIsWritten() {
        MlflowServer server = MlflowServer.shared();
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("evaluation-to-run-it").experimentId();
            String runId = registry.createRun(experiment, "eval", Map.of()).runId();
            String otherRun = registry.createRun(experiment, "train", Map.of()).runId();
            LoggedModel foreign = registry.createLoggedModel(experiment, "model", otherRun, Map.of());
            String missing = "m-" + "0".repeat(32);

            assertRefused(() -> EvaluationToRun.target(registry, runId, missing),
                    "--model-id " + missing + ": no such logged model; nothing was logged");
            assertRefused(() -> EvaluationToRun.target(registry, runId, foreign.modelId()), "--model-id "
                    + foreign.modelId() + ": the logged model belongs to run " + otherRun + ", not to run " + runId
                    + " (neither made by it nor among its inputs or outputs); nothing was logged");
            assertEquals(0, registry.getRun(runId).data().metrics().size());
            assertEquals(0, registry.getLoggedModelMetrics(foreign.modelId()).size());
        }
    }

    private static void assertRefused(Runnable call, String message) {
        try {
            call.run();
            fail("accepted: " + message);
        } catch (IllegalArgumentException expected) {
            assertEquals(message, expected.getMessage());
        }
    }
}
