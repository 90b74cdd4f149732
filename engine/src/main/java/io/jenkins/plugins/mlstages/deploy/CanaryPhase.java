package io.jenkins.plugins.mlstages.deploy;

/** Where a canary is. Every phase but {@link #DONE} is resumable from the state file. */
public enum CanaryPhase {
    /** Blue/green only: the smoke checks against the green version, before the router is touched. */
    SMOKE,
    /** Shifting traffic step by step and analysing at each step. */
    PROGRESSING,
    /** The analyses passed: router to 100 % canary, then the aliases (champion -> canary, previous -> stable). */
    PROMOTING,
    /** Router to 0 % canary, then the aliases back to what they were before the canary. */
    ROLLING_BACK,
    /** Ended: the router is at 100 % one version and the aliases agree with it. */
    DONE
}
