package io.jenkins.plugins.mlstages.cli;

import io.jenkins.plugins.mlstages.report.StageLog;

/** Logs for commands whose results go to stdout already. */
final class StageLogs {
    private StageLogs() {
    }

    /** The gate prints its explanations on stdout; its log would repeat them. */
    static StageLog quiet() {
        return StageLog.NONE;
    }
}
