package io.jenkins.plugins.mlstages.deploy.ab;

/** How an A/B test ended, as far as traffic is concerned. */
public enum AbVerdict {
    /** The promotion rule held: the candidate gets 100 % of traffic. */
    PROMOTED,
    /** The rule did not hold (or the router failed): the control gets 100 % of traffic again. */
    ROLLED_BACK,
    /** The rule did not hold and {@code --otherwise stop} was chosen: the split is left as it was for people to decide. */
    STOPPED,
    /** Stopped on request: the control gets 100 % of traffic again. */
    ABORTED
}
