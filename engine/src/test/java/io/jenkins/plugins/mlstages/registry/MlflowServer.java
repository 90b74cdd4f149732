package io.jenkins.plugins.mlstages.registry;

import io.jenkins.plugins.mlstages.testing.SetupScript;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mlflow server} for integration tests: the pinned release from tools/requirements.txt
 * in a virtualenv under target/, a SQLite store and a local artifact root in a fresh directory,
 * bound to 127.0.0.1 on a free port. {@link #shared()} starts one per test JVM and stops it when
 * the JVM exits. Fails loudly, never skips, when Python or the server is missing.
 */
public final class MlflowServer implements AutoCloseable {
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "it-admin-" + UUID.randomUUID();

    private static MlflowServer shared;

    private final Path dataDir;
    private final List<String> command;
    private final Map<String, String> environment;
    private final int port;
    private Process process;
    private String version;
    private int starts;

    private MlflowServer(Path dataDir, List<String> extraArgs, Map<String, String> environment) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.environment = environment;
        this.command = new ArrayList<>(List.of(venv().resolve("bin/mlflow").toString(), "server",
                "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--backend-store-uri", "sqlite:///" + dataDir.resolve("mlflow.db"),
                "--artifacts-destination", dataDir.resolve("artifacts").toString(),
                "--workers", "1"));
        this.command.addAll(extraArgs);
    }

    /** The server all tests of this JVM share; started on first use. */
    public static synchronized MlflowServer shared() {
        if (shared == null) {
            shared = start("shared", List.of(), Map.of());
            MlflowServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return shared;
    }

    /** A separate server with MLflow's basic-auth app; the admin is {@link #ADMIN_USER}. */
    public static MlflowServer startWithBasicAuth() {
        Path dir = newDataDir("basic-auth");
        Path ini = dir.resolve("basic_auth.ini");
        try {
            Files.writeString(ini, "[mlflow]\n"
                    + "default_permission = READ\n"
                    + "database_uri = sqlite:///" + dir.resolve("basic_auth.db") + "\n"
                    + "admin_username = " + ADMIN_USER + "\n"
                    + "admin_password = " + ADMIN_PASSWORD + "\n"
                    + "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + ini, e);
        }
        return start(dir, List.of("--app-name", "basic-auth"),
                Map.of("MLFLOW_AUTH_CONFIG_PATH", ini.toString(), "MLFLOW_FLASK_SERVER_SECRET_KEY", UUID.randomUUID().toString()));
    }

    /** A separate, private server (e.g. one a test may kill). */
    public static MlflowServer startPrivate(String name) {
        return start(name, List.of(), Map.of());
    }

    private static MlflowServer start(String name, List<String> args, Map<String, String> env) {
        return start(newDataDir(name), args, env);
    }

    private static MlflowServer start(Path dir, List<String> args, Map<String, String> env) {
        try {
            MlflowServer server = new MlflowServer(dir, args, env);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mlflow server: " + e.getMessage(), e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String version() {
        return version;
    }

    /** How often the process was started again after the first time. */
    public synchronized int restarts() {
        return starts - 1;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts the process and waits for {@code /health}; used again after {@link #kill()}. */
    public synchronized void startProcess() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("MLFLOW_TRACKING_URI", "");
        process = builder.start();
        starts++;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mlflow server exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (get("/health") == 200) {
                version = readVersion();
                System.out.println("[mlflow] MLflow " + version + " serving at " + url() + " (data in " + dataDir + ")");
                return;
            }
            sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("mlflow server did not become healthy within 180 s:\n" + logTail());
    }

    /** Kills the server process at once (SIGKILL), as a crash would. */
    public synchronized void kill() throws InterruptedException {
        // uvicorn and the job runner are children: list them first, a dead parent has no descendants.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                children.forEach(ProcessHandle::destroyForcibly);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs a Python script from src/test/python with the venv's interpreter (which has the official
     * MLflow client) against this server; returns its standard output.
     */
    public String runPython(String script, Map<String, String> env, String... args) {
        Path file = Path.of(System.getProperty("mlstages.root", ".")).resolve("engine/src/test/python").resolve(script);
        List<String> cmd = new ArrayList<>(List.of(venv().resolve("bin/python").toString(), file.toString()));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd);
            builder.environment().put("MLFLOW_TRACKING_URI", url());
            builder.environment().putAll(env);
            File err = Files.createTempFile("python", ".err").toFile();
            builder.redirectError(err);
            Process python = builder.start();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!python.waitFor(300, TimeUnit.SECONDS) || python.exitValue() != 0) {
                throw new IllegalStateException(script + " failed:\n" + Files.readString(err.toPath()) + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        }
    }

    /**
     * Stores a file at {@code <artifactUri>/<relativePath>} through the server's artifact proxy, as MLflow's
     * client does when it logs a model (e.g. an {@code MLmodel} into a logged model's {@code artifact_uri}).
     */
    public void putArtifact(String artifactUri, String relativePath, byte[] content) {
        String path = artifactUri.replaceFirst("^mlflow-artifacts:/+", "");
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url() + "/api/2.0/mlflow-artifacts/artifacts/"
                    + path + "/" + relativePath).toURL().openConnection();
            connection.setRequestMethod("PUT");
            connection.setDoOutput(true);
            connection.getOutputStream().write(content);
            int code = connection.getResponseCode();
            connection.disconnect();
            if (code != 200) {
                throw new IllegalStateException("PUT " + path + "/" + relativePath + " answered " + code);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot store " + relativePath + " at " + artifactUri, e);
        }
    }

    /** The virtualenv with the pinned MLflow, created by tools/mlflow-venv.sh on first use. */
    public static synchronized Path venv() {
        Path root = Path.of(System.getProperty("mlstages.root", ".")).toAbsolutePath().normalize();
        Path venv = root.resolve("target/mlflow-venv");
        SetupScript.run(root, "mlflow-venv.sh", venv, 30, "Python 3 and PyPI");
        return venv;
    }

    private static Path newDataDir(String name) {
        Path root = Path.of(System.getProperty("mlstages.root", ".")).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root.resolve("target/mlflow-it"));
            return Files.createTempDirectory(root.resolve("target/mlflow-it"), name + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a data directory under target/mlflow-it", e);
        }
    }

    private int get(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url() + path).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            int code = connection.getResponseCode();
            connection.disconnect();
            return code;
        } catch (IOException notYet) {
            return -1;
        }
    }

    private String readVersion() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url() + "/version").toURL().openConnection();
        // Under the basic-auth app /version needs credentials; other servers ignore them.
        connection.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        try {
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            connection.disconnect();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Environment for a client of this server, e.g. for the CLI. */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("MLFLOW_TRACKING_URI", url());
        return env;
    }
}
