package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import io.jenkins.plugins.mlstages.testing.LocalPostgres;

/**
 * Evaluate over a PostgreSQL table (a real server, started for this suite) gives the file path's metrics on the
 * same rows, written to CSV: exact sums within 1e-9 (docs/tables.md, "Evaluate over a table"), the same confusion
 * matrix, slices and curves. The scores have a few thousand distinct values, so the ranking is the exact path.
 */
public class TableEvaluatePostgresIT {
    @ClassRule
    public static TemporaryFolder folder = new TemporaryFolder();

    private static final int ROWS = 4000;
    private static LocalPostgres pg;
    private static Path csv;
    private static Path typedCsv;
    private static Path manyCsv;

    @BeforeClass
    public static void startDatabase() throws Exception {
        pg = LocalPostgres.start();
        csv = folder.getRoot().toPath().resolve("predictions.csv");
        Files.writeString(csv, generate(new Random(11)));
        pg.execute("mlstages", "CREATE TABLE predictions (id bigint, y integer, s double precision, q integer, g text,"
                + " t double precision, p double precision)");
        try (Connection connection = pg.connect("mlstages"); Reader in = Files.newBufferedReader(csv)) {
            new CopyManager(connection.unwrap(BaseConnection.class))
                    .copyIn("COPY predictions FROM STDIN WITH (FORMAT csv, HEADER true, NULL '')", in);
        }
        typedCsv = folder.getRoot().toPath().resolve("typed.csv");
        Files.writeString(typedCsv, typed(new Random(12)));
        // other column types, and names and values that need quoting
        pg.execute("mlstages", "CREATE TABLE typed (\"Outcome\" text, \"Score\" numeric(6,4), flag boolean, bucket integer,"
                + " region text)");
        copy("typed", typedCsv);
        manyCsv = folder.getRoot().toPath().resolve("many.csv");
        Files.writeString(manyCsv, many(new Random(13)));
        pg.execute("mlstages", "CREATE TABLE bad (y text, s double precision, t double precision)",
                "INSERT INTO bad VALUES ('1', 0.9, 1), ('0', 'NaN', 2), ('0', 'Infinity', 3), (NULL, 0.2, 'NaN'),"
                        + " ('maybe', 0.4, 4)");
        pg.execute("mlstages", "CREATE TABLE many (y integer, s double precision)");
        copy("many", manyCsv);
    }

