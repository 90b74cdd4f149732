package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.ModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/**
 * examples/ci-pipeline.sh run as the CI files run it: the very command of examples/github-actions.yml
 * (which examples/gitlab-ci.yml shares), with GitHub's variables and no registry of its own; then with
 * a registry and a gate the candidate fails.
 */
public class CiPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theWorkflowsCommandRunsThePipelineWithAnMlflowOfItsOwn() throws Exception {
        Path out = CiExamples.ROOT.resolve("target/ci");
        Path summary = folder.newFile("step-summary.md").toPath();
        String command = CiExamples.githubRun("ML pipeline").strip();
        Result result = run(command, Map.of("GITHUB_RUN_ID", "4242", "GITHUB_RUN_ATTEMPT", "2",
                "GITHUB_REPOSITORY", "acme/fraud", "GITHUB_SERVER_URL", "https://github.example",
                "GITHUB_STEP_SUMMARY", summary.toString()));

        assertEquals(result.log, 0, result.exit);
        for (String file : new String[] {"validate-data.json", "evaluate.json", "gate.json", "register.json", "report.html"}) {
            assertTrue(file + "\n" + result.log, Files.isRegularFile(out.resolve(file)));
        }
        JsonNode register = JSON.readTree(out.resolve("register.json").toFile());
        assertEquals("github-acme/fraud-4242-2", register.path("build_key").asText());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals("WARNING", report.path("status").asText()); // the example's drifted income column
        boolean markdown = reportHelp().contains("--markdown");
        assertEquals(result.log, markdown, Files.isRegularFile(out.resolve("summary.md")));
        assertEquals(result.log, markdown, Files.size(summary) > 0);
        assertEquals(result.log, reportHelp().contains("--junit"), Files.isRegularFile(out.resolve("junit.xml")));
        if (markdown) {
            // the pull-request comment: the summary without its pictures, by the workflow's own command
            Result comment = run(CiExamples.githubRun("Pull-request comment text").strip(), Map.of());
            assertEquals(comment.log, 0, comment.exit);
            String text = Files.readString(out.resolve("comment.md"));
            String summaryText = Files.readString(out.resolve("summary.md"));
            assertTrue(summaryText, summaryText.contains(".svg)"));
            assertFalse(text, text.contains(".svg"));
            assertEquals(summaryText.lines().filter(l -> !l.endsWith(".svg)")).toList(), text.lines().toList());
        }
        // the job's MLflow server is stopped with the job
        String marker = out.resolve("mlflow").toString();
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(marker)));
    }

    @Test
    public void aFailedGateFailsTheJobAfterTheReportAndRegistersNothing() throws Exception {
        MlflowServer server = MlflowServer.shared();
        Path out = folder.newFolder("ci").toPath();
        String model = "ci-it-" + UUID.randomUUID().toString().substring(0, 8);
        Result result = run("bash examples/ci-pipeline.sh " + out, Map.of("MLFLOW_TRACKING_URI", server.url(),
                "MLSTAGES_MODEL", model, "MLSTAGES_MIN_ROC_AUC", "0.99"));

        assertEquals(result.log, 1, result.exit);
        assertEquals("FAILED", JSON.readTree(out.resolve("gate.json").toFile()).path("status").asText());
        assertFalse(Files.exists(out.resolve("register.json")));
        assertEquals("FAILED", JSON.readTree(out.resolve("report.json").toFile()).path("status").asText());
        assertTrue(result.log, result.log.contains("== not registered: a stage above FAILED (exit 1)"));
        assertFalse(Files.exists(out.resolve("mlflow")));
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            // only the champion the example registers first
            ModelVersion champion = registry.getModelVersion(model, "1");
            assertEquals(model, champion.name());
            assertEquals(1, registry.searchModelVersions("name='" + model + "'", 100, null).items().size());
        }
    }

    private record Result(int exit, String log) {
    }

    private Result run(String command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(CiExamples.ROOT.toFile())
                .redirectErrorStream(true);
        // only what the test gives reaches the script, whatever CI this build itself runs on
        builder.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("GITHUB_")
                || k.startsWith("CI_") || k.startsWith("MLSTAGES_") || k.equals("BUILD_TAG") || k.equals("BUILD_URL"));
        builder.environment().putAll(env);
        Path log = folder.newFile().toPath();
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish in 15 minutes:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    private static String reportHelp() {
        StringWriter out = new StringWriter();
        Main.run(new String[] {"report", "--help"}, Map.of(), new PrintWriter(out, true), new PrintWriter(out, true));
        return out.toString();
    }
}
