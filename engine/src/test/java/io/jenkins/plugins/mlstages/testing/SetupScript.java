package io.jenkins.plugins.mlstages.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the {@code tools/*.sh} set-up scripts (virtualenvs, npm packages) from a test.
 *
 * <p>The script never shares the test JVM's standard streams: Surefire talks to its forked JVM over them, and a
 * child that inherits them (npm sets the inherited stdin non-blocking) corrupts that channel and fails the whole
 * run ("std/in stream corrupted"). Its input is empty, its output goes to a log that is copied to stderr.
 */
public final class SetupScript {

    private SetupScript() {
    }

    /**
     * Runs {@code bash root/tools/NAME DIR} and waits up to {@code minutes}.
     *
     * @param hint what the tests need, said when the script fails (e.g. "Python 3 and PyPI")
     * @throws IllegalStateException when the script is missing, fails or times out
     */
    public static void run(Path root, String name, Path dir, int minutes, String hint) {
        Path script = root.resolve("tools").resolve(name);
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("cannot find " + script + ": run the tests from the repository (-Dmlstages.root)");
        }
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Path log = Files.createTempFile(dir.toAbsolutePath().getParent(), name, ".log");
            try {
                Process process = new ProcessBuilder("bash", script.toString(), dir.toString())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                boolean finished = process.waitFor(minutes, TimeUnit.MINUTES);
                if (!finished) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                System.err.print(Files.readString(log, StandardCharsets.UTF_8));
                if (!finished || process.exitValue() != 0) {
                    throw new IllegalStateException("tools/" + name + (finished ? " failed (exit " + process.exitValue() + ")"
                            : " did not finish in " + minutes + " min") + ": the tests need " + hint
                            + "; run with -DskipITs to skip them");
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bash tools/" + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running tools/" + name, e);
        }
    }
}
