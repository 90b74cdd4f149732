package io.jenkins.plugins.mlstages.table;

/**
 * A table source could not answer. {@link #isInfrastructure()} tells an unreachable or failing engine (CLI exit 3)
 * from a mistake in what was asked (a bad query, a missing table or column, a refused URL parameter: exit 2).
 * The message is one line and never holds a credential.
 */
public class TableSourceException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean infrastructure;

    public TableSourceException(String message, boolean infrastructure) {
        super(message);
        this.infrastructure = infrastructure;
    }

    public TableSourceException(String message, boolean infrastructure, Throwable cause) {
        super(message, cause);
        this.infrastructure = infrastructure;
    }

    public boolean isInfrastructure() {
        return infrastructure;
    }
}
