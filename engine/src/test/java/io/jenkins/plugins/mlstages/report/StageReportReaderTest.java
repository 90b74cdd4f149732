package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Reading stage reports for the merge: what is accepted, and one line naming the file for what is not. */
public class StageReportReaderTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path file(String name, String content) throws Exception {
        Path file = folder.getRoot().toPath().resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private String refused(Path file) throws Exception {
        try {
            new StageReportReader().read(file, file.getFileName().toString());
            throw new AssertionError("accepted " + file);
        } catch (ReportInputException e) {
            assertEquals(file.getFileName().toString(), e.getFile());
            assertTrue(e.getMessage(), !e.getMessage().contains("\n"));
            return e.getMessage();
        }
    }

    @Test
    public void everyExampleReportIsReadWithItsStageAndStatus() {
        assertEquals("validate-data", ExampleReports.input("validate-data").stage());
        assertEquals(Status.WARNING, ExampleReports.input("validate-data").status());
        assertEquals("evaluate", ExampleReports.input("evaluate").stage());
        assertEquals("gate", ExampleReports.input("gate").stage());
        assertEquals("register", ExampleReports.input("register").stage());
        assertEquals("canary", ExampleReports.input("canary").stage());
        assertEquals(Status.FAILED, ExampleReports.input("canary").status());
    }

    @Test
    public void aLineageGraphWithoutSchemaIsTheLineageStage() {
        StageInput lineage = ExampleReports.input("lineage");
        assertEquals(StageReportReader.LINEAGE, lineage.stage());
        assertEquals(Status.PASSED, lineage.status());
        assertEquals(ExampleReports.json("lineage"), lineage.json());
    }

    @Test
    public void anUnknownSchemaNamesTheFileAndTheSchemaFound() throws Exception {
        String message = refused(file("future.json", "{\"schema\":\"ml-stages/v2\",\"stage\":\"gate\",\"status\":\"PASSED\"}"));
        assertEquals("future.json: not an ml-stages report of a known version (schema \"ml-stages/v2\"; this release reads ml-stages/v1)",
                message);
        assertEquals("other.json: not an ml-stages report of a known version (no schema field; this release reads ml-stages/v1)",
                refused(file("other.json", "{\"stage\":\"gate\",\"status\":\"PASSED\"}")));
    }

    @Test
    public void aTruncatedFileNamesTheFileLineAndColumn() throws Exception {
        String whole = new String(ExampleReports.open("gate").readAllBytes(), StandardCharsets.UTF_8);
        String cut = whole.substring(0, 1000);
        long lines = cut.chars().filter(c -> c == '\n').count() + 1;
        String message = refused(file("gate.json", cut));
        assertTrue(message, message.startsWith("gate.json:" + lines + ":"));
        assertTrue(message, message.contains(": not a readable JSON report (truncated?): Unexpected end-of-input"));
        assertEquals("bad.json:2:5: not a readable JSON report (truncated?): ",
                refused(file("bad.json", "{\"a\":1,\n    x}")).replaceAll("(truncated\\?\\): ).*", "$1"));
    }

    @Test
    public void aNonObjectAnEmptyFileAndAMissingFileAreRefused() throws Exception {
        assertEquals("list.json: is not a stage report: a JSON object was expected, found an array",
                refused(file("list.json", "[{\"schema\":\"ml-stages/v1\"}]")));
        assertEquals("text.json: is not a stage report: a JSON object was expected, found a string", refused(file("text.json", "\"hi\"")));
        assertEquals("empty.json: is empty, not a JSON report", refused(file("empty.json", "  \n")));
        assertEquals("nothing.json: does not exist", refused(folder.getRoot().toPath().resolve("nothing.json")));
        assertEquals("dir: is a directory, not a file", refused(folder.newFolder("dir").toPath()));
    }

    @Test
    public void aReportWithoutStageOrStatusIsRefused() throws Exception {
        assertEquals("nostage.json: has no \"stage\"", refused(file("nostage.json", "{\"schema\":\"ml-stages/v1\",\"status\":\"PASSED\"}")));
        assertEquals("nostatus.json: has no valid \"status\" (found \"GREEN\"; expected PASSED, WARNING or FAILED)",
                refused(file("nostatus.json", "{\"schema\":\"ml-stages/v1\",\"stage\":\"gate\",\"status\":\"GREEN\"}")));
    }
}
