package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
 * {@code mlstages validate-data --jdbc-url … --table …} end to end against a real PostgreSQL: verdicts and reports,
 * and every failure one line with its exit code, never the password.
 */
public class ValidateTableIT {
    @ClassRule
    public static TemporaryFolder folder = new TemporaryFolder();

    private static LocalPostgres pg;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeClass
    public static void startDatabase() throws Exception {
        pg = LocalPostgres.start();
        pg.execute("mlstages",
                "CREATE TABLE ref AS SELECT g AS id, (g % 97) * 1.5 AS price, CASE WHEN g % 3 = 0 THEN 'a' ELSE 'b' END AS kind"
                        + " FROM generate_series(1, 2000) AS g",
                "CREATE TABLE cur AS SELECT g AS id, (g % 97) * 1.5 + 40 AS price, CASE WHEN g % 3 = 0 THEN 'a' ELSE 'b' END AS kind"
                        + " FROM generate_series(1, 2000) AS g",
                "CREATE TABLE texts (n text, d text)",
                "INSERT INTO texts VALUES ('1', '2024-01-02'), ('22', 'yesterday'), ('x', '2024-02-30x'), (NULL, NULL)",
                "CREATE TABLE dirty AS SELECT g AS id, CASE WHEN g % 10 = 0 THEN NULL ELSE g - 5 END AS age FROM generate_series(1, 100) AS g");
    }

    @AfterClass
    public static void stopDatabase() {
        if (pg != null) {
            pg.close();
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("MLSTAGES_JDBC_USER", LocalPostgres.USER);
        env.put("MLSTAGES_JDBC_PASSWORD", LocalPostgres.PASSWORD);
        env.put("CI", "true");
        return env;
    }

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void assertNoSecret() {
        assertFalse(err.toString(), (out.toString() + err.toString()).contains(LocalPostgres.PASSWORD));
        assertFalse(err.toString(), err.toString().contains("\tat "));
    }

    @Test
    public void aTableWithADriftedColumnWarnsAndWritesTheReport() throws Exception {
        Path report = folder.getRoot().toPath().resolve("report.json");
        int code = run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--table", "cur", "--reference-table", "ref",
                "--report", report.toString());
        assertNoSecret();
        // one of three columns drifted: a WARNING finding, under the dataset's drift share of 0.5
        assertEquals(err.toString(), 0, code);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("WARNING", json.path("status").asText());
        assertEquals(1, json.path("metrics").path("drifted_columns").asInt());
        assertEquals(2000, json.path("metrics").path("rows").asInt());
        assertEquals("postgresql", json.path("dataset").path("format").asText());
        assertTrue(out.toString(), out.toString().contains("WARNING drift.wasserstein price: wasserstein "));
        assertTrue(err.toString(), err.toString().contains("validate-data: the work runs in " + pg.jdbcUrl()));
    }

