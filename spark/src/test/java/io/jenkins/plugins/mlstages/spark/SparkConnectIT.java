package io.jenkins.plugins.mlstages.spark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.spark.sql.connect.SparkSession;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Spark Connect table source end to end against a real local Spark (one server for the class): the CLI is run as
 * users run it, through bin/mlstages, which loads this module's jars in a class loader of their own. The same rows
 * are generated inside Spark with {@code range} (never read from a file) and, once, written by Spark to Parquet for
 * the file path; both paths must give the same metrics and verdicts.
 */
public class SparkConnectIT {
    static final long ROWS = 10_000_000;

    @ClassRule
    public static final SparkConnectServer SERVER = new SparkConnectServer();

    /**
     * 10 M predictions: {@code s} a score with 4 decimals (10 008 distinct values: the exact path), {@code s2} one
     * with about 10^6 distinct values (the histogram path), {@code y} a label that follows the score, {@code g} a
     * slice, {@code t} a regression target of the prediction {@code p}.
     */
    static final String PREDICTIONS = predictions(ROWS);
    /** The histogram's test needs more than 100,000 distinct scores, not 10 M rows: 1 M (~630,000 distinct). */
    static final String SMALL_PREDICTIONS = predictions(1_000_000);

    static String predictions(long rows) {
        return "SELECT CAST(CASE WHEN pmod(id * 40503 + 17, 1000) < 100 + 800 * s THEN 1 ELSE 0 END AS INT) AS y,"
            + " s, s2, g, s * 10 + pmod(id * 7919, 101) / 100D - 0.5 AS t, s * 10 AS p FROM ("
            + "SELECT id, round(pmod(id * 2654435761, 10007) / 10007D, 4) AS s, pmod(id * 2654435761, 1000003) / 1000003D AS s2,"
            + " CAST(pmod(id, 3) AS STRING) AS g FROM range(" + rows + "))";
    }

    private static Path predictionsFile;
    private static Path smallPredictionsFile;
    /** The stderr of the last {@link #evaluate}. */
    private static String lastErr;

