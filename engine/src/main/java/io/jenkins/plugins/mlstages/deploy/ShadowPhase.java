package io.jenkins.plugins.mlstages.deploy;

/** Where a shadow run is ({@link ShadowState}). */
public enum ShadowPhase {
    /** Mirroring is being turned on. */
    STARTING,
    /** The mirror is on; the capture records pairs until the duration or the request count is reached. */
    COLLECTING,
    /** Judged (or failed, or aborted): the mirror is being turned off. */
    STOPPING,
    /** The mirror is off; the verdict stands. */
    DONE
}
