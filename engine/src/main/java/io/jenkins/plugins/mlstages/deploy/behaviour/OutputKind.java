package io.jenkins.plugins.mlstages.deploy.behaviour;

/** How the two versions' outputs are compared: as numbers (scores) or as categories (labels). */
public enum OutputKind {
    /** Numeric outputs: PSI and Jensen-Shannon over the live version's deciles, KS, absolute differences. */
    SCORE,
    /** Categorical outputs: PSI and Jensen-Shannon over the labels; no KS, no differences. */
    LABEL
}
