package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.registry.LoggedModel;
import io.jenkins.plugins.mlstages.registry.Metric;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.StageInput;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The registry stages' reports against a real MLflow, read and merged like the others
 * ({@link StageReportRoundTripTest}): register (a new version, then the same build's version reused),
 * lineage, and the gate with a champion from the registry and as the first model (rules SKIPPED).
 */
public class StageReportRoundTripIT {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<Path> reports = new ArrayList<>();
    private Map<String, String> env;

    private int run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(String.join(" ", args) + ": " + err, true, code == 0 || code == 1);
        return code;
    }

    private Path report(String name) {
        Path file = folder.getRoot().toPath().resolve(name + ".json");
        reports.add(file);
        return file;
    }


    @Test
    public void registryStagesInEveryOutcomeAreReadAndMerged() throws Exception {
        MlflowServer server = MlflowServer.shared();
        String model = "round-trip-it-" + UUID.randomUUID().toString().substring(0, 8);
        String modelId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("round-trip-it").experimentId();
            String runId = registry.createRun(experiment, "train", Map.of()).runId();
            registry.logBatch(runId, List.of(new Metric("accuracy_score", 0.7, System.currentTimeMillis(), 0)), Map.of(), Map.of());
            LoggedModel logged = registry.createLoggedModel(experiment, "model", runId, Map.of());
            // registration refuses a model that could not be loaded: give it an MLmodel, as LineageIT does
            server.putArtifact(logged.artifactUri(), "MLmodel", "flavors: {}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            registry.finalizeLoggedModel(logged.modelId(), true);
            modelId = logged.modelId();
        }
        env = Map.of("MLFLOW_TRACKING_URI", server.url(), "BUILD_TAG", "jenkins-round-trip-1");
        Path evaluate = folder.getRoot().toPath().resolve("evaluate.json");
        Files.writeString(evaluate, "{\"schema\": \"ml-stages/v1\", \"stage\": \"evaluate\", \"status\": \"PASSED\","
                + " \"findings\": [], \"metrics\": {\"accuracy_score\": 0.8}}");

        Path firstModel = report("gate-first-model");
        run("gate", "--metrics", evaluate.toString(), "--model", model, "--rule", "accuracy_score >= champion.accuracy_score",
                "--report", firstModel.toString());
        StageInput firstModelInput = StageReportRoundTripTest.roundTrip(firstModel, "gate", Status.PASSED);
        assertEquals("SKIPPED", BuildReport.merge(List.of(firstModelInput), null)
                .summary().gate().rules().get(0).status().name());

        Path created = report("register-created");
        run("register", "--model", model, "--model-id", modelId, "--alias", "champion", "--report", created.toString());
        StageReportRoundTripTest.roundTrip(created, "register", Status.PASSED);
        Path reused = report("register-reused");
        run("register", "--model", model, "--model-id", modelId, "--alias", "champion", "--report", reused.toString());
        StageReportRoundTripTest.roundTrip(reused, "register", Status.PASSED);

        Path lineage = report("lineage");
        run("lineage", "--model", model, "--version", "1", "--report", lineage.toString());
        StageReportRoundTripTest.roundTrip(lineage, "lineage", Status.PASSED);

        Path passed = report("gate-champion");
        run("gate", "--metrics", evaluate.toString(), "--model", model, "--rule", "accuracy_score >= champion.accuracy_score",
                "--report", passed.toString());
        StageReportRoundTripTest.roundTrip(passed, "gate", Status.PASSED);
        Path failed = report("gate-champion-failed");
        run("gate", "--metrics", evaluate.toString(), "--model", model, "--rule", "accuracy_score >= champion.accuracy_score + 0.2",
                "--report", failed.toString());
        StageReportRoundTripTest.roundTrip(failed, "gate", Status.FAILED);

        List<String> args = new ArrayList<>(List.of("report", "--html", folder.getRoot().toPath().resolve("report.html").toString(),
                "--report", folder.getRoot().toPath().resolve("merged.json").toString()));
        for (Path file : reports) {
            args.addAll(List.of("--in", file.toString()));
        }
        assertEquals(0, run(args.toArray(new String[0])));
        assertEquals(Status.FAILED, new StageReportReader().read(folder.getRoot().toPath().resolve("merged.json"), "merged").status());
    }
}
