package io.jenkins.plugins.mlstages.agent;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import java.io.File;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;

/**
 * Reads a workspace file whole, on the agent, through the engine's one file check: a directory, a FIFO or
 * a device is refused without being opened, and a file over {@code cap} bytes is refused before it is read,
 * as in the CLI.
 *
 * <p>Why the file is unusable crosses back as an {@link AbortException} holding only the problem (without
 * the file name, which the caller adds with the step's name). Read in jenkinsci/jenkins@jenkins-2.541.3
 * {@code hudson/FilePath.java}: {@code act(FileCallable)} sends the callable through {@code Channel.call} and
 * rethrows what it threw as is (only {@code actAsync} wraps in "remote file operation failed"), and
 * {@code ClassFilterImpl} permits any Throwable. Still, the engine's exception would cross with its cause
 * chain (the system's exception) and only the controller-side catch knows its type; an AbortException is
 * core's type for "a message, no stack trace" on every node, so the callers need no engine type at all.
 */
public final class ReadWholeFile extends MasterToSlaveFileCallable<byte[]> {
    private static final long serialVersionUID = 1L;

    private final long cap;
    private final String what;

    /** @param what how the size message calls the file, e.g. "a report" */
    public ReadWholeFile(long cap, String what) {
        this.cap = cap;
        this.what = what;
    }

    @Override
    public byte[] invoke(File file, VirtualChannel channel) throws IOException, InterruptedException {
        try {
            return InputFiles.readAll(file.toPath(), cap, what);
        } catch (UnusableFileException e) {
            throw new AbortException(e.problem());
        }
    }
}
