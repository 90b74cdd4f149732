package io.jenkins.plugins.mlstages.deploy.ab;

import java.util.Locale;

/** When the candidate is promoted. */
public enum PromoteRule {
    /** Only when the test finds the candidate better ({@code winner == candidate}). */
    CANDIDATE_WINS,
    /** When the interval shows the candidate at most {@code margin} worse than the control (non-inferiority). */
    NOT_WORSE;

    /** {@code candidate-wins} or {@code not-worse}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static PromoteRule parse(String text) {
        for (PromoteRule rule : values()) {
            if (rule.text().equals(text)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("must be candidate-wins or not-worse, was '" + text + "'");
    }

    public boolean promotes(AbOutcome outcome) {
        return outcome == AbOutcome.CANDIDATE_WINS || this == NOT_WORSE && outcome == AbOutcome.CANDIDATE_NOT_WORSE;
    }
}
