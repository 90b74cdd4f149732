package io.jenkins.plugins.mlstages.table;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** User text reaches SQL only quoted, in each dialect's own way. */
public class SqlTextTest {
    private final SqlText pg = new SqlText(SqlDialect.POSTGRESQL);
    private final SqlText spark = new SqlText(SqlDialect.SPARK);

    @Test
    public void identifiersAreQuotedWithTheQuoteDoubled() {
        assertEquals("\"a \"\"b\"\"\"", pg.identifier("a \"b\""));
        assertEquals("`a ``b```", spark.identifier("a `b`"));
    }

    @Test
    public void stringsCannotEndTheirLiteral() {
        assertEquals("'it''s \\ ok'", pg.string("it's \\ ok"));
        // Spark reads a backslash as an escape: both it and the quote are escaped
        assertEquals("'it\\'s \\\\\\' ok'", spark.string("it's \\' ok"));
    }

    @Test
    public void aTableNameIsANameAndAnythingElseIsRefused() {
        assertEquals("sales.\"Features 2024\"", pg.source(TableQuery.table("sales.\"Features 2024\""), "--table"));
        assertEquals("cat.db.`t-1`", spark.source(TableQuery.table("cat.db.`t-1`"), "--table"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pg.source(TableQuery.table("t; DROP TABLE x"), "--table"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("--table: 't; DROP TABLE x' is not a table name"));
    }

    @Test
    public void aQueryBecomesADerivedTableWithoutItsSemicolon() {
        assertEquals("(SELECT 1\n) AS mlstages_source", pg.source(TableQuery.query(" SELECT 1 ;; "), "--query"));
    }

    @Test
    public void theQuantileGridAsksForRanksAtTheMiddleOfEachStep() {
        assertEquals("percentile_disc((SELECT array_agg((g + 0.5) / 4 ORDER BY g) FROM generate_series(0, 3) AS g))"
                + " WITHIN GROUP (ORDER BY x)", pg.quantileGrid("x", 4));
        assertEquals("percentile_approx(x, array(0.125D,0.375D,0.625D,0.875D), 100000)", spark.quantileGrid("x", 4));
    }
}
