package io.jenkins.plugins.mlstages.deploy;

/** How a canary ended, or is ending (set when promotion or rollback begins). */
public enum CanaryVerdict {
    /** All traffic on the new version; it is the champion. */
    PROMOTED,
    /** The analysis (or a router failure) sent all traffic back to the stable version. */
    ROLLED_BACK,
    /** Someone asked for a rollback ({@code abort}). */
    ABORTED
}
