package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/** {@code validate-data --run-id}: the dataset lands on the MLflow run as an input, as MLflow's own client sees it. */
public class ValidateDataIT {
    @Test
    public void theValidatedDatasetIsLoggedAsARunInput() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String runId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("validate-data-it").experimentId();
            runId = registry.createRun(experiment, "train", Map.of()).runId();
        }
        Path root = Path.of(System.getProperty("mlstages.root", ".."));
        Path report = root.resolve("cli/target/validate-data-it.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"validate-data", "--data", root.resolve("examples/data/current.csv").toString(),
            "--schema", root.resolve("examples/schema.yaml").toString(), "--run-id", runId, "--context", "validation",
            "--report", report.toString()}, Map.of("MLFLOW_TRACKING_URI", server.url()), new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(err.toString(), 0, exit);

        JsonNode ours = new ObjectMapper().readTree(report.toFile()).path("dataset");
        JsonNode inputs = new ObjectMapper().readTree(server.runPython("run_inputs.py", Map.of(), runId));
        assertEquals(1, inputs.size());
        JsonNode input = inputs.get(0);
        assertEquals("current.csv", input.path("name").asText());
        assertEquals(ours.path("digest").asText(), input.path("digest").asText());
        assertEquals(32, input.path("digest").asText().length());
        assertEquals("local", input.path("source_type").asText());
        assertEquals(root.resolve("examples/data/current.csv").toAbsolutePath().normalize().toUri().toString(),
                input.path("source").path("uri").asText());
        assertEquals("validation", input.path("tags").path("mlflow.data.context").asText());
        assertEquals(1000, input.path("profile").path("num_rows").asInt());
        JsonNode columns = input.path("schema").path("mlflow_colspec");
        assertEquals(8, columns.size());
        assertEquals("customer_id", columns.get(0).path("name").asText());
        assertEquals("long", columns.get(0).path("type").asText());
        assertEquals("double", columns.get(2).path("type").asText());
        assertEquals("datetime", columns.get(6).path("type").asText());
    }
}