    private static void copy(String table, Path file) throws Exception {
        try (Connection connection = pg.connect("mlstages"); Reader in = Files.newBufferedReader(file)) {
            new CopyManager(connection.unwrap(BaseConnection.class))
                    .copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER true, NULL '')", in);
        }
    }

    /** Text labels (positive "churn"), a numeric score, a boolean label, an integer slice, slice text with ' and \\. */
    static String typed(Random random) {
        StringBuilder out = new StringBuilder("Outcome,Score,flag,bucket,region\n");
        String[] regions = {"O'Hare", "back\\slash", "plain"};
        for (int i = 0; i < 3000; i++) {
            double x = random.nextGaussian();
            boolean positive = random.nextDouble() < 1 / (1 + Math.exp(-2 * x));
            double score = Math.round(10000.0 / (1 + Math.exp(-x))) / 10000.0;
            out.append(positive ? "churn" : "stay").append(',').append(String.format(Locale.ROOT, "%.4f", score)).append(',')
                    .append(positive).append(',').append(random.nextInt(12)).append(',')
                    .append('"').append(regions[random.nextInt(3)]).append('"').append('\n');
        }
        return out.toString();
    }

    /** More distinct scores than the exact ranking takes: the histogram path. */
    static String many(Random random) {
        StringBuilder out = new StringBuilder("y,s\n");
        for (int i = 0; i < TableEvaluate.MAX_EXACT_SCORES + 20_000; i++) {
            double x = random.nextGaussian();
            out.append(random.nextDouble() < 1 / (1 + Math.exp(-x)) ? 1 : 0).append(',')
                    .append(1 / (1 + Math.exp(-(x + random.nextGaussian())))).append('\n');
        }
        return out.toString();
    }

    @AfterClass
    public static void stopDatabase() {
        if (pg != null) {
            pg.close();
        }
    }

    /**
     * Binary labels {@code y} with a probability {@code s} (3 decimals: ties, and exact 0 and 1), a predicted label
     * {@code q}, a slice {@code g} with missing values and one small value, a regression target {@code t} and
     * prediction {@code p} (some targets near 0, for the percentage error's floor).
     */
    static String generate(Random random) {
        StringBuilder out = new StringBuilder("id,y,s,q,g,t,p\n");
        String[] groups = {"north", "south", "east"};
        for (int i = 0; i < ROWS; i++) {
            double x = random.nextGaussian();
            int y = random.nextDouble() < 1 / (1 + Math.exp(-2 * x)) ? 1 : 0;
            double s = i % 997 == 1 ? 1.0 : i % 991 == 2 ? 0.0
                    : Math.round(1000.0 / (1 + Math.exp(-(1.5 * x + 0.5 * random.nextGaussian())))) / 1000.0;
            int q = s >= 0.5 ? 1 : 0;
            String g = i % 40 == 3 ? "" : i % 500 == 7 ? "west" : groups[random.nextInt(3)];
            double t = i % 300 == 5 ? 0.0 : 50 + 10 * x;
            double p = t + random.nextGaussian() * 2 + 0.3;
            out.append(i).append(',').append(y).append(',').append(s).append(',').append(q).append(',').append(g)
                    .append(',').append(String.format(Locale.ROOT, "%.6f", t)).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", p)).append('\n');
        }
        return out.toString();
    }

    private static EvaluateRequest request(Task task, String label, List<String> scores, String prediction,
            List<String> slices, String thresholdMetric) {
        return request(csv, task, label, scores, prediction, slices, thresholdMetric, null);
    }

    private static EvaluateRequest request(Path file, Task task, String label, List<String> scores, String prediction,
            List<String> slices, String thresholdMetric, String positiveLabel) {
        return new EvaluateRequest(file, null, null, task, label, scores, prediction, slices,
                EvaluateRequest.DEFAULT_MIN_SLICE_SIZE, null, thresholdMetric, positiveLabel, 0, 0.95, 42, null, null,
                EvaluateRequest.DEFAULT_CURVE_POINTS, null);
    }

    private static EvaluateResult fromFile(EvaluateRequest request) throws Exception {
        return new EvaluateModel(StageLog.NONE).run(request);
    }

    private static EvaluateResult fromTable(EvaluateRequest request, TableQuery source) throws Exception {
        try (SqlEngine engine = SqlEngines.open(pg.jdbcUrl(), Map.of(SqlEngines.JDBC_USER, LocalPostgres.USER,
                SqlEngines.JDBC_PASSWORD, LocalPostgres.PASSWORD))) {
            return new TableEvaluate(engine, StageLog.NONE, Duration.ofMinutes(5)).run(request, source,
                    source.table() != null ? "--table" : "--query");
        }
    }

    /** Every metric of {@code expected} in {@code actual}, equal up to the order of floating-point sums. */
    private static void assertSameMetrics(String what, Map<String, Double> expected, Map<String, Double> actual) {
        Map<String, Double> missing = new TreeMap<>();
        for (Map.Entry<String, Double> metric : expected.entrySet()) {
            Double a = actual.get(metric.getKey());
            if (a == null) {
                missing.put(metric.getKey(), metric.getValue());
                continue;
            }
            double e = metric.getValue();
            assertEquals(what + " " + metric.getKey(), e, a, 1e-9 * Math.max(1, Math.abs(e)));
        }
        assertTrue(what + ": metrics missing from the table path: " + missing, missing.isEmpty());
    }

    private static void assertSameCurve(String what, EvaluateResult.CurveView f, EvaluateResult.CurveView t) {
        assertNotNull(what, t);
        assertArrayEquals(what + " x", f.xs(), t.xs(), 1e-9);
        assertArrayEquals(what + " y", f.ys(), t.ys(), 1e-9);
    }

    @Test
    public void binaryScoresWithASliceEqualTheFilePath() throws Exception {
        EvaluateRequest request = request(Task.BINARY, "y", List.of("s"), null, List.of("g"), null);
        EvaluateResult file = fromFile(request);
        EvaluateResult table = fromTable(request, TableQuery.table("predictions"));
        assertEquals(ROWS, table.rows());
        assertEquals(file.status(), table.status());
        assertTrue(file.metrics().containsKey("roc_auc"));
        assertTrue(file.metrics().containsKey("log_loss"));
        assertSameMetrics("binary", file.metrics(), table.metrics());
        assertArrayEquals(file.confusionMatrix(), table.confusionMatrix());
        assertEquals(file.threshold(), table.threshold());
        assertSameCurve("roc", file.curves().roc(), table.curves().roc());
        assertSameCurve("precision-recall", file.curves().precisionRecall(), table.curves().precisionRecall());
        assertSameCurve("calibration", file.curves().calibration(), table.curves().calibration());

        // the slices: the same keys in the same order ("(missing)" among them), rows, and metrics; "west" is too small
        assertEquals(5, file.slices().size());
        assertEquals(file.slices().size(), table.slices().size());
        for (int i = 0; i < file.slices().size(); i++) {
            EvaluateResult.SliceMetrics f = file.slices().get(i);
            EvaluateResult.SliceMetrics t = table.slices().get(i);
            assertEquals(f.key(), t.key());
            assertEquals(f.key(), f.rows(), t.rows());
            assertEquals(f.key(), f.evaluated(), t.evaluated());
            if (f.evaluated()) {
                assertSameMetrics("slice " + f.key(), f.metrics(), t.metrics());
            }
        }
    }

    @Test
    public void aChosenThresholdAndPredictedLabelsEqualTheFilePath() throws Exception {
        EvaluateRequest chosen = request(Task.BINARY, "y", List.of("s"), null, List.of(), "f1");
        EvaluateResult file = fromFile(chosen);
        EvaluateResult table = fromTable(chosen, TableQuery.query("SELECT y, s FROM predictions WHERE id >= 0"));
        assertEquals(file.threshold(), table.threshold());
        assertSameMetrics("threshold f1", file.metrics(), table.metrics());

        EvaluateRequest labels = request(Task.BINARY, "y", List.of(), "q", List.of(), null);
        EvaluateResult labelsFile = fromFile(labels);
        EvaluateResult labelsTable = fromTable(labels, TableQuery.table("predictions"));
        assertSameMetrics("predicted labels", labelsFile.metrics(), labelsTable.metrics());
        assertArrayEquals(labelsFile.confusionMatrix(), labelsTable.confusionMatrix());
    }

    @Test
    public void regressionSumsAndMomentsEqualTheFilePath() throws Exception {
        EvaluateRequest request = request(Task.REGRESSION, "t", List.of(), "p", List.of("g"), null);
        EvaluateResult file = fromFile(request);
        EvaluateResult table = fromTable(request, TableQuery.table("predictions"));
        assertEquals(ROWS, table.rows());
        assertTrue(file.metrics().containsKey("r2_score"));
        assertSameMetrics("regression", file.metrics(), table.metrics());
        assertEquals(file.slices().size(), table.slices().size());
        for (int i = 0; i < file.slices().size(); i++) {
            EvaluateResult.SliceMetrics f = file.slices().get(i);
            EvaluateResult.SliceMetrics t = table.slices().get(i);
            assertEquals(f.key(), t.key());
            if (f.evaluated()) {
                assertSameMetrics("slice " + f.key(), f.metrics(), t.metrics());
            }
        }
    }

    /** The same slice checks for every slice column of both results. */
    private static void assertSameSlices(EvaluateResult file, EvaluateResult table) {
        assertEquals(file.slices().stream().map(EvaluateResult.SliceMetrics::key).toList(),
                table.slices().stream().map(EvaluateResult.SliceMetrics::key).toList());
        for (int i = 0; i < file.slices().size(); i++) {
            EvaluateResult.SliceMetrics f = file.slices().get(i);
            EvaluateResult.SliceMetrics t = table.slices().get(i);
            assertEquals(f.key(), f.rows(), t.rows());
            if (f.evaluated()) {
                assertSameMetrics("slice " + f.key(), f.metrics(), t.metrics());
            }
        }
    }

    /** Quoted mixed-case names, text labels with a positive label, numeric scores, boolean labels, quotes in slice values. */
    @Test
    public void otherColumnTypesAndQuotedNamesEqualTheFilePath() throws Exception {
        EvaluateRequest text = request(typedCsv, Task.BINARY, "Outcome", List.of("Score"), null, List.of("region", "bucket"),
                null, "churn");
        EvaluateResult file = fromFile(text);
        EvaluateResult table = fromTable(text, TableQuery.table("typed"));
        assertSameMetrics("text labels", file.metrics(), table.metrics());
        assertArrayEquals(file.confusionMatrix(), table.confusionMatrix());
        assertTrue(file.slices().stream().anyMatch(slice -> slice.key().equals("region=back\\slash")));
        assertSameSlices(file, table);

        EvaluateRequest flags = request(typedCsv, Task.BINARY, "flag", List.of("Score"), null, List.of(), null, null);
        assertSameMetrics("boolean labels", fromFile(flags).metrics(), fromTable(flags, TableQuery.table("typed")).metrics());
    }

    /** Past {@value TableEvaluate#MAX_EXACT_SCORES} distinct scores: sums exact, the ROC AUC within the reported bound. */
    @Test
    public void manyDistinctScoresGoThroughTheHistogramWithinItsBound() throws Exception {
        EvaluateRequest request = request(manyCsv, Task.BINARY, "y", List.of("s"), null, List.of(), null, null);
        EvaluateResult file = fromFile(request);
        EvaluateResult table = fromTable(request, TableQuery.table("many"));
        double bound = Double.parseDouble(table.findings().stream().filter(f -> f.check().equals("evaluate.histogram"))
                .findFirst().orElseThrow().observed());
        assertTrue("bound " + bound, bound > 0 && bound < 1e-3);
        assertEquals(file.metrics().get("roc_auc"), table.metrics().get("roc_auc"), bound);
        for (String exact : new String[] {"log_loss", "brier_score_loss", "expected_calibration_error", "accuracy_score"}) {
            assertEquals(exact, file.metrics().get(exact), table.metrics().get(exact), 1e-9);
        }
        assertArrayEquals(file.confusionMatrix(), table.confusionMatrix());
    }

    private static String refused(EvaluateRequest request, String query) throws Exception {
        TableSourceException e = assertThrows(TableSourceException.class, () -> fromTable(request, TableQuery.query(query)));
        assertFalse(e.getMessage(), e.getMessage().contains("\n"));
        return e.getMessage();
    }

    /** Bad predictions in the table are one line naming the column, as the file path's errors. */
    @Test
    public void badPredictionsAreOneLineNamingTheColumn() throws Exception {
        EvaluateRequest binary = request(Task.BINARY, "y", List.of("s"), null, List.of(), null);
        String nonFinite = refused(binary, "SELECT y, s FROM bad WHERE y IS NOT NULL AND y <> 'maybe'");
        assertTrue(nonFinite, nonFinite.contains("--score: column 's' has 0 missing values and 2 NaN or infinite values"));
        String missing = refused(binary, "SELECT y, s FROM bad WHERE s < 0.5");
        assertTrue(missing, missing.contains("--label: column 'y' has 1 missing value"));
        String neither = refused(binary, "SELECT y, s FROM bad WHERE y IS NOT NULL AND s < 0.5");
        assertTrue(neither, neither.contains("--label: column 'y' has 1 label that are not 0/1") && neither.contains("'maybe'"));
        EvaluateRequest regression = request(Task.REGRESSION, "t", List.of(), "s", List.of(), null);
        String target = refused(regression, "SELECT t, s FROM bad WHERE s < 0.5");
        assertTrue(target, target.contains("--label: column 't' has 1 value that are missing or not finite numbers"));
        String empty = refused(binary, "SELECT y, s FROM bad WHERE false");
        assertTrue(empty, empty.contains("the predictions have no rows"));
    }
}
