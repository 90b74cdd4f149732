package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.table.SqlColumn;
import io.jenkins.plugins.mlstages.table.SqlDialect;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlResult;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;

/** A Delta table's version comes from DESCRIBE HISTORY in Spark; anything else has none, and asks nothing. */
public class TableVersionTest {

    private static final class Answering implements SqlEngine {
        final SqlDialect dialect;
        final SqlResult answer;
        final List<String> asked = new ArrayList<>();

        Answering(SqlDialect dialect, SqlResult answer) {
            this.dialect = dialect;
            this.answer = answer;
        }

        @Override
        public SqlDialect dialect() {
            return dialect;
        }

        @Override
        public SqlResult query(String sql, Duration timeout) throws TableSourceException {
            asked.add(sql);
            if (answer == null) {
                throw new TableSourceException("sc://h: DESCRIBE HISTORY is only supported for Delta tables", false);
            }
            return answer;
        }

        @Override
        public String location() {
            return "sc://h";
        }

        @Override
        public void close() {
        }
    }

    private static final SqlResult HISTORY = new SqlResult(List.of(new SqlColumn("version", ColumnType.INTEGER, "bigint"),
            new SqlColumn("timestamp", ColumnType.TIMESTAMP, "timestamp")), List.of(List.of(17L, "2026-01-01T00:00")));

    @Test
    public void aDeltaTablesLatestVersion() throws Exception {
        Answering spark = new Answering(SqlDialect.SPARK, HISTORY);
        assertEquals("17", new TableProfiler(spark, StageLog.NONE, Duration.ofMinutes(1)).tableVersion(TableQuery.table("db.t")));
        assertEquals(List.of("DESCRIBE HISTORY db.t LIMIT 1"), spark.asked);
    }

    @Test
    public void noVersionForATableThatIsNotDeltaAQueryOrPostgresql() throws Exception {
        Answering notDelta = new Answering(SqlDialect.SPARK, null);
        assertNull(new TableProfiler(notDelta, StageLog.NONE, Duration.ofMinutes(1)).tableVersion(TableQuery.table("t")));
        Answering query = new Answering(SqlDialect.SPARK, HISTORY);
        assertNull(new TableProfiler(query, StageLog.NONE, Duration.ofMinutes(1)).tableVersion(TableQuery.query("SELECT 1")));
        Answering pg = new Answering(SqlDialect.POSTGRESQL, HISTORY);
        assertNull(new TableProfiler(pg, StageLog.NONE, Duration.ofMinutes(1)).tableVersion(TableQuery.table("t")));
        assertEquals(List.of(), query.asked);
        assertEquals(List.of(), pg.asked);
    }
}
