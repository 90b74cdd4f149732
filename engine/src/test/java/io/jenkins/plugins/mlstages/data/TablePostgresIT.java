package io.jenkins.plugins.mlstages.data;

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
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import io.jenkins.plugins.mlstages.table.TimedQuery;
import io.jenkins.plugins.mlstages.testing.LocalPostgres;

/**
 * The same generated data validated from CSV files and from PostgreSQL tables (a real server, started for this
 * suite) gives the same verdicts, the same counts and, within the documented bounds (docs/tables.md), the same
 * statistics and drift scores.
 */
public class TablePostgresIT {
    @ClassRule
    public static TemporaryFolder folder = new TemporaryFolder();

    private static LocalPostgres pg;
    private static Path referenceCsv;
    private static Path currentCsv;
    private static Path schemaFile;
    private static final int ROWS = 3000;

    @BeforeClass
    public static void startDatabase() throws Exception {
        pg = LocalPostgres.start();
        referenceCsv = write("reference.csv", generate(new Random(1), false));
        currentCsv = write("current.csv", generate(new Random(2), true));
        schemaFile = write("schema.yaml", String.join("\n",
                "dataset: {min_rows: 100}",
                "columns:",
                "  id: {type: integer, unique: true}",
                "  amount: {type: number, min: 0, max: 900}",
                "  age: {type: integer, nullable: false}",
                "  city: {type: category, allowed_values: [north, south, east, west]}",
                "  active: {type: boolean}",
                "  seen: {type: timestamp, min: '2024-01-01T00:00:00'}",
                "  score: {type: number}",
                "  code: {type: string, regex: '[A-Z]{3}-[0-9]+', max_length: 8}",
                ""));
        String ddl = "(id bigint, amount double precision, age integer, city text, active boolean, seen timestamp,"
                + " score double precision, code text)";
        pg.execute("mlstages", "CREATE TABLE reference " + ddl, "CREATE TABLE current " + ddl);
        try (Connection connection = pg.connect("mlstages")) {
            CopyManager copy = new CopyManager(connection.unwrap(BaseConnection.class));
            for (String table : new String[] {"reference", "current"}) {
                try (Reader in = Files.newBufferedReader(table.equals("reference") ? referenceCsv : currentCsv)) {
                    copy.copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER true, NULL '')", in);
                }
            }
        }
    }

    @AfterClass
    public static void stopDatabase() {
        if (pg != null) {
            pg.close();
        }
    }

    /** Numbers with nulls and a NaN, categories, booleans, timestamps, a drifted column, rule violations. */
    static String generate(Random random, boolean drifted) {
        StringBuilder csv = new StringBuilder("id,amount,age,city,active,seen,score,code\n");
        String[] cities = {"north", "south", "east", "west"};
        LocalDateTime start = LocalDateTime.of(2024, 1, 1, 0, 0);
        for (int i = 0; i < ROWS; i++) {
            long id = i == 17 ? 16 : i; // one duplicate
            String amount = i % 20 == 3 ? "" : i == 5 ? "NaN" : Double.toString(Math.round(random.nextDouble() * 100_000) / 100.0);
            String age = i % 50 == 7 ? "" : Integer.toString(18 + random.nextInt(60));
            String city = i % 500 == 9 ? "mars" : cities[random.nextInt(drifted ? 3 : 4) + (drifted ? 1 : 0) > 3 ? 3
                    : random.nextInt(4)];
            String active = random.nextDouble() < 0.3 ? "true" : "false";
            String seen = start.plusMinutes(i * 7L + random.nextInt(5)).toString();
            double gauss = random.nextGaussian();
            String score = Double.toString(drifted ? 1.5 + gauss : gauss);
            String code = i % 400 == 11 ? "bad" : String.format(Locale.ROOT, "%s-%d", "ABC", random.nextInt(drifted ? 9999 : 999));
            csv.append(id).append(',').append(amount).append(',').append(age).append(',').append(city).append(',')
                    .append(active).append(',').append(seen).append(',').append(score).append(',').append(code).append('\n');
        }
        return csv.toString();
    }

    private static Path write(String name, String content) throws Exception {
        Path path = folder.getRoot().toPath().resolve(name);
        Files.writeString(path, content);
        return path;
    }

    private static SqlEngine engine() throws TableSourceException {
        return SqlEngines.open(pg.jdbcUrl(), Map.of(SqlEngines.JDBC_USER, LocalPostgres.USER, SqlEngines.JDBC_PASSWORD,
                LocalPostgres.PASSWORD));
    }

    private static ValidateData.Validation fromFiles(int sampleSize) throws Exception {
        DataSchema schema = SchemaLoader.load(schemaFile);
        return new ValidateData(StageLog.NONE).validate(new ValidateDataRequest(currentCsv, null, null, schema, referenceCsv,
                null, 5, sampleSize, 42, "current"));
    }

    private static ValidateData.Validation fromTables(TableQuery data, TableQuery reference, int sampleSize) throws Exception {
        DataSchema schema = SchemaLoader.load(schemaFile);
        try (SqlEngine engine = engine()) {
            return new ValidateData(StageLog.NONE).validateTable(engine, new TableValidateRequest(data, reference, null, schema,
                    5, sampleSize, "current", true, Duration.ofMinutes(5)));
        }
    }

    @Test
    public void aTableGivesTheFilesVerdictsCountsAndStatistics() throws Exception {
        ValidateData.Validation file = fromFiles(50_000);
        ValidateData.Validation table = fromTables(TableQuery.table("current"), TableQuery.table("reference"), 50_000);

        assertEquals(file.result().status(), table.result().status());
        assertEquals(findings(file.result().findings()), findings(table.result().findings()));
        assertEquals(file.profile().rows(), table.profile().rows());
        for (ColumnProfile f : file.profile().columns()) {
            ColumnProfile t = table.profile().column(f.name()).orElseThrow();
            String at = f.name();
            assertEquals(at, f.type(), t.type());
            assertEquals(at, f.count(), t.count());
            assertEquals(at, f.nulls(), t.nulls());
            assertEquals(at, f.nonFinite(), t.nonFinite());
            if (f.distinctExact()) {
                assertEquals(at, f.distinct(), t.distinct());
            }
            assertClose(at + " min", f.min(), t.min(), 0);
            assertClose(at + " max", f.max(), t.max(), 0);
            assertClose(at + " mean", f.mean(), t.mean(), 1e-9);
            assertClose(at + " std", f.std(), t.std(), 1e-9);
            if (f.quantiles() != null) {
                // within the sample size the grid is every value: the quantiles are the file path's exactly
                for (String q : f.quantiles().keySet()) {
                    assertClose(at + " " + q, f.quantiles().get(q), t.quantiles().get(q), 1e-12);
                }
                assertArrayEquals(at, f.sample(), t.sample(), 0);
                assertArrayEquals(at, f.psiEdges(), t.psiEdges(), 0);
                assertArrayEquals(at, f.psiCounts(), t.psiCounts());
                assertArrayEquals(at, f.referenceBinCounts(), t.referenceBinCounts());
                // the file path's display histogram comes from a KLL sketch (±1.65 % of the values per bin); the table's is exact
                long[] fc = f.histogram().counts();
                long[] tc = t.histogram().counts();
                assertEquals(at, fc.length, tc.length);
                for (int i = 0; i < fc.length; i++) {
                    assertTrue(at + " bin " + i + ": " + fc[i] + " vs " + tc[i], Math.abs(fc[i] - tc[i]) <= 0.0165 * f.count() + 1);
                }
            }
            if (f.type() == ColumnType.CATEGORY || f.type() == ColumnType.BOOLEAN) {
                assertEquals(at, f.categories(), t.categories());
                assertEquals(at, f.topValues(), t.topValues());
            }
        }
        List<ColumnDrift> fd = file.result().drift();
        List<ColumnDrift> td = table.result().drift();
        assertEquals(fd.size(), td.size());
        for (int i = 0; i < fd.size(); i++) {
            ColumnDrift a = fd.get(i);
            ColumnDrift b = td.get(i);
            assertEquals(a.column(), b.column());
            assertEquals(a.column(), a.method(), b.method());
            assertEquals(a.column(), a.drifted(), b.drifted());
            assertEquals(a.column(), a.statistic(), b.statistic(), 1e-9);
        }
        assertTrue("score drifted", td.stream().anyMatch(d -> d.column().equals("score") && d.drifted()));
        assertEquals("postgresql", table.result().dataset().format());
        assertEquals("current", table.result().lineage().get(0).attributes().get("table"));
        assertEquals(pg.jdbcUrl(), table.result().lineage().get(0).attributes().get("source"));
    }

    @Test
    public void aQueryGivesWhatItsTableGives() throws Exception {
        ValidateData.Validation table = fromTables(TableQuery.table("current"), TableQuery.table("reference"), 50_000);
        ValidateData.Validation query = fromTables(TableQuery.query("SELECT * FROM current WHERE 1 = 1;"),
                TableQuery.query("SELECT * FROM reference"), 50_000);
        assertEquals(findings(table.result().findings()), findings(query.result().findings()));
        assertNotNull(query.result().lineage().get(0).attributes().get("query_sha256"));
    }

    /**
     * With a grid smaller than the data (sample size 500 of 3000 values) KS and Wasserstein stay within the documented
     * bound of the exact values: KS within 1/m_ref + 1/m_cur, Wasserstein within (range_ref/m_ref + range_cur/m_cur)/std_ref.
     */
    @Test
    public void aCoarseGridStaysWithinTheDocumentedBound() throws Exception {
        DataSchema base = SchemaLoader.load(schemaFile);
        Map<String, ColumnRules> columns = new java.util.LinkedHashMap<>(base.columns());
        columns.put("amount", new ColumnRules("amount", null, null, null, null, null, null, null, null, null,
                new ColumnRules.DriftSetting(DriftMethod.WASSERSTEIN, null, false)));
        columns.put("score", new ColumnRules("score", null, null, null, null, null, null, null, null, null,
                new ColumnRules.DriftSetting(DriftMethod.KS, null, false)));
        DataSchema schema = new DataSchema(null, columns, null);
        ValidateData.Validation exact = new ValidateData(StageLog.NONE).validate(new ValidateDataRequest(currentCsv, null, null,
                schema, referenceCsv, null, 5, 50_000, 42, "current"));
        ValidateData.Validation coarse;
        try (SqlEngine engine = engine()) {
            coarse = new ValidateData(StageLog.NONE).validateTable(engine, new TableValidateRequest(TableQuery.table("current"),
                    TableQuery.table("reference"), null, schema, 5, 500, "current", true, Duration.ofMinutes(5)));
        }
        int m = 500;
        ColumnDrift ksExact = drift(exact, "score");
        ColumnDrift ksGrid = drift(coarse, "score");
        assertTrue(ksGrid.sampled());
        assertEquals(ksExact.statistic(), ksGrid.statistic(), 2.0 / m);
        ColumnProfile ref = exact.profile().column("amount").orElseThrow();
        ColumnDrift wExact = drift(exact, "amount");
        ColumnDrift wGrid = drift(coarse, "amount");
        double range = ref.max() - ref.min();
        assertEquals(wExact.statistic(), wGrid.statistic(), 2 * range / m / ref.std());
    }

    private static ColumnDrift drift(ValidateData.Validation validation, String column) {
        return validation.result().drift().stream().filter(d -> d.column().equals(column)).findFirst().orElseThrow();
    }

    @Test
    public void aMissingTableAndABadQueryAreTheQuerysFaultInOneLine() throws Exception {
        TableSourceException missing = assertThrows(TableSourceException.class,
                () -> fromTables(TableQuery.table("nope"), null, 1000));
        assertFalse(missing.isInfrastructure());
        assertTrue(missing.getMessage(), missing.getMessage().contains("relation \"nope\" does not exist"));
        assertFalse(missing.getMessage().contains("\n"));
        TableSourceException bad = assertThrows(TableSourceException.class,
                () -> fromTables(TableQuery.query("SELEC id FROM current"), null, 1000));
        assertFalse(bad.isInfrastructure());
        assertTrue(bad.getMessage(), bad.getMessage().contains("syntax error"));
    }

    @Test
    public void aWrongPasswordIsInfrastructureAndNotShown() {
        TableSourceException e = assertThrows(TableSourceException.class, () -> SqlEngines.open(pg.jdbcUrl(),
                Map.of(SqlEngines.JDBC_USER, LocalPostgres.USER, SqlEngines.JDBC_PASSWORD, "wrong-password-777")));
        assertTrue(e.isInfrastructure());
        assertTrue(e.getMessage(), e.getMessage().contains("password authentication failed"));
        assertFalse(e.getMessage().contains("wrong-password-777"));
    }

    @Test
    public void aQueryPastItsTimeoutIsCancelledAsInfrastructure() throws Exception {
        try (SqlEngine engine = engine()) {
            long started = System.nanoTime();
            TableSourceException e = assertThrows(TableSourceException.class,
                    () -> engine.query("SELECT pg_sleep(30)", Duration.ofSeconds(1)));
            assertTrue(e.isInfrastructure());
            assertEquals(pg.jdbcUrl() + ": the query did not finish in 1 s (cancelled)", e.getMessage());
            assertTrue("cancelled within seconds", System.nanoTime() - started < 15_000_000_000L);
            // the connection serves the next query
            assertEquals(1L, engine.query("SELECT 1", Duration.ofSeconds(30)).rows().get(0).get(0));
        }
    }

    @Test
    public void anInterruptedQueryIsCancelledOnTheServer() throws Exception {
        try (SqlEngine engine = engine(); SqlEngine watcher = engine()) {
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    Thread.sleep(1_500);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            interrupter.start();
            assertThrows(InterruptedException.class, () -> TimedQuery.run(engine, "SELECT pg_sleep(60)",
                    Duration.ofSeconds(120), StageLog.NONE, "sleep"));
            interrupter.join();
            // without the cancel request the server would sleep on for a minute after we stopped waiting
            String running = "SELECT COUNT(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'";
            long deadline = System.nanoTime() + 10_000_000_000L;
            long active;
            do {
                Thread.sleep(200);
                active = (Long) watcher.query(running, Duration.ofSeconds(30)).rows().get(0).get(0);
            } while (active > 0 && System.nanoTime() < deadline);
            assertEquals("pg_sleep still running on the server", 0L, active);
        }
    }

    @Test
    public void theQueriesAreReadOnly() throws Exception {
        try (SqlEngine engine = engine()) {
            TableSourceException e = assertThrows(TableSourceException.class,
                    () -> engine.query("DELETE FROM current RETURNING id", Duration.ofSeconds(30)));
            assertTrue(e.getMessage(), e.getMessage().contains("read-only"));
        }
        try (SqlEngine engine = engine()) {
            assertEquals((long) ROWS, engine.query("SELECT COUNT(*) FROM current", Duration.ofSeconds(30)).rows().get(0).get(0));
        }
    }

    /** The findings as check, column, verdict and observed counts: the messages' examples name rows in files, values in tables. */
    private static List<String> findings(List<Finding> findings) {
        List<String> list = new ArrayList<>();
        for (Finding f : findings) {
            list.add(f.check() + " " + f.subject() + " " + f.passed() + " " + (f.check().startsWith("drift") ? "" : f.observed()));
        }
        return list;
    }

    private static void assertClose(String what, Double expected, Double actual, double relative) {
        if (expected == null) {
            assertEquals(what, null, actual);
            return;
        }
        assertNotNull(what, actual);
        assertEquals(what, expected, actual, Math.abs(expected) * relative + 1e-12);
    }
}
