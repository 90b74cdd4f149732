package io.jenkins.plugins.mlstages.dvc;

import java.nio.file.Path;

/** A DVC file (dvc.lock, *.dvc, a directory manifest) that cannot be read; the message names it. */
public final class DvcFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public DvcFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The problem, without the file name. */
    public String problem() {
        return problem;
    }

    public Path file() {
        return file;
    }
}
