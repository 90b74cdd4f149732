package io.jenkins.plugins.mlstages.spark;

import java.util.Locale;

import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.table.TableSourceException;

/**
 * Spark's exceptions as one line each: a mistake in what was asked (Spark's {@code AnalysisException}: a parse
 * error, a missing table, column or file; or an error the query raised on the data) is not infrastructure (exit 2);
 * a server that cannot be reached, refuses the credentials or fails is (exit 3).
 */
final class SparkErrors {
    /** gRPC statuses that say the server, not the query, is the problem. */
    private static final String[] INFRASTRUCTURE = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "UNAUTHENTICATED",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "CANCELLED", "UNKNOWN", "UNIMPLEMENTED"};
    private static final int MAX = 300;

    private SparkErrors() {
    }

    static TableSourceException translate(SparkRemote remote, Throwable e) {
        boolean analysis = false;
        String status = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("org.apache.spark.sql.AnalysisException") || name.endsWith(".ParseException")
                    || isSubclass(t.getClass(), "org.apache.spark.sql.AnalysisException")) {
                analysis = true;
            }
            if (name.endsWith("grpc.StatusRuntimeException") && t.getMessage() != null) {
                status = t.getMessage();
            }
        }
        String text = oneLine(e);
        if (analysis) {
            return new TableSourceException("Spark at " + remote.shown() + " refused the query: " + text, false, e);
        }
        if (status != null) {
            String code = status.split(":", 2)[0].strip().toUpperCase(Locale.ROOT);
            for (String infra : INFRASTRUCTURE) {
                if (code.equals(infra)) {
                    return new TableSourceException("Spark at " + remote.shown() + " failed: " + cut(status), true, e);
                }
            }
        }
        // An error raised while running the query on the data (a bad cast, a division by zero): the query's.
        return new TableSourceException("Spark at " + remote.shown() + " could not run the query: " + text, false, e);
    }

    private static boolean isSubclass(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The exception's first line (Spark appends the plan after it), without secrets, at most 300 characters. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return cut(message);
    }

    private static String cut(String message) {
        String line = message.strip();
        int newline = line.indexOf('\n');
        if (newline >= 0) {
            line = line.substring(0, newline).strip();
        }
        line = Secrets.redactKnown(SparkRemote.withoutToken(line));
        return line.length() <= MAX ? line : line.substring(0, MAX) + "…";
    }
}
