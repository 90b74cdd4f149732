package io.jenkins.plugins.mlstages.cli;

import java.time.Duration;
import java.util.Map;

import io.jenkins.plugins.mlstages.table.SqlEngines;
import io.jenkins.plugins.mlstages.table.TableQuery;
import picocli.CommandLine.Option;

/**
 * The options that read a dataset from a table instead of a file, shared by validate-data and evaluate
 * (docs/tables.md): where the SQL runs ({@code --spark-remote} or {@code --jdbc-url}) and what to read
 * ({@code --table} or {@code --query}, and for validate-data the reference's). Credentials never come from here:
 * only from the environment ({@link SqlEngines}), since the command line is visible to every user of the machine.
 */
public final class TableSourceOptions {
    /** Spark's own convention for the Spark Connect URL. */
    public static final String SPARK_REMOTE_ENV = "SPARK_REMOTE";

    @Option(names = "--spark-remote", paramLabel = "URL",
            description = "Spark Connect server (sc://host:port) to run the work on, with --table or --query (default: $SPARK_REMOTE);"
                    + " a token only from the environment (docs/tables.md)")
    String sparkRemote;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "JDBC URL of a database to run the work on, with --table or --query (jdbc:postgresql://host:port/db);"
                    + " credentials from $MLSTAGES_JDBC_USER and $MLSTAGES_JDBC_PASSWORD")
    String jdbcUrl;

    @Option(names = "--table", paramLabel = "NAME", description = "read the dataset from this table (with --spark-remote or --jdbc-url)")
    String table;

    @Option(names = "--query", paramLabel = "SQL", description = "read the dataset as the rows of this SELECT (with --spark-remote or --jdbc-url)")
    String query;

    @Option(names = "--reference-table", paramLabel = "NAME", description = "the reference for drift from this table")
    String referenceTable;

    @Option(names = "--reference-query", paramLabel = "SQL", description = "the reference for drift as the rows of this SELECT")
    String referenceQuery;

    @Option(names = "--query-timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "the longest one query of a table source may run (default: ${DEFAULT-VALUE})")
    long queryTimeoutSeconds;

    /** {@code --query-timeout}, checked: 1 s to a day. */
    public Duration queryTimeout() {
        if (queryTimeoutSeconds <= 0 || queryTimeoutSeconds > 86_400) {
            throw new IllegalArgumentException("--query-timeout must be between 1 and 86400 seconds, was " + queryTimeoutSeconds);
        }
        return Duration.ofSeconds(queryTimeoutSeconds);
    }

    /** Whether the dataset comes from a table source ({@code --table} or {@code --query}) rather than a file. */
    public boolean chosen() {
        return table != null || query != null;
    }

    /** Whether the reference comes from a table source. */
    public boolean referenceChosen() {
        return referenceTable != null || referenceQuery != null;
    }

    /**
     * Checks the combination before any work; each complaint is one line naming the options.
     *
     * @param fileOption the file option the table options replace ({@code --data}, {@code --predictions})
     * @param fileGiven whether it was given
     * @param referenceFileGiven whether {@code --reference} (a file or a saved profile) was given
     * @throws IllegalArgumentException the combination is not allowed (exit 2)
     */
    public void check(String fileOption, boolean fileGiven, boolean referenceFileGiven, Map<String, String> env) {
        int sources = (fileGiven ? 1 : 0) + (table != null ? 1 : 0) + (query != null ? 1 : 0);
        if (sources == 0) {
            throw new IllegalArgumentException("give " + fileOption + " PATH, or --table NAME or --query SQL with --spark-remote or --jdbc-url");
        }
        if (sources > 1) {
            throw new IllegalArgumentException("give only one of " + fileOption + ", --table and --query");
        }
        if (referenceTable != null && referenceQuery != null) {
            throw new IllegalArgumentException("give only one of --reference-table and --reference-query");
        }
        if (referenceFileGiven && referenceChosen()) {
            throw new IllegalArgumentException("give only one of --reference, --reference-table and --reference-query");
        }
        if (sparkRemote != null && jdbcUrl != null) {
            throw new IllegalArgumentException("give only one of --spark-remote and --jdbc-url");
        }
        boolean located = sparkRemote != null || jdbcUrl != null;
        if (!chosen() && !referenceChosen() && located) {
            throw new IllegalArgumentException((jdbcUrl != null ? "--jdbc-url" : "--spark-remote")
                    + " needs --table or --query (or --reference-table / --reference-query)");
        }
        if ((chosen() || referenceChosen()) && location(env) == null) {
            throw new IllegalArgumentException((chosen() ? (table != null ? "--table" : "--query")
                    : (referenceTable != null ? "--reference-table" : "--reference-query"))
                    + " needs --jdbc-url or --spark-remote (or $" + SPARK_REMOTE_ENV + ")");
        }
        if (sparkRemote != null && SqlEngines.hasUrlSecret(sparkRemote)) {
            // The command line is visible to every user of the machine (ps); $SPARK_REMOTE is not.
            throw new IllegalArgumentException("--spark-remote: a token on the command line is visible to other users: put it in $"
                    + SqlEngines.SPARK_TOKEN + " or in $" + SPARK_REMOTE_ENV + " instead");
        }
        if (jdbcUrl != null && SqlEngines.hasUrlSecret(jdbcUrl)) {
            throw new IllegalArgumentException("--jdbc-url: a password on the command line is visible to other users: put it in $"
                    + SqlEngines.JDBC_PASSWORD + " instead");
        }
        for (String[] blank : new String[][] {{"--table", table}, {"--query", query}, {"--reference-table", referenceTable},
                {"--reference-query", referenceQuery}, {"--jdbc-url", jdbcUrl}, {"--spark-remote", sparkRemote}}) {
            if (blank[1] != null && blank[1].isBlank()) {
                throw new IllegalArgumentException(blank[0] + " must not be empty");
            }
        }
    }

    /**
     * Where the SQL runs: {@code --jdbc-url}, else {@code --spark-remote}, else {@code $SPARK_REMOTE}; null when none.
     * The text may hold a secret (a token in {@code $SPARK_REMOTE}): never print it, print the engine's location.
     */
    public String location(Map<String, String> env) {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        if (sparkRemote != null) {
            return sparkRemote;
        }
        String fromEnv = env.get(SPARK_REMOTE_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }

    /** The dataset to read; null when it comes from a file. */
    public TableQuery data() {
        return table != null ? TableQuery.table(table) : query != null ? TableQuery.query(query) : null;
    }

    /** The reference to read; null when there is none or it comes from a file. */
    public TableQuery reference() {
        return referenceTable != null ? TableQuery.table(referenceTable)
                : referenceQuery != null ? TableQuery.query(referenceQuery) : null;
    }
}
