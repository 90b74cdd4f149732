package io.jenkins.plugins.mlstages.canary;

import io.jenkins.plugins.mlstages.support.BuildLog;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.deploy.NginxRouter;
import io.jenkins.plugins.mlstages.deploy.NginxRouterConfig;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code nginx(config: ..., upstream: ..., stableServer: ..., canaryServer: ...)}: weighted servers of an
 * nginx upstream in a file the router owns, on the controller, checked with {@code nginx -t} and
 * applied with {@code nginx -s reload} (the CLI's {@code --router nginx --nginx-*} options).
 */
public final class NginxCanaryRouter extends CanaryRouter {
    private static final long serialVersionUID = 1L;

    private final String config;
    private final String upstream;
    private final String stableServer;
    private final String canaryServer;
    private String testCommand;
    private String reloadCommand;

    @DataBoundConstructor
    public NginxCanaryRouter(String config, String upstream, String stableServer, String canaryServer) {
        this.config = Util.fixEmptyAndTrim(config);
        this.upstream = Util.fixEmptyAndTrim(upstream);
        this.stableServer = Util.fixEmptyAndTrim(stableServer);
        this.canaryServer = Util.fixEmptyAndTrim(canaryServer);
        if (this.config == null || this.upstream == null || this.stableServer == null || this.canaryServer == null) {
            throw new IllegalArgumentException("nginx(...) needs config, upstream, stableServer and canaryServer");
        }
    }

    public String getConfig() {
        return config;
    }

    public String getUpstream() {
        return upstream;
    }

    public String getStableServer() {
        return stableServer;
    }

    public String getCanaryServer() {
        return canaryServer;
    }

    public String getTestCommand() {
        return testCommand;
    }

    /** Checks the configuration; default {@code nginx -t}. Words separated by spaces. */
    @DataBoundSetter
    public void setTestCommand(String testCommand) {
        this.testCommand = Util.fixEmptyAndTrim(testCommand);
    }

    public String getReloadCommand() {
        return reloadCommand;
    }

    /** Applies the configuration; default {@code nginx -s reload}. */
    @DataBoundSetter
    public void setReloadCommand(String reloadCommand) {
        this.reloadCommand = Util.fixEmptyAndTrim(reloadCommand);
    }

    @Override
    public TrafficRouter open(Run<?, ?> run) throws AbortException {
        try {
            NginxRouterConfig defaults = NginxRouterConfig.of(Path.of(config), upstream, stableServer, canaryServer);
            return new NginxRouter(new NginxRouterConfig(defaults.configFile(), defaults.upstream(),
                    defaults.stableServer(), defaults.canaryServer(), words(testCommand, defaults.testCommand()),
                    words(reloadCommand, defaults.reloadCommand()), defaults.commandTimeout()));
        } catch (IllegalArgumentException e) {
            throw BuildLog.failure("canaryDeploy", "nginx router: " + e.getMessage());
        }
    }

    private static List<String> words(String text, List<String> fallback) {
        return text == null ? fallback : Arrays.asList(text.split("\\s+"));
    }

    @Extension
    @Symbol("nginx")
    public static final class DescriptorImpl extends CanaryRouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "nginx weighted upstream (on the controller)";
        }
    }
}
