package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.Test;

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

            assertEquals("null is no metric", 2, EvaluationToRun.log(registry, runId, report));

            assertEquals(0.8125, registry.getMetricHistory(runId, "roc_auc").get(0).value(), 0);
            assertTrue(Double.isNaN(registry.getMetricHistory(runId, "log_loss").get(0).value()));
            assertEquals(0, registry.getMetricHistory(runId, "r2_score").size());
            assertEquals(report, new String(registry.downloadArtifact(runId, EvaluationToRun.ARTIFACT_PATH), StandardCharsets.UTF_8));
        }
    }
}
