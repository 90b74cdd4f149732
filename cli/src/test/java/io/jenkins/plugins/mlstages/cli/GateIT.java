package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.registry.Metric;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.NewModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;

/** {@code mlstages gate} against a champion registered in a real MLflow server, explanation lines checked. */
public class GateIT {
    private static MlflowServer server;
    private static String model;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @BeforeClass
    public static void registerChampion() {
        server = MlflowServer.shared();
        model = "gate-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build())) {
            String experiment = registry.getOrCreateExperiment("gate-it").experimentId();
            String runId = registry.createRun(experiment, "champion", Map.of()).runId();
            registry.logBatch(runId, List.of(Metric.of("roc_auc", 0.80), Metric.of("f1_score", 0.40),
                    Metric.of("log_loss", 0.30)), Map.of(), Map.of());
            registry.createRegisteredModel(model, null, Map.of());
            String version = registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model")).version();
            registry.setAlias(model, "champion", version);
        }
    }

    private Path candidate(double auc, double f1, double logLoss) throws Exception {
        Path report = folder.newFile().toPath();
        Files.writeString(report, "{\"schema\": \"ml-stages/v1\", \"stage\": \"evaluate\", \"status\": \"PASSED\", "
                + "\"metrics\": {\"roc_auc\": " + auc + ", \"f1_score\": " + f1 + ", \"log_loss\": " + logLoss + "}, "
                + "\"intervals\": {\"roc_auc\": {\"lower\": " + (auc - 0.02) + ", \"upper\": " + (auc + 0.02) + "}}}");
        return report;
    }

    /** Exit code and stdout lines. */
    private record Outcome(int exit, List<String> lines, String err) {
    }

    private Outcome gate(Path metrics, String... rulesAndOptions) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[4 + rulesAndOptions.length];
        args[0] = "gate";
        args[1] = "--metrics";
        args[2] = metrics.toString();
        args[3] = "--registry-url=" + server.url();
        System.arraycopy(rulesAndOptions, 0, args, 4, rulesAndOptions.length);
        int exit = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(exit, out.toString().lines().toList(), err.toString());
    }

    @Test
    public void aBetterCandidatePassesAgainstTheRegisteredChampion() throws Exception {
        Outcome outcome = gate(candidate(0.83, 0.395, 0.28), "--model", model,
                "--rule", "roc_auc >= champion.roc_auc", "--rule", "f1_score >= champion.f1_score - 0.01",
                "--rule", "log_loss <= champion.log_loss * 1.02", "--rule", "roc_auc.lower >= 0.8");
        assertEquals(outcome.err(), 0, outcome.exit());
        assertEquals(List.of(
                "PASS roc_auc >= champion.roc_auc: 0.8300 vs required 0.8000 (champion 0.8000), margin +0.0300",
                "PASS f1_score >= champion.f1_score - 0.01: 0.3950 vs required 0.3900 (champion 0.4000), margin +0.0050",
                "PASS log_loss <= champion.log_loss * 1.02: 0.2800 vs required 0.3060 (champion 0.3000), margin +0.0260",
                "PASS roc_auc.lower >= 0.8: 0.8100 vs required 0.8000, margin +0.0100",
                "gate PASSED: 4 rules, champion " + model + "/1"), outcome.lines());
    }

    @Test
    public void aWorseCandidateFailsWithExitOneAndSaysByHowMuch() throws Exception {
        Path report = folder.getRoot().toPath().resolve("gate.json");
        Outcome outcome = gate(candidate(0.79, 0.41, 0.29), "--model", model, "--report", report.toString(),
                "--rule", "roc_auc >= champion.roc_auc", "--rule", "warning: f1_score >= 0.5");
        assertEquals(1, outcome.exit());
        assertEquals(List.of(
                "FAIL roc_auc >= champion.roc_auc: 0.7900 vs required 0.8000 (champion 0.8000), margin -0.0100",
                "FAIL warning: f1_score >= 0.5: 0.4100 vs required 0.5000, margin -0.0900",
                "gate FAILED: 2 rules, champion " + model + "/1; report: " + report), outcome.lines());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("gate", json.path("stage").asText());
        assertEquals("FAILED", json.path("status").asText());
        assertEquals("1", json.path("champion").path("version").asText());
        assertEquals(0.8, json.path("champion").path("metrics").path("roc_auc").asDouble(), 0);
        assertEquals(-0.01, json.path("rules").get(0).path("margin").asDouble(), 1e-12);
        assertEquals("model_version", json.path("lineage").get(0).path("type").asText());
    }

    @Test
    public void withoutAChampionTheFirstModelPolicyDecides() throws Exception {
        Outcome skipped = gate(candidate(0.9, 0.5, 0.2), "--model", model, "--champion-alias", "nobody",
                "--rule", "roc_auc >= champion.roc_auc", "--rule", "roc_auc >= 0.85");
        assertEquals(skipped.err(), 0, skipped.exit());
        assertEquals("SKIP roc_auc >= champion.roc_auc: no champion yet, skipped under first-model policy absolute-only "
                + "(observed 0.9000)", skipped.lines().get(0));
        Outcome failed = gate(candidate(0.9, 0.5, 0.2), "--model", model, "--champion-alias", "nobody",
                "--first-model", "fail", "--rule", "roc_auc >= champion.roc_auc");
        assertEquals(1, failed.exit());
    }

    @Test
    public void anUnknownMetricIsExitTwoListingTheKnownOnes() throws Exception {
        Outcome outcome = gate(candidate(0.9, 0.5, 0.2), "--model", model, "--rule", "auc >= 0.8");
        assertEquals(2, outcome.exit());
        assertEquals("mlstages: unknown metric 'auc' in rule 1; known: f1_score, log_loss, roc_auc", outcome.err().strip());
    }

    @Test
    public void aReportOfAnotherSchemaIsExitTwo() throws Exception {
        Path report = folder.newFile().toPath();
        Files.writeString(report, "{\"schema\": \"ml-stages/v9\", \"metrics\": {\"roc_auc\": 0.9}}");
        Outcome outcome = gate(report, "--rule", "roc_auc >= 0.8");
        assertEquals(2, outcome.exit());
        assertTrue(outcome.err(), outcome.err().contains("not an ml-stages report of a known version (schema 'ml-stages/v9'"));
        Path truncated = folder.newFile().toPath();
        Files.writeString(truncated, "{\"schema\": \"ml-stages/v1\", \"metrics\": {\"roc_auc\": 0.");
        Outcome cut = gate(truncated, "--rule", "roc_auc >= 0.8");
        assertEquals(2, cut.exit());
        assertTrue(cut.err(), cut.err().contains("is not a readable JSON report (truncated?)"));
    }
}
