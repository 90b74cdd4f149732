package io.jenkins.plugins.mlstages.table;

import java.time.Duration;

/**
 * One port to a place where SQL runs: a database over JDBC, a Spark cluster over Spark Connect. The stages
 * send it aggregate queries only and read back small results; rows of the table never come to this JVM
 * except a bounded sample of offending rows.
 */
public interface SqlEngine extends AutoCloseable {

    /** The SQL flavour the queries are written in. */
    SqlDialect dialect();

    /**
     * Runs one query and returns its whole result (aggregates: a few rows).
     *
     * @param timeout the longest the query may run; the engine cancels it after that
     * @throws TableSourceException a bad query or a missing table (exit 2), or an unreachable or failing
     *         engine (exit 3); the message names the source without its credentials
     */
    SqlResult query(String sql, Duration timeout) throws TableSourceException, InterruptedException;

    /**
     * Asks the engine to stop the query running now, from another thread (a build aborted, the user's Ctrl-C): a
     * query on a database or cluster otherwise goes on there until its timeout after we stopped waiting. Does
     * nothing when no query runs; by default engines cannot cancel.
     */
    default void cancel() {
        // an engine that cannot cancel leaves the query to its timeout
    }

    /** Where this engine is, for messages and lineage: a URL without credentials or secret parameters. */
    String location();

    @Override
    void close();
}
