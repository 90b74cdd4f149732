package io.jenkins.plugins.mlstages.report;

/**
 * A stage report that cannot be merged: not JSON (truncated?), not an object, or of an unknown schema.
 * The message names the file and, for unreadable JSON, the line and column. A user mistake, so no
 * stack trace is shown for it (CLI exit 2).
 */
public class ReportInputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;

    public ReportInputException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** Where the JSON stops making sense: {@code file:line:column: problem}. */
    public ReportInputException(String file, long line, long column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
    }

    /** The file as the user named it. */
    public String getFile() {
        return file;
    }
}
