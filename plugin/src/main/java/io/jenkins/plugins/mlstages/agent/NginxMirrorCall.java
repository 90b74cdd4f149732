package io.jenkins.plugins.mlstages.agent;

import hudson.AbortException;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.NginxMirror;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jenkins.security.MasterToSlaveCallable;

/**
 * One operation of the engine's {@link NginxMirror} on the node where nginx runs: writes the mirror file
 * and runs the test and reload commands there, or reads the file back. Every setting comes from the
 * administrator's router definition. A failure crosses back as an {@link AbortException} holding only the
 * engine's one-line message, as for {@link NginxRouterCall}.
 */
public final class NginxMirrorCall extends MasterToSlaveCallable<Boolean, IOException> {
    private static final long serialVersionUID = 1L;

    private final String mirrorFile;
    private final String captureServer;
    private final ArrayList<String> testCommand;
    private final ArrayList<String> reloadCommand;
    /** null reads; true or false sets. */
    private final Boolean setting;

    /** Reads the mirror's state; empty commands mean the engine's {@code nginx -t} and {@code nginx -s reload}. */
    public NginxMirrorCall(String mirrorFile, String captureServer, List<String> testCommand, List<String> reloadCommand) {
        this(mirrorFile, captureServer, testCommand, reloadCommand, null);
    }

    private NginxMirrorCall(String mirrorFile, String captureServer, List<String> testCommand, List<String> reloadCommand,
            Boolean setting) {
        this.mirrorFile = mirrorFile;
        this.captureServer = captureServer;
        this.testCommand = new ArrayList<>(testCommand);
        this.reloadCommand = new ArrayList<>(reloadCommand);
        this.setting = setting;
    }

    /** The same mirror, turned on or off. */
    public NginxMirrorCall setting(boolean on) {
        return new NginxMirrorCall(mirrorFile, captureServer, testCommand, reloadCommand, on);
    }

    /** The engine's mirror: the checks of the address happen here, wherever it is built. */
    public NginxMirror mirror() {
        return new NginxMirror(Path.of(mirrorFile), captureServer, testCommand.isEmpty() ? List.of("nginx", "-t") : testCommand,
                reloadCommand.isEmpty() ? List.of("nginx", "-s", "reload") : reloadCommand, Duration.ofSeconds(30));
    }

    /** Whether the mirror is on now, after setting it when this is a {@link #setting} call. */
    @Override
    public Boolean call() throws IOException {
        try {
            NginxMirror mirror = mirror();
            if (setting == null) {
                return mirror.mirroring();
            }
            mirror.setMirroring(setting);
            return setting;
        } catch (DeployException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** How logs and the shadow state name this mirror; the same wherever it runs. */
    public String describe(String where) {
        return "nginx mirror to " + captureServer + " in " + mirrorFile + " " + where;
    }
}
