package io.jenkins.plugins.mlstages.deploy;

/** The verdict of one check in one analysis, or of one analysis as a whole. */
public enum CheckVerdict {
    /** Within its bounds. */
    PASS,
    /** Outside its bounds. */
    FAIL,
    /** No number to judge: the query had no data, was NaN, or the metric source failed. */
    INCONCLUSIVE;

    /** The verdict of an analysis: FAIL if any check failed, else INCONCLUSIVE if any was, else PASS. */
    static CheckVerdict of(Iterable<CheckResult> results) {
        CheckVerdict verdict = PASS;
        for (CheckResult result : results) {
            if (result.verdict() == FAIL) {
                return FAIL;
            }
            if (result.verdict() == INCONCLUSIVE) {
                verdict = INCONCLUSIVE;
            }
        }
        return verdict;
    }
}
