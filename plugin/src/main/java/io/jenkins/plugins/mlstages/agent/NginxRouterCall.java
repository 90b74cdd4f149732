package io.jenkins.plugins.mlstages.agent;

import hudson.AbortException;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.NginxRouter;
import io.jenkins.plugins.mlstages.deploy.NginxRouterConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jenkins.security.MasterToSlaveCallable;

/**
 * One operation of the engine's {@link NginxRouter} on the node where nginx runs (the node an administrator
 * named in the router definition): writes the upstream file and runs the test and reload commands there, or
 * reads the file back. Every setting comes from the administrator's definition. A failure crosses back as an
 * {@link AbortException} holding only the engine's one-line message (see {@link ReadWholeFile} for why).
 */
public final class NginxRouterCall extends MasterToSlaveCallable<Integer, IOException> {
    private static final long serialVersionUID = 1L;
    /** The operation that reads the weight instead of setting it. */
    private static final int READ = -1;

    private final String configFile;
    private final String upstream;
    private final String stableServer;
    private final String canaryServer;
    private final ArrayList<String> testCommand;
    private final ArrayList<String> reloadCommand;
    private final int weight;

    /**
     * @param testCommand the words of the test command, or empty for the engine's {@code nginx -t}
     * @param reloadCommand the words of the reload command, or empty for {@code nginx -s reload}
     */
    public NginxRouterCall(String configFile, String upstream, String stableServer, String canaryServer,
            List<String> testCommand, List<String> reloadCommand) {
        this(configFile, upstream, stableServer, canaryServer, testCommand, reloadCommand, READ);
    }

    private NginxRouterCall(String configFile, String upstream, String stableServer, String canaryServer,
            List<String> testCommand, List<String> reloadCommand, int weight) {
        this.configFile = configFile;
        this.upstream = upstream;
        this.stableServer = stableServer;
        this.canaryServer = canaryServer;
        this.testCommand = new ArrayList<>(testCommand);
        this.reloadCommand = new ArrayList<>(reloadCommand);
        this.weight = weight;
    }

    /** The same router, setting the canary's share to {@code canaryPercent} %. */
    public NginxRouterCall setting(int canaryPercent) {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        return new NginxRouterCall(configFile, upstream, stableServer, canaryServer, testCommand, reloadCommand,
                canaryPercent);
    }

    /** The engine's configuration: the checks of names and servers happen here, wherever it is built. */
    public NginxRouterConfig config() {
        NginxRouterConfig defaults = NginxRouterConfig.of(Path.of(configFile), upstream, stableServer, canaryServer);
        return new NginxRouterConfig(defaults.configFile(), upstream, stableServer, canaryServer,
                testCommand.isEmpty() ? defaults.testCommand() : testCommand,
                reloadCommand.isEmpty() ? defaults.reloadCommand() : reloadCommand, defaults.commandTimeout());
    }

    /** The weight now in effect, after setting it when this is a {@link #setting} call. */
    @Override
    public Integer call() throws IOException {
        try {
            NginxRouter router = new NginxRouter(config());
            if (weight == READ) {
                return router.canaryWeight();
            }
            router.setCanaryWeight(weight);
            return weight;
        } catch (DeployException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** How logs and the canary state name this router; the same wherever the router runs. */
    public String describe(String where) {
        return "nginx upstream '" + upstream + "' in " + configFile + " " + where;
    }
}
