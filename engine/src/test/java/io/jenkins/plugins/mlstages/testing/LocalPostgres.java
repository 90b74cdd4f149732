package io.jenkins.plugins.mlstages.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for one test suite: Debian's {@code postgresql} binaries (installed by
 * {@code tools/setup.sh}), a new cluster in a temporary folder, listening on loopback only, with a password user.
 * PostgreSQL refuses to run as root, so as root the server runs as the {@code postgres} user through
 * {@code runuser} (util-linux, on every Debian); as any other user it runs as that user.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String USER = "mlstages";
    public static final String PASSWORD = "pg-test-secret-3141";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgres;

    private LocalPostgres(Path dir, Path bin, int port, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Starts a cluster with a database {@code mlstages}. */
    public static LocalPostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("mlstages-pg");
        LocalPostgres pg = new LocalPostgres(dir, bin, freePort(), root);
        try {
            Path pw = dir.resolve("pw");
            Files.writeString(pw, PASSWORD + "\n");
            if (root) {
                pg.run(List.of("chown", "-R", "postgres:", dir.toString()), false);
            }
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "scram-sha-256",
                    "--pwfile=" + pw, "-U", USER, "--no-sync", "-E", "UTF8", "--locale=C"), true);
            pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("log").toString(), "-w", "-t", "60", "-o", "-p " + pg.port + " -k " + dir
                    + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off", "start"), true);
            pg.execute("postgres", "CREATE DATABASE mlstages");
            return pg;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** Where Debian puts the server: /usr/lib/postgresql/VERSION/bin, the newest; or $MLSTAGES_PG_BIN. */
    static Path binaries() {
        String given = System.getenv("MLSTAGES_PG_BIN");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> version(v.getFileName().toString()))).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no PostgreSQL server under /usr/lib/postgresql: run tools/setup.sh (Debian package"
                + " postgresql), or set MLSTAGES_PG_BIN; run with -DskipITs to skip these tests");
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of a database of this cluster. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String jdbcUrl() {
        return jdbcUrl("mlstages");
    }

    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        return new org.postgresql.Driver().connect(jdbcUrl(database), properties);
    }

    /** Runs statements (DDL, inserts) in a database. */
    public void execute(String database, String... statements) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asServerUser && asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path log = Files.createTempFile("mlstages-pg", ".log");
        try {
            Process process = new ProcessBuilder(full).directory(File.listRoots()[0])
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(command.get(0) + " did not finish in 2 min");
            }
            if (process.exitValue() != 0) {
                String serverLog = Files.isRegularFile(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8) + serverLog);
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Stops the server and removes the cluster. */
    @Override
    public void close() {
        try {
            if (Files.isDirectory(dir.resolve("data"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                        "stop"), true);
            }
        } catch (IOException | InterruptedException | IllegalStateException e) {
            // not running: nothing to stop
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // a temporary folder: left for the system to clean
            }
        }
    }
}
