package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Hostile input, many cases in one JVM through the in-process seam {@link Main#run}. Every case must end
 * with its documented exit code and, for exit 2, exactly one line on stderr (containing the expected
 * text); none may print a stack trace, run out of memory, hang, or replace a file that was not a
 * regular file (devices, FIFOs and symbolic links keep their type).
 *
 * <p>To add cases (gate rule nesting, canary check syntax, ...), write a method returning
 * {@code List<Case>} built with {@link #bad} and {@link #verdict}, and list it in {@link #cases()}. Paths
 * in arguments are {@code {dir}/name}: files made by {@link Fixtures}, or new names for outputs.
 */
@RunWith(Parameterized.class)
public class HostileInputTest {
    /** One case: the arguments, the exit code, and text the single stderr line must contain (exit 2 only). */
    static final class Case {
        final String name;
        final String[] args;
        final int exit;
        final String expected;
        /** Lines of the error: 1, or 3 for a rule's syntax error (the rule and a caret, docs/gate.md). */
        final int lines;
        /** The stage ran before the error (an output failed): its progress lines may precede the error line. */
        final boolean afterWork;
        /** Checks after the run, e.g. that an output reached its link's target; may be null. */
        final Consumer<Path> after;

        Case(String name, int exit, String expected, int lines, boolean afterWork, Consumer<Path> after, String... args) {
            this.name = name;
            this.args = args;
            this.exit = exit;
            this.expected = expected;
            this.lines = lines;
            this.afterWork = afterWork;
            this.after = after;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A case of bad usage or input: exit 2 and one stderr line containing {@code expected}. */
    static Case bad(String name, String expected, String... args) {
        return new Case(name, ExitCode.USAGE, expected, 1, false, null, args);
    }

    /** A rule that does not parse: exit 2, the error line containing {@code expected}, then the rule and a caret. */
    static Case badRule(String name, String expected, String... args) {
        return new Case(name, ExitCode.USAGE, expected, 3, false, null, args);
    }

    /** An output that fails once the stage has run (a full device): exit 2, the last line the error. */
    static Case badOutput(String name, String expected, String... args) {
        return new Case(name, ExitCode.USAGE, expected, 1, true, null, args);
    }

    /** A case that must reach the stage's documented verdict (0 or 1) without a stack trace. */
    static Case verdict(String name, int exit, String... args) {
        return new Case(name, exit, null, 1, false, null, args);
    }

    static Case withCheck(Case c, Consumer<Path> after) {
        return new Case(c.name, c.exit, c.expected, c.lines, c.afterWork, after, c.args);
    }

    private static final Path DIR = Fixtures.create();

    @Parameters(name = "{0}")
    public static Collection<Object[]> parameters() {
        List<Object[]> rows = new ArrayList<>();
        for (Case c : cases()) {
            rows.add(new Object[] {c});
        }
        return rows;
    }

    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        all.addAll(usageCases());
        all.addAll(fileOptionCases());
        all.addAll(outputCases());
        all.addAll(numberCases());
        all.addAll(dataCases());
        all.addAll(reportCases());
        all.addAll(canaryFileCases());
        all.addAll(ruleCases());
        return all;
    }

    @AfterClass
    public static void removeFixtures() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Rule
    public Timeout timeout = Timeout.builder().withTimeout(60, TimeUnit.SECONDS).withLookingForStuckThread(true).build();

    private final Case c;

    public HostileInputTest(Case c) {
        this.c = c;
    }

    @Test
    public void endsWithOneClearLineAndTheDocumentedExitCode() throws Exception {
        Map<Path, String> specialBefore = specialFiles();
        String[] args = Arrays.stream(c.args).map(a -> a.replace("{dir}", DIR.toString())).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try {
            exit = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        } catch (Throwable e) {
            throw new AssertionError(c.name + ": escaped Main.run: " + e, e);
        }
        String stderr = err.toString();
        String both = out + stderr;
        for (String forbidden : List.of("Exception", "\tat ", "OutOfMemoryError", "StackOverflowError", "internal error")) {
            assertFalse(c.name + ": '" + forbidden + "' in " + both, both.contains(forbidden));
        }
        assertEquals(c.name + ": stderr " + stderr, c.exit, exit);
        if (c.exit == ExitCode.USAGE) {
            assertTrue(c.name + ": lines ending in a newline, got " + stderr, stderr.endsWith("\n"));
            assertFalse(c.name + ": a carriage return in " + stderr, stderr.contains("\r"));
            List<String> lines = List.of(stderr.substring(0, stderr.length() - 1).split("\n", -1));
            if (c.afterWork) {
                long errors = lines.stream().filter(l -> l.startsWith("mlstages: ")).count();
                assertEquals(c.name + ": one error line, the last: " + stderr, 1, errors);
                lines = lines.subList(lines.size() - 1, lines.size());
            }
            assertEquals(c.name + ": " + c.lines + " line(s): " + stderr, c.lines, lines.size());
            String line = lines.get(0);
            assertTrue(c.name + ": " + line, line.startsWith("mlstages: "));
            assertTrue(c.name + ": expected '" + c.expected + "' in " + line, line.contains(c.expected.replace("{dir}",
                    DIR.toString())));
        }
        assertEquals(c.name + ": a device, FIFO or symbolic link was replaced", specialBefore, specialFiles());
        if (c.after != null) {
            c.after.accept(DIR);
        }
    }

    // ---- the cases -------------------------------------------------------------------------------------------

    static List<Case> usageCases() {
        return List.of(
            bad("no command", "missing command"),
            bad("misspelt command suggests it", "did you mean 'validate-data'?", "validate", "--data", "x.csv"),
            bad("misspelt option suggests it", "did you mean '--reference'?", "validate-data", "--data", "{dir}/data.csv",
                "--refrence", "{dir}/data.csv"),
            bad("misspelt option with a value suggests it", "did you mean '--metrics'?", "gate", "--metric={dir}/metrics.json",
                "--rule", "roc_auc >= 0.5"),
            bad("unknown option", "Unknown option: '--no-such-option'", "evaluate", "--no-such-option"),
            bad("misspelt subcommand suggests it", "did you mean 'check'?", "registry", "chek"),
            bad("misspelt option of lineage suggests it", "did you mean '--model'?", "lineage", "--modle", "m", "--version",
                "1"),
            bad("unknown option beside the required ones", "Unknown option: '--no-such-option'", "gate", "--metrics",
                "{dir}/metrics.json", "--rule", "roc_auc >= 0.5", "--no-such-option"),
            bad("missing required option", "Missing required option", "gate", "--rule", "roc_auc >= 0.5"),
            bad("control characters in an argument stay on one line", "Unknown option", "validate-data", "--data",
                "{dir}/data.csv", "--x\n\u0000\u001b[2J"),
            bad("control characters in a value stay on one line", "\\u000a", "validate-data", "--data",
                "{dir}/absent\n\u001b[2J.csv"),
            badRule("@file is not expanded in a rule", "rule 1", "gate", "--metrics", "{dir}/metrics.json", "--rule",
                "@/etc/passwd"),
            bad("@file is not expanded as an argument", "@/etc/passwd", "@/etc/passwd"),
            bad("bad enum --task", "--task", "evaluate", "--predictions", "{dir}/predictions.csv", "--task", "ranking",
                "--label", "y", "--score", "p"),
            bad("bad enum --format", "--format", "validate-data", "--data", "{dir}/data.csv", "--format", "xml"),
            bad("bad enum --first-model", "--first-model", "gate", "--metrics", "{dir}/metrics.json", "--rule",
                "roc_auc >= 0.5", "--first-model", "maybe"),
            bad("bad --encoding", "encoding", "validate-data", "--data", "{dir}/data.csv", "--encoding", "no-such-charset"),
            bad("bad --delimiter", "delimiter", "validate-data", "--data", "{dir}/data.csv", "--delimiter", "ab"));
    }

    /** Every file option given a missing file, a directory, a device, a FIFO (never opened: no hang). */
    static List<Case> fileOptionCases() {
        List<Case> cases = new ArrayList<>();
        Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("validate-data --data", new String[] {"validate-data", "--data", "@"});
        commands.put("validate-data --schema", new String[] {"validate-data", "--data", "{dir}/data.csv", "--schema", "@"});
        commands.put("validate-data --reference", new String[] {"validate-data", "--data", "{dir}/data.csv", "--reference", "@"});
        commands.put("evaluate --predictions", new String[] {"evaluate", "--predictions", "@", "--task", "binary", "--label",
            "y", "--score", "p"});
        commands.put("evaluate --champion-predictions", new String[] {"evaluate", "--predictions", "{dir}/predictions.csv",
            "--task", "binary", "--label", "y", "--score", "p", "--champion-score", "p", "--champion-predictions", "@"});
        commands.put("gate --metrics", new String[] {"gate", "--metrics", "@", "--rule", "roc_auc >= 0.5"});
        commands.put("gate --champion-metrics", new String[] {"gate", "--metrics", "{dir}/metrics.json", "--rule",
            "roc_auc >= champion.roc_auc", "--champion-metrics", "@"});
        commands.put("register --from-report", new String[] {"register", "--model", "m", "--source", "s3://b/m",
            "--registry-url", "http://127.0.0.1:9", "--from-report", "@"});
        commands.put("report --in", new String[] {"report", "--in", "@", "--html", "{dir}/out/page.html"});
        commands.put("canary --resume --state", new String[] {"canary", "--state", "@", "--resume", "--router", "http",
            "--router-url", "http://127.0.0.1:9"});
        String[][] files = {
            {"missing", "{dir}/absent.json", "does not exist"},
            {"a directory", "{dir}/folder", "is a directory"},
            {"/dev/zero", "/dev/zero", "is a character device, not a regular file"},
            {"a FIFO", "{dir}/fifo", "is a FIFO, not a regular file"},
            {"a broken link", "{dir}/broken-link", "is a broken symbolic link"},
        };
        commands.forEach((option, template) -> {
            for (String[] file : files) {
                String[] args = Arrays.stream(template).map(a -> a.equals("@") ? file[1] : a).toArray(String[]::new);
                // The canary's state file may be absent (no canary yet): a broken link is simply absent there.
                String expected = option.startsWith("canary") && file[0].equals("a broken link") ? "does not exist" : file[2];
                cases.add(bad(option + " " + file[0], expected, args));
            }
        });
        return cases;
    }

    /** Outputs: a device is written in place, a link through to its target, never replaced; failures name the target. */
    static List<Case> outputCases() {
        String[] validate = {"validate-data", "--data", "{dir}/data.csv", "--schema", "{dir}/schema.yaml"};
        String[] report = {"report", "--in", "{dir}/metrics.json"};
        return List.of(
            badOutput("--report to a full device", "{dir}/full: cannot write: no space left on device", concat(validate,
                "--report", "{dir}/full")),
            badOutput("--save-profile to a full device", "{dir}/full: cannot write: no space left on device",
                concat(validate, "--save-profile", "{dir}/full")),
            badOutput("--infer-schema to a full device", "{dir}/full: cannot write: no space left on device",
                "validate-data", "--data", "{dir}/data.csv", "--infer-schema", "{dir}/full"),
            badOutput("--html to a full device", "{dir}/full: cannot write: no space left on device", concat(report,
                "--html", "{dir}/full")),
            badOutput("evaluate --report to a full device", "{dir}/full: cannot write: no space left on device",
                "evaluate", "--predictions", "{dir}/predictions.csv", "--task", "binary", "--label", "y", "--score", "p",
                "--resamples", "0", "--report", "{dir}/full"),
            badOutput("gate --report to a full device", "{dir}/full: cannot write: no space left on device", "gate",
                "--metrics", "{dir}/metrics.json", "--rule", "roc_auc >= 0", "--report", "{dir}/full"),
            badOutput("--report to a link to a full device", "{dir}/full-link: cannot write: no space left on device",
                concat(validate, "--report", "{dir}/full-link")),
            bad("evaluate --report to a directory", "{dir}/folder: cannot write: is a directory", "evaluate",
                "--predictions", "{dir}/predictions.csv", "--task", "binary", "--label", "y", "--score", "p", "--report",
                "{dir}/folder"),
            bad("canary --state a directory", "{dir}/folder: cannot write: is a directory", "canary", "--state",
                "{dir}/folder", "--model", "m"),
            bad("--report to a directory", "{dir}/folder: cannot write: is a directory", concat(validate, "--report",
                "{dir}/folder")),
            bad("--html under a file", "{dir}/data.csv/page.html: cannot write: not a directory", concat(report, "--html",
                "{dir}/data.csv/page.html")),
            verdict("--report to a null device", 0, concat(validate, "--report", "{dir}/null")),
            verdict("--html to a null device and --report to a link to /dev/null", 0, concat(report, "--html",
                "{dir}/null", "--report", "{dir}/null-link")),
            withCheck(verdict("--report through a link writes its target", 0, concat(validate, "--report",
                "{dir}/report-link")), dir -> assertTrue(read(dir.resolve("linked/report.json")).contains("validate-data"))));
    }

    /** Every numeric option out of its range: one line naming the option and the range, before any work. */
    static List<Case> numberCases() {
        String[] evaluate = {"evaluate", "--predictions", "{dir}/predictions.csv", "--task", "binary", "--label", "y",
            "--score", "p"};
        String[] validate = {"validate-data", "--data", "{dir}/data.csv"};
        String[] registry = {"--registry-url", "http://127.0.0.1:9"};
        String[] canary = {"canary", "--state", "{dir}/out/state.json", "--model", "m", "--version", "2", "--steps",
            "10,100", "--interval", "30s", "--analysis", "e: errors <= 0.1", "--router", "http", "--router-url",
            "http://127.0.0.1:9", "--prometheus-url", "http://127.0.0.1:9"};
        return List.of(
            bad("--resamples 2000000000", "--resamples must be between 0 and 10000, was 2000000000", concat(evaluate,
                "--resamples", "2000000000")),
            bad("--resamples -1", "--resamples must be between 0 and 10000", concat(evaluate, "--resamples", "-1")),
            bad("--resamples beyond int", "--resamples", concat(evaluate, "--resamples", "99999999999999999999")),
            bad("--level 1.5", "--level must be between 0 and 1", concat(evaluate, "--level", "1.5")),
            bad("--level NaN", "--level must be between 0 and 1", concat(evaluate, "--level", "NaN")),
            bad("--threshold 2", "--threshold must be between 0 and 1", concat(evaluate, "--threshold", "2")),
            bad("--min-slice-size 0", "--min-slice-size must be at least 1", concat(evaluate, "--min-slice-size", "0")),
            bad("--seed text", "--seed", concat(evaluate, "--seed", "abc")),
            bad("--sample-size 2000000000", "--sample-size must be between 100 and 1000000", concat(validate,
                "--sample-size", "2000000000")),
            bad("--sample-size 5", "--sample-size must be between 100 and 1000000", concat(validate, "--sample-size", "5")),
            bad("--max-errors 2000000000", "--max-errors must be between 0 and 1000", concat(validate, "--max-errors",
                "2000000000")),
            bad("--max-errors -1", "--max-errors must be between 0 and 1000", concat(validate, "--max-errors", "-1")),
            bad("--timeout 0", "--timeout must be between 1 and 3600 seconds", concat(new String[] {"registry", "check"},
                concat(registry, "--timeout", "0"))),
            bad("--timeout huge", "--timeout must be between 1 and 3600 seconds", concat(new String[] {"lineage", "--model",
                "m", "--version", "1"}, concat(registry, "--timeout", "9223372036854775807"))),
            bad("--await-seconds huge", "--await-seconds must be between 0 and 86400", concat(new String[] {"register",
                "--model", "m", "--source", "s3://b/m", "--await-seconds", "9223372036854775807"}, registry)),
            bad("--steps 0", "--steps: step weights are percentages from 1 to 100, got 0 in [0, 100]",
                with(canary, "--steps", "0,100")),
            bad("--steps 2000000000", "--steps", with(canary, "--steps", "10,2000000000")),
            bad("--interval 10 years", "--interval: '87600h' is too long: a duration is at most 365 days",
                with(canary, "--interval", "87600h")),
            bad("--interval overflowing", "--interval: '99999999999999999999999h' is too long",
                with(canary, "--interval", "99999999999999999999999h")),
            bad("--interval 25h", "--interval: the step interval must be positive and at most 24 h", with(canary,
                "--interval", "25h")),
            bad("--analyses-per-step huge", "--analyses-per-step", concat(canary, "--analyses-per-step", "2000000000")),
            bad("--ready-timeout huge", "--ready-timeout", concat(Arrays.copyOf(canary, canary.length - 6), "--router",
                "kserve", "--prometheus-url", "http://127.0.0.1:9", "--inference-service", "s", "--kubeconfig", "{dir}/kubeconfig.yaml", "--ready-timeout", "2h")));
    }

    /** Malformed, truncated and binary data files: each one line naming the file, never a trace. */
    static List<Case> dataCases() {
        List<Case> cases = new ArrayList<>();
        String[][] data = {
            {"empty.csv", "empty"}, {"header-only.csv", "no data rows"}, {"binary.csv", "binary.csv"},
            {"nul.csv", "nul.csv"}, {"unclosed-quote.csv", "unclosed-quote.csv"}, {"empty.jsonl", "empty.jsonl"},
            {"broken.jsonl", "broken.jsonl"}, {"array.jsonl", "array.jsonl"}, {"binary.jsonl", "binary.jsonl"},
            {"garbage.parquet", "garbage.parquet"}, {"huge-footer.parquet", "huge-footer.parquet"},
            {"empty.parquet", "empty.parquet"}, {"no-extension", "format"},
        };
        for (String[] d : data) {
            cases.add(bad("validate-data --data " + d[0], d[1], "validate-data", "--data", "{dir}/" + d[0]));
        }
        cases.add(bad("validate-data --data 64 MiB of NUL bytes", "zeros.csv:1", "validate-data", "--data",
            "{dir}/zeros.csv"));
        cases.add(bad("evaluate --champion-predictions with other rows", "champion.csv", "evaluate", "--predictions",
            "{dir}/predictions.csv", "--task", "binary", "--label", "y", "--score", "p", "--champion-score", "p",
            "--champion-predictions", "{dir}/champion.csv"));
        cases.add(verdict("validate-data with a 4 MB line", 1, "validate-data", "--data", "{dir}/long-line.csv", "--schema",
            "{dir}/schema.yaml"));
        for (String[] d : data) {
            if (!d[0].equals("no-extension")) {
                cases.add(bad("evaluate --predictions " + d[0], d[0].startsWith("header") ? "no prediction rows" : d[1],
                    "evaluate", "--predictions", "{dir}/" + d[0], "--task", "binary", "--label", "y", "--score", "p"));
            }
        }
        cases.add(bad("evaluate with a text score", "predictions-text.csv:2", "evaluate", "--predictions",
            "{dir}/predictions-text.csv", "--task", "binary", "--label", "y", "--score", "p"));
        cases.add(bad("evaluate without the label column", "'nope'", "evaluate", "--predictions", "{dir}/predictions.csv",
            "--task", "binary", "--label", "nope", "--score", "p"));
        String[][] schemas = {
            {"empty.yaml", "empty"}, {"binary.yaml", "binary.yaml"}, {"broken.yaml", "broken.yaml"},
            {"list.yaml", "list.yaml"}, {"deep.yaml", "deep.yaml"}, {"aliases.yaml", "aliases.yaml"},
            {"deep.json", "deep.json"}, {"unknown-key.yaml", "unknown key"}, {"sparse-huge.yaml", "may be at most 16.0 MiB"},
        };
        for (String[] s : schemas) {
            cases.add(bad("validate-data --schema " + s[0], s[1], "validate-data", "--data", "{dir}/data.csv", "--schema",
                "{dir}/" + s[0]));
        }
        cases.add(bad("validate-data --reference a broken saved profile", "broken-profile.json", "validate-data", "--data",
            "{dir}/data.csv", "--reference", "{dir}/broken-profile.json"));
        return cases;
    }

    /** Malformed metrics and stage reports, for gate, register and report. */
    static List<Case> reportCases() {
        List<Case> cases = new ArrayList<>();
        String[][] reports = {
            {"empty.json", "is empty, not a JSON report"}, {"binary.json", "binary.json"}, {"truncated.json", "truncated.json"},
            {"array.json", "a JSON object was expected, found an array"},
            {"deep.json", "Document nesting depth (1001) exceeds the maximum allowed (1000)"}, {"other-schema.json", "known version"},
            {"sparse-huge.json", "may be at most 64.0 MiB"}, {"nul.json", "nul.json"},
        };
        for (String[] r : reports) {
            cases.add(bad("gate --metrics " + r[0], r[1], "gate", "--metrics", "{dir}/" + r[0], "--rule", "roc_auc >= 0.5"));
            cases.add(bad("report --in " + r[0], r[1], "report", "--in", "{dir}/" + r[0], "--html", "{dir}/out/page.html"));
            cases.add(bad("register --from-report " + r[0], r[1], "register", "--model", "m", "--source", "s3://b/m",
                "--registry-url", "http://127.0.0.1:9", "--from-report", "{dir}/" + r[0]));
        }
        cases.add(bad("gate rule on an unknown metric", "no_such_metric", "gate", "--metrics", "{dir}/metrics.json", "--rule",
            "no_such_metric >= 0.5"));
        cases.add(badRule("gate rule with a NUL byte", "rule 1", "gate", "--metrics", "{dir}/metrics.json", "--rule",
            "roc_auc >= 0.5 \u0000 and"));
        cases.add(verdict("gate on a good report passes", 0, "gate", "--metrics", "{dir}/metrics.json", "--rule",
            "roc_auc >= 0"));
        return cases;
    }

    /** The canary's state file and kubeconfig: refused before anything is deployed. */
    /** Gate rules and canary checks built to exhaust the stack or the regex engine (issue 11, defect 5). */
    static List<Case> ruleCases() {
        String[] gate = {"gate", "--metrics", "{dir}/metrics.json", "--report", "{dir}/out/deep-gate.json", "--rule"};
        String[] canary = {"canary", "--state", "{dir}/out/deep-state.json", "--model", "m", "--version", "2", "--steps",
            "10,100", "--interval", "30s", "--router", "http", "--router-url", "http://127.0.0.1:9",
            "--prometheus-url", "http://127.0.0.1:9", "--analysis"};
        return List.of(
            bad("2,800 nested parentheses", "rule 1: too long",
                concat(gate, "(".repeat(2800) + "roc_auc" + ")".repeat(2800) + " >= 0")),
            bad("5,200 chained +", "rule 1: too long", concat(gate, "roc_auc" + "+1".repeat(5200) + " >= 0")),
            bad("5,600 unary minuses", "rule 1: too long", concat(gate, "-".repeat(5600) + "roc_auc >= 0")),
            bad("33 nested parentheses", "nested more than 32 deep",
                concat(gate, "(".repeat(33) + "roc_auc" + ")".repeat(33) + " >= 0")),
            bad("65 arithmetic operators", "more than 64 arithmetic operators",
                concat(gate, "roc_auc" + " + 0".repeat(65) + " >= 0")),
            badRule("a misspelt champion", "did you mean 'champion'?", concat(gate, "roc_auc >= champoin.roc_auc")),
            bad("a canary check of 50,000 sums", "--analysis: analysis check 'e'",
                concat(canary, "e: " + "sum(rate(x[1m])) + ".repeat(50_000) + "0 <= 0.01")),
            bad("a canary check nested 3,000 deep", "--analysis",
                concat(canary, "e: " + "(".repeat(3000) + "x" + ")".repeat(3000) + " <= 0.01")));
    }

    static List<Case> canaryFileCases() {
        String[] resume = {"canary", "--resume", "--router", "http", "--router-url", "http://127.0.0.1:9", "--state"};
        String[] kserve = {"canary", "--state", "{dir}/out/kstate.json", "--model", "m", "--version", "2", "--steps",
            "10,100", "--interval", "30s", "--analysis", "e: errors <= 0.1", "--prometheus-url", "http://127.0.0.1:9",
            "--router", "kserve", "--inference-service", "s", "--kubeconfig"};
        return List.of(
            bad("canary --resume with a binary state", "binary.json", concat(resume, "{dir}/binary.json")),
            bad("canary --resume with a truncated state", "truncated.json", concat(resume, "{dir}/truncated.json")),
            bad("canary --resume with an empty state", "empty.json", concat(resume, "{dir}/empty.json")),
            bad("canary --kubeconfig /dev/zero", "/dev/zero: is a character device, not a regular file",
                concat(kserve, "/dev/zero")),
            bad("canary --kubeconfig a FIFO", "is a FIFO, not a regular file", concat(kserve, "{dir}/fifo")),
            bad("canary --kubeconfig binary", "binary.yaml", concat(kserve, "{dir}/binary.yaml")));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** {@code args} with the value of {@code option} replaced. */
    static String[] with(String[] args, String option, String value) {
        String[] copy = args.clone();
        int at = Arrays.asList(copy).indexOf(option);
        if (at < 0) {
            throw new IllegalArgumentException(option + " is not in " + Arrays.toString(args));
        }
        copy[at + 1] = value;
        return copy;
    }

    static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(file + " unreadable", e);
        }
    }

    /** Every symbolic link and non-regular file of the fixtures, and the devices written to, with its type. */
    private static Map<Path, String> specialFiles() throws IOException {
        Map<Path, String> special = new LinkedHashMap<>();
        for (String device : List.of("/dev/null", "/dev/full", "/dev/zero")) {
            special.put(Path.of(device), type(Path.of(device)));
        }
        try (Stream<Path> files = Files.list(DIR)) {
            files.filter(p -> Files.isSymbolicLink(p) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted().forEach(p -> special.put(p, type(p)));
        }
        return special;
    }

    private static String type(Path file) {
        if (Files.isSymbolicLink(file)) {
            try {
                return "link to " + Files.readSymbolicLink(file);
            } catch (IOException e) {
                return "unreadable link";
            }
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return Integer.toOctalString(mode & 0170000);
        } catch (IOException e) {
            return "absent";
        }
    }

    /** The files the cases read, made once for the whole class. */
    static final class Fixtures {
        private Fixtures() {
        }

        static Path create() {
            try {
                Path dir = Files.createTempDirectory("hostile");
                make(dir);
                return dir;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot create the fixtures", e);
            }
        }

        private static void make(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir.resolve("folder"));
            Files.createDirectories(dir.resolve("out"));
            Files.createDirectories(dir.resolve("linked"));
            if (new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor() != 0) {
                throw new IOException("mkfifo failed");
            }
            Files.createSymbolicLink(dir.resolve("broken-link"), dir.resolve("nowhere"));
            // Our own device nodes when we may make them (as root, the case where a rename would replace a
            // device): the machine's /dev/full and /dev/null are then never at stake. Else links to them.
            device(dir.resolve("full"), 7, Path.of("/dev/full"));
            device(dir.resolve("null"), 3, Path.of("/dev/null"));
            Files.createSymbolicLink(dir.resolve("full-link"), dir.resolve("full"));
            Files.createSymbolicLink(dir.resolve("null-link"), Path.of("/dev/null"));
            Files.createSymbolicLink(dir.resolve("report-link"), dir.resolve("linked/report.json"));

            StringBuilder rows = new StringBuilder("id,age,region\n");
            StringBuilder predictions = new StringBuilder("y,p\n");
            for (int i = 0; i < 200; i++) {
                rows.append(i).append(',').append(20 + i % 50).append(',').append(i % 3 == 0 ? "EU" : "US").append('\n');
                predictions.append(i % 2).append(',').append(i % 2 == 0 ? 0.2 + (i % 7) / 20.0 : 0.6 + (i % 5) / 20.0)
                        .append('\n');
            }
            write(dir, "data.csv", rows.toString());
            write(dir, "predictions.csv", predictions.toString());
            write(dir, "predictions-text.csv", "y,p\n1,high\n0,0.1\n");
            write(dir, "schema.yaml", "columns:\n  id: {type: integer, unique: true}\n  age: {type: integer, min: 0}\n"
                    + "  region: {type: string, allowed_values: [EU, US]}\n");

            byte[] binary = new byte[4096];
            new java.util.Random(7).nextBytes(binary);
            for (String name : List.of("binary.csv", "binary.jsonl", "binary.yaml", "binary.json")) {
                Files.write(dir.resolve(name), binary);
            }
            write(dir, "empty.csv", "");
            write(dir, "header-only.csv", "y,p\n");
            write(dir, "nul.csv", "y,p\n1,0.\u00009\n\u0000\u0000\u0000\n");
            write(dir, "unclosed-quote.csv", "y,p\n1,\"0.9\n0,0.1\n");
            write(dir, "long-line.csv", "id,age,region\n1,30," + "x".repeat(4 * 1024 * 1024) + "\n");
            write(dir, "no-extension", "y,p\n1,0.9\n");
            sparse(dir.resolve("zeros.csv"), 64L * 1024 * 1024);
            write(dir, "champion.csv", "p\n0.5\n0.4\n");
            write(dir, "empty.jsonl", "");
            write(dir, "broken.jsonl", "{\"y\": 1, \"p\": 0.9}\n{\"y\": 0, \"p\": \n");
            write(dir, "array.jsonl", "[1, 0.9]\n");
            Files.write(dir.resolve("garbage.parquet"), concatBytes("PAR1".getBytes(StandardCharsets.US_ASCII), binary,
                    "PAR1".getBytes(StandardCharsets.US_ASCII)));
            // A footer that claims 2 GB: must be refused, not allocated.
            Files.write(dir.resolve("huge-footer.parquet"), concatBytes("PAR1xxxx".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {(byte) 0xf0, (byte) 0xff, (byte) 0xff, 0x7f}, "PAR1".getBytes(StandardCharsets.US_ASCII)));
            write(dir, "empty.parquet", "");

            write(dir, "empty.yaml", "");
            write(dir, "broken.yaml", "columns:\n  age: {type: integer\n  min: [\n");
            write(dir, "list.yaml", "- a\n- b\n");
            write(dir, "deep.yaml", "[".repeat(100_000));
            write(dir, "unknown-key.yaml", "columns:\n  age: {type: integer, mni: 0}\n");
            StringBuilder aliases = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for (char c = 'b'; c <= 'k'; c++) {
                String previous = String.valueOf((char) (c - 1));
                aliases.append(c).append(": &").append(c).append(" [*").append(previous).append(", *").append(previous)
                        .append(", *").append(previous).append(", *").append(previous).append(", *").append(previous)
                        .append(", *").append(previous).append(", *").append(previous).append(", *").append(previous)
                        .append(", *").append(previous).append(", *").append(previous).append("]\n");
            }
            write(dir, "aliases.yaml", aliases.toString());
            sparse(dir.resolve("sparse-huge.yaml"), 17L * 1024 * 1024);

            write(dir, "empty.json", "");
            write(dir, "truncated.json", "{\"schema\": \"ml-stages/v1\", \"stage\": \"evaluate\", \"metrics\": {\"roc_auc\": 0.");
            write(dir, "array.json", "[1, 2, 3]");
            write(dir, "deep.json", "[".repeat(100_000));
            write(dir, "other-schema.json", "{\"schema\": \"ml-stages/v0\", \"stage\": \"evaluate\"}");
            write(dir, "nul.json", "{\"schema\": \"ml-stages/v1\u0000\", \"stage\": \u0000}");
            sparse(dir.resolve("sparse-huge.json"), 65L * 1024 * 1024);
            write(dir, "broken-profile.json", "{\"schema\": \"ml-stages/profile/v1\", \"rows\": [");
            write(dir, "kubeconfig.yaml", "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n"
                    + "  context: {cluster: k, namespace: ns}\nclusters:\n- name: k\n  cluster: {server: 'https://127.0.0.1:9'}\n");

            // A real evaluate report, for the gate and report cases.
            StringWriter err = new StringWriter();
            int exit = Main.run(new String[] {"evaluate", "--predictions", dir.resolve("predictions.csv").toString(),
                "--task", "binary", "--label", "y", "--score", "p", "--resamples", "0", "--report",
                dir.resolve("metrics.json").toString()}, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err));
            if (exit != 0) {
                throw new IOException("evaluate fixture failed: " + err);
            }
        }

        /** A character device of the memory driver (major 1): 3 is null, 7 is full. */
        private static void device(Path file, int minor, Path fallback) throws IOException, InterruptedException {
            Process mknod = new ProcessBuilder("mknod", "-m", "666", file.toString(), "c", "1", String.valueOf(minor))
                    .redirectErrorStream(true).start();
            mknod.getInputStream().readAllBytes();
            if (mknod.waitFor() != 0) {
                Files.createSymbolicLink(file, fallback);
            }
        }

        private static void write(Path dir, String name, String content) throws IOException {
            Files.writeString(dir.resolve(name), content);
        }

        /** A large file that takes no disk space: its size alone must refuse it. */
        private static void sparse(Path file, long size) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(size);
            }
        }

        private static byte[] concatBytes(byte[]... parts) {
            int length = 0;
            for (byte[] part : parts) {
                length += part.length;
            }
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        }
    }
}
