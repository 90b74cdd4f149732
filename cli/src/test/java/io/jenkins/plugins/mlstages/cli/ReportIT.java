package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.report.ExampleReports;

/** {@code mlstages report --run-id} against a real MLflow server: the JSON and the page become run artifacts. */
public class ReportIT {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theMergedJsonAndThePageAreUploadedToTheRun() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String runId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            runId = registry.createRun(registry.getOrCreateExperiment("report-it").experimentId(), "report", Map.of()).runId();
        }
        String[] args = {"report", "--in", copy("evaluate"), "--in", copy("gate"), "--html", folder.getRoot() + "/report.html",
            "--report", folder.getRoot() + "/report.json", "--run-id", runId};
        StringWriter err = new StringWriter();
        assertEquals(err.toString(), 0, Main.run(args, Map.of("MLFLOW_TRACKING_URI", server.url()), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true)));
        assertTrue(err.toString(), err.toString().contains("uploaded mlstages/report.json and mlstages/report.html to run " + runId));
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            assertArrayEquals(Files.readAllBytes(folder.getRoot().toPath().resolve("report.html")),
                    registry.downloadArtifact(runId, "mlstages/report.html"));
            byte[] json = registry.downloadArtifact(runId, "mlstages/report.json");
            assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(folder.getRoot().toPath().resolve("report.json").toFile()),
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        }
    }

    private String copy(String name) throws Exception {
        Path file = folder.getRoot().toPath().resolve(name + ".json");
        try (InputStream in = ExampleReports.open(name)) {
            Files.copy(in, file);
        }
        return file.toString();
    }
}
