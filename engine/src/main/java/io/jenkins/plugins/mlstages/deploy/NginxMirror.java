package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.InputFiles;

/**
 * Mirrors live traffic with nginx's {@code mirror} directive. The mirror owns one file, included by the
 * operator inside the {@code server} block that proxies to the live model. Mirroring on, the file holds
 * {@code mirror} and {@code mirror_request_body on} (inherited by every location of the server that sets
 * no mirror of its own) and an internal location that passes the copy, with nginx's {@code $request_id}
 * as {@code X-Request-Id}, to the capture. Off, it holds only the internal location, so the include is
 * valid in both states. nginx discards the mirror's answers; the capture answers at once (before it
 * calls any model), and short proxy timeouts bound what a dead capture can cost the live request.
 *
 * <p>Like {@link NginxRouter}, each change is written atomically, tested and reloaded, and the previous
 * file is put back when either command fails; {@link #mirroring()} reads the file back.
 */
public final class NginxMirror implements ShadowMirror {
    /** The internal location the mirrored copies go through. */
    public static final String LOCATION = "/_mlstages_shadow";
    private static final Pattern SERVER = Pattern.compile("[^\\s;{}#'\"$]+");
    private static final String ON = "# shadow mirror: on";
    private static final String OFF = "# shadow mirror: off";

    private final Path file;
    private final String capture;
    private final List<String> testCommand;
    private final List<String> reloadCommand;
    private final Duration commandTimeout;

    /**
     * @param file the file the mirror owns, included inside the operator's {@code server} block
     * @param capture the capture's address as nginx writes it, e.g. {@code 127.0.0.1:9100}
     */
    public NginxMirror(Path file, String capture, List<String> testCommand, List<String> reloadCommand, Duration commandTimeout) {
        this.file = Objects.requireNonNull(file, "file");
        if (capture == null || !SERVER.matcher(capture).matches()) {
            throw new IllegalArgumentException("invalid capture server for nginx: '" + capture + "' (write HOST:PORT)");
        }
        this.capture = capture;
        this.testCommand = List.copyOf(testCommand);
        this.reloadCommand = List.copyOf(reloadCommand);
        if (this.testCommand.isEmpty() || this.reloadCommand.isEmpty()) {
            throw new IllegalArgumentException("the nginx test and reload commands must not be empty");
        }
        this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    @Override
    public synchronized void setMirroring(boolean on) {
        byte[] previous = readIfPresent();
        write(render(on).getBytes(StandardCharsets.UTF_8));
        String what = "mirroring " + (on ? "on" : "off");
        try {
            CommandRunner.Outcome test = CommandRunner.run("nginx config test", testCommand, commandTimeout);
            if (!test.succeeded()) {
                throw new DeployException("nginx rejected the shadow mirror file " + file + " (" + what + "; "
                        + String.join(" ", testCommand) + " exited with " + test.exitCode() + "); the previous file is back in place: "
                        + CommandRunner.tail(test.output()));
            }
            CommandRunner.Outcome reload = CommandRunner.run("nginx reload", reloadCommand, commandTimeout);
            if (!reload.succeeded()) {
                throw new DeployException("nginx reload failed (" + what + "; " + String.join(" ", reloadCommand) + " exited with "
                        + reload.exitCode() + "); the previous " + file + " is back in place: " + CommandRunner.tail(reload.output()));
            }
        } catch (RuntimeException e) {
            restore(previous);
            throw e;
        }
    }

    @Override
    public synchronized boolean mirroring() {
        byte[] content = readIfPresent();
        if (content == null) {
            throw new DeployException("nginx shadow mirror file " + file + " does not exist: mirroring was never set");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.contains(ON)) {
            return true;
        }
        if (text.contains(OFF)) {
            return false;
        }
        throw new DeployException("nginx shadow mirror file " + file + " was not written by ML Stages (no '" + OFF + "' line)");
    }

    @Override
    public String describe() {
        return "nginx mirror to " + capture + " in " + file.toAbsolutePath().normalize();
    }

    /** The file's content: the internal location always, the mirror directives only when on. */
    String render(boolean on) {
        StringBuilder text = new StringBuilder("# Written by ML Stages shadow; edits by hand are overwritten.\n")
                .append(on ? ON : OFF).append('\n');
        if (on) {
            text.append("mirror ").append(LOCATION).append(";\n").append("mirror_request_body on;\n");
        }
        return text.append("location = ").append(LOCATION).append(" {\n")
                .append("    internal;\n")
                .append("    proxy_pass http://").append(capture).append("$request_uri;\n")
                .append("    proxy_set_header X-Request-Id $request_id;\n")
                // a dead or slow capture costs the live request at most these
                .append("    proxy_connect_timeout 200ms;\n")
                .append("    proxy_send_timeout 1s;\n")
                .append("    proxy_read_timeout 1s;\n")
                .append("}\n").toString();
    }

    private byte[] readIfPresent() {
        try {
            return Files.exists(file) ? InputFiles.readAll(file, InputFiles.CONFIG_CAP, "an nginx shadow mirror file") : null;
        } catch (IOException e) {
            throw new DeployException("cannot read nginx shadow mirror file " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(byte[] content) {
        try {
            AtomicFile.write(file, content);
        } catch (IOException e) {
            throw new DeployException("cannot write nginx shadow mirror file " + file + ": " + e.getMessage(), e);
        }
    }

    private void restore(byte[] previous) {
        if (previous != null) {
            write(previous);
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing more to undo
        }
    }
}
