package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.InputFiles;

/**
 * Splits traffic with nginx weighted round robin: the router owns one file holding only
 * {@code upstream NAME { server STABLE weight=..; server CANARY weight=..; }}, which the operator's
 * configuration includes and proxies to. A split of p % is written as weights {@code 100 - p} and
 * {@code p} reduced by their common divisor (10 % is 9 and 1); a server with no share is marked
 * {@code down}, as nginx weights must be at least 1.
 *
 * <p>The file is the router's state: {@link #canaryWeight()} reads it back. Each change is written
 * atomically, checked with the test command and applied with the reload command; when either fails,
 * the previous file is put back, so the file keeps describing what nginx serves.
 */
public final class NginxRouter implements TrafficRouter {
    private static final Pattern SERVER_LINE = Pattern.compile("^\\s*server\\s+([^\\s;]+)([^;]*);", Pattern.MULTILINE);
    private static final Pattern WEIGHT = Pattern.compile("(?:^|\\s)weight=(\\d+)(?=\\s|$)");
    private static final Pattern DOWN = Pattern.compile("(?:^|\\s)down(?=\\s|$)");

    private final NginxRouterConfig config;

    public NginxRouter(NginxRouterConfig config) {
        this.config = config;
    }

    public NginxRouterConfig config() {
        return config;
    }

    @Override
    public synchronized void setCanaryWeight(int canaryPercent) {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        Path file = config.configFile();
        byte[] previous = readIfPresent(file);
        write(file, render(canaryPercent).getBytes(StandardCharsets.UTF_8));
        try {
            CommandRunner.Outcome test = CommandRunner.run("nginx config test", config.testCommand(),
                    config.commandTimeout());
            if (!test.succeeded()) {
                throw new DeployException("nginx rejected upstream '" + config.upstream() + "' at canary "
                        + canaryPercent + " % (" + String.join(" ", config.testCommand()) + " exited with "
                        + test.exitCode() + "); the previous " + file + " is back in place: "
                        + CommandRunner.tail(test.output()));
            }
            CommandRunner.Outcome reload = CommandRunner.run("nginx reload", config.reloadCommand(),
                    config.commandTimeout());
            if (!reload.succeeded()) {
                throw new DeployException("nginx reload failed at canary " + canaryPercent + " % ("
                        + String.join(" ", config.reloadCommand()) + " exited with " + reload.exitCode()
                        + "); the previous " + file + " is back in place: " + CommandRunner.tail(reload.output()));
            }
        } catch (RuntimeException e) {
            // whatever went wrong (a refusal, a timeout, a command that cannot start), the file goes back
            restore(file, previous);
            throw e;
        }
    }

    @Override
    public synchronized int canaryWeight() {
        Path file = config.configFile();
        byte[] content = readIfPresent(file);
        if (content == null) {
            throw new DeployException("nginx router file " + file + " does not exist: no split was applied yet");
        }
        return parseCanaryPercent(new String(content, StandardCharsets.UTF_8));
    }

    @Override
    public String describe() {
        // absolute and normalized: a resume from another directory, or with ./ in the path, describes the same router
        return "nginx upstream '" + config.upstream() + "' in " + config.configFile().toAbsolutePath().normalize();
    }

    /** The file's content for a split of {@code canaryPercent} %. */
    String render(int canaryPercent) {
        int stable = 100 - canaryPercent;
        int canary = canaryPercent;
        int divisor = gcd(stable, canary);
        return "# Written by ML Stages canaryDeploy at every traffic step; edits by hand are overwritten.\n"
                + "# canary " + canaryPercent + " %\n"
                + "upstream " + config.upstream() + " {\n"
                + serverLine(config.stableServer(), stable / divisor)
                + serverLine(config.canaryServer(), canary / divisor)
                + "}\n";
    }

    private static String serverLine(String server, int weight) {
        return "    server " + server + (weight == 0 ? " down" : " weight=" + weight) + ";\n";
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The canary's share in a router file: its weight over the sum, in whole percent. */
    int parseCanaryPercent(String text) {
        Matcher block = Pattern.compile("upstream\\s+" + Pattern.quote(config.upstream()) + "\\s*\\{([^}]*)}")
                .matcher(text);
        if (!block.find()) {
            throw new DeployException("nginx router file " + config.configFile() + " has no upstream '"
                    + config.upstream() + "'");
        }
        Integer stable = null;
        Integer canary = null;
        Matcher server = SERVER_LINE.matcher(block.group(1));
        while (server.find()) {
            String address = server.group(1);
            if (address.equals(config.stableServer())) {
                stable = weightOf(server.group(2));
            } else if (address.equals(config.canaryServer())) {
                canary = weightOf(server.group(2));
            }
        }
        if (stable == null || canary == null) {
            throw new DeployException("nginx router file " + config.configFile() + " does not list both "
                    + config.stableServer() + " and " + config.canaryServer() + " in upstream '" + config.upstream() + "'");
        }
        if (stable + canary == 0) {
            throw new DeployException("nginx router file " + config.configFile() + " marks both servers down");
        }
        return (int) Math.round(100.0 * canary / (stable + canary));
    }

    /** A server's weight from its parameters: 0 when marked down, else {@code weight=} or nginx's default 1. */
    private static int weightOf(String parameters) {
        if (DOWN.matcher(parameters).find()) {
            return 0;
        }
        Matcher weight = WEIGHT.matcher(parameters);
        return weight.find() ? Integer.parseInt(weight.group(1)) : 1;
    }

    private static byte[] readIfPresent(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            return InputFiles.readAll(file, InputFiles.CONFIG_CAP, "an nginx router file");
        } catch (IOException e) {
            throw new DeployException("cannot read nginx router file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file in one step, so nginx never reads half of it. */
    private static void write(Path file, byte[] content) {
        try {
            AtomicFile.write(file, content);
        } catch (IOException e) {
            throw new DeployException("cannot write nginx router file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void restore(Path file, byte[] previous) {
        if (previous != null) {
            write(file, previous);
        } else {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing more to undo
        }
    }
}
