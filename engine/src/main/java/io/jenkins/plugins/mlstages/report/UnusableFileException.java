package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file given to us that cannot serve: missing, a directory, a device or FIFO where a regular file is
 * needed, unreadable (with the system's reason), too large to read whole, or unwritable. The message is
 * one line naming the file as given, e.g. {@code schema.yaml: permission denied}; {@link #problem()} is
 * the part after the name, for callers that report it in their own exception type.
 */
public final class UnusableFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String problem;

    public UnusableFileException(Path file, String problem) {
        this(file, problem, null);
    }

    public UnusableFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = String.valueOf(file);
        this.problem = problem;
    }

    /** The file as it was given. */
    public String file() {
        return file;
    }

    /** Why it cannot serve, without the file name: {@code permission denied}, {@code is a directory, not a file}. */
    public String problem() {
        return problem;
    }
}
