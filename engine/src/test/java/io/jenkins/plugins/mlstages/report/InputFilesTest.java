package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.data.SchemaLoader;

public class InputFilesTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** A FIFO or a device must be refused, not opened: opening one would block or read forever. */
    @Rule
    public Timeout timeout = Timeout.seconds(30);

    @Test
    public void aRegularFileIsReadWhole() throws Exception {
        Path file = folder.newFile("schema.yaml").toPath();
        Files.writeString(file, "columns: {}");
        InputFiles.requireReadable(file);
        assertArrayEquals("columns: {}".getBytes(StandardCharsets.UTF_8), InputFiles.readAll(file, 100, "a schema"));
    }

    @Test
    public void eachUnusableFileSaysWhy() throws Exception {
        Path root = folder.getRoot().toPath();
        assertEquals(root.resolve("absent") + ": does not exist", refused(root.resolve("absent")));
        assertEquals(root + ": is a directory, not a file", refused(root));
        Path broken = root.resolve("broken");
        Files.createSymbolicLink(broken, root.resolve("nowhere"));
        assertEquals(broken + ": is a broken symbolic link", refused(broken));
        Path plain = Files.writeString(root.resolve("plain"), "x");
        assertEquals(plain.resolve("below") + ": not a directory", refused(plain.resolve("below")));
    }

    @Test
    public void devZeroAndAFifoAreRefusedWithoutBeingOpened() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertEquals("/dev/zero: is a character device, not a regular file", refused(Path.of("/dev/zero")));
        Path fifo = folder.getRoot().toPath().resolve("schema.fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        assertEquals(fifo + ": is a FIFO, not a regular file", refused(fifo));
        try {
            SchemaLoader.load(Path.of("/dev/zero"));
        } catch (DataFormatException e) {
            assertEquals("/dev/zero: is a character device, not a regular file", e.getMessage());
        }
    }

    @Test
    public void aFileOverTheCapIsRefusedBeforeItIsRead() throws Exception {
        Path file = folder.newFile("metrics.json").toPath();
        Files.write(file, new byte[2 * 1024 * 1024 + 10]);
        try {
            InputFiles.readAll(file, 1024 * 1024, "a report");
            throw new AssertionError("over the cap");
        } catch (UnusableFileException e) {
            assertEquals(file + ": is 2.0 MiB; a report is read whole and may be at most 1.0 MiB", e.getMessage());
        }
        try {
            InputFiles.readAll(file, 100, "a token file");
            throw new AssertionError("over the cap");
        } catch (UnusableFileException e) {
            assertEquals(file + ": is 2.0 MiB; a token file is read whole and may be at most 100 bytes", e.getMessage());
        }
    }

    /** A JSON file's unreadable token (a pasted secret, say) is not quoted back. */
    @Test
    public void aJsonParseProblemDoesNotQuoteTheFile() throws Exception {
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"token\": SECRETVALUE}");
            throw new AssertionError("not JSON");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String problem = InputFiles.parseProblemAndPlace(e);
            org.junit.Assert.assertFalse(problem, problem.contains("SECRETVALUE"));
            org.junit.Assert.assertTrue(problem, problem.startsWith("Unrecognized token: was expecting"));
            org.junit.Assert.assertTrue(problem, problem.contains(" at line 1, column "));
        }
    }

    /** A parser exception without a message (the canary state's own check, say) still gives a line, not "null". */
    @Test
    public void aProblemWithoutAMessageIsStillSaid() {
        assertEquals("unreadable content", InputFiles.parseProblem(new IllegalArgumentException((String) null)));
        assertEquals("bad value", InputFiles.parseProblem(new IllegalArgumentException("bad\n value")));
    }

    private static String refused(Path file) {
        try {
            InputFiles.readAll(file, 1024, "a schema");
        } catch (UnusableFileException e) {
            String viaRead = e.getMessage();
            try {
                InputFiles.requireReadable(file);
            } catch (UnusableFileException again) {
                assertEquals("the check and the read agree", viaRead, again.getMessage());
                return viaRead;
            }
            throw new AssertionError("requireReadable accepted " + file);
        }
        throw new AssertionError("readAll accepted " + file);
    }
}
