package io.jenkins.plugins.mlstages.spark;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.Dataset;
import org.apache.spark.sql.connect.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

import io.jenkins.plugins.mlstages.data.ColumnType;
import io.jenkins.plugins.mlstages.table.SqlColumn;
import io.jenkins.plugins.mlstages.table.SqlDialect;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlResult;
import io.jenkins.plugins.mlstages.table.TableSourceException;

/**
 * Runs the stages' aggregate queries on a Spark Connect server ({@code sc://host:port}, also Databricks): each
 * {@link #query} is {@code spark.sql(sql)} collected to a few rows. A query past its timeout is interrupted on the
 * server by its operation tag. Errors come back as one line: Spark's error class and first message line for a bad
 * query or a missing table or file (not infrastructure), the server's status for an unreachable or failing server.
 */
final class SparkConnectEngine implements SqlEngine {
    private static final AtomicLong QUERIES = new AtomicLong();

    private final SparkSession spark;
    private final SparkRemote remote;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mlstages-spark-timeout");
        t.setDaemon(true);
        return t;
    });

    /** The tag of the query running now, for {@link #cancel()} from another thread. */
    private volatile String running;

    SparkConnectEngine(SparkSession spark, SparkRemote remote) {
        this.spark = spark;
        this.remote = remote;
    }

    @Override
    public SqlDialect dialect() {
        return SqlDialect.SPARK;
    }

    @Override
    public String location() {
        return remote.shown();
    }

    @Override
    public SqlResult query(String sql, Duration timeout) throws TableSourceException, InterruptedException {
        String tag = "mlstages-" + QUERIES.incrementAndGet();
        AtomicBoolean timedOut = new AtomicBoolean();
        // The client finds its resources (log4j2.properties) through the context class loader: its own, not the CLI's.
        ClassLoader caller = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(SparkConnectEngine.class.getClassLoader());
        spark.addTag(tag);
        running = tag;
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            timedOut.set(true);
            spark.interruptTag(tag);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Dataset<Row> frame = spark.sql(sql);
            StructField[] fields = frame.schema().fields();
            List<SqlColumn> columns = new ArrayList<>(fields.length);
            for (StructField field : fields) {
                columns.add(new SqlColumn(field.name(), columnType(field.dataType()), field.dataType().simpleString()));
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Row row : frame.collectAsList()) {
                List<Object> values = new ArrayList<>(fields.length);
                for (int i = 0; i < fields.length; i++) {
                    values.add(value(row.get(i)));
                }
                rows.add(values);
            }
            return new SqlResult(columns, rows);
        } catch (Exception e) { // Spark (Scala) throws the checked AnalysisException undeclared
            if (timedOut.get()) {
                throw new TableSourceException(remote.shown() + ": the query ran longer than " + timeout.toSeconds()
                        + " s and was cancelled", true);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled");
            }
            throw SparkErrors.translate(remote, e);
        } finally {
            running = null;
            deadline.cancel(false);
            spark.removeTag(tag);
            Thread.currentThread().setContextClassLoader(caller);
        }
    }

    /** Interrupts the running query's operations on the server, as its timeout does. */
    @Override
    public void cancel() {
        String tag = running;
        if (tag != null) {
            spark.interruptTag(tag);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            spark.close();
        } catch (RuntimeException e) {
            // the server may be gone already: nothing to release then
        }
    }

    /** Spark's type as ours: integral types INTEGER, fractional and decimal NUMBER, and so on. */
    static ColumnType columnType(DataType type) {
        if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType) || type.equals(DataTypes.ShortType)
                || type.equals(DataTypes.ByteType)) {
            return ColumnType.INTEGER;
        }
        if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType) || type instanceof DecimalType) {
            return ColumnType.NUMBER;
        }
        if (type.equals(DataTypes.BooleanType)) {
            return ColumnType.BOOLEAN;
        }
        if (type.equals(DataTypes.DateType)) {
            return ColumnType.DATE;
        }
        if (type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType)) {
            return ColumnType.TIMESTAMP;
        }
        return ColumnType.STRING;
    }

    /** A value as the port's Java types: Long, Double, String, Boolean, java.time values, lists (arrays), or null. */
    static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigDecimal d) {
            // as the JDBC engine gives them: whole decimals (SUM of integers) as Long
            if (d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
                return d.longValueExact();
            }
            return d.doubleValue();
        }
        if (v instanceof scala.collection.Iterable<?> seq) { // an ARRAY column: Scala's ArraySeq
            List<Object> list = new ArrayList<>();
            seq.foreach(item -> list.add(value(item)));
            return list;
        }
        if (v instanceof java.util.List<?> items) {
            List<Object> list = new ArrayList<>(items.size());
            for (Object item : items) {
                list.add(value(item));
            }
            return list;
        }
        if (v instanceof java.time.Instant i) { // TIMESTAMP, as a local date-time in UTC (the JDBC engine's type)
            return java.time.LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Timestamp t) {
            return java.time.LocalDateTime.ofInstant(t.toInstant(), java.time.ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof java.time.temporal.Temporal) {
            return v;
        }
        return String.valueOf(v);
    }
}
