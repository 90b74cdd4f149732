package io.jenkins.plugins.mlstages.data;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.testing.SetupScript;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python oracle script from {@code engine/src/test/python} with the test virtualenv's interpreter
 * (NumPy, SciPy, pandas, scikit-learn pinned in {@code tools/requirements.txt}; the venv is created by
 * {@link MlflowServer#venv()} on first use, which needs the {@code mlstages.root} system property that
 * Failsafe sets). The request goes as JSON on stdin; the script prints one JSON document on stdout.
 * For integration tests only (it starts a process); the data and eval oracles share it.
 */
public final class PythonOracle {
    /** Reads Python's {@code json.dumps} output, which may contain {@code NaN} and {@code Infinity}. */
    public static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private static final long TIMEOUT_SECONDS = 600;

    private PythonOracle() {
    }

    /** The virtualenv's interpreter. */
    static Path python() {
        return MlflowServer.venv().resolve("bin/python");
    }

    /** The script's path: {@code <mlstages.root>/engine/src/test/python/<script>}. */
    static Path script(String script) {
        return Path.of(System.getProperty("mlstages.root", ".")).toAbsolutePath().normalize()
                .resolve("engine/src/test/python").resolve(script);
    }

    /**
     * Runs {@code script} with {@code input} serialised as JSON on stdin and returns its stdout parsed as JSON.
     *
     * @throws IllegalStateException with the script's stderr when it exits non-zero, times out or prints no JSON
     */
    public static JsonNode run(String script, Object input) {
        return run(python(), script, input);
    }

    /**
     * The interpreter of the Evidently virtualenv ({@code target/evidently-venv}, pinned in
     * {@code tools/evidently-requirements.txt}: Evidently 0.7 needs pandas &lt; 3, the MLflow venv has pandas 3),
     * created by {@code tools/evidently-venv.sh} on first use.
     */
    static synchronized Path evidentlyPython() {
        Path root = Path.of(System.getProperty("mlstages.root", ".")).toAbsolutePath().normalize();
        Path venv = root.resolve("target/evidently-venv");
        SetupScript.run(root, "evidently-venv.sh", venv, 30, "Python 3 and PyPI");
        return venv.resolve("bin/python");
    }

    /** As {@link #run(String, Object)}, with the given interpreter. */
    public static JsonNode run(Path interpreter, String script, Object input) {
        Path file = script(script);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no oracle script " + file + " (is -Dmlstages.root set?)");
        }
        File err = null;
        Process python = null;
        try {
            err = Files.createTempFile("oracle", ".err").toFile();
            ProcessBuilder builder = new ProcessBuilder(List.of(interpreter.toString(), file.toString()));
            builder.redirectError(err);
            python = builder.start();
            byte[] request = JSON.writeValueAsBytes(input);
            // The script reads all of stdin before it writes, so writing first cannot deadlock.
            try (OutputStream stdin = python.getOutputStream()) {
                stdin.write(request);
            }
            byte[] out = python.getInputStream().readAllBytes();
            if (!python.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(script + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + read(err));
            }
            if (python.exitValue() != 0) {
                throw new IllegalStateException(script + " failed (exit " + python.exitValue() + "):\n" + read(err)
                        + new String(out, StandardCharsets.UTF_8));
            }
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new IllegalStateException(script + " printed no JSON: " + e.getMessage() + "\nstderr:\n" + read(err)
                        + "\nstdout:\n" + new String(out, StandardCharsets.UTF_8), e);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage()
                    + (err == null ? "" : "\n" + read(err)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        } finally {
            if (python != null && python.isAlive()) {
                python.destroyForcibly();
            }
            if (err != null && !err.delete()) {
                err.deleteOnExit();
            }
        }
    }

    private static String read(File file) {
        try {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }
}
