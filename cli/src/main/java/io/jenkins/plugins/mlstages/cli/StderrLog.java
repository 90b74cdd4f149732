package io.jenkins.plugins.mlstages.cli;

import java.io.PrintWriter;
import java.util.Locale;

import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * The CLI's {@link StageLog}: messages on stderr; progress as one updating line on a terminal, as
 * plain lines (every few seconds at most, as the engine sends them) in a log.
 */
final class StderrLog implements StageLog {
    private final PrintWriter err;
    private final boolean terminal;
    private boolean progressShown;

    StderrLog(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void info(String message) {
        clearProgress();
        err.println(Printable.escapeLines(message));
        err.flush();
    }

    @Override
    public synchronized void progress(String task, double share, String detail) {
        String line = Double.isNaN(share) ? String.format(Locale.ROOT, "%s (%s)", task, detail)
                : String.format(Locale.ROOT, "%s: %3.0f %% (%s)", task, share * 100, detail);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            progressShown = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    private void clearProgress() {
        if (progressShown) {
            err.print("\r\u001b[K");
            progressShown = false;
        }
    }
}
