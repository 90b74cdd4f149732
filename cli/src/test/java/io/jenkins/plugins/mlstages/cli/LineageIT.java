package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.Dataset;
import io.jenkins.plugins.mlstages.registry.DatasetInput;
import io.jenkins.plugins.mlstages.registry.LoggedModel;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/** {@code mlstages lineage}: dataset → run → logged model → version → alias and build, from the registry alone. */
public class LineageIT {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theGraphIsRebuiltFromTheRegistry() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String model = "lineage-it-" + UUID.randomUUID().toString().substring(0, 8);
        String runId;
        String modelId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("lineage-it").experimentId();
            runId = registry.createRun(experiment, "train", Map.of()).runId();
            registry.logInputs(runId, List.of(DatasetInput.of(new Dataset("train.csv", "aaaabbbbccccdddd", "local",
                    "{\"uri\": \"file:///data/train.csv\"}", null, null), "training")));
            LoggedModel logged = registry.createLoggedModel(experiment, "model", runId, Map.of());
            server.putArtifact(logged.artifactUri(), "MLmodel", "flavors: {}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            registry.finalizeLoggedModel(logged.modelId(), true);
            modelId = logged.modelId();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", server.url(), "BUILD_TAG", "jenkins-x-7",
                "BUILD_URL", "https://ci/job/x/7/");
        assertEquals(err.toString(), 0, Main.run(new String[] {"register", "--model", model, "--model-id", modelId,
            "--alias", "champion"}, env, new PrintWriter(out, true), new PrintWriter(err, true)));
        Path report = folder.getRoot().toPath().resolve("lineage.json");
        StringWriter lines = new StringWriter();
        assertEquals(err.toString(), 0, Main.run(new String[] {"lineage", "--model", model, "--version", "1", "--report",
            report.toString()}, env, new PrintWriter(lines, true), new PrintWriter(err, true)));

        JsonNode graph = new ObjectMapper().readTree(report.toFile());
        List<String> edges = new java.util.ArrayList<>();
        graph.path("edges").forEach(e -> edges.add(e.path("from").asText() + " " + e.path("relation").asText() + " "
                + e.path("to").asText()));
        String version = "model_version:" + model + "/1";
        assertTrue(edges.toString(), edges.contains(version + " has alias alias:" + model + "@champion"));
        assertTrue(edges.toString(), edges.contains("build:jenkins-x-7 registered " + version));
        assertTrue(edges.toString(), edges.contains("logged_model:" + modelId + " registered as " + version));
        assertTrue(edges.toString(), edges.contains("run:" + runId + " logged logged_model:" + modelId));
        assertTrue(edges.toString(), edges.contains("dataset:aaaabbbbccccdddd training run:" + runId));
        assertEquals(5, edges.size());
        assertTrue(lines.toString(), lines.toString().contains("dataset:aaaabbbbccccdddd --training--> run:" + runId));
    }

    @Test
    public void anUnknownVersionIsExitThree() {
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"lineage", "--model", "no-such-model-" + UUID.randomUUID(), "--version", "1"},
                Map.of("MLFLOW_TRACKING_URI", MlflowServer.shared().url()), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertEquals(3, exit);
        assertTrue(err.toString(), err.toString().startsWith("mlstages: get model version no-such-model-"));
    }
}
