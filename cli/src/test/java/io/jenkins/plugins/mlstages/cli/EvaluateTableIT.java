package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.testing.LocalPostgres;

/**
 * {@code mlstages evaluate --jdbc-url … --table …} end to end against a real PostgreSQL: the report's metrics are the
 * file path's on the same rows (exported to CSV by the database), and what the table path refuses is exit 2.
 */
public class EvaluateTableIT {
    @ClassRule
    public static TemporaryFolder folder = new TemporaryFolder();

    private static LocalPostgres pg;
    private static Path csv;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeClass
    public static void startDatabase() throws Exception {
        pg = LocalPostgres.start();
        // deterministic pseudo-random rows generated in the database; the file path reads the same rows as CSV
        pg.execute("mlstages", "CREATE TABLE preds AS SELECT g AS id, CASE WHEN (g * 7919) % 100 < 30 + (g % 40) THEN 1"
                + " ELSE 0 END AS y, round(((g * 104729) % 1000) / 1000.0 * 0.6 + (g % 40) / 100.0, 3)::float8 AS s,"
                + " CASE g % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END AS g,"
                + " (g % 50)::float8 AS t, (g % 50)::float8 + ((g * 31) % 7 - 3) / 2.0 AS p"
                + " FROM generate_series(1, 3000) AS g");
        csv = folder.getRoot().toPath().resolve("preds.csv");
        StringBuilder text = new StringBuilder("id,y,s,g,t,p\n");
        try (var connection = pg.connect("mlstages"); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT id, y, s, g, t, p FROM preds ORDER BY id")) {
            while (rows.next()) {
                text.append(rows.getLong(1)).append(',').append(rows.getInt(2)).append(',').append(rows.getDouble(3))
                        .append(',').append(rows.getString(4)).append(',').append(rows.getDouble(5)).append(',')
                        .append(rows.getDouble(6)).append('\n');
            }
        }
        Files.writeString(csv, text);
    }

    @AfterClass
    public static void stopDatabase() {
        if (pg != null) {
            pg.close();
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("MLSTAGES_JDBC_USER", LocalPostgres.USER);
        env.put("MLSTAGES_JDBC_PASSWORD", LocalPostgres.PASSWORD);
        env.put("CI", "true");
        return env;
    }

    private int run(String... args) {
        int code = Main.run(args, env(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertFalse(err.toString(), (out.toString() + err.toString()).contains(LocalPostgres.PASSWORD));
        assertFalse(err.toString(), err.toString().contains("\tat "));
        return code;
    }

    private JsonNode report(String name, String... args) throws Exception {
        Path report = folder.getRoot().toPath().resolve(name + ".json");
        String[] all = new String[args.length + 3];
        all[0] = "evaluate";
        all[1] = "--report";
        all[2] = report.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        assertEquals(err.toString(), 0, run(all));
        return new ObjectMapper().readTree(report.toFile());
    }

    private static void assertSameMetrics(String what, JsonNode expected, JsonNode actual) {
        assertTrue(what, expected.size() > 0);
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> metric = it.next();
            double e = metric.getValue().asDouble();
            assertTrue(what + ": no " + metric.getKey(), actual.has(metric.getKey()));
            assertEquals(what + " " + metric.getKey(), e, actual.get(metric.getKey()).asDouble(), 1e-9 * Math.max(1, Math.abs(e)));
        }
    }

    @Test
    public void aTableGivesTheFilesMetricsSlicesAndLineage() throws Exception {
        String[] binary = {"--task", "binary", "--label", "y", "--score", "s", "--slice", "g", "--resamples", "0"};
        JsonNode file = report("binary-file", concat(new String[] {"--predictions", csv.toString()}, binary));
        JsonNode table = report("binary-table", concat(new String[] {"--jdbc-url", pg.jdbcUrl(), "--table", "preds"}, binary));
        assertEquals(3000, table.path("rows").asLong());
        assertSameMetrics("binary", file.path("metrics"), table.path("metrics"));
        assertEquals(file.path("confusion_matrix"), table.path("confusion_matrix"));
        assertEquals(3, table.path("slices").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(file.path("slices").get(i).path("key"), table.path("slices").get(i).path("key"));
            assertSameMetrics("slice " + i, file.path("slices").get(i).path("metrics"), table.path("slices").get(i).path("metrics"));
        }
        assertEquals("preds", table.path("lineage").get(0).path("attributes").path("table").asText());
        assertTrue(err.toString(), err.toString().contains("evaluate: the work runs in " + pg.jdbcUrl()));

        String[] regression = {"--task", "regression", "--label", "t", "--prediction", "p", "--resamples", "0"};
        assertSameMetrics("regression", report("regression-file", concat(new String[] {"--predictions", csv.toString()},
                regression)).path("metrics"), report("regression-table", concat(new String[] {"--jdbc-url", pg.jdbcUrl(),
                        "--query", "SELECT t, p FROM preds"}, regression)).path("metrics"));
    }

    /** Multiclass, a champion and a sensitive column need the rows: exit 2, one line, before any query. */
    @Test
    public void whatNeedsTheRowsIsRefused() {
        assertEquals(2, run("evaluate", "--jdbc-url", pg.jdbcUrl(), "--table", "preds", "--task", "multiclass", "--label", "g",
                "--prediction", "g"));
        assertTrue(err.toString(), err.toString().contains("--task multiclass is not pushed down to a table source"));
        assertEquals(2, run("evaluate", "--jdbc-url", pg.jdbcUrl(), "--table", "preds", "--task", "binary", "--label", "y",
                "--score", "s", "--champion-score", "s"));
        assertEquals(2, run("evaluate", "--jdbc-url", pg.jdbcUrl(), "--table", "preds", "--task", "binary", "--label", "y",
                "--score", "s", "--sensitive", "g"));
        assertTrue(err.toString(), err.toString().contains("--champion-score and --sensitive need the rows"));
        assertEquals(2, run("evaluate", "--jdbc-url", pg.jdbcUrl(), "--table", "preds", "--predictions", csv.toString(),
                "--task", "binary", "--label", "y", "--score", "s"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
