package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Hostile gate rules and canary checks through the in-process CLI, many cases in one JVM: each ends
 * with exit 2 and one line on stderr (a syntax error with its rule and caret: three), no stack trace,
 * no report written, and no control character of the input reaching the terminal raw.
 */
public class HostileRuleInputTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path metrics;
    private Path report;
    private String out;
    private String err;

    @Before
    public void setUp() throws Exception {
        metrics = folder.getRoot().toPath().resolve("evaluate.json");
        Files.writeString(metrics, "{\"schema\": \"ml-stages/v1\", \"stage\": \"evaluate\", \"status\": \"PASSED\","
                + " \"metrics\": {\"f1_score\": 0.8, \"roc_auc\": 0.9},"
                + " \"slices\": [{\"key\": \"region=EU\", \"evaluated\": true, \"metrics\": {\"f1_score\": 0.7}}]}");
        report = folder.getRoot().toPath().resolve("gate.json");
    }

    private int run(List<String> args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args.toArray(new String[0]), Map.of(), new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private int gate(String... rules) {
        List<String> args = new ArrayList<>(List.of("gate", "--metrics", metrics.toString(), "--report", report.toString()));
        for (String rule : rules) {
            args.addAll(List.of("--rule", rule));
        }
        return run(args);
    }

    /** Exit 2, {@code lines} lines on stderr (the first one given), nothing else, no trace, no raw control character. */
    private void assertRefused(String what, int code, int lines, String firstLine) {
        assertEquals(what + ": " + err, 2, code);
        String[] stderr = err.strip().split("\n");
        assertEquals(what + ": " + err, lines, stderr.length);
        assertEquals(what, firstLine, stderr[0]);
        assertFalse(what, err.contains("Exception") || err.contains("Error:") || err.contains("\tat "));
        assertTrue(what + ": control character in " + err, err.strip().chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t'));
        assertEquals(what, "", out);
        assertFalse(what + ": a report was written", Files.exists(report));
    }

    @Test
    public void deeplyNestedOrChainedRulesAreOneLineErrorsNotStackOverflows() {
        assertRefused("2,800 parentheses", gate("(".repeat(2800) + "f1_score" + ")".repeat(2800) + " >= 0"), 1,
                "mlstages: rule 1: too long (5613 characters; a rule has at most 1000)");
        assertRefused("5,200 chained +", gate("f1_score >= 0", "f1_score" + "+1".repeat(5200) + " >= 0"), 1,
                "mlstages: rule 2: too long (10413 characters; a rule has at most 1000)");
        assertRefused("5,600 unary minuses", gate("-".repeat(5600) + "f1_score >= 0"), 1,
                "mlstages: rule 1: too long (5613 characters; a rule has at most 1000)");
        assertRefused("33 parentheses", gate("(".repeat(33) + "f1_score" + ")".repeat(33) + " >= 0"), 1,
                "mlstages: rule 1: nested more than 32 deep at column 33 (parentheses and unary minuses)");
        assertRefused("40 unary minuses", gate("f1_score >= " + "-".repeat(40) + "1"), 1,
                "mlstages: rule 1: nested more than 32 deep at column 45 (parentheses and unary minuses)");
        assertRefused("65 operators", gate("f1_score" + " + 0".repeat(65) + " >= 0"), 1,
                "mlstages: rule 1: more than 64 arithmetic operators at column 266, split it into several rules");
        assertRefused("a megabyte", gate("f1_score >= " + "1".repeat(1 << 20)), 1,
                "mlstages: rule 1: too long (1048588 characters; a rule has at most 1000)");
    }

    @Test
    public void controlCharactersAreEchoedEscapedWithTheCaretUnderTheirColumn() {
        assertRefused("ANSI escape in a rule", gate("f1_score\u001b[2J >= 0.8"), 3,
                "mlstages: rule 1: unexpected character U+001B at column 9");
        String[] lines = err.split("\n");
        assertEquals("  f1_score\\u001b[2J >= 0.8", lines[1]);
        assertEquals("  " + " ".repeat(8) + "^", lines[2]);

        assertRefused("carriage return before the error", gate("slice[region=E\rU].f1_score >> 0.8"), 3,
                "mlstages: rule 1: unexpected '>' at column 29, expected a number, a metric or '('");
        lines = err.split("\n");
        assertEquals("  slice[region=E\\u000dU].f1_score >> 0.8", lines[1]);
        assertEquals(lines[1].lastIndexOf('>'), lines[2].indexOf('^'));

        assertRefused("control characters in a slice value", gate("slice[region=\u001b[31mEU\u0007].f1_score >= 0.5"), 1,
                "mlstages: no slice 'region=\\u001b[31mEU\\u0007' in rule 1; slices: region=EU");
    }

    @Test
    public void aMisspeltNameSaysWhatWasMeant() {
        assertRefused("champoin", gate("f1_score >= champoin.f1_score - 0.01"), 3,
                "mlstages: rule 1: unknown name 'champoin' at column 13; did you mean 'champion'?");
        assertRefused("f1_scroe", gate("f1_scroe >= 0.5"), 1,
                "mlstages: unknown metric 'f1_scroe' in rule 1; did you mean 'f1_score'? known: f1_score, roc_auc");
    }

    @Test
    public void aHugeCanaryCheckIsOneLineNamingTheOption() {
        Path state = folder.getRoot().toPath().resolve("canary-state.json");
        int code = run(List.of("canary", "--state", state.toString(), "--model", "fraud", "--version", "2", "--steps", "10,100",
                "--interval", "30s", "--analysis", "error_rate: " + "sum(rate(x[1m])) + ".repeat(50_000) + "0 <= 0.01",
                "--router", "http", "--router-url", "http://127.0.0.1:9/weights", "--prometheus-url", "http://127.0.0.1:9",
                "--registry-url=http://127.0.0.1:9"));
        assertRefused("huge analysis check", code, 1, "mlstages: --analysis: analysis check 'error_rate' is 950021 characters"
                + " long; at most 4096 are accepted");
        assertFalse(Files.exists(state));
    }

    @Test
    public void controlCharactersInAColumnNameAreEscapedInEveryLine() throws Exception {
        Path data = folder.getRoot().toPath().resolve("data.csv");
        Files.writeString(data, "n,\"a\u001b[2J\rb\"\n1,x\n");
        Path schema = folder.getRoot().toPath().resolve("schema.yaml");
        Files.writeString(schema, "dataset:\n  allow_unexpected_columns: false\ncolumns:\n  n: {type: integer}\n");
        int code = run(List.of("validate-data", "--data", data.toString(), "--schema", schema.toString()));
        assertEquals(err, 1, code);
        String all = out + err;
        assertTrue(all, all.contains("a\\u001b[2J\\u000db"));
        assertTrue(all, all.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t'));
    }
}
