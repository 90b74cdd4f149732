package io.jenkins.plugins.mlstages.agent;

import hudson.AbortException;
import io.jenkins.plugins.mlstages.deploy.CaptureComparison;
import io.jenkins.plugins.mlstages.deploy.CaptureFolder;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import jenkins.security.MasterToSlaveCallable;

/**
 * Reads the shadow capture's folder on the node next to the router (the capture never runs on the
 * controller): counts the pairs of a window, or compares the first of them there, so that only numbers
 * (metrics and a histogram) cross the channel. The folder comes from the administrator's router definition.
 */
public final class CaptureCall extends MasterToSlaveCallable<CaptureComparison, IOException> {
    private static final long serialVersionUID = 1L;

    private final String folder;
    private final String from;
    private final String to;
    /** 0 counts; more compares at most this many pairs. */
    private final int max;

    public CaptureCall(String folder, Instant from, Instant to, int max) {
        this.folder = folder;
        this.from = from.toString();
        this.to = to.toString();
        this.max = max;
    }

    /** {@code {"count": n}} when counting, else the comparison: metrics and the output distribution. */
    @Override
    public CaptureComparison call() throws IOException {
        try {
            CaptureFolder capture = new CaptureFolder(Path.of(folder));
            if (max == 0) {
                return new CaptureComparison(Map.of("count", (double) capture.count(Instant.parse(from), Instant.parse(to))), null);
            }
            return capture.compare(Instant.parse(from), Instant.parse(to), max);
        } catch (DeployException | IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
