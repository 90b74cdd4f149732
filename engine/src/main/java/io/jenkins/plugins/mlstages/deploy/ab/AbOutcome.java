package io.jenkins.plugins.mlstages.deploy.ab;

import java.util.Locale;

/** What the sequential test concluded ({@link MixtureSprt}). */
public enum AbOutcome {
    /** The always-valid interval of (candidate − control) lies above 0. */
    CANDIDATE_WINS,
    /** The interval lies below 0. */
    CONTROL_WINS,
    /** Rule not-worse: the interval lies above −margin (the candidate is at most {@code margin} worse). */
    CANDIDATE_NOT_WORSE,
    /** No decision when the test ended (duration, sample size, too few trials, or no usable analysis). */
    INCONCLUSIVE;

    /** The winner as reports name it: {@code candidate}, {@code control}, or {@code inconclusive}. */
    public String winner() {
        switch (this) {
            case CANDIDATE_WINS:
                return "candidate";
            case CONTROL_WINS:
                return "control";
            default:
                return "inconclusive";
        }
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
