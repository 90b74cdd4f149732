package io.jenkins.plugins.mlstages.cli;

import io.jenkins.plugins.mlstages.table.SqlEngine;

/**
 * While open, a stopped CLI (Ctrl-C, SIGTERM) cancels the query it runs in the database: the JVM ends without
 * interrupting the waiting thread, so without this the query would run on in PostgreSQL or Spark until its timeout.
 */
final class CancelOnExit implements AutoCloseable {
    private final Thread hook;

    CancelOnExit(SqlEngine engine) {
        hook = new Thread(engine::cancel, "mlstages-cancel-query");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now: nothing to take back
        }
    }
}
