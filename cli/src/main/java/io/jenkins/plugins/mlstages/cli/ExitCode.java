package io.jenkins.plugins.mlstages.cli;

/** The exit codes of the CLI contract (docs/cli.md); scripts outside the project depend on them. */
public final class ExitCode {
    /** The stage passed (warnings allowed). */
    public static final int PASSED = 0;
    /** The stage's verdict is FAILED. */
    public static final int FAILED = 1;
    /** Bad usage or bad input; one line on stderr says which. */
    public static final int USAGE = 2;
    /** The registry or other infrastructure failed or refused us. */
    public static final int INFRASTRUCTURE = 3;

    private ExitCode() {
    }
}
