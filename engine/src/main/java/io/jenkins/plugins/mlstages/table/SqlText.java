package io.jenkins.plugins.mlstages.table;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The pieces of SQL text that differ between the dialects the pushed-down queries are written in: quoting,
 * literals, casts, non-finite numbers, conditional counts, regular expressions and quantiles. Everything a
 * user gives (a column name, an allowed value, a pattern) reaches SQL only through {@link #identifier} or
 * {@link #string}, never pasted.
 */
public final class SqlText {
    /** A table name as users write it: dotted parts, each plain or quoted. */
    private static final Pattern TABLE_NAME = Pattern.compile("(?:[A-Za-z0-9_$]+|\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`)"
            + "(?:\\.(?:[A-Za-z0-9_$]+|\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`)){0,3}");

    private final SqlDialect dialect;

    public SqlText(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /**
     * What to select from: the table, or the query as a derived table.
     *
     * @throws IllegalArgumentException a table name that is not one (exit 2)
     */
    public String source(TableQuery what, String optionName) {
        if (what.table() != null) {
            String name = what.table().strip();
            if (!TABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(optionName + ": '" + shortText(name)
                        + "' is not a table name (schema.table, parts quoted with \"\" or ``); use a query for anything else");
            }
            return name;
        }
        String query = what.query().strip();
        while (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        if (query.isEmpty()) {
            throw new IllegalArgumentException(optionName + " must not be empty");
        }
        return "(" + query + "\n) AS mlstages_source";
    }

    /** A column name, quoted. */
    public String identifier(String name) {
        return dialect == SqlDialect.SPARK ? "`" + name.replace("`", "``") + "`" : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A string literal. Spark reads a backslash as an escape; PostgreSQL (standard_conforming_strings) does not. */
    public String string(String value) {
        if (dialect == SqlDialect.SPARK) {
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** A double literal that both dialects read as a double. */
    public String number(double value) {
        if (dialect == SqlDialect.SPARK) {
            return "CAST('" + Double.toString(value) + "' AS DOUBLE)";
        }
        return "CAST('" + Double.toString(value) + "' AS double precision)";
    }

    /** The value as text. */
    public String text(String expression) {
        return "CAST(" + expression + (dialect == SqlDialect.SPARK ? " AS STRING)" : " AS text)");
    }

    /** The value as a double, null when NaN or an infinity (those count apart, as the file readers count them). */
    public String finite(String expression) {
        if (dialect == SqlDialect.SPARK) {
            String d = "CAST(" + expression + " AS DOUBLE)";
            return "CASE WHEN NOT isnan(" + d + ") AND abs(" + d + ") <> CAST('Infinity' AS DOUBLE) THEN " + d + " END";
        }
        String d = "CAST(" + expression + " AS double precision)";
        return "CASE WHEN " + d + " NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) THEN " + d + " END";
    }

    /** Whether a value is NaN or an infinity (true only for floating-point columns). */
    public String nonFinite(String expression) {
        if (dialect == SqlDialect.SPARK) {
            String d = "CAST(" + expression + " AS DOUBLE)";
            return "(isnan(" + d + ") OR abs(" + d + ") = CAST('Infinity' AS DOUBLE))";
        }
        String d = "CAST(" + expression + " AS double precision)";
        return "(" + d + " IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8))";
    }

    /** The number of rows where the condition holds (0, not null, on no rows). */
    public String countIf(String condition) {
        return "COALESCE(SUM(CASE WHEN " + condition + " THEN 1 ELSE 0 END), 0)";
    }

    /** The distinct values of a column: exact, or in Spark with {@code exact} false an HLL++ estimate (±2 %). */
    public String distinct(String expression, boolean exact) {
        if (dialect == SqlDialect.SPARK && !exact) {
            return "approx_count_distinct(" + expression + ", 0.02)";
        }
        return "COUNT(DISTINCT " + expression + ")";
    }

    /** Whether the distinct count this dialect gives without asking for exactness is exact. */
    public boolean distinctIsExact() {
        return dialect != SqlDialect.SPARK;
    }

    /** Sample variance (n − 1). */
    public String variance(String expression) {
        return "var_samp(" + expression + ")";
    }

    /** Whether the whole text of a value matches a regular expression (Java syntax; PostgreSQL reads it as an ARE). */
    public String matches(String textExpression, String regex) {
        String anchored = "^(?:" + regex + ")$";
        if (dialect == SqlDialect.SPARK) {
            return "(" + textExpression + " RLIKE " + string(anchored) + ")";
        }
        return "(" + textExpression + " ~ " + string(anchored) + ")";
    }

    /** The length of a text in characters. */
    public String length(String textExpression) {
        return "char_length(" + textExpression + ")";
    }

    /** A date literal (ISO yyyy-MM-dd). */
    public String date(String iso) {
        return "CAST(" + string(iso) + " AS DATE)";
    }

    /** A timestamp literal (ISO, 'T' or space). */
    public String timestamp(String iso) {
        return "CAST(" + string(iso.replace('T', ' ')) + " AS TIMESTAMP)";
    }

    /**
     * The values at ranks {@code (i + 0.5) / m}, {@code i = 0 … m-1}, of the non-null values of a double expression,
     * as an array: with {@code m} = the number of values, exactly the sorted values. PostgreSQL: {@code percentile_disc}
     * (exact); Spark: {@code percentile_approx} with accuracy {@value #SPARK_ACCURACY} (rank error at most
     * 1/{@value #SPARK_ACCURACY} of the values; exact while the values fit its buffer).
     */
    public String quantileGrid(String doubleExpression, int m) {
        if (dialect == SqlDialect.SPARK) {
            StringBuilder fractions = new StringBuilder("array(");
            for (int i = 0; i < m; i++) {
                fractions.append(i == 0 ? "" : ",").append(fraction(i, m));
            }
            return "percentile_approx(" + doubleExpression + ", " + fractions + "), " + SPARK_ACCURACY + ")";
        }
        return "percentile_disc((SELECT array_agg((g + 0.5) / " + m + " ORDER BY g) FROM generate_series(0, " + (m - 1)
                + ") AS g)) WITHIN GROUP (ORDER BY " + doubleExpression + ")";
    }

    /** Spark's {@code percentile_approx} accuracy: its rank error is at most 1/accuracy. */
    public static final int SPARK_ACCURACY = 100_000;

    /** The largest grid a Spark query asks for: each fraction is a literal in the SQL text. */
    public static final int SPARK_MAX_GRID = 10_000;

    private static String fraction(int i, int m) {
        return String.format(Locale.ROOT, "%.12g", (i + 0.5) / m).replaceAll("0+$", "").replaceAll("\\.$", ".0") + "D";
    }

    /** A LIMIT clause. */
    public String limit(int rows) {
        return " LIMIT " + rows;
    }

    private static String shortText(String text) {
        String one = text.replaceAll("\\s+", " ");
        return one.length() > 60 ? one.substring(0, 60) + "…" : one;
    }
}
