package io.jenkins.plugins.mlstages.gate;

/** What became of one rule. */
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
