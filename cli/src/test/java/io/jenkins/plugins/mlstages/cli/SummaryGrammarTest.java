package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Counts in the summary lines agree with their nouns: "1 rule", "1 row", "1 failed check". */
public class SummaryGrammarTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String lastLine(StringWriter writer) {
        String[] lines = writer.toString().strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    public void oneRuleIsARule() throws Exception {
        Path metrics = folder.getRoot().toPath().resolve("evaluate.json");
        Files.writeString(metrics, "{\"schema\": \"ml-stages/v1\", \"stage\": \"evaluate\", \"status\": \"PASSED\", \"metrics\": {\"f1_score\": 0.8}}");
        assertEquals(err.toString(), 0, run("gate", "--metrics", metrics.toString(), "--rule", "f1_score >= 0.5"));
        assertEquals("gate PASSED: 1 rule, no champion", lastLine(out));
    }

    @Test
    public void oneRowOneColumnOneFailedCheck() throws Exception {
        Path data = folder.getRoot().toPath().resolve("data.csv");
        Files.writeString(data, "n\n-1\n");
        Path schema = folder.getRoot().toPath().resolve("schema.yaml");
        Files.writeString(schema, "columns:\n  n: {type: integer, min: 0}\n");
        assertEquals(1, run("validate-data", "--data", data.toString(), "--schema", schema.toString()));
        assertEquals("validate-data FAILED: 1 row, 1 column, 3 checks, 1 failed", lastLine(out));
        assertEquals("validate-data: 1 row, 1 column, 1 failed check: FAILED", lastLine(err));
    }
}
