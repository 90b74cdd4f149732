package io.jenkins.plugins.mlstages.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import org.apache.spark.sql.connect.SparkSession;

import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngineProvider;
import io.jenkins.plugins.mlstages.table.TableSourceException;

/**
 * Opens {@link SparkConnectEngine}s for {@code sc://} locations (registered in META-INF/services). The token, for
 * Databricks, is the secret {@code token} (from $MLSTAGES_SPARK_TOKEN or a Jenkins credential) or the one in
 * $SPARK_REMOTE; it goes into the client's URL only and is remembered so no message shows it.
 */
public final class SparkConnectEngineProvider implements SqlEngineProvider {
    /** How long the TCP check waits: the client itself retries an unreachable server for minutes. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    @Override
    public boolean accepts(String location) {
        return SparkRemote.accepts(location);
    }

    @Override
    public SqlEngine open(String location, Map<String, String> secrets) throws TableSourceException {
        SparkRemote remote = SparkRemote.parse(location);
        String token = secrets.get("token");
        Secrets.remember(Secrets.bearer(token));
        Secrets.remember(Secrets.bearer(remote.token()));
        reachable(remote);
        // log4j 2 configured now, from this module's log4j2.properties (quiet), before the client logs anything
        org.apache.logging.log4j.LogManager.getRootLogger();
        try {
            SparkSession spark = SparkSession.builder().remote(remote.withToken(token)).build();
            // java.time values for dates and timestamps: java.sql.Date needs a further --add-opens on Java 17.
            spark.conf().set("spark.sql.datetime.java8API.enabled", "true");
            return new SparkConnectEngine(spark, remote);
        } catch (RuntimeException | LinkageError e) {
            if (e instanceof LinkageError || String.valueOf(e.getMessage()).contains("MemoryUtil")) {
                throw new TableSourceException("Spark Connect client cannot start in this JVM: " + SparkErrors.oneLine(e)
                        + " (start Java with --add-opens=java.base/java.nio=ALL-UNNAMED; docs/tables.md)", true, e);
            }
            throw SparkErrors.translate(remote, e);
        }
    }

    /** Fails fast, in one line, when nothing listens at host:port (the client would retry for minutes). */
    static void reachable(SparkRemote remote) throws TableSourceException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(remote.host().replace("[", "").replace("]", ""), remote.port()),
                    CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            throw new TableSourceException("cannot reach Spark Connect at " + remote.shown() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
        }
    }
}
