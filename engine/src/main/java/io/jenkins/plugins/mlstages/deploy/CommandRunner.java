package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an operator-configured command (e.g. {@code nginx -t}) directly, without a shell, with a
 * timeout. Standard output and error are read together, so the message of a failing command is at hand.
 */
final class CommandRunner {
    /** How a command ended: its exit code and what it printed. */
    record Outcome(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private CommandRunner() {
    }

    /**
     * @param purpose what the command is for, for messages (e.g. {@code nginx config test})
     * @throws DeployException when the command cannot be started or does not end within {@code timeout}
     */
    static Outcome run(String purpose, List<String> command, Duration timeout) {
        if (command.isEmpty()) {
            throw new DeployException(purpose + ": no command configured");
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DeployException(purpose + " failed: cannot run " + command.get(0) + " (" + e.getMessage() + ")", e);
        }
        try {
            // the command reads no input
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the command may already have exited
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process);
                throw new DeployException(purpose + " failed: " + String.join(" ", command) + " did not finish within "
                        + Durations.text(timeout));
            }
            return new Outcome(process.exitValue(), output.get(5, TimeUnit.SECONDS).strip());
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new DeployException(purpose + " was interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the command ended but something it started still holds its output open
            return new Outcome(process.exitValue(), "");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The last lines of a command's output, flattened, for a one-line message. */
    static String tail(String output) {
        String flat = output.strip().replaceAll("\\s*\\R\\s*", "; ");
        return flat.length() > 500 ? "…" + flat.substring(flat.length() - 500) : flat;
    }
}
