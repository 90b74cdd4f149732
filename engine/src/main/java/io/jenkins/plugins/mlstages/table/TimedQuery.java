package io.jenkins.plugins.mlstages.table;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * Runs one query and says every few seconds that it still runs (what, where, for how long): a query over a large
 * table takes minutes, and a stage must never sit silent (docs/tables.md).
 */
public final class TimedQuery {
    /** How often a running query is reported. */
    static final long PROGRESS_MILLIS = 3_000;

    private TimedQuery() {
    }

    /**
     * @param what what the query computes, for the progress lines (e.g. "data: counts of 12 columns")
     */
    public static SqlResult run(SqlEngine engine, String sql, Duration timeout, StageLog log, String what)
            throws TableSourceException, InterruptedException {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mlstages-query");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        try {
            Future<SqlResult> result = thread.submit(() -> engine.query(sql, timeout));
            while (true) {
                try {
                    return result.get(PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    log.progress("querying " + engine.location(), Double.NaN,
                            String.format(Locale.ROOT, "%s, %.0f s", what, seconds));
                } catch (InterruptedException e) {
                    // stop it where it runs too: the waiting thread's interrupt does not reach a blocked socket read
                    engine.cancel();
                    result.cancel(true);
                    throw e;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof TableSourceException t) {
                        throw t;
                    }
                    if (cause instanceof InterruptedException i) {
                        throw i;
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new TableSourceException(engine.location() + ": " + cause, true, cause);
                }
            }
        } finally {
            thread.shutdownNow();
        }
    }
}
