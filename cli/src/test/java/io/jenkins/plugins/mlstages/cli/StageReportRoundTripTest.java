package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.lineage.LineageGraph;
import io.jenkins.plugins.mlstages.registry.RegisterModelResult;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.ExampleReports;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.ReportSummary.GateRule;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageInput;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * Every value a stage writes must be readable by every reader: reports of every stage in every outcome
 * (passed, warning, failed; gate rules passed, failed, skipped, under each first-model policy; an
 * undefined metric; a canary promoted and rolled back) are produced by the in-process CLI (or, for the
 * registry stages, as the engine returns them), then read by the report reader, merged alone and all
 * together, the merge written and read back, and merged by {@code mlstages report}.
 */
public class StageReportRoundTripTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<Path> reports = new ArrayList<>();

    private int run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertTrue(String.join(" ", args) + ": " + err, code == 0 || code == 1);
        return code;
    }

    private Path file(String name, String content) throws Exception {
        Path file = folder.getRoot().toPath().resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private Path report(String name) {
        Path file = folder.getRoot().toPath().resolve(name + ".json");
        reports.add(file);
        return file;
    }

    /** Reads a written report, merges it alone, writes the merge and reads that back; returns the input. */
    static StageInput roundTrip(Path file, String stage, Status status) throws Exception {
        StageInput input = new StageReportReader().read(file, file.getFileName().toString());
        assertEquals(file.toString(), stage, input.stage());
        assertEquals(file.toString(), status, input.status());
        BuildReport merged = BuildReport.merge(List.of(input), null);
        assertEquals(file.toString(), status, merged.status());
        byte[] json = ReportWriter.mapper().writeValueAsBytes(merged);
        StageInput again = new StageReportReader().parse(new ByteArrayInputStream(json), "merged " + file.getFileName());
        assertEquals(BuildReport.STAGE, again.stage());
        assertEquals(status, again.status());
        return input;
    }

    private static String csv(int rows, boolean oneClass) {
        StringBuilder text = new StringBuilder("label,score,group\n");
        for (int i = 0; i < rows; i++) {
            int label = oneClass ? 1 : i % 2;
            double score = label == 1 ? 0.6 + (i % 7) / 20.0 : 0.1 + (i % 5) / 10.0;
            text.append(label).append(',').append(score).append(',').append(i % 3 == 0 ? "a" : "b").append('\n');
        }
        return text.toString();
    }

    @Test
    public void everyStageInEveryOutcomeIsReadAndMerged() throws Exception {
        // validate-data: passed, warning, failed
        Path data = file("data.csv", "n\n1\n2\n3\n4\n");
        Map<String, Status> expected = new LinkedHashMap<>();
        String[][] schemas = {
            {"validate-passed", "columns:\n  n: {type: integer, min: 0}\n", "PASSED"},
            {"validate-warning", "columns:\n  n: {type: integer, min: {value: 3, severity: warning}}\n", "WARNING"},
            {"validate-failed", "columns:\n  n: {type: integer, min: 3}\n", "FAILED"},
        };
        for (String[] schema : schemas) {
            run("validate-data", "--data", data.toString(), "--schema", file(schema[0] + ".yaml", schema[1]).toString(),
                    "--report", report(schema[0]).toString());
            roundTrip(reports.get(reports.size() - 1), "validate-data", Status.valueOf(schema[2]));
        }
        // evaluate: passed; WARNING with metrics undefined on one class
        Path predictions = file("predictions.csv", csv(60, false));
        Path oneClass = file("one-class.csv", csv(60, true));
        Path evaluate = report("evaluate-passed");
        run("evaluate", "--predictions", predictions.toString(), "--task", "binary", "--label", "label", "--score", "score",
                "--slice", "group", "--min-slice-size", "10", "--resamples", "20", "--report", evaluate.toString());
        roundTrip(evaluate, "evaluate", Status.PASSED);
        Path undefined = report("evaluate-undefined");
        run("evaluate", "--predictions", oneClass.toString(), "--task", "binary", "--label", "label", "--score", "score",
                "--resamples", "0", "--report", undefined.toString());
        roundTrip(undefined, "evaluate", Status.WARNING);

        // gate: every rule outcome and every first-model policy
        String[][] gates = {
            {"gate-passed", "PASSED", "absolute-only", "accuracy_score >= 0", null},
            {"gate-warning", "WARNING", "absolute-only", "warning: accuracy_score >= 2", null},
            {"gate-failed", "FAILED", "absolute-only", "accuracy_score >= 2", null},
            {"gate-skipped", "PASSED", "absolute-only", "accuracy_score >= champion.accuracy_score", null},
            {"gate-first-pass", "PASSED", "pass", "accuracy_score >= champion.accuracy_score", null},
            {"gate-first-fail", "FAILED", "fail", "accuracy_score >= champion.accuracy_score", null},
            {"gate-champion", "PASSED", "absolute-only", "accuracy_score >= champion.accuracy_score", evaluate.toString()},
            {"gate-slices", "PASSED", "absolute-only", "all slices.accuracy_score >= 0", null},
        };
        for (String[] gate : gates) {
            List<String> args = new ArrayList<>(List.of("gate", "--metrics", evaluate.toString(), "--rule", gate[3],
                    "--first-model", gate[2], "--report", report(gate[0]).toString()));
            if (gate[4] != null) {
                args.addAll(List.of("--champion-metrics", gate[4]));
            }
            run(args.toArray(new String[0]));
            roundTrip(reports.get(reports.size() - 1), "gate", Status.valueOf(gate[1]));
        }
        Path nan = report("gate-undefined");
        run("gate", "--metrics", undefined.toString(), "--rule", "warning: roc_auc >= 0.5", "--report", nan.toString());
        roundTrip(nan, "gate", Status.WARNING);

        // The merge keeps each rule's own outcome, SKIPPED included.
        StageInput skipped = new StageReportReader().read(folder.getRoot().toPath().resolve("gate-skipped.json"), "gate-skipped");
        GateRule rule = BuildReport.merge(List.of(skipped), null).summary().gate().rules().get(0);
        assertEquals("SKIPPED", rule.status().name());

        // register and lineage need a registry: their results as the engine returns them
        Path created = report("register-created");
        ReportWriter.write(created, new RegisterModelResult(Status.PASSED, List.of(new Finding("register.version", "fraud/3",
                Severity.INFO, true, "registered fraud version 3", "3", null)), Map.of(), List.of(new LineageNode("model_version",
                "fraud/3", "fraud", Map.of())), "fraud", "3", false, List.of("candidate"), "runs:/r1/model", "r1", null, "b-1"));
        roundTrip(created, "register", Status.PASSED);
        Path reused = report("register-reused");
        ReportWriter.write(reused, new RegisterModelResult(Status.PASSED, List.of(), Map.of(), List.of(), "fraud", "3", true,
                List.of(), "runs:/r1/model", "r1", null, "b-1"));
        roundTrip(reused, "register", Status.PASSED);
        Path lineage = report("lineage");
        LineageNode run = new LineageNode("run", "r1", "run r1", Map.of());
        LineageNode version = new LineageNode("model_version", "fraud/3", "fraud", Map.of("aliases", "champion"));
        ReportWriter.write(lineage, new LineageGraph.Builder().node(run).node(version).edge(run, version, "produced").build());
        roundTrip(lineage, "lineage", Status.PASSED);

        // canary: promoted and rolled back, as the canary stage wrote them (engine tests produce them too)
        for (String[] canary : new String[][] {{"canary-promoted", "PASSED"}, {"canary", "FAILED"}}) {
            Path file = report(canary[0]);
            try (InputStream in = ExampleReports.open(canary[0])) {
                Files.copy(in, file);
            }
            roundTrip(file, "canary", Status.valueOf(canary[1]));
        }

        // All of them at once, by the command as a pipeline runs it.
        List<String> args = new ArrayList<>(List.of("report"));
        for (Path file : reports) {
            args.addAll(List.of("--in", file.toString()));
        }
        Path merged = folder.getRoot().toPath().resolve("merged.json");
        args.addAll(List.of("--report", merged.toString(), "--html", folder.getRoot().toPath().resolve("report.html").toString()));
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(new String[0]), Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertEquals(err.toString(), 0, code);
        JsonNode json = ReportWriter.mapper().readTree(merged.toFile());
        assertEquals(reports.size(), json.path("stages").size());
        assertEquals("FAILED", json.path("status").asText());
        assertEquals(BuildReport.STAGE, new StageReportReader().read(merged, "merged.json").stage());
    }
}
