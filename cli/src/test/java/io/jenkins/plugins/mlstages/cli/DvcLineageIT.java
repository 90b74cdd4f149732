package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.DatasetInput;
import io.jenkins.plugins.mlstages.registry.LoggedModel;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/**
 * DVC lineage against the real {@code dvc} (tools/dvc-venv.sh): a git + DVC repository where {@code dvc add}
 * tracks a file and a directory and {@code dvc repro} runs a stage; what DVC itself reports
 * ({@code dvc ls --show-hash}, {@code dvc status}, {@code git rev-parse}) is the oracle for what
 * validate-data records in its report, the MLflow dataset input and the lineage graph.
 */
public class DvcLineageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ClassRule
    public static TemporaryFolder folder = new TemporaryFolder();

    private static Path dvc;
    private static Path python;
    private static Path repo;
    private static String commit;

    @BeforeClass
    public static void repository() throws Exception {
        Path root = Path.of(System.getProperty("mlstages.root", "..")).toAbsolutePath().normalize();
        Path venv = root.resolve("target/dvc-venv");
        run(root, 1800, "bash", root.resolve("tools/dvc-venv.sh").toString(), venv.toString());
        dvc = venv.resolve("bin/dvc");
        python = venv.resolve("bin/python");
        repo = folder.newFolder("repo").toPath();
        git("init", "-q");
        run(repo, 120, dvc.toString(), "init", "-q");
        Files.writeString(repo.resolve("raw.csv"), "id,amount\r\n1,10.5\r\n2,20.25\r\n3,7.0\r\n"); // CRLF: DVC 3 hashes bytes
        run(repo, 120, dvc.toString(), "add", "-q", "raw.csv");
        Files.createDirectories(repo.resolve("images"));
        Files.writeString(repo.resolve("images/a.csv"), "x\n1\n2\n");
        Files.writeString(repo.resolve("images/b.csv"), "x\n3\n4\n");
        run(repo, 120, dvc.toString(), "add", "-q", "images");
        Files.writeString(repo.resolve("dvc.yaml"), "stages:\n  prepare:\n    cmd: " + venv.resolve("bin/python")
                + " -c \"import os, shutil; os.makedirs('data', exist_ok=True); shutil.copy('raw.csv', 'data/prepared.csv')\"\n"
                + "    deps: [raw.csv]\n    outs: [data/prepared.csv]\n");
        run(repo, 300, dvc.toString(), "repro", "-q");
        git("add", "-A");
        git("-c", "user.name=it", "-c", "user.email=it@example.invalid", "commit", "-q", "-m", "data");
        commit = git("rev-parse", "HEAD").trim();
    }

    @Test
    public void aStageOutputShowsItsDvcDigestInTheReportTheDatasetInputAndTheLineageGraph() throws Exception {
        Path data = repo.resolve("data/prepared.csv");
        String md5 = dvcHash("data/prepared.csv");
        MlflowServer server = MlflowServer.shared();
        String model = "dvc-it-" + UUID.randomUUID().toString().substring(0, 8);
        String runId;
        String modelId;
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", server.url());
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("dvc-it").experimentId();
            runId = registry.createRun(experiment, "train", Map.of()).runId();
            Path report = repo.resolve("../validate.json");
            StringWriter err = new StringWriter();
            assertEquals(err.toString(), 0, Main.run(new String[] {"validate-data", "--data", data.toString(), "--report",
                report.toString(), "--run-id", runId}, env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
            assertTrue(err.toString(), err.toString().contains("dvc: data/prepared.csv tracked by dvc.lock (stage prepare), md5 "
                    + md5 + ", revision " + commit));

            JsonNode json = JSON.readTree(report.toFile());
            JsonNode recorded = json.path("dataset").path("dvc");
            assertEquals(md5, recorded.path("md5").asText());
            assertEquals("prepare", recorded.path("stage").asText());
            assertEquals(commit, recorded.path("revision").asText());
            assertTrue(recorded.path("matches").asBoolean());
            JsonNode node = json.path("lineage").get(0).path("attributes");
            assertEquals(md5, node.path("dvc_md5").asText());
            assertEquals(commit, node.path("dvc_revision").asText());

            List<DatasetInput> inputs = registry.getRun(runId).inputs().datasetInputs();
            assertEquals(1, inputs.size());
            assertEquals("dvc", inputs.get(0).dataset().sourceType());
            JsonNode source = JSON.readTree(inputs.get(0).dataset().source());
            assertEquals(md5, source.path("dvc_md5").asText());
            assertEquals("prepare", source.path("dvc_stage").asText());
            assertEquals(commit, source.path("dvc_revision").asText());

            LoggedModel logged = registry.createLoggedModel(experiment, "model", runId, Map.of());
            server.putArtifact(logged.artifactUri(), "MLmodel", "flavors: {}\n".getBytes(StandardCharsets.UTF_8));
            registry.finalizeLoggedModel(logged.modelId(), true);
            modelId = logged.modelId();
        }
        StringWriter err = new StringWriter();
        assertEquals(err.toString(), 0, Main.run(new String[] {"register", "--model", model, "--model-id", modelId}, env,
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        Path graph = repo.resolve("../lineage.json");
        assertEquals(err.toString(), 0, Main.run(new String[] {"lineage", "--model", model, "--version", "1", "--report",
            graph.toString()}, env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        List<JsonNode> datasets = new ArrayList<>();
        JSON.readTree(graph.toFile()).path("nodes").forEach(n -> {
            if (n.path("type").asText().equals("dataset")) {
                datasets.add(n);
            }
        });
        assertEquals(1, datasets.size());
        assertEquals(md5, datasets.get(0).path("attributes").path("dvc_md5").asText());
        assertEquals("prepare", datasets.get(0).path("attributes").path("dvc_stage").asText());
    }

    @Test
    public void aFileAddedWithCrlfLinesMatchesDvcsHashOfItsBytes() throws Exception {
        JsonNode report = validate(repo.resolve("raw.csv"), 0);
        assertEquals(dvcHash("raw.csv"), report.path("dataset").path("dvc").path("md5").asText());
        assertEquals("raw.csv.dvc", report.path("dataset").path("dvc").path("declared_in").asText());
        assertTrue(report.path("dataset").path("dvc").path("matches").asBoolean());
    }

    @Test
    public void aFileInATrackedDirectoryTakesItsDigestFromTheManifestOrIsUnknownWithoutIt() throws Exception {
        JsonNode report = validate(repo.resolve("images/b.csv"), 0);
        assertEquals(dvcHash("images/b.csv"), report.path("dataset").path("dvc").path("md5").asText());
        assertEquals("images", report.path("dataset").path("dvc").path("output").asText());

        // the same repository without the cache (e.g. a fresh clone before `dvc pull`)
        Path clone = folder.newFolder("clone").toPath();
        run(repo, 60, "cp", "-r", repo + "/.", clone.toString());
        run(clone, 60, "rm", "-rf", ".dvc/cache");
        JsonNode unknown = validate(clone.resolve("images/b.csv"), 0);
        assertFalse(unknown.path("dataset").path("dvc").has("md5"));
        assertTrue(unknown.path("dataset").path("dvc").path("note").asText().contains("not in the DVC cache"));
        unknown.path("findings").forEach(f -> assertFalse(f.toString(), f.path("check").asText().equals("dvc.modified")));
    }

    @Test
    public void aFileChangedBehindDvcsBackGivesAWarning() throws Exception {
        Path copy = folder.newFolder("changed").toPath();
        run(repo, 60, "cp", "-r", repo + "/.", copy.toString());
        Files.writeString(copy.resolve("data/prepared.csv"), "4,1.0\n", java.nio.file.StandardOpenOption.APPEND);
        String status = run(copy, 120, dvc.toString(), "status", "--json");
        assertTrue(status, status.contains("\"data/prepared.csv\": \"modified\""));

        JsonNode report = validate(copy.resolve("data/prepared.csv"), 0);
        JsonNode finding = null;
        for (JsonNode f : report.path("findings")) {
            if (f.path("check").asText().equals("dvc.modified")) {
                finding = f;
            }
        }
        assertTrue(report.toString(), finding != null);
        assertFalse(finding.path("passed").asBoolean());
        assertEquals("WARNING", finding.path("severity").asText());
        assertEquals(dvcHash("data/prepared.csv"), finding.path("expected").asText());
        assertEquals("WARNING", report.path("status").asText());
    }

    @Test
    public void aDvc2EntryMatchesTheLegacyMd5OfTheRealDvcData() throws Exception {
        // DVC 2 wrote entries without `hash: md5`, the md5 of a text file taken after CRLF -> LF per 1 MiB
        // chunk; DVC 3 still computes it for such entries (dvc_data's "md5-dos2unix"), the oracle here.
        Path legacy = folder.newFolder("legacy").toPath();
        Files.createDirectories(legacy.resolve(".dvc"));
        StringBuilder big = new StringBuilder("id,name\r\n");
        for (int i = 0; big.length() < (1 << 20) - 100; i++) {
            big.append(i).append(",row").append(i).append("\r\n");
        }
        // a row whose CRLF the 1 MiB chunk boundary splits: DVC 2 left that one unconverted
        big.append("-1,").append("x".repeat((1 << 20) - 1 - big.length() - 3)).append("\r\n");
        for (int i = 0; i < 100; i++) {
            big.append(i).append(",after").append("\r\n");
        }
        Map<String, String> files = Map.of("small.csv", "id,name\r\n1,a\r\n2,b\r\n", "big.csv", big.toString(),
                "unix.csv", "id,name\n1,a\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = legacy.resolve(file.getKey());
            Files.writeString(path, file.getValue());
            String md5 = run(legacy, 60, python.toString(), "-c",
                    "import sys; from dvc_data.hashfile.hash import file_md5; print(file_md5(sys.argv[1], name='md5-dos2unix'))",
                    path.toString()).strip();
            Files.writeString(legacy.resolve(file.getKey() + ".dvc"), "outs:\n- md5: " + md5 + "\n  path: " + file.getKey() + "\n");
            JsonNode report = validate(path, 0);
            assertEquals(file.getKey(), md5, report.path("dataset").path("dvc").path("md5").asText());
            assertTrue(file.getKey() + ": " + report.path("dataset").path("dvc"), report.path("dataset").path("dvc").path("matches").asBoolean());
        }
    }

    private static JsonNode validate(Path data, int exit) throws IOException {
        Path report = Files.createTempFile(folder.getRoot().toPath(), "validate", ".json");
        Files.delete(report);
        StringWriter err = new StringWriter();
        assertEquals(err.toString(), exit, Main.run(new String[] {"validate-data", "--data", data.toString(), "--report",
            report.toString()}, Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        return JSON.readTree(report.toFile());
    }

    /** The md5 DVC itself reports for a tracked path of the repository. */
    private static String dvcHash(String path) throws Exception {
        JsonNode listed = JSON.readTree(run(repo, 120, dvc.toString(), "ls", "--json", "--show-hash", ".", path));
        assertEquals(listed.toString(), 1, listed.size());
        return listed.get(0).path("md5").asText();
    }

    private static String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(repo, 60, command.toArray(String[]::new));
    }

    private static String run(Path dir, int seconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("DVC_NO_ANALYTICS", "1");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Path out = Files.createTempFile("dvc-it", ".log");
        try {
            Process process = builder.redirectOutput(out.toFile()).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
            String output = Files.readString(out);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
