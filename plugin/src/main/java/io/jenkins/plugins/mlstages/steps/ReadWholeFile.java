package io.jenkins.plugins.mlstages.steps;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.report.InputFiles;
import java.io.File;
import java.io.IOException;
import jenkins.MasterToSlaveFileCallable;

/**
 * Reads a workspace file whole, on the agent, through the engine's one file check: a directory, a FIFO or
 * a device is refused without being opened, and a file over {@code cap} bytes is refused before it is read
 * (an {@link io.jenkins.plugins.mlstages.report.UnusableFileException} naming why), as in the CLI.
 */
final class ReadWholeFile extends MasterToSlaveFileCallable<byte[]> {
    private static final long serialVersionUID = 1L;

    private final long cap;
    private final String what;

    /** @param what how the size message calls the file, e.g. "a report" */
    ReadWholeFile(long cap, String what) {
        this.cap = cap;
        this.what = what;
    }

    @Override
    public byte[] invoke(File file, VirtualChannel channel) throws IOException, InterruptedException {
        return InputFiles.readAll(file.toPath(), cap, what);
    }
}
