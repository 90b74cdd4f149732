package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/** {@code mlstages register} against a real server: once per build key, tags and aliases as MLflow's client sees them. */
public class RegisterIT {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** Enough of an MLmodel file for the registration's check (the runs these tests make hold no real model). */
    private static final byte[] MLMODEL = "flavors: {}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final MlflowServer server = MlflowServer.shared();

    private record Outcome(int exit, String out, String err) {
    }

    private Outcome mlstages(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--registry-url=" + server.url());
        int exit = Main.run(all.toArray(new String[0]), env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(exit, out.toString().strip(), err.toString().strip());
    }

    private Path report(String stage, String status, String digest) throws Exception {
        Path file = folder.newFile().toPath();
        Files.writeString(file, "{\"schema\": \"ml-stages/v1\", \"stage\": \"" + stage + "\", \"status\": \"" + status
                + "\", \"metrics\": {}, \"lineage\": [" + (digest == null ? ""
                        : "{\"type\": \"dataset\", \"id\": \"" + digest + "\", \"name\": \"train.csv\"}") + "]}");
        return file;
    }

    @Test
    public void theSameBuildRegistersOneVersionWithItsLineage() throws Exception {
        String model = "register-it-" + UUID.randomUUID().toString().substring(0, 8);
        String runId;
        String runArtifacts;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            runId = registry.createRun(registry.getOrCreateExperiment("register-it").experimentId(), "train", Map.of()).runId();
            registry.uploadArtifact(runId, "model/MLmodel", MLMODEL);
            runArtifacts = registry.getRun(runId).info().artifactUri();
        }
        Path validation = report("validate-data", "WARNING", "3f2a9c1d0b7e");
        Path gate = report("gate", "PASSED", null);
        Map<String, String> jenkins = Map.of("BUILD_TAG", "jenkins-fraud-42", "GIT_COMMIT", "abc123",
                "BUILD_URL", "https://ci.example.com/job/fraud/42/");
        String[] args = {"register", "--model", model, "--run-id", runId, "--alias", "candidate", "--tag", "team=fraud",
            "--from-report", validation.toString(), "--from-report", gate.toString(), "--description", "nightly"};
        Outcome first = mlstages(jenkins, args);
        assertEquals(first.err(), 0, first.exit());
        assertEquals("register PASSED: " + model + "/1 (new), aliases candidate", first.out());
        Outcome again = mlstages(jenkins, args);
        assertEquals(again.err(), 0, again.exit());
        assertEquals("register PASSED: " + model + "/1 (reused for build key jenkins-fraud-42), aliases candidate", again.out());
        Outcome nextBuild = mlstages(Map.of("BUILD_TAG", "jenkins-fraud-43"), "register", "--model", model, "--run-id", runId);
        assertEquals("register PASSED: " + model + "/2 (new)", nextBuild.out());

        JsonNode versions = new ObjectMapper().readTree(server.runPython("model_versions.py", Map.of(), model));
        assertEquals(2, versions.size());
        JsonNode v1 = versions.get(0);
        assertEquals("MLflow's own choice for a model under the run's artifact path", runArtifacts + "/model",
                v1.path("source").asText());
        assertEquals(runId, v1.path("run_id").asText());
        assertEquals("READY", v1.path("status").asText());
        assertEquals("nightly", v1.path("description").asText());
        assertEquals("candidate", v1.path("aliases").get(0).asText());
        JsonNode tags = v1.path("tags");
        assertEquals("jenkins-fraud-42", tags.path("mlstages.build_key").asText());
        assertEquals("abc123", tags.path("mlstages.git_commit").asText());
        assertEquals("https://ci.example.com/job/fraud/42/", tags.path("mlstages.build_url").asText());
        assertEquals("train.csv@3f2a9c1d0b7e", tags.path("mlstages.dataset_digests").asText());
        assertEquals("WARNING", tags.path("mlstages.validation_status").asText());
        assertEquals("PASSED", tags.path("mlstages.gate_verdict").asText());
        assertEquals("fraud", tags.path("team").asText());
        assertEquals("jenkins-fraud-43", versions.get(1).path("tags").path("mlstages.build_key").asText());
    }

    @Test
    public void aVersionIsPromotedIntoAnotherModel() throws Exception {
        String dev = "promote-dev-" + UUID.randomUUID().toString().substring(0, 8);
        String prod = dev.replace("dev", "prod");
        String runId;
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            runId = registry.createRun(registry.getOrCreateExperiment("register-it").experimentId(), "train", Map.of()).runId();
            registry.uploadArtifact(runId, "model/MLmodel", MLMODEL);
        }
        assertEquals(0, mlstages(Map.of(), "register", "--model", dev, "--run-id", runId).exit());
        Outcome promoted = mlstages(Map.of(), "register", "--model", prod, "--copy-from", dev + "/1", "--alias", "champion");
        assertEquals(promoted.err(), 0, promoted.exit());
        JsonNode versions = new ObjectMapper().readTree(server.runPython("model_versions.py", Map.of(), prod));
        assertEquals("models:/" + dev + "/1", versions.get(0).path("source").asText());
        assertEquals(runId, versions.get(0).path("run_id").asText());
        assertEquals(dev + "/1", versions.get(0).path("tags").path("mlstages.copied_from").asText());
        assertEquals("champion", versions.get(0).path("aliases").get(0).asText());
    }

    @Test
    public void reservedAliasesAndBadSourcesAreRefusedBeforeAnythingIsWritten() {
        Outcome latest = mlstages(Map.of(), "register", "--model", "never-created", "--run-id", "r1", "--alias", "latest");
        assertEquals(2, latest.exit());
        assertTrue(latest.err(), latest.err().contains("alias 'latest' is reserved by MLflow"));
        Outcome version = mlstages(Map.of(), "register", "--model", "never-created", "--run-id", "r1", "--alias", "v2");
        assertEquals(2, version.exit());
        Outcome two = mlstages(Map.of(), "register", "--model", "never-created", "--run-id", "r1", "--source", "models:/x/1");
        assertEquals(2, two.exit());
        assertEquals("mlstages: give exactly one source: --run-id [--artifact-path], --model-id, --source or --copy-from (got 2)",
                two.err());
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            assertTrue(registry.findRegisteredModel("never-created").isEmpty());
        }
    }
}
