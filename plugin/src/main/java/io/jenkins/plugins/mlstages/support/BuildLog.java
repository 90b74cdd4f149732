package io.jenkins.plugins.mlstages.support;

import hudson.AbortException;
import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The engine's {@link StageLog} on the controller: one line in the build log per message, without the
 * credentials the process holds ({@link Secrets#known()}: the registry's and the canary's, remembered
 * when they are configured), control characters escaped ({@link Printable}). It is the one path to the build
 * log: error messages printed by Jenkins go through {@link #oneLine} or {@link #failure} for the same.
 */
public final class BuildLog implements StageLog {
    private final PrintStream out;

    public BuildLog(PrintStream out) {
        this.out = out;
    }

    /** A message as one log line: an exception's message may span lines (a server's answer, a stack of causes). */
    public static String oneLine(String message) {
        return message == null ? "failed without a message"
                : Printable.escape(Secrets.redactKnown(message).strip().replaceAll("\\s+", " "));
    }

    /** The step's failure: {@code step: message} on one log-safe line, shown by Jenkins without a stack trace. */
    public static AbortException failure(String step, String message) {
        return new AbortException(oneLine(step + ": " + message));
    }

    /** Logs a line the step composed from its own text and user input, on one log-safe line. */
    public void line(String message) {
        out.println(oneLine(message));
    }

    @Override
    public void info(String message) {
        out.println(Printable.escapeLines(Secrets.redactKnown(message)));
    }

    @Override
    public void progress(String task, double share, String detail) {
        out.println(Printable.escape(
                Secrets.redactKnown(Double.isNaN(share) ? String.format(Locale.ROOT, "%s (%s)", task, detail)
                        : String.format(Locale.ROOT, "%s: %.0f%% (%s)", task, share * 100, detail))));
    }
}
