package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.io.Writer;

import io.jenkins.plugins.mlstages.report.Secrets;

/**
 * What the CLI writes to stdout and stderr, without the credentials the process holds
 * ({@link Secrets#known()}): text is held until a line ends or the stream is flushed, so that a
 * credential written in pieces is still found whole.
 */
final class RedactingWriter extends Writer {
    private final Writer target;
    private final StringBuilder pending = new StringBuilder();

    RedactingWriter(Writer target) {
        this.target = target;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) throws IOException {
        pending.append(chars, offset, length);
        int end = pending.lastIndexOf("\n");
        if (end >= 0) {
            target.write(Secrets.redactKnown(pending.substring(0, end + 1)));
            pending.delete(0, end + 1);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (pending.length() > 0) {
            target.write(Secrets.redactKnown(pending.toString()));
            pending.setLength(0);
        }
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        target.close();
    }
}
