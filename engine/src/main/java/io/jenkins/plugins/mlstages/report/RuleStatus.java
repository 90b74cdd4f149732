package io.jenkins.plugins.mlstages.report;

/**
 * What became of one gate rule: its own vocabulary, apart from a stage's {@link Status}, because a rule
 * can also be SKIPPED (it needs a champion the first model does not have). Gate reports write it and
 * the build report reads it ({@link ReportSummary.GateRule}), so it lives with the shared vocabulary.
 */
public enum RuleStatus {
    PASSED, FAILED, SKIPPED;

    /** {@code PASS}, {@code FAIL} or {@code SKIP}: the first word of an explanation line. */
    public String word() {
        switch (this) {
            case PASSED:
                return "PASS";
            case FAILED:
                return "FAIL";
            default:
                return "SKIP";
        }
    }
}
