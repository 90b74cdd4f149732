package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;
import java.util.Objects;

import io.jenkins.plugins.mlstages.report.Severity;

/**
 * One parsed rule of a gate.
 *
 * @param number 1-based position in the gate, used in messages ({@code rule 2: ...})
 * @param text the rule as written, without surrounding white space
 * @param severity {@link Severity#ERROR} (the default) or {@link Severity#WARNING}
 */
public record Rule(int number, String text, Severity severity, RuleBody body) implements Serializable {
    public Rule {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(body, "body");
        if (severity == Severity.INFO) {
            throw new IllegalArgumentException("a rule is an error or a warning");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
