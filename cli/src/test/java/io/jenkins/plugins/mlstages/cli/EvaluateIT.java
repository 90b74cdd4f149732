package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/** {@code evaluate --run-id}: the metrics and the report reach the MLflow run, as MLflow's own client reads them. */
public class EvaluateIT {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void metricsAndReportLandOnTheRun() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String runId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            runId = registry.createRun(registry.getOrCreateExperiment("evaluate-it").experimentId(), "eval", Map.of()).runId();
        }
        StringBuilder csv = new StringBuilder("label,score\n");
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            int label = random.nextInt(2);
            csv.append(label).append(',').append(Math.round((label * 0.3 + random.nextDouble() * 0.7) * 100) / 100.0).append('\n');
        }
        Path predictions = folder.newFile("p.csv").toPath();
        Files.writeString(predictions, csv);
        Path report = folder.getRoot().toPath().resolve("evaluate.json");
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"evaluate", "--predictions", predictions.toString(), "--task", "binary",
            "--label", "label", "--score", "score", "--run-id", runId, "--report", report.toString()},
                Map.of("MLFLOW_TRACKING_URI", server.url()), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(err.toString(), 0, exit);

        ObjectMapper mapper = new ObjectMapper();
        JsonNode ours = mapper.readTree(report.toFile());
        JsonNode theirs = mapper.readTree(server.runPython("run_metrics.py", Map.of(), runId, "mlstages/evaluate.json"));
        Iterator<Map.Entry<String, JsonNode>> metrics = ours.path("metrics").fields();
        int count = 0;
        while (metrics.hasNext()) {
            Map.Entry<String, JsonNode> metric = metrics.next();
            assertEquals(metric.getKey(), metric.getValue().asDouble(), theirs.path("metrics").path(metric.getKey()).asDouble(), 0);
            count++;
        }
        assertEquals(count, theirs.path("metrics").size());
        JsonNode artifact = mapper.readTree(theirs.path("artifact").asText());
        assertEquals(ours.path("metrics"), artifact.path("metrics"));
        assertEquals("evaluate", artifact.path("stage").asText());
    }

    @Test
    public void aBadModelIdIsOneLineAndExitTwoBeforeAnythingIsWritten() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String runId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            runId = registry.createRun(registry.getOrCreateExperiment("evaluate-it").experimentId(), "eval", Map.of()).runId();
        }
        Path predictions = folder.newFile("bad-model-id.csv").toPath();
        Files.writeString(predictions, "label,score\n0,0.1\n1,0.9\n0,0.4\n1,0.6\n");
        Path report = folder.getRoot().toPath().resolve("never.json");
        StringWriter err = new StringWriter();
        String missing = "m-" + "f".repeat(32);
        int exit = Main.run(new String[] {"evaluate", "--predictions", predictions.toString(), "--task", "binary",
            "--label", "label", "--score", "score", "--run-id", runId, "--model-id", missing, "--report", report.toString()},
                Map.of("MLFLOW_TRACKING_URI", server.url()), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(err.toString(), 2, exit);
        assertEquals("mlstages: --model-id " + missing + ": no such logged model; nothing was logged", err.toString().strip());
        assertEquals("no report written", false, Files.exists(report));
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            assertEquals(0, registry.getRun(runId).data().metrics().size());
        }
    }
}
