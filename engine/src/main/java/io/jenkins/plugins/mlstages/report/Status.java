package io.jenkins.plugins.mlstages.report;

/** The verdict of a stage. WARNING passes (exit 0) but marks a Jenkins stage UNSTABLE. */
public enum Status {
    PASSED, WARNING, FAILED;

    /** The worse of two verdicts. */
    public Status and(Status other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
