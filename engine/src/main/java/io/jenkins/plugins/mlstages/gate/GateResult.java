package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.RuleStatus;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The verdict of a gate and one outcome per rule, in rule order. FAILED when an {@code error} rule
 * failed, WARNING when only {@code warning} rules did, PASSED otherwise (skipped rules never count).
 *
 * @param championPresent whether a champion was compared with
 * @param policy the first-model policy applied when there was none
 */
public record GateResult(Status verdict, List<RuleOutcome> outcomes, boolean championPresent,
        FirstModelPolicy policy) implements Serializable {
    public GateResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(policy, "policy");
        outcomes = List.copyOf(outcomes);
    }

    /** The worst verdict of the outcomes, PASSED when there are none. */
    static Status verdictOf(List<RuleOutcome> outcomes) {
        Status status = Status.PASSED;
        for (RuleOutcome outcome : outcomes) {
            status = status.and(outcome.verdict());
        }
        return status;
    }

    /** One finding per rule (check {@value RuleOutcome#CHECK}). */
    public List<Finding> toFindings() {
        return outcomes.stream().map(RuleOutcome::toFinding).collect(Collectors.toUnmodifiableList());
    }

    /** The explanation lines, one per rule. */
    public List<String> explanations() {
        return outcomes.stream().map(RuleOutcome::explanation).collect(Collectors.toUnmodifiableList());
    }

    public long count(RuleStatus status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}
