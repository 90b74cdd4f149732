package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.Test;

/** The table source options: one source, a location for it, no secret on the command line; one line and exit 2 otherwise. */
public class TableSourceOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void assertUsage(String expected, Map<String, String> env, String... args) {
        assertEquals(err.toString(), 2, run(env, args));
        String text = err.toString();
        assertTrue(text, text.startsWith("mlstages: " + expected));
        assertEquals(text, 1, text.lines().count());
        err.getBuffer().setLength(0);
    }

    @Test
    public void exactlyOneOfDataTableAndQuery() {
        assertUsage("give --data PATH, or --table NAME or --query SQL", Map.of(), "validate-data");
        assertUsage("give only one of --data, --table and --query", Map.of(), "validate-data", "--data", "x.csv",
                "--table", "t", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x");
        assertUsage("give only one of --data, --table and --query", Map.of(), "validate-data", "--query", "SELECT 1",
                "--table", "t", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x");
        assertUsage("give only one of --reference-table and --reference-query", Map.of(), "validate-data", "--table", "t",
                "--reference-table", "r", "--reference-query", "SELECT 1", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x");
        assertUsage("give only one of --spark-remote and --jdbc-url", Map.of(), "validate-data", "--table", "t",
                "--spark-remote", "sc://127.0.0.1:1", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x");
    }

    @Test
    public void aTableNeedsALocationAndSparkRemoteComesFromTheEnvironment() {
        assertUsage("--table needs --jdbc-url or --spark-remote (or $SPARK_REMOTE)", Map.of(), "validate-data", "--table", "t");
        // With $SPARK_REMOTE the table has a location: what fails then is the missing Spark module, not the options.
        assertUsage("sc:// needs the Spark Connect module", Map.of("SPARK_REMOTE", "sc://127.0.0.1:1"), "validate-data",
                "--table", "t");
    }

    @Test
    public void aSecretOnTheCommandLineIsRefusedWithoutEchoingIt() {
        assertUsage("--spark-remote: a token on the command line is visible to other users", Map.of(), "validate-data",
                "--table", "t", "--spark-remote", "sc://h:443/;token=dapi-secret-value-1");
        assertFalse(out.toString().contains("dapi-secret-value-1"));
        assertUsage("--jdbc-url: a password on the command line is visible to other users", Map.of(), "validate-data",
                "--table", "t", "--jdbc-url", "jdbc:postgresql://h/x?password=secret-value-2");
    }

    @Test
    public void aRefusedUrlParameterIsExitTwo() {
        assertUsage("--jdbc-url: parameter 'socketFactory' is not allowed", Map.of(), "validate-data", "--table", "t",
                "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext");
    }

    @Test
    public void anUnreachableDatabaseIsExitThreeInOneLineWithoutThePassword() {
        assertEquals(3, run(Map.of("MLSTAGES_JDBC_USER", "ml", "MLSTAGES_JDBC_PASSWORD", "pw-never-printed-9"), "validate-data",
                "--table", "t", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x"));
        assertTrue(err.toString(), err.toString().startsWith("mlstages: jdbc:postgresql://127.0.0.1:1/x: "));
        assertFalse(err.toString().contains("pw-never-printed-9"));
        assertFalse(err.toString().contains("\tat "));
    }
}
