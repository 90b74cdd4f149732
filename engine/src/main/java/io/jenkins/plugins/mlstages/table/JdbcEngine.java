package io.jenkins.plugins.mlstages.table;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.jenkins.plugins.mlstages.data.ColumnType;
import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.Secrets;

/**
 * PostgreSQL over pgjdbc. One connection, read-only transactions, each query with a server-side timeout. Errors are
 * one line: the server's first line, and whether it is the database's fault (unreachable, refused credentials,
 * out of resources, cancelled by the timeout: exit 3) or the query's (a syntax error, a missing table: exit 2).
 */
public final class JdbcEngine implements SqlEngine {
    /** How long connecting may take. */
    static final int CONNECT_TIMEOUT_SECONDS = 20;

    private final Connection connection;
    private final String location;
    /** The statement running now, for {@link #cancel()} from another thread. */
    private volatile Statement running;

    private JdbcEngine(Connection connection, String location) {
        this.connection = connection;
        this.location = location;
    }

    static JdbcEngine connect(JdbcUrl url, String user, String password) throws TableSourceException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.putIfAbsent("ApplicationName", "mlstages");
        try {
            // The bundled driver directly, not DriverManager: no other driver on the class path gets the URL.
            Connection connection = new org.postgresql.Driver().connect(url.url(), properties);
            if (connection == null) {
                throw new TableSourceException(url.location() + ": not a PostgreSQL URL", false);
            }
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            return new JdbcEngine(connection, url.location());
        } catch (SQLException e) {
            throw failure(url.location(), e, null);
        }
    }

    @Override
    public SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public SqlResult query(String sql, Duration timeout) throws TableSourceException, InterruptedException {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds())));
            running = statement;
            try (ResultSet rows = statement.executeQuery(sql)) {
                return read(rows);
            } finally {
                running = null;
                connection.rollback();
            }
        } catch (SQLException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while querying " + location);
            }
            throw failure(location, e, timeout);
        }
    }

    private static SqlResult read(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<SqlColumn> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new SqlColumn(meta.getColumnLabel(i), type(meta.getColumnType(i)), meta.getColumnTypeName(i)));
        }
        List<List<Object>> result = new ArrayList<>();
        while (rows.next()) {
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(value(rows, i, meta.getColumnType(i)));
            }
            result.add(row);
        }
        return new SqlResult(columns, result);
    }

    /** Our type for a JDBC type: what a column of a profiled table is taken as when the schema does not say. */
    static ColumnType type(int jdbcType) {
        return switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ColumnType.INTEGER;
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> ColumnType.NUMBER;
            case Types.BOOLEAN, Types.BIT -> ColumnType.BOOLEAN;
            case Types.DATE -> ColumnType.DATE;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> ColumnType.TIMESTAMP;
            default -> ColumnType.STRING;
        };
    }

    private static Object value(ResultSet rows, int i, int jdbcType) throws SQLException {
        Object value = switch (jdbcType) {
            case Types.DATE -> rows.getObject(i, java.time.LocalDate.class);
            case Types.TIMESTAMP -> rows.getObject(i, java.time.LocalDateTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE -> rows.getObject(i, java.time.OffsetDateTime.class);
            default -> rows.getObject(i);
        };
        return normalise(value);
    }

    /** {@code Long}, {@code Double}, {@code String}, {@code Boolean}, {@code java.time} values, a {@code List} for an array. */
    private static Object normalise(Object value) throws SQLException {
        if (value == null || value instanceof Long || value instanceof Double || value instanceof String
                || value instanceof Boolean || value instanceof java.time.temporal.Temporal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigDecimal d) {
            if (d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
                return d.longValueExact();
            }
            return d.doubleValue();
        }
        if (value instanceof Array array) {
            Object[] items = (Object[]) array.getArray();
            List<Object> list = new ArrayList<>(items.length);
            for (Object item : items) {
                list.add(normalise(item));
            }
            return list;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return value.toString();
    }

    /** One line, without credentials; infrastructure unless the SQL state says the query itself is wrong. */
    static TableSourceException failure(String location, SQLException e, Duration timeout) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean cancelled = "57014".equals(state);
        boolean queryFault = state.length() == 5 && !state.startsWith("08") && !state.startsWith("28") && !state.startsWith("53")
                && !state.startsWith("54") && !state.startsWith("55") && !state.startsWith("57") && !state.startsWith("58")
                && !state.startsWith("XX") && !state.startsWith("3D");
        String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        String message = cancelled && timeout != null ? "the query did not finish in " + timeout.toSeconds() + " s (cancelled)"
                : Printable.escape(Secrets.redactKnown(first));
        return new TableSourceException(location + ": " + message, !queryFault, e);
    }

    /** pgjdbc sends PostgreSQL's cancel request on a connection of its own; the blocked reader then gets SQLState 57014. */
    @Override
    public void cancel() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                // the query ended meanwhile, or the server is gone: nothing left to stop
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a connection that failed: nothing left to release
        }
    }
}