    @Test
    public void aQueryAgainstItselfPasses() {
        int code = run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--query", "SELECT * FROM ref",
                "--reference-query", "SELECT * FROM ref");
        assertNoSecret();
        assertEquals(err.toString() + out, 0, code);
        assertTrue(out.toString(), out.toString().contains("validate-data PASSED: 2000 rows, 3 columns"));
    }

    @Test
    public void ruleViolationsAreCountedAndShownByValue() throws Exception {
        Path schema = folder.getRoot().toPath().resolve("dirty.yaml");
        Files.writeString(schema, "columns:\n  age: {type: integer, min: 0, nullable: false}\n");
        int code = run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--table", "dirty", "--schema", schema.toString());
        assertNoSecret();
        assertEquals(out.toString(), 1, code);
        assertTrue(out.toString(), out.toString().contains("ERROR column.min age: 4 of 90 values are below 0 ("));
        assertTrue(out.toString(), out.toString().contains("'-4'"));
        assertTrue(out.toString(), out.toString().contains("age: 10 of 100 values are missing"));
    }

    /** Text columns declared integer and date: the values that are not are counted in the database, by their text. */
    @Test
    public void declaredTypesOfTextColumnsAreCheckedInTheDatabase() throws Exception {
        Path schema = folder.getRoot().toPath().resolve("texts.yaml");
        Files.writeString(schema, "columns:\n  n: {type: integer}\n  d: {type: date}\n");
        assertEquals(out.toString() + err, 1, run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--table", "texts",
                "--schema", schema.toString()));
        assertTrue(out.toString(), out.toString().contains("ERROR column.type n: 1 of 3 values are not integer ('x')"));
        assertTrue(out.toString(), out.toString().contains("ERROR column.type d: 2 of 3 values are not date ("));
    }

    /** A table's profile saved once serves as the reference of later runs, which then query only the new data. */
    @Test
    public void aSavedProfileOfATableIsTheReferenceOfTheNext() throws Exception {
        Path profile = folder.getRoot().toPath().resolve("ref-profile.json");
        assertEquals(err.toString(), 0, run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--table", "ref",
                "--save-profile", profile.toString()));
        assertTrue(Files.readString(profile).contains("ml-stages/profile-v1"));
        Path report = folder.getRoot().toPath().resolve("against-profile.json");
        assertEquals(err.toString(), 0, run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--table", "cur",
                "--reference", profile.toString(), "--report", report.toString()));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(1, json.path("metrics").path("drifted_columns").asInt());
        assertTrue(err.toString(), err.toString().contains("reference: saved profile " + profile));
    }

    @Test
    public void aMissingTableAndABadQueryAreExitTwo() {
        assertEquals(2, run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--table", "nope"));
        assertTrue(err.toString(), err.toString().contains("\nmlstages: " + pg.jdbcUrl() + ": ERROR: relation \"nope\" does not exist\n"));
        assertEquals(err.toString(), 1, err.toString().lines().filter(l -> l.startsWith("mlstages:")).count());
        err.getBuffer().setLength(0);
        assertEquals(2, run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--query", "SELEC 1"));
        assertTrue(err.toString(), err.toString().contains("syntax error"));
        assertNoSecret();
    }

    @Test
    public void aWrongPasswordAndAnUnreachableDatabaseAreExitThree() {
        Map<String, String> wrong = env();
        wrong.put("MLSTAGES_JDBC_PASSWORD", "not-the-password-42");
        assertEquals(3, run(wrong, "validate-data", "--jdbc-url", pg.jdbcUrl(), "--table", "ref"));
        assertTrue(err.toString(), err.toString().contains("password authentication failed"));
        assertFalse(err.toString(), err.toString().contains("not-the-password-42"));
        err.getBuffer().setLength(0);
        assertEquals(3, run(env(), "validate-data", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/mlstages", "--table", "ref"));
        assertTrue(err.toString(), err.toString().startsWith("mlstages: jdbc:postgresql://127.0.0.1:1/mlstages: "));
        assertEquals(err.toString(), 1, err.toString().lines().count());
        assertNoSecret();
    }

    @Test
    public void aRefusedUrlParameterNeverReachesTheDriver() {
        assertEquals(2, run(env(), "validate-data", "--jdbc-url", pg.jdbcUrl() + "?loggerFile=/tmp/x.log&loggerLevel=DEBUG",
                "--table", "ref"));
        assertTrue(err.toString(), err.toString().startsWith("mlstages: --jdbc-url: parameter 'loggerFile' is not allowed"));
        assertFalse(Files.exists(Path.of("/tmp/x.log")));
    }

    @Test
    public void aStoppedCliCancelsItsQueryInTheDatabase() throws Exception {
        String sleeping = "SELECT pg_sleep(60)::text AS s";
        try (CliProcess cli = CliProcess.start(env(), "validate-data", "--jdbc-url", pg.jdbcUrl(), "--query", sleeping,
                "--query-timeout", "300")) {
            assertTrue("the query never started: " + Files.readString(cli.log()), awaitSleeping(1, 60));
            assertTrue("the CLI did not end on SIGTERM", cli.stop());
            // without the shutdown hook's cancel request PostgreSQL would sleep on for the rest of the minute
            assertTrue("pg_sleep still running after the CLI ended", awaitSleeping(0, 10));
        }
    }

    /** Waits until as many pg_sleep queries run as expected; false when they do not within the seconds given. */
    private static boolean awaitSleeping(long expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try (java.sql.Connection watcher = pg.connect("mlstages")) {
            while (true) {
                try (java.sql.ResultSet r = watcher.createStatement().executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
                        + " WHERE query LIKE '%pg_sleep(60)%' AND state = 'active' AND pid <> pg_backend_pid()")) {
                    r.next();
                    if (r.getLong(1) == expected) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(200);
            }
        }
    }
}
