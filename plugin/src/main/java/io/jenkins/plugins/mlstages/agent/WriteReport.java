package io.jenkins.plugins.mlstages.agent;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import java.io.File;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;

/**
 * Writes a report on the node that holds the workspace through the engine's {@link AtomicFile}, as the
 * CLI and the agent-side validateData/evaluateModel do: readers never see half a report, and a directory
 * or a non-directory parent in the way is one line instead of a stack trace. A failure crosses back as an
 * {@link AbortException} holding only the problem (see {@link ReadWholeFile} for why); the caller adds the
 * step and the file.
 */
public final class WriteReport extends MasterToSlaveFileCallable<Void> {
    private static final long serialVersionUID = 1L;

    private final byte[] content;

    public WriteReport(byte[] content) {
        this.content = content.clone();
    }

    @Override
    public Void invoke(File file, VirtualChannel channel) throws IOException, InterruptedException {
        try {
            AtomicFile.write(file.toPath(), content);
        } catch (UnusableFileException e) {
            // AtomicFile reports every failure so, with the system's reason
            throw new AbortException(e.problem());
        }
        return null;
    }
}
