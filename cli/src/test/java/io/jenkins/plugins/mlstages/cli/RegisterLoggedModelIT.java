package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.LoggedModel;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/**
 * {@code mlstages register --run-id R --artifact-path model} against MLflow 3.17 with models logged by
 * MLflow's own client, each form a user meets: the version must load through the registry
 * ({@code models:/NAME@alias}, what a deployment loads), as with {@code mlflow.register_model}, and a
 * source that holds no model must be refused before anything is written.
 */
public class RegisterLoggedModelIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final MlflowServer server = MlflowServer.shared();

    private record Outcome(int exit, String out, String err) {
    }

    private Outcome mlstages(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--registry-url=" + server.url());
        int exit = Main.run(all.toArray(new String[0]), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(exit, out.toString().strip(), err.toString().strip());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Logs models with MLflow's client in one run; returns {@code {"run_id", "model_ids"}}. */
    private JsonNode logModels(String... forms) throws Exception {
        List<String> args = new ArrayList<>(List.of("register-logged-model-it"));
        args.addAll(List.of(forms));
        return JSON.readTree(server.runPython("log_models.py", Map.of(), args.toArray(new String[0])));
    }

    private JsonNode versions(String model) throws Exception {
        return JSON.readTree(server.runPython("model_versions.py", Map.of(), model));
    }

    private String predictions(String uri) {
        return server.runPython("load_model.py", Map.of(), uri).strip();
    }

    private boolean registered(String model) {
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            return registry.findRegisteredModel(model).isPresent();
        }
    }

    @Test
    public void aModelLoggedTheMlflow3WayIsRegisteredAsItsLoggedModelLoadsAndIsRegisteredOncePerBuild() throws Exception {
        JsonNode logged = logModels("name=model");
        String runId = logged.path("run_id").asText();
        String modelId = logged.path("model_ids").get(0).asText();
        String model = unique("mlflow3-way");
        Path report = folder.getRoot().toPath().resolve("register.json");
        String[] args = {"register", "--model", model, "--run-id", runId, "--artifact-path", "model", "--alias", "candidate",
            "--build-key", "jenkins-mlflow3-1", "--report", report.toString()};

        Outcome first = mlstages(args);

        assertEquals(first.err(), 0, first.exit());
        assertTrue("one line says which model was registered: " + first.err(), first.err().contains("register: run " + runId
                + " has no model at artifact path 'model'; registering its logged model models:/" + modelId));
        JsonNode v1 = versions(model).get(0);
        assertEquals("models:/" + modelId, v1.path("source").asText());
        assertEquals(runId, v1.path("run_id").asText());
        assertEquals("[0, 1]", predictions("models:/" + model + "@candidate"));
        JsonNode written = JSON.readTree(report.toFile());
        assertEquals(modelId, written.path("model_id").asText());
        List<String> nodes = new ArrayList<>();
        written.path("lineage").forEach(n -> nodes.add(n.path("type").asText() + ":" + n.path("id").asText()));
        assertTrue(nodes.toString(), nodes.containsAll(List.of("run:" + runId, "logged_model:" + modelId,
                "model_version:" + model + "/1")));

        Outcome again = mlstages(args);

        assertEquals(again.err(), 0, again.exit());
        assertEquals("register PASSED: " + model + "/1 (reused for build key jenkins-mlflow3-1), aliases candidate; report: "
                + report, again.out());
        assertEquals(1, versions(model).size());
        assertEquals("the rerun's report still names the logged model", modelId,
                JSON.readTree(report.toFile()).path("model_id").asText());

        // the registry alone gives dataset → run → logged model → version for a --run-id version too
        Path lineage = folder.getRoot().toPath().resolve("lineage.json");
        assertEquals(0, mlstages("lineage", "--model", model, "--version", "1", "--report", lineage.toString()).exit());
        List<String> edges = new ArrayList<>();
        JSON.readTree(lineage.toFile()).path("edges").forEach(e -> edges.add(e.path("from").asText() + " "
                + e.path("relation").asText() + " " + e.path("to").asText()));
        assertTrue(edges.toString(), edges.contains("logged_model:" + modelId + " registered as model_version:" + model + "/1"));
        assertTrue(edges.toString(), edges.contains("run:" + runId + " logged logged_model:" + modelId));
    }

    @Test
    public void theMlflow2KeywordAndAModelUnderTheRunsArtifactsBothLoad() throws Exception {
        // MLflow 3 treats artifact_path= as name=: a logged model again
        JsonNode keyword = logModels("artifact_path=model");
        String viaKeyword = unique("mlflow2-keyword");
        Outcome first = mlstages("register", "--model", viaKeyword, "--run-id", keyword.path("run_id").asText(),
                "--alias", "candidate");
        assertEquals(first.err(), 0, first.exit());
        assertEquals("models:/" + keyword.path("model_ids").get(0).asText(), versions(viaKeyword).get(0).path("source").asText());
        assertEquals("[0, 1]", predictions("models:/" + viaKeyword + "@candidate"));

        // what an MLflow 2 client left: the MLmodel under the run's own artifacts, no logged model
        JsonNode underRun = logModels("run_artifacts=model");
        String runId = underRun.path("run_id").asText();
        String viaRun = unique("mlflow2-run");
        Outcome second = mlstages("register", "--model", viaRun, "--run-id", runId, "--artifact-path", "model",
                "--alias", "candidate");
        assertEquals(second.err(), 0, second.exit());
        assertTrue(second.err(), second.err().contains("register: run " + runId + " holds a model at 'model' (MLflow 2 style)"));
        JsonNode version = versions(viaRun).get(0);
        assertTrue(version.toString(), version.path("source").asText().startsWith("mlflow-artifacts:/"));
        assertTrue(version.toString(), version.path("source").asText().endsWith("/" + runId + "/artifacts/model"));
        assertEquals(runId, version.path("run_id").asText());
        assertEquals("[0, 1]", predictions("models:/" + viaRun + "@candidate"));
    }

    @Test
    public void amongSeveralLoggedModelsOfOneNameTheOneAtTheLargestStepIsRegistered() throws Exception {
        JsonNode logged = logModels("name=model@3", "name=model@7", "name=model@5", "name=other@9");
        String model = unique("largest-step");
        Outcome outcome = mlstages("register", "--model", model, "--run-id", logged.path("run_id").asText());
        assertEquals(outcome.err(), 0, outcome.exit());
        String chosen = logged.path("model_ids").get(1).asText();
        assertEquals("models:/" + chosen, versions(model).get(0).path("source").asText());
        assertTrue(outcome.err(), outcome.err().contains("models:/" + chosen + " (the latest by step of 3 named 'model')"));
    }

    @Test
    public void aSourceWithoutAModelIsRefusedBeforeAnythingIsWritten() throws Exception {
        String runId;
        String emptyModelId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("register-logged-model-it").experimentId();
            runId = registry.createRun(experiment, "no-model", Map.of()).runId();
            // a logged model whose upload never happened: no MLmodel in its artifact location
            LoggedModel empty = registry.createLoggedModel(experiment, "half", runId, Map.of());
            emptyModelId = empty.modelId();
        }
        String model = unique("refused");

        Outcome noModel = mlstages("register", "--model", model, "--run-id", runId, "--artifact-path", "model");
        assertEquals(noModel.err(), 2, noModel.exit());
        assertEquals("mlstages: run " + runId + " has no model at artifact path 'model' (no MLmodel there) and no "
                + "logged model named 'model'; nothing loadable to register (give the name passed to log_model as "
                + "--artifact-path, or --model-id)", noModel.err());

        Outcome halfLogged = mlstages("register", "--model", model, "--run-id", runId, "--artifact-path", "half");
        assertEquals(halfLogged.err(), 2, halfLogged.exit());
        assertTrue(halfLogged.err(), halfLogged.err().startsWith("mlstages: logged model " + emptyModelId
                + " holds no MLmodel at "));
        assertEquals(1, halfLogged.err().lines().count());

        Outcome byId = mlstages("register", "--model", model, "--model-id", emptyModelId);
        assertEquals(byId.err(), 2, byId.exit());
        Outcome unknown = mlstages("register", "--model", model, "--model-id", "m-" + "0".repeat(32));
        assertEquals(unknown.err(), 2, unknown.exit());
        assertEquals("mlstages: --model-id m-" + "0".repeat(32) + ": no such logged model", unknown.err());

        assertFalse("no registered model left behind", registered(model));
    }

    @Test
    public void aStoreTheServerDoesNotProxyIsSaidToBeUnchecked() throws Exception {
        JsonNode logged = JSON.readTree(server.runPython("log_models.py",
                Map.of("ARTIFACT_LOCATION", folder.newFolder("elsewhere").toURI().toString()),
                unique("register-unproxied"), "none"));
        String runId = logged.path("run_id").asText();
        String model = unique("unchecked");
        Outcome outcome = mlstages("register", "--model", model, "--run-id", runId);
        assertEquals(outcome.err(), 0, outcome.exit());
        assertTrue(outcome.err(), outcome.err().contains("register: cannot check that run " + runId
                + " holds a model at 'model': its artifacts live at file:"));
        assertTrue(outcome.err(), outcome.err().contains("which the tracking server does not proxy; registering it unchecked"));
    }
}
