package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.report.ExampleReports;
import io.jenkins.plugins.mlstages.report.ReportFormatsFixtures;

/** {@code mlstages report --markdown / --junit / $GITHUB_STEP_SUMMARY}: outputs, options, exit codes and one-line errors. */
public class ReportFormatsCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, List<String> args) {
        return Main.run(args.toArray(new String[0]), env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path path(String name) {
        return folder.getRoot().toPath().resolve(name);
    }

    /** {@code report} with the example pipeline's reports and the rolled-back canary, then {@code extra}. */
    private List<String> args(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("report"));
        for (String name : List.of("validate-data", "evaluate", "gate", "register", "lineage", "canary")) {
            Path file = path(name + ".json");
            if (!Files.exists(file)) {
                try (InputStream in = ExampleReports.open(name)) {
                    Files.copy(in, file);
                }
            }
            args.addAll(List.of("--in", file.toString()));
        }
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    public void markdownAndJUnitWithoutThePage() throws Exception {
        assertEquals(err.toString(), 0, run(Map.of(), args("--markdown", path("out/summary.md").toString(), "--junit",
                path("out/junit.xml").toString())));
        assertEquals("", err.toString());
        String md = Files.readString(path("out/summary.md"), StandardCharsets.UTF_8);
        assertTrue(md, md.startsWith("## ❌ ML build report\n\n**FAILED**: fraud-detector version 2: FAILED"));
        assertFalse("short by default", md.contains("### Validation checks"));
        for (String kind : List.of("roc", "precision-recall", "drift")) {
            assertTrue(kind, Files.readString(path("out/summary-" + kind + ".svg")).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assertTrue(kind, md.contains("](summary-" + kind + ".svg)"));
        }
        byte[] xml = Files.readAllBytes(path("out/junit.xml"));
        ReportFormatsFixtures.validateAgainstSurefireSchema(xml);
        assertTrue(new String(xml, StandardCharsets.UTF_8).contains("failures=\"2\""));
        assertFalse(Files.exists(path("out/report.html")));
        assertEquals("report fraud-detector version 2: FAILED (validate-data WARNING: 1 of 39 checks failed; canary FAILED: 2 of 2 checks"
                + " failed); 6 stages; markdown: " + path("out/summary.md") + "; junit: " + path("out/junit.xml"), out.toString().strip());
    }

    @Test
    public void fullDetailAndLinksToTheRegistryWithoutItsUserInfo() throws Exception {
        assertEquals(err.toString(), 0, run(Map.of("MLFLOW_TRACKING_URI", "https://bob:secret@mlflow.example/ml"),
                args("--markdown", path("summary.md").toString(), "--markdown-detail", "FULL")));
        String md = Files.readString(path("summary.md"), StandardCharsets.UTF_8);
        assertTrue(md, md.contains("### Validation checks (39, 1 failed)"));
        assertTrue(md, md.contains("](https://mlflow.example/ml/#/models/fraud-detector/versions/2)"));
        assertFalse(md, md.contains("secret"));
    }

    @Test
    public void anMlflowUiOptionOverridesTheRegistryAndMustBeHttp() throws Exception {
        assertEquals(err.toString(), 0, run(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"),
                args("--markdown", path("summary.md").toString(), "--mlflow-ui", "https://ui.example")));
        assertTrue(Files.readString(path("summary.md")).contains("](https://ui.example/#/runs/"));
        Files.delete(path("summary.md"));
        assertEquals(2, run(Map.of(), args("--markdown", path("summary.md").toString(), "--mlflow-ui", "javascript:alert(1)")));
        assertEquals("mlstages: --mlflow-ui must be an http or https URL, was 'javascript:alert(1)'", err.toString().strip());
        assertFalse(Files.exists(path("summary.md")));
    }

    @Test
    public void oneOutputIsNeeded() throws Exception {
        assertEquals(2, run(Map.of(), args("--report", path("merged.json").toString())));
        assertEquals("mlstages: give at least one of --html, --markdown, --junit", err.toString().strip());
        assertFalse(Files.exists(path("merged.json")));
    }

    @Test
    public void anUnknownDetailIsExitTwoNamingTheOption() throws Exception {
        assertEquals(2, run(Map.of(), args("--markdown", path("summary.md").toString(), "--markdown-detail", "long")));
        assertEquals("mlstages: --markdown-detail: unknown detail 'long': use short or full", err.toString().strip());
        assertFalse(Files.exists(path("summary.md")));
    }

    @Test
    public void theStepSummaryIsAppendedNeverOverwritten() throws Exception {
        Path summary = path("step_summary");
        Files.writeString(summary, "### Tests\n\nall green\n");
        Map<String, String> env = Map.of("GITHUB_STEP_SUMMARY", summary.toString());
        assertEquals(err.toString(), 0, run(env, args("--junit", path("junit.xml").toString())));
        assertTrue(out.toString(), out.toString().strip().endsWith("; junit: " + path("junit.xml") + "; appended to $GITHUB_STEP_SUMMARY"));
        assertEquals(err.toString(), 0, run(env, args("--junit", path("junit.xml").toString(), "--title", "second run")));
        String text = Files.readString(summary, StandardCharsets.UTF_8);
        assertTrue(text, text.startsWith("### Tests\n\nall green\n\n## ❌ ML build report\n"));
        assertFalse("a job summary cannot reach files: no images", text.contains("!["));
        assertTrue(text, text.contains("\n## ❌ second run\n"));
        assertEquals(2, text.split("\\*\\*FAILED\\*\\*: ", -1).length - 1);
    }

    @Test
    public void aStepSummaryThatIsADirectoryIsExitTwoAndNothingIsWritten() throws Exception {
        Path dir = Files.createDirectory(path("summary-dir"));
        assertEquals(2, run(Map.of("GITHUB_STEP_SUMMARY", dir.toString()), args("--junit", path("junit.xml").toString())));
        assertEquals("mlstages: " + dir + ": cannot append the summary ($GITHUB_STEP_SUMMARY): is a directory, not a file",
                err.toString().strip());
        assertFalse(Files.exists(path("junit.xml")));
    }

    @Test
    public void anUnwritableJUnitTargetIsExitTwoInOneLine() throws Exception {
        Files.writeString(path("file"), "x");
        assertEquals(2, run(Map.of(), args("--junit", path("file/junit.xml").toString())));
        String line = err.toString().strip();
        assertFalse(line, line.contains("\n"));
        assertTrue(line, line.startsWith("mlstages: " + path("file/junit.xml") + ": cannot write: "));
    }
}
