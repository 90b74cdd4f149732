package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code mlstages validate-data}: verdicts, exit codes, reports written whole or not at all. */
public class ValidateDataCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path file(String name, String content) throws Exception {
        Path path = folder.getRoot().toPath().resolve(name);
        Files.writeString(path, content);
        return path;
    }

    @Test
    public void aPassingDatasetExitsZeroAndWritesTheReport() throws Exception {
        Path data = file("d.csv", "id,age\n1,30\n2,40\n3,50\n");
        Path schema = file("s.yaml", "columns:\n  id: {type: integer, unique: true}\n  age: {type: integer, min: 0}\n");
        Path report = folder.getRoot().toPath().resolve("out/report.json");
        assertEquals(err.toString(), 0, run("validate-data", "--data", data.toString(), "--schema", schema.toString(),
                "--report", report.toString()));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("ml-stages/v1", json.path("schema").asText());
        assertEquals("validate-data", json.path("stage").asText());
        assertEquals("PASSED", json.path("status").asText());
        assertEquals(3, json.path("metrics").path("rows").asInt());
        assertEquals("dataset", json.path("lineage").get(0).path("type").asText());
        assertTrue(out.toString(), out.toString().contains("validate-data PASSED: 3 rows, 2 columns"));
    }

    @Test
    public void anErrorRuleFailsWithExitOneAndNamesTheRows() throws Exception {
        Path data = file("d.csv", "id,age\n1,30\n2,-4\n3,50\n");
        Path schema = file("s.yaml", "columns:\n  age: {type: integer, min: 0}\n");
        assertEquals(1, run("validate-data", "--data", data.toString(), "--schema", schema.toString()));
        assertTrue(out.toString(), out.toString().contains("ERROR column.min age: 1 of 3 values are below 0 (row 2: '-4')"));
        assertTrue(out.toString(), out.toString().contains("validate-data FAILED"));
    }

    @Test
    public void aWarningRuleExitsZero() throws Exception {
        Path data = file("d.csv", "id,age\n1,30\n2,-4\n");
        Path schema = file("s.yaml", "columns:\n  age: {type: integer, min: {value: 0, severity: warning}}\n");
        assertEquals(0, run("validate-data", "--data", data.toString(), "--schema", schema.toString()));
        assertTrue(out.toString(), out.toString().contains("validate-data WARNING"));
    }

    @Test
    public void malformedDataIsExitTwoInOneLineAndNoReport() throws Exception {
        Path data = file("d.csv", "id,age\n1,30\n2\n");
        Path report = folder.getRoot().toPath().resolve("report.json");
        assertEquals(2, run("validate-data", "--data", data.toString(), "--report", report.toString()));
        assertEquals("mlstages: " + data + ":3: has 1 field, the header has 2", err.toString().strip());
        assertFalse(Files.exists(report));
    }

    @Test
    public void aBadSchemaIsExitTwoNamingTheKey() throws Exception {
        Path data = file("d.csv", "id\n1\n");
        Path schema = file("s.yaml", "columns:\n  id: {type: integer, mni: 0}\n");
        assertEquals(2, run("validate-data", "--data", data.toString(), "--schema", schema.toString()));
        String line = err.toString().strip();
        assertTrue(line, line.startsWith("mlstages: " + schema + ": columns.id.mni: unknown key (known: type, nullable,"));
        assertFalse(line, line.contains("\n"));
    }

    @Test
    public void aMissingFileAndABadOptionAreExitTwo() throws Exception {
        assertEquals(2, run("validate-data", "--data", folder.getRoot().toPath().resolve("nope.csv").toString()));
        assertTrue(err.toString(), err.toString().contains("nope.csv: does not exist"));
        assertEquals(2, run("validate-data", "--data", "x.csv", "--delimiter", ";;"));
        assertTrue(err.toString(), err.toString().contains("--delimiter must be a single character, was ';;'"));
        assertEquals(2, run("validate-data"));
        assertTrue(err.toString(), err.toString().contains("give --data PATH, or --table NAME or --query SQL"));
    }

    @Test
    public void inferSchemaWritesASchemaThatTheSameDataPasses() throws Exception {
        Path data = file("d.csv", "id,region,score\n1,EU,0.5\n2,US,0.7\n3,EU,\n4,EU,0.1\n");
        Path schema = folder.getRoot().toPath().resolve("inferred.yaml");
        assertEquals(err.toString(), 0, run("validate-data", "--data", data.toString(), "--infer-schema", schema.toString()));
        String yaml = Files.readString(schema);
        assertTrue(yaml, yaml.contains("region:\n    type: category"));
        assertTrue(yaml, yaml.contains("max_null_fraction: 0.5"));
        assertEquals(err.toString(), 0, run("validate-data", "--data", data.toString(), "--schema", schema.toString()));
        assertTrue(out.toString(), out.toString().contains("validate-data PASSED"));
    }

    @Test
    public void aSavedProfileServesAsTheReference() throws Exception {
        StringBuilder ref = new StringBuilder("x\n");
        StringBuilder cur = new StringBuilder("x\n");
        for (int i = 0; i < 200; i++) {
            ref.append(i % 50).append('\n');
            cur.append(i % 50 + 30).append('\n');
        }
        Path reference = file("ref.csv", ref.toString());
        Path current = file("cur.csv", cur.toString());
        Path profile = folder.getRoot().toPath().resolve("ref.profile.json");
        assertEquals(err.toString(), 0, run("validate-data", "--data", reference.toString(), "--save-profile", profile.toString()));
        Path viaFile = folder.getRoot().toPath().resolve("a.json");
        Path viaProfile = folder.getRoot().toPath().resolve("b.json");
        assertEquals(1, run("validate-data", "--data", current.toString(), "--reference", reference.toString(),
                "--report", viaFile.toString()));
        assertEquals(1, run("validate-data", "--data", current.toString(), "--reference", profile.toString(),
                "--report", viaProfile.toString()));
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(viaFile.toFile()).path("drift");
        JsonNode b = mapper.readTree(viaProfile.toFile()).path("drift");
        assertEquals(a, b);
        assertEquals("ks", a.get(0).path("method").asText());
        assertTrue(a.get(0).path("drifted").asBoolean());
    }

    @Test(timeout = 60_000)
    public void aFifoAsReportReachesItsReaderAndStaysAFifo() throws Exception {
        Path data = file("d.csv", "id,age\n1,30\n2,40\n3,50\n");
        Path fifo = folder.getRoot().toPath().resolve("report.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<String> read = reader.submit(() -> Files.readString(fifo));
            assertEquals(err.toString(), 0, run("validate-data", "--data", data.toString(), "--report", fifo.toString()));
            JsonNode json = new ObjectMapper().readTree(read.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("validate-data", json.path("stage").asText());
        } finally {
            reader.shutdownNow();
        }
        int mode = (Integer) Files.getAttribute(fifo, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertEquals("still a FIFO", 0010000, mode & 0170000);
    }

    /**
     * {@code --report /dev/stdout} in a JVM of its own: through a pipe, and with stdout redirected to a file,
     * which must stay the same file (appended to, not replaced by a rename through /proc/self/fd/1).
     */
    @Test(timeout = 120_000)
    public void aReportToDevStdoutIsWrittenToTheProcessOutputNeverOverIt() throws Exception {
        org.junit.Assume.assumeTrue(Files.exists(Path.of("/dev/stdout")));
        Path data = file("d.csv", "id,age\n1,30\n2,40\n3,50\n");
        java.util.List<String> command = java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "validate-data", "--data", data.toString(),
                "--report", "/dev/stdout");

        Process piped = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(piped.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(output, 0, piped.waitFor());
        assertTrue(output, output.contains("\"stage\" : \"validate-data\"") || output.contains("\"stage\":\"validate-data\""));
        assertTrue(output, output.contains("validate-data PASSED"));

        Path log = file("stdout.log", "");
        Object inode = Files.getAttribute(log, "unix:ino");
        Process redirected = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(log.toFile()).start();
        assertEquals(0, redirected.waitFor());
        assertEquals("the log file itself, not a new file renamed over it", inode, Files.getAttribute(log, "unix:ino"));
        // The report whole, then the summary line: nothing written over anything.
        String logged = Files.readString(log);
        JsonNode report = new ObjectMapper().readTree(logged.substring(0, logged.lastIndexOf("validate-data PASSED")));
        assertEquals("validate-data", report.path("stage").asText());
        assertTrue(logged, logged.strip().endsWith("report: /dev/stdout"));
    }

    @Test
    public void textColumnsAreTestedUnlessNoTextDrift() throws Exception {
        StringBuilder ref = new StringBuilder("n,note\n");
        StringBuilder cur = new StringBuilder("n,note\n");
        for (int i = 0; i < 60; i++) {
            ref.append(i % 20).append(".5,order shipped on time number ").append(i).append('\n');
            cur.append(i % 20).append(".5,parcel lost again damaged ").append(i).append('\n');
        }
        Path reference = file("ref.csv", ref.toString());
        Path current = file("cur.csv", cur.toString());
        Path report = folder.getRoot().toPath().resolve("r.json");
        // the text drifted, n did not: 1 of 2 columns is the default drift share, dataset drift
        assertEquals(err.toString(), 1, run("validate-data", "--data", current.toString(), "--reference", reference.toString(),
                "--report", report.toString()));
        JsonNode drift = new ObjectMapper().readTree(report.toFile()).path("drift");
        assertEquals("perc_text_content_drift", drift.get(1).path("method").asText());
        assertTrue(drift.get(1).path("drifted").asBoolean());
        assertEquals(err.toString(), 0, run("validate-data", "--data", current.toString(), "--reference", reference.toString(),
                "--skip-text-drift", "--report", report.toString()));
        drift = new ObjectMapper().readTree(report.toFile()).path("drift");
        assertEquals(1, drift.size());
        assertEquals("n", drift.get(0).path("column").asText());
    }
}
