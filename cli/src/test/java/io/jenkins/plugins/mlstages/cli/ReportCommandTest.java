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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.report.ExampleReports;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** {@code mlstages report} in-process: outputs and the exit codes 0, 2 and 3. */
public class ReportCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, List<String> args) {
        return Main.run(args.toArray(new String[0]), env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** Copies example reports into the temporary folder; returns {@code --in} arguments. */
    private List<String> inputs(String... names) throws Exception {
        List<String> args = new ArrayList<>();
        for (String name : names) {
            Path file = folder.getRoot().toPath().resolve(name + ".json");
            try (InputStream in = ExampleReports.open(name)) {
                Files.copy(in, file);
            }
            args.add("--in");
            args.add(file.toString());
        }
        return args;
    }

    private Path path(String name) {
        return folder.getRoot().toPath().resolve(name);
    }

    @Test
    public void writesThePageAndTheMergedJsonAndExitsZeroWhateverTheVerdict() throws Exception {
        List<String> args = new ArrayList<>(List.of("report"));
        args.addAll(inputs("validate-data", "evaluate", "gate", "register", "lineage", "canary"));
        args.addAll(List.of("--html", path("out/report.html").toString(), "--report", path("out/report.json").toString(),
                "--title", "Fraud model"));
        assertEquals(err.toString(), 0, run(Map.of(), args));
        JsonNode merged = new ObjectMapper().readTree(path("out/report.json").toFile());
        assertEquals("FAILED", merged.path("status").asText()); // the canary rolled back: still exit 0, report only renders
        assertEquals(6, merged.path("stages").size());
        assertEquals("Fraud model", merged.path("summary").path("title").asText());
        String page = Files.readString(path("out/report.html"), StandardCharsets.UTF_8);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<title>Fraud model</title>"));
        assertEquals("report fraud-detector version 2: FAILED (validate-data WARNING: 1 of 39 checks failed; canary FAILED: 2 of 2 checks failed);"
                + " 6 stages; html: " + path("out/report.html") + "; report: " + path("out/report.json"), out.toString().strip());
    }

    @Test
    public void anUnknownSchemaIsExitTwoInOneLineNamingTheFile() throws Exception {
        Path future = path("future.json");
        Files.writeString(future, "{\"schema\": \"ml-stages/v9\", \"stage\": \"gate\", \"status\": \"PASSED\"}");
        List<String> args = new ArrayList<>(List.of("report"));
        args.addAll(inputs("evaluate"));
        args.addAll(List.of("--in", future.toString(), "--html", path("report.html").toString()));
        assertEquals(2, run(Map.of(), args));
        assertEquals("mlstages: " + future + ": not an ml-stages report of a known version (schema \"ml-stages/v9\"; this release reads"
                + " ml-stages/v1)", err.toString().strip());
        assertFalse("nothing written", Files.exists(path("report.html")));
    }

    @Test
    public void aTruncatedReportIsExitTwoWithLineAndColumn() throws Exception {
        Path cut = path("gate.json");
        try (InputStream in = ExampleReports.open("gate")) {
            Files.write(cut, java.util.Arrays.copyOf(in.readAllBytes(), 300));
        }
        assertEquals(2, run(Map.of(), List.of("report", "--in", cut.toString(), "--html", path("report.html").toString())));
        String line = err.toString().strip();
        assertFalse(line, line.contains("\n"));
        assertTrue(line, line.matches("mlstages: \\Q" + cut + "\\E:\\d+:\\d+: not a readable JSON report \\(truncated\\?\\): .*"));
    }

    @Test
    public void aMissingFileOrOptionIsExitTwo() throws Exception {
        assertEquals(2, run(Map.of(), List.of("report", "--in", path("nope.json").toString(), "--html", path("r.html").toString())));
        assertEquals("mlstages: " + path("nope.json") + ": does not exist", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run(Map.of(), List.of("report", "--html", path("r.html").toString())));
        assertTrue(err.toString(), err.toString().startsWith("mlstages: Missing required option: '--in=REPORT.json'"));
    }

    @Test
    public void aRegistryThatRefusesTheUploadIsExitThreeAfterTheFilesAreWritten() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().code(403)
                    .body("{\"error_code\": \"PERMISSION_DENIED\", \"message\": \"no write access\"}").build());
            server.start();
            List<String> args = new ArrayList<>(List.of("report"));
            args.addAll(inputs("evaluate", "gate"));
            args.addAll(List.of("--html", path("report.html").toString(), "--run-id", "abc123"));
            assertEquals(3, run(Map.of("MLFLOW_TRACKING_URI", server.url("/").toString()), args));
            assertTrue(err.toString(), err.toString().startsWith("mlstages: "));
            assertTrue(err.toString(), err.toString().contains("403"));
            assertTrue("the page is written before the upload", Files.exists(path("report.html")));
        }
    }
}
