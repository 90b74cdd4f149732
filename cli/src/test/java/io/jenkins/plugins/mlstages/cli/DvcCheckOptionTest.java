package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code --dvc-check} of validate-data and evaluate on a file changed behind DVC's back (a hand-written .dvc file). */
public class DvcCheckOptionTest {
    private static final String DATA = "label,score\n0,0.1\n1,0.9\n0,0.3\n1,0.7\n";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** A DVC repository whose data.csv.dvc records other bytes than data.csv holds. */
    private Path changedBehindDvcsBack() throws Exception {
        Path root = folder.getRoot().toPath();
        Files.createDirectories(root.resolve(".dvc"));
        String recorded = String.format("%032x", new BigInteger(1, MessageDigest.getInstance("MD5")
                .digest((DATA + "1,0.8\n").getBytes(StandardCharsets.UTF_8))));
        Files.writeString(root.resolve("data.csv.dvc"), "outs:\n- md5: " + recorded + "\n  hash: md5\n  path: data.csv\n");
        Path data = root.resolve("data.csv");
        Files.writeString(data, DATA);
        return data;
    }

    @Test
    public void validateDataWarnsByDefaultFailsWithErrorAndComparesNothingWhenOff() throws Exception {
        Path data = changedBehindDvcsBack();
        assertEquals(err.toString(), 0, run("validate-data", "--data", data.toString()));
        assertTrue(out.toString(), out.toString().contains("WARNING dvc.modified data.csv: changed since data.csv.dvc recorded it"));

        assertEquals(err.toString(), 1, run("validate-data", "--data", data.toString(), "--dvc-check", "error"));
        assertTrue(out.toString(), out.toString().contains("ERROR dvc.modified data.csv"));

        Path report = folder.getRoot().toPath().resolve("off.json");
        out.getBuffer().setLength(0);
        assertEquals(err.toString(), 0, run("validate-data", "--data", data.toString(), "--dvc-check", "off", "--report",
                report.toString()));
        assertFalse(out.toString(), out.toString().contains("dvc.modified"));
        JsonNode dvc = new ObjectMapper().readTree(report.toFile()).path("dataset").path("dvc");
        assertTrue(dvc.toString(), dvc.has("md5"));
        assertFalse(dvc.toString(), dvc.has("matches"));
    }

    @Test
    public void evaluateFailsWithErrorOnly() throws Exception {
        Path data = changedBehindDvcsBack();
        String[] evaluate = {"evaluate", "--predictions", data.toString(), "--task", "binary", "--label", "label", "--score",
            "score", "--resamples", "0"};
        assertEquals(err.toString(), 0, run(evaluate));
        String[] strict = java.util.stream.Stream.concat(java.util.Arrays.stream(evaluate),
                java.util.stream.Stream.of("--dvc-check", "error")).toArray(String[]::new);
        assertEquals(err.toString(), 1, run(strict));
        assertTrue(out.toString(), out.toString().contains("ERROR dvc.modified data.csv"));
    }

    @Test
    public void anUnknownValueIsBadUsage() throws Exception {
        Path data = changedBehindDvcsBack();
        assertEquals(2, run("validate-data", "--data", data.toString(), "--dvc-check", "strict"));
        assertEquals("mlstages: --dvc-check: expected error, warning or off, not 'strict'", err.toString().strip());
    }
}
