package io.jenkins.plugins.mlstages.report;

/**
 * Where a stage reports what it does. The Jenkins plugin maps it to the build log, the CLI to
 * stderr. Progress arrives every few seconds at most, never per row.
 */
public interface StageLog {
    /** Discards everything. */
    StageLog NONE = new StageLog() {
        @Override
        public void info(String message) {
            // discarded
        }

        @Override
        public void progress(String task, double share, String detail) {
            // discarded
        }
    };

    /** A line for the log. */
    void info(String message);

    /**
     * Progress of a long task.
     *
     * @param share done so far, 0..1; NaN when not known (a query running in a database: only the elapsed time is)
     * @param detail e.g. {@code 1.2 M rows/s, 4 s left}
     */
    void progress(String task, double share, String detail);
}
