package io.jenkins.plugins.mlstages.support;

import hudson.AbortException;
import hudson.Util;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.report.Status;
import java.util.Locale;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/**
 * What a stage's verdict does to the build, by the step's {@code failOn} and {@code unstableOn}
 * options: fail the step with one line, mark the step's node and the build UNSTABLE, or pass.
 */
public final class Verdict {
    /** The value of {@code failOn}/{@code unstableOn} that switches it off. */
    public static final String NEVER = "NEVER";

    public static final String DEFAULT_FAIL_ON = Status.FAILED.name();
    public static final String DEFAULT_UNSTABLE_ON = Status.WARNING.name();

    private Verdict() {}

    /**
     * Normalises a {@code failOn}/{@code unstableOn} value: {@code FAILED}, {@code WARNING} or
     * {@code NEVER}, in any case; blank gives {@code fallback}.
     */
    public static String threshold(String value, String fallback, String option) {
        String v = Util.fixEmptyAndTrim(value);
        if (v == null) {
            return fallback;
        }
        v = v.toUpperCase(Locale.ROOT);
        if (v.equals(Status.FAILED.name()) || v.equals(Status.WARNING.name()) || v.equals(NEVER)) {
            return v;
        }
        throw new IllegalArgumentException(option + " must be FAILED, WARNING or NEVER, not '" + value + "'");
    }

    /** Whether {@code status} is at least as bad as {@code threshold}. PASSED reaches nothing. */
    public static boolean reaches(Status status, String threshold) {
        return status != Status.PASSED
                && !NEVER.equals(threshold)
                && status.compareTo(Status.valueOf(threshold)) >= 0;
    }

    /**
     * Fails the step with {@code summary} when the status reaches {@code failOn}; otherwise logs the
     * summary and, when the status reaches {@code unstableOn}, marks the step's node (so that the
     * stage shows UNSTABLE in the graph views) and the build UNSTABLE.
     */
    public static void apply(
            Status status,
            String failOn,
            String unstableOn,
            String summary,
            Run<?, ?> run,
            FlowNode node,
            TaskListener listener)
            throws AbortException {
        // the summary names user input (a file, a model): it reaches the log and the stage view log-safe
        String line = BuildLog.oneLine(summary);
        if (reaches(status, failOn)) {
            throw new AbortException(line);
        }
        listener.getLogger().println(line);
        if (reaches(status, unstableOn)) {
            node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(line));
            run.setResult(Result.UNSTABLE);
        }
    }
}
