package io.jenkins.plugins.mlstages.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DuckDB peer of the validate-data benchmark: the same profile (count, nulls, min, max, distinct,
 * and mean, standard deviation and five quantiles of numeric columns) of the current file, and the
 * reference's, in SQL. Usage: DuckDbPeer CURRENT REFERENCE. Prints the seconds it took.
 */
public final class DuckDbPeer {
    private DuckDbPeer() {
    }

    public static void main(String[] args) throws SQLException {
        long start = System.nanoTime();
        double checksum = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            for (String file : args) {
                checksum += profile(statement, file);
            }
        }
        System.out.printf(Locale.ROOT, "duckdb: %.2f s (checksum %.4f)%n", (System.nanoTime() - start) / 1e9, checksum);
    }

    private static double profile(Statement statement, String file) throws SQLException {
        String source = file.endsWith(".parquet") ? "read_parquet('" + file + "')" : "read_csv('" + file + "')";
        List<String> names = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (rs.next()) {
                names.add(rs.getString(1));
                String type = rs.getString(2);
                numeric.add(type.matches("BIGINT|INTEGER|DOUBLE|FLOAT|DECIMAL.*|SMALLINT|TINYINT"));
            }
        }
        List<String> aggregates = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String c = "\"" + names.get(i) + "\"";
            aggregates.add("count(" + c + ")");
            aggregates.add("count(*) - count(" + c + ")");
            aggregates.add("approx_count_distinct(" + c + ")");
            if (numeric.get(i)) {
                aggregates.add("min(" + c + ")");
                aggregates.add("max(" + c + ")");
                aggregates.add("avg(" + c + ")");
                aggregates.add("stddev_samp(" + c + ")");
                aggregates.add("list_sum(approx_quantile(" + c + ", [0.01, 0.25, 0.5, 0.75, 0.99]))");
            }
        }
        double checksum = 0;
        try (ResultSet rs = statement.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM " + source)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof Number number) {
                        checksum += number.doubleValue();
                    }
                }
            }
        }
        return checksum;
    }
}
