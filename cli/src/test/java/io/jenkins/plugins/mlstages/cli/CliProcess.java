package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in its own JVM through bin/mlstages (which execs java, so the process is the JVM itself),
 * output and errors in one log file. Closing it kills it with SIGKILL and waits, so a test that fails
 * half-way leaves no canary running ({@code try (CliProcess cli = CliProcess.start(...))}).
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private CliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static CliProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** With these variables added to the environment (e.g. a database's credentials). */
    static CliProcess start(Map<String, String> env, String... args) throws IOException {
        Path launcher = Path.of(System.getProperty("mlstages.root", "..")).resolve("bin/mlstages");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("mlstages-canary", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // only the options given reach the registry, whatever the build's environment holds
        builder.environment().keySet().removeIf(key -> key.startsWith("MLFLOW_"));
        builder.environment().putAll(env);
        return new CliProcess(builder.start(), log);
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as a Ctrl-C or a stopped agent: the JVM's shutdown hooks run. Waits for the exit, up to 30 s. */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hook runs, as when a machine or a controller dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
