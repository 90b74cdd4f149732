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
}
