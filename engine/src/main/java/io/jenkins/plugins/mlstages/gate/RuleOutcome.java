package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;
import java.util.Objects;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.RuleStatus;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * What one rule gave. Values are null when they do not apply or could not be computed.
 *
 * @param number the rule's 1-based position in its gate
 * @param rule the rule as written
 * @param comparison the comparison deciding it ({@code >=}...; for {@code threshold(...)} {@code >=}
 *        when greater is better, else {@code <=})
 * @param observed the left side (for {@code threshold(...)} the candidate's metric); for a quantified
 *        rule, that of the deciding slice
 * @param required the right side (for {@code threshold(...)} the most demanding of its requirements)
 * @param champion the champion's value of the first champion metric the rule reads
 * @param margin how far from failing, in the metric's units: {@code observed − required} for
 *        {@code >=}, {@code required − observed} for {@code <=} (see {@link Op#margin}); positive = passed
 *        by that much
 * @param slice the deciding slice of an {@code all slices} / {@code any slice} rule ({@code region=EU})
 * @param explanation one line: {@code PASS f1_score >= champion.f1_score - 0.01: 0.8421 vs required 0.8300 (champion 0.8400), margin +0.0121}
 */
public record RuleOutcome(int number, String rule, Severity severity, RuleStatus status, String comparison,
        Double observed, Double required, Double champion, Double margin, String slice, String explanation)
        implements Serializable {
    public static final String CHECK = "gate.rule";

    public RuleOutcome {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** The verdict this outcome gives the gate: its severity's when failed, else PASSED. */
    public Status verdict() {
        return status == RuleStatus.FAILED ? severity.failedStatus() : Status.PASSED;
    }

    /**
     * As a report finding: check {@value #CHECK}, subject the rule, message the explanation. A skipped
     * rule is an INFO finding that did not pass (so it never changes the verdict, nor claims a pass).
     */
    public Finding toFinding() {
        boolean skipped = status == RuleStatus.SKIPPED;
        String expected = required == null ? null
                : (comparison == null ? "" : comparison + " ") + Numbers.format(required);
        return new Finding(CHECK, rule, skipped ? Severity.INFO : severity, status == RuleStatus.PASSED,
                explanation, observed == null ? null : Numbers.format(observed), expected);
    }
}
