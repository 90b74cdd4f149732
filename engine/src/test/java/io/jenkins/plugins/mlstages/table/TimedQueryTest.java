package io.jenkins.plugins.mlstages.table;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.StageLog;

/** A query that runs long is never silent: what runs, where, and for how long, every few seconds. */
public class TimedQueryTest {

    private static final class SlowEngine implements SqlEngine {
        private final long millis;
        private final TableSourceException failure;

        SlowEngine(long millis, TableSourceException failure) {
            this.millis = millis;
            this.failure = failure;
        }

        @Override
        public SqlDialect dialect() {
            return SqlDialect.POSTGRESQL;
        }

        @Override
        public SqlResult query(String sql, Duration timeout) throws TableSourceException, InterruptedException {
            Thread.sleep(millis);
            if (failure != null) {
                throw failure;
            }
            return new SqlResult(List.of(), List.of(List.of(1L)));
        }

        @Override
        public String location() {
            return "jdbc:postgresql://db/x";
        }

        @Override
        public void close() {
        }
    }

    private static final class Recorder implements StageLog {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void info(String message) {
            lines.add(message);
        }

        @Override
        public void progress(String task, double share, String detail) {
            lines.add(task + " | " + share + " | " + detail);
        }
    }

    @Test
    public void aLongQuerySaysWhatRunsAndForHowLong() throws Exception {
        Recorder log = new Recorder();
        SqlResult result = TimedQuery.run(new SlowEngine(TimedQuery.PROGRESS_MILLIS + 700, null), "SELECT 1", Duration.ofMinutes(1),
                log, "data: counts of 3 columns");
        assertEquals(1L, result.rows().get(0).get(0));
        assertEquals(log.lines.toString(), 1, log.lines.size());
        assertEquals("querying jdbc:postgresql://db/x | NaN | data: counts of 3 columns, 3 s", log.lines.get(0));
    }

    @Test
    public void aQuickQueryIsQuietAndAFailureIsThrownAsItWas() throws Exception {
        Recorder log = new Recorder();
        TimedQuery.run(new SlowEngine(10, null), "SELECT 1", Duration.ofMinutes(1), log, "x");
        assertTrue(log.lines.isEmpty());
        TableSourceException failure = new TableSourceException("jdbc:postgresql://db/x: ERROR: boom", false);
        TableSourceException thrown = assertThrows(TableSourceException.class,
                () -> TimedQuery.run(new SlowEngine(10, failure), "SELECT 1", Duration.ofMinutes(1), log, "x"));
        assertEquals(failure, thrown);
        assertFalse(thrown.isInfrastructure());
    }
}
