package io.jenkins.plugins.mlstages.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how {@link NginxRouter} splits traffic.
 *
 * @param configFile the file the router owns: it holds only {@code upstream <upstream> { ... }} and is
 *        included by the operator's nginx configuration (e.g. from {@code http { include ...; }})
 * @param upstream the upstream's name, used by the operator's {@code proxy_pass http://<upstream>;}
 * @param stableServer the stable version's address as nginx writes it, e.g. {@code 127.0.0.1:8001} or {@code unix:/run/model.sock}
 * @param canaryServer the canary version's address
 * @param testCommand checks the whole configuration after the file is written, e.g. {@code nginx -t};
 *        arguments as a list, run without a shell
 * @param reloadCommand applies it, e.g. {@code nginx -s reload}
 * @param commandTimeout how long each command may take
 */
public record NginxRouterConfig(Path configFile, String upstream, String stableServer, String canaryServer,
        List<String> testCommand, List<String> reloadCommand, Duration commandTimeout) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern SERVER = Pattern.compile("[^\\s;{}#'\"]+");

    public NginxRouterConfig {
        Objects.requireNonNull(configFile, "configFile");
        requireMatch(upstream, NAME, "upstream name");
        requireMatch(stableServer, SERVER, "stable server");
        requireMatch(canaryServer, SERVER, "canary server");
        if (stableServer.equals(canaryServer)) {
            throw new IllegalArgumentException("the stable and the canary server are the same (" + stableServer + ")");
        }
        testCommand = List.copyOf(testCommand);
        reloadCommand = List.copyOf(reloadCommand);
        if (testCommand.isEmpty() || reloadCommand.isEmpty()) {
            throw new IllegalArgumentException("the nginx test and reload commands must not be empty");
        }
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("the nginx command timeout must be positive, was " + commandTimeout);
        }
    }

    /** With {@code nginx -t}, {@code nginx -s reload} (nginx from the PATH, its default main config) and 30 s per command. */
    public static NginxRouterConfig of(Path configFile, String upstream, String stableServer, String canaryServer) {
        return new NginxRouterConfig(configFile, upstream, stableServer, canaryServer,
                List.of("nginx", "-t"), List.of("nginx", "-s", "reload"), Duration.ofSeconds(30));
    }

    /**
     * The same with both commands pointed at the operator's main configuration ({@code -c mainConfig}),
     * and at {@code -p prefix} when one is given: the reload signal finds the master through the pid file
     * that configuration names.
     */
    public NginxRouterConfig withNginx(String nginx, Path prefix, Path mainConfig) {
        List<String> common = new ArrayList<>();
        if (prefix != null) {
            common.addAll(List.of("-p", prefix.toString()));
        }
        if (mainConfig != null) {
            common.addAll(List.of("-c", mainConfig.toString()));
        }
        List<String> test = new ArrayList<>(List.of(nginx, "-t", "-q"));
        test.addAll(common);
        List<String> reload = new ArrayList<>(List.of(nginx));
        reload.addAll(common);
        reload.addAll(List.of("-s", "reload"));
        return new NginxRouterConfig(configFile, upstream, stableServer, canaryServer, test, reload, commandTimeout);
    }

    private static void requireMatch(String value, Pattern pattern, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid nginx " + what + ": '" + value + "'");
        }
    }
}
