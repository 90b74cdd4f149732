package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Trials and conversions of both arms: the control (the version users had) and the candidate.
 * Counts are whole numbers; a source that reports fractions (a rate() or increase() query) is refused
 * where it is read, since the test's variance assumes counts of independent trials.
 */
@JsonPropertyOrder({"control_trials", "control_conversions", "candidate_trials", "candidate_conversions"})
public record ArmCounts(long controlTrials, long controlConversions, long candidateTrials, long candidateConversions)
        implements Serializable {
    public static final ArmCounts ZERO = new ArmCounts(0, 0, 0, 0);

    /** The counts since {@code baseline}: what the source counted after the split was set. */
    public ArmCounts minus(ArmCounts baseline) {
        return new ArmCounts(controlTrials - baseline.controlTrials, controlConversions - baseline.controlConversions,
                candidateTrials - baseline.candidateTrials, candidateConversions - baseline.candidateConversions);
    }

    /** Null when the counts are usable, else why not (negative after a counter reset, more conversions than trials). */
    public String problem() {
        if (controlTrials < 0 || controlConversions < 0 || candidateTrials < 0 || candidateConversions < 0) {
            return "a count went down since the test started (a counter reset?): " + this;
        }
        if (controlConversions > controlTrials) {
            return "the control has more conversions (" + controlConversions + ") than trials (" + controlTrials + ")";
        }
        if (candidateConversions > candidateTrials) {
            return "the candidate has more conversions (" + candidateConversions + ") than trials (" + candidateTrials + ")";
        }
        return null;
    }

    public long smallerArm() {
        return Math.min(controlTrials, candidateTrials);
    }

    @Override
    public String toString() {
        return "control " + controlConversions + "/" + controlTrials + ", candidate " + candidateConversions + "/" + candidateTrials;
    }
}