    @BeforeClass
    public static void writeTheSameRowsToParquet() throws Exception {
        predictionsFile = writeParquet(PREDICTIONS, "predictions");
        smallPredictionsFile = writeParquet(SMALL_PREDICTIONS, "small-predictions");
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        Path dir = SERVER.work().resolve("data");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Spark writes the query's rows as one Parquet file; its path. */
    static Path writeParquet(String query, String name) throws IOException {
        Path dir = SERVER.work().resolve("data").resolve(name);
        SparkSession spark = SparkSession.builder().remote(SERVER.url()).build();
        try {
            spark.sql(query).coalesce(1).write().mode("overwrite").parquet(dir.toString());
        } finally {
            spark.close();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    record Run(int code, String out, String err) {
    }

    /** bin/mlstages with empty stdin, the way a user or the agent runs it. */
    static Run mlstages(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(SERVER.work(), "out", ".txt");
        Path err = Files.createTempFile(SERVER.work(), "err", ".txt");
        List<String> command = new ArrayList<>(List.of("bash", SERVER.root().resolve("bin/mlstages").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("CI", "true");
        builder.environment().remove("SPARK_REMOTE");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mlstages " + String.join(" ", args) + " did not finish in 10 min");
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private static JsonNode evaluate(Path report, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("evaluate", "--report", report.toString()));
        all.addAll(List.of(args));
        Run run = mlstages(all.toArray(String[]::new));
        lastErr = run.err();
        assertEquals(run.err() + run.out(), 0, run.code());
        assertFalse(run.err(), run.err().contains("\tat "));
        return new ObjectMapper().readTree(report.toFile());
    }

    /** No bootstrap on the file path: the Spark path has none, and 200 resamples of 10 M rows take minutes. */
    private static JsonNode fromFile(String name, String... args) throws Exception {
        return fromFile(predictionsFile, name, args);
    }

    private static JsonNode fromFile(Path file, String name, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--predictions", file.toString(), "--resamples", "0"));
        all.addAll(List.of(args));
        return evaluate(SERVER.work().resolve(name + "-file.json"), all.toArray(String[]::new));
    }

    private static JsonNode fromSpark(String name, String... args) throws Exception {
        return fromSpark(PREDICTIONS, name, args);
    }

    private static JsonNode fromSpark(String query, String name, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--spark-remote", SERVER.url(), "--query", query));
        all.addAll(List.of(args));
        return evaluate(SERVER.work().resolve(name + "-spark.json"), all.toArray(String[]::new));
    }

    /** Every metric of {@code expected} in {@code actual}, equal up to the order of floating-point sums. */
    private static void assertSameMetrics(String what, JsonNode expected, JsonNode actual, double tolerance) {
        Map<String, Double> missing = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> metric = it.next();
            double e = metric.getValue().asDouble();
            JsonNode a = actual.get(metric.getKey());
            if (a == null) {
                missing.put(metric.getKey(), e);
                continue;
            }
            assertEquals(what + " " + metric.getKey(), e, a.asDouble(), tolerance * Math.max(1, Math.abs(e)));
        }
        assertTrue(what + ": metrics missing from the Spark path: " + missing, missing.isEmpty());
    }

    @Test
    public void binaryMetricsAndSlicesOfTenMillionRowsEqualTheFilePath() throws Exception {
        String[] args = {"--task", "binary", "--label", "y", "--score", "s", "--slice", "g"};
        JsonNode file = fromFile("binary", args);
        JsonNode spark = fromSpark("binary", args);
        assertEquals(ROWS, spark.path("rows").asLong());
        assertSameMetrics("binary", file.path("metrics"), spark.path("metrics"), 1e-9);
        assertEquals(file.path("confusion_matrix"), spark.path("confusion_matrix"));
        assertEquals(3, spark.path("slices").size());
        for (int i = 0; i < 3; i++) {
            JsonNode f = file.path("slices").get(i);
            JsonNode s = spark.path("slices").get(i);
            assertEquals(f.path("key").asText(), s.path("key").asText());
            assertEquals(f.path("rows").asLong(), s.path("rows").asLong());
            assertSameMetrics("slice " + f.path("key").asText(), f.path("metrics"), s.path("metrics"), 1e-9);
        }
        // the curves are the file path's too (same distinct scores, same downsampling)
        assertEquals(file.path("curves").path("roc").path("xs").size(), spark.path("curves").path("roc").path("xs").size());
        for (String axis : new String[] {"xs", "ys"}) {
            JsonNode f = file.path("curves").path("calibration").path(axis);
            JsonNode s = spark.path("curves").path("calibration").path(axis);
            assertEquals(axis, f.size(), s.size());
            for (int i = 0; i < f.size(); i++) {
                assertEquals("calibration " + axis + "[" + i + "]", f.get(i).asDouble(), s.get(i).asDouble(), 1e-9);
            }
        }
        // no bootstrap over a table: said in the report; and progress on stderr while Spark works
        assertEquals("pushed down", finding(spark, "evaluate.no_interval", "observed"));
        assertTrue(lastErr, lastErr.contains("evaluate: the work runs in " + SERVER.url()));
        assertTrue(lastErr, lastErr.contains("querying " + SERVER.url() + " (evaluate: "));
    }

    @Test
    public void manyDistinctScoresGoThroughTheHistogramWithinItsBound() throws Exception {
        String[] args = {"--task", "binary", "--label", "y", "--score", "s2", "--threshold-metric", "f1"};
        JsonNode file = fromFile(smallPredictionsFile, "histogram", args);
        JsonNode spark = fromSpark(SMALL_PREDICTIONS, "histogram", args);
        double bound = Double.parseDouble(finding(spark, "evaluate.histogram", "observed"));
        assertTrue("bound " + bound, bound > 0 && bound < 1e-3);
        JsonNode f = file.path("metrics");
        JsonNode s = spark.path("metrics");
        assertEquals(f.path("roc_auc").asDouble(), s.path("roc_auc").asDouble(), bound);
        assertEquals(f.path("precision_recall_auc").asDouble(), s.path("precision_recall_auc").asDouble(), 1e-3);
        // sums are exact whatever the ranking's resolution
        assertEquals(f.path("log_loss").asDouble(), s.path("log_loss").asDouble(), 1e-9);
        assertEquals(f.path("brier_score_loss").asDouble(), s.path("brier_score_loss").asDouble(), 1e-9);
        assertEquals(f.path("expected_calibration_error").asDouble(), s.path("expected_calibration_error").asDouble(), 1e-9);
        // the best F1 among the histogram's thresholds (each a real score) is the exact best up to one bin
        assertEquals(f.path("f1_score").asDouble(), s.path("f1_score").asDouble(), 1e-4);
    }

    @Test
    public void regressionSumsAndMomentsEqualTheFilePath() throws Exception {
        String[] args = {"--task", "regression", "--label", "t", "--prediction", "p"};
        JsonNode file = fromFile("regression", args);
        JsonNode spark = fromSpark("regression", args);
        assertSameMetrics("regression", file.path("metrics"), spark.path("metrics"), 1e-9);
    }

    /** A dataset with nulls, categories, booleans, timestamps, and (with {@code shift}) one drifted column. */
    static String dataset(int shift) {
        return "SELECT id, CASE WHEN id % 10 = 0 THEN NULL ELSE (id % 97) * 1.5D END AS price,"
                + " CASE WHEN id % 3 = 0 THEN 'a' WHEN id % 3 = 1 THEN 'b' ELSE 'c' END AS kind, id % 2 = 0 AS flag,"
                + " timestamp_seconds(1767225600 + id % 86400) AS ts, CAST(id % 50 + " + shift + " AS DOUBLE) AS drifted"
                + " FROM range(200000)";
    }

    @Test
    public void theSameParquetValidatedAsAFileAndThroughSparkGivesTheSameVerdicts() throws Exception {
        Path reference = writeParquet(dataset(0), "reference");
        Path current = writeParquet(dataset(25), "current");
        Path fileReport = SERVER.work().resolve("validate-file.json");
        Path sparkReport = SERVER.work().resolve("validate-spark.json");
        Run file = mlstages("validate-data", "--data", current.toString(), "--reference", reference.toString(),
                "--report", fileReport.toString());
        Run spark = mlstages("validate-data", "--spark-remote", SERVER.url(),
                "--query", "SELECT * FROM parquet.`" + current + "`",
                "--reference-query", "SELECT * FROM parquet.`" + reference + "`", "--report", sparkReport.toString());
        assertEquals(file.err() + file.out(), file.code(), spark.code());
        assertFalse(spark.err(), spark.err().contains("\tat "));
        JsonNode f = new ObjectMapper().readTree(fileReport.toFile());
        JsonNode s = new ObjectMapper().readTree(sparkReport.toFile());
        assertEquals(f.path("status").asText(), s.path("status").asText());
        assertEquals(verdicts(f), verdicts(s));
        assertTrue(verdicts(s).toString(), verdicts(s).stream()
                .anyMatch(v -> v.startsWith("drift.") && v.contains(" drifted ") && v.endsWith(" false")));
        assertEquals(f.path("metrics").path("rows").asLong(), s.path("metrics").path("rows").asLong());
        assertEquals(f.path("metrics").path("drifted_columns").asInt(), s.path("metrics").path("drifted_columns").asInt());
    }

    /** Each finding's check, subject, severity and whether it passed, in a stable order. */
    private static List<String> verdicts(JsonNode report) {
        List<String> verdicts = new ArrayList<>();
        for (JsonNode finding : report.path("findings")) {
            verdicts.add(finding.path("check").asText() + " " + finding.path("subject").asText() + " "
                    + finding.path("severity").asText() + " " + finding.path("passed").asBoolean());
        }
        verdicts.sort(null);
        return verdicts;
    }

    @Test
    public void unreachableServerBadQueryAndMissingTableAreOneLineWithTheirExitCodes() throws Exception {
        Run unreachable = mlstages("evaluate", "--spark-remote", "sc://127.0.0.1:" + SparkConnectServer.freePort(),
                "--table", "preds", "--task", "binary", "--label", "y", "--score", "s");
        assertEquals(unreachable.err(), 3, unreachable.code());
        assertOneLine(unreachable, "mlstages: cannot reach Spark Connect at sc://127.0.0.1:");

        Run badQuery = mlstages("evaluate", "--spark-remote", SERVER.url(), "--query", "SELEC 1", "--task", "binary",
                "--label", "y", "--score", "s");
        assertEquals(badQuery.err(), 2, badQuery.code());
        assertOneLine(badQuery, "mlstages: Spark at " + SERVER.url() + " refused the query: [PARSE_SYNTAX_ERROR]");

        Run missingTable = mlstages("evaluate", "--spark-remote", SERVER.url(), "--table", "no_such_table", "--task",
                "binary", "--label", "y", "--score", "s");
        assertEquals(missingTable.err(), 2, missingTable.code());
        assertOneLine(missingTable, "mlstages: Spark at " + SERVER.url() + " refused the query: [TABLE_OR_VIEW_NOT_FOUND]");
    }

    private static void assertOneLine(Run run, String start) {
        List<String> lines = run.err().lines().filter(l -> l.startsWith("mlstages:")).toList();
        assertEquals(run.err(), 1, lines.size());
        assertTrue(run.err(), lines.get(0).startsWith(start));
        assertFalse(run.err(), run.err().contains("\tat "));
        assertFalse(run.err(), run.err().contains("Exception"));
    }

    private static String finding(JsonNode report, String check, String field) {
        for (JsonNode finding : report.path("findings")) {
            if (finding.path("check").asText().equals(check)) {
                return finding.path(field).asText();
            }
        }
        throw new AssertionError("no finding " + check + " in " + report.path("findings"));
    }
}
