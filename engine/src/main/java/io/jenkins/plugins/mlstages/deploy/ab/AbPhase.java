package io.jenkins.plugins.mlstages.deploy.ab;

/** Where an A/B test is ({@link AbState}). */
public enum AbPhase {
    /** The split is being set on the router; the counts' baseline is read once it is confirmed. */
    STARTING,
    /** The split holds; an analysis every interval until a decision, the duration or the sample size. */
    RUNNING,
    /** The rule promotes the candidate: the router is being set to 100 %. */
    PROMOTING,
    /** No promotion (or an abort): the router is being set back to 0 %. */
    ROLLING_BACK,
    /** The router is where the verdict says; nothing more happens. */
    DONE
}
