package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Node;
import hudson.model.Run;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.agent.NginxMirrorCall;
import io.jenkins.plugins.mlstages.agent.NginxRouterCall;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.ShadowMirror;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * An nginx router definition: weighted servers of an upstream in a file the router owns, checked with the
 * test command and applied with the reload command (the engine's {@code NginxRouter}, the CLI's
 * {@code --router nginx}). The file and the commands are on the node the administrator named with
 * {@code agent} (the host where nginx runs, reached through that node's channel at each operation), or on
 * the controller only when the administrator chose {@code onController}.
 */
public final class NginxCanaryRouter extends CanaryRouter {
    private static final Pattern ABSOLUTE = Pattern.compile("/.*|[A-Za-z]:[\\\\/].*");

    private final String config;
    private final String upstream;
    private final String stableServer;
    private final String canaryServer;
    private String agent;
    private boolean onController;
    private String testCommand;
    private String reloadCommand;
    private String mirrorConfig;
    private String captureServer;
    private String captureFolder;

    @DataBoundConstructor
    public NginxCanaryRouter(String name, String config, String upstream, String stableServer, String canaryServer) {
        super(name);
        this.config = Util.fixEmptyAndTrim(config);
        this.upstream = Util.fixEmptyAndTrim(upstream);
        this.stableServer = Util.fixEmptyAndTrim(stableServer);
        this.canaryServer = Util.fixEmptyAndTrim(canaryServer);
        if (this.config == null || this.upstream == null || this.stableServer == null || this.canaryServer == null) {
            throw new IllegalArgumentException("nginx router '" + getName()
                    + "' needs config, upstream, stableServer and canaryServer");
        }
        if (!ABSOLUTE.matcher(this.config).matches()) {
            throw new IllegalArgumentException("nginx router '" + getName() + "': config must be an absolute path on "
                    + "the nginx host, was '" + this.config + "'");
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

    @CheckForNull
    public String getAgent() {
        return agent;
    }

    /** The name of the node where nginx runs: the file is written and the commands run there. */
    @DataBoundSetter
    public void setAgent(String agent) {
        this.agent = Util.fixEmptyAndTrim(agent);
    }

    public boolean isOnController() {
        return onController;
    }

    /** The file and the commands on the controller itself: an administrator's explicit choice. */
    @DataBoundSetter
    public void setOnController(boolean onController) {
        this.onController = onController;
    }

    @CheckForNull
    public String getTestCommand() {
        return testCommand;
    }

    /** Checks the configuration; default {@code nginx -t}. Words separated by spaces, run without a shell. */
    @DataBoundSetter
    public void setTestCommand(String testCommand) {
        this.testCommand = Util.fixEmptyAndTrim(testCommand);
    }

    @CheckForNull
    public String getReloadCommand() {
        return reloadCommand;
    }

    /** Applies the configuration; default {@code nginx -s reload}. */
    @DataBoundSetter
    public void setReloadCommand(String reloadCommand) {
        this.reloadCommand = Util.fixEmptyAndTrim(reloadCommand);
    }

    @CheckForNull
    public String getMirrorConfig() {
        return mirrorConfig;
    }

    /** Shadow mode: the mirror file the operator includes inside the {@code server} block (absolute, on the nginx host). */
    @DataBoundSetter
    public void setMirrorConfig(String mirrorConfig) {
        this.mirrorConfig = Util.fixEmptyAndTrim(mirrorConfig);
    }

    @CheckForNull
    public String getCaptureServer() {
        return captureServer;
    }

    /** Shadow mode: where {@code mlstages shadow-capture} listens, as nginx reaches it (HOST:PORT). */
    @DataBoundSetter
    public void setCaptureServer(String captureServer) {
        this.captureServer = Util.fixEmptyAndTrim(captureServer);
    }

    @CheckForNull
    public String getCaptureFolder() {
        return captureFolder;
    }

    /** Shadow mode: the capture's {@code --out} folder (absolute, on the nginx host). */
    @DataBoundSetter
    public void setCaptureFolder(String captureFolder) {
        this.captureFolder = Util.fixEmptyAndTrim(captureFolder);
    }

    @Override
    public ShadowSetup openShadow(Run<?, ?> run) throws AbortException {
        requireUsable();
        if (mirrorConfig == null || captureServer == null || captureFolder == null) {
            throw BuildLog.failure("shadowDeploy", "nginx router '" + getName() + "' has no shadow mirror: it needs mirrorConfig,"
                    + " captureServer and captureFolder");
        }
        if (!ABSOLUTE.matcher(mirrorConfig).matches() || !ABSOLUTE.matcher(captureFolder).matches()) {
            throw BuildLog.failure("shadowDeploy", "nginx router '" + getName() + "': mirrorConfig and captureFolder must be"
                    + " absolute paths on the nginx host");
        }
        NginxMirrorCall call = new NginxMirrorCall(mirrorConfig, captureServer, words(testCommand), words(reloadCommand));
        try {
            call.mirror();
        } catch (IllegalArgumentException e) {
            throw BuildLog.failure("shadowDeploy", "nginx router '" + getName() + "': " + e.getMessage());
        }
        String where = "nginx router '" + getName() + "'";
        String description = call.describe(agent == null ? "on the controller" : "on agent '" + agent + "'");
        String node = agent;
        ShadowMirror mirror = new ShadowMirror() {
            @Override
            public void setMirroring(boolean on) {
                NodeCalls.call(node, call.setting(on), where);
            }

            @Override
            public boolean mirroring() {
                return NodeCalls.call(node, call, where);
            }

            @Override
            public String describe() {
                return description;
            }
        };
        return new ShadowSetup(mirror, ShadowSetup.captureOn(agent, captureFolder, getName()), captureFolder);
    }

    @Override
    protected String kind() {
        return "nginx";
    }

    @Override
    @CheckForNull
    protected String problem() {
        if ((agent == null) == !onController) {
            return "needs either agent: the node where nginx runs, or onController: true (not both)";
        }
        try {
            call().config();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private NginxRouterCall call() {
        return new NginxRouterCall(config, upstream, stableServer, canaryServer, words(testCommand),
                words(reloadCommand));
    }

    private static List<String> words(@CheckForNull String text) {
        return text == null ? List.of() : List.of(text.split("\\s+"));
    }

    @Override
    public TrafficRouter open(Run<?, ?> run, Sleeper sleeper, Optional<String> canaryStorageUri) throws AbortException {
        requireUsable();
        return new OnNode(getName(), agent, call());
    }

    /**
     * The engine's router on the named node: each operation is one call through the node's channel as it
     * is now, so an agent that reconnects between steps is used again, and an offline one is one line.
     */
    private static final class OnNode implements TrafficRouter {
        private final String name;
        @CheckForNull
        private final String agent;
        private final NginxRouterCall call;

        OnNode(String name, @CheckForNull String agent, NginxRouterCall call) {
            this.name = name;
            this.agent = agent;
            this.call = call;
        }

        @Override
        public void setCanaryWeight(int canaryPercent) {
            run(call.setting(canaryPercent));
        }

        @Override
        public int canaryWeight() {
            return run(call);
        }

        @Override
        public String describe() {
            return call.describe(agent == null ? "on the controller" : "on agent '" + agent + "'");
        }

        private int run(NginxRouterCall operation) {
            try {
                if (agent == null) {
                    return operation.call();
                }
                Node node = Jenkins.get().getNode(agent);
                if (node == null) {
                    throw new DeployException(where() + ": there is no agent named '" + agent + "'");
                }
                VirtualChannel channel = node.getChannel();
                if (channel == null) {
                    throw new DeployException(where() + ": agent '" + agent + "' is offline");
                }
                return channel.call(operation);
            } catch (AbortException e) {
                throw new DeployException(where() + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new DeployException(where() + ": the connection to agent '" + agent + "' failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException(where() + ": interrupted while waiting for agent '" + agent + "'", e);
            }
        }

        private String where() {
            return "nginx router '" + name + "'";
        }
    }

    @Extension
    @Symbol("nginx")
    public static final class DescriptorImpl extends CanaryRouterDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return "nginx weighted upstream (on a named agent)";
        }
    }
}
