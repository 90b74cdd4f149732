package io.jenkins.plugins.mlstages.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.support.FormLists;
import io.jenkins.plugins.mlstages.support.StepRun;
import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.VerdictOptions;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * What every ML Stages step has: which verdict fails the step ({@code failOn}) and which makes the
 * stage UNSTABLE ({@code unstableOn}), as junit's options do, and where its JSON report goes in the
 * workspace ({@code report}). Serializable because the durable {@code canaryDeploy} keeps its step in
 * the program state.
 */
public abstract class MlStageStep extends Step implements VerdictOptions, Serializable {
    private static final long serialVersionUID = 1L;

    private String failOn = Verdict.DEFAULT_FAIL_ON;
    private String unstableOn = Verdict.DEFAULT_UNSTABLE_ON;
    private String report;

    @Override
    public String getFailOn() {
        return failOn;
    }

    /** {@code FAILED} (default), {@code WARNING} or {@code NEVER}: the verdict from which the step fails. */
    @DataBoundSetter
    public void setFailOn(String failOn) {
        this.failOn = Verdict.threshold(failOn, Verdict.DEFAULT_FAIL_ON, "failOn");
    }

    @Override
    public String getUnstableOn() {
        return unstableOn;
    }

    /** {@code WARNING} (default), {@code FAILED} or {@code NEVER}: the verdict from which the stage is UNSTABLE. */
    @DataBoundSetter
    public void setUnstableOn(String unstableOn) {
        this.unstableOn = Verdict.threshold(unstableOn, Verdict.DEFAULT_UNSTABLE_ON, "unstableOn");
    }

    /** The stage's JSON report ({@code ml-stages/v1}) in the workspace; null when not asked for. */
    @CheckForNull
    public String getReport() {
        return report;
    }

    @DataBoundSetter
    public void setReport(String report) {
        this.report = Util.fixEmptyAndTrim(report);
    }

    /** A {@code format}-like option: {@code csv}, {@code jsonl} or {@code parquet} in any case; blank is null (from the file name). */
    @CheckForNull
    static String dataFormat(String value, String option) {
        String v = Util.fixEmptyAndTrim(value);
        return v == null ? null : DataFormat.parseOption(v, option).name().toLowerCase(Locale.ROOT);
    }

    /** A list option from a Pipeline list or the Snippet Generator's text area, one entry per line, immutable. */
    static List<String> lines(List<String> values) {
        return List.copyOf(FormLists.lines(values));
    }

    /**
     * The execution of a step that completes at once (all but {@code canaryDeploy}): runs the stage
     * with the step and its {@link StepRun}, off the CPS thread, and returns its map of plain values.
     */
    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "Only used when starting.")
    abstract static class StageExecution<S extends MlStageStep> extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient S step;

        StageExecution(S step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected final Map<String, Object> run() throws Exception {
            return run(step, StepRun.of(getContext(), step.getDescriptor().getFunctionName()));
        }

        protected abstract Map<String, Object> run(S step, StepRun stage) throws Exception;
    }

    /**
     * What the descriptors of the steps share: their function and display names, the context they
     * need, and the Snippet Generator's text areas that become list arguments.
     */
    public abstract static class MlStageDescriptor extends StepDescriptor {
        private final String functionName;
        private final String displayName;
        private final boolean needsWorkspace;
        private final String[] textAreas;

        /**
         * @param needsWorkspace whether the step only runs inside {@code node {}} (its inputs are workspace files)
         * @param textAreas the list fields the Snippet Generator shows as text areas, one entry per line
         */
        protected MlStageDescriptor(String functionName, String displayName, boolean needsWorkspace, String... textAreas) {
            this.functionName = functionName;
            this.displayName = displayName;
            this.needsWorkspace = needsWorkspace;
            this.textAreas = textAreas.clone();
        }

        @Override
        public final String getFunctionName() {
            return functionName;
        }

        @NonNull
        @Override
        public final String getDisplayName() {
            return displayName;
        }

        @Override
        public final Set<? extends Class<?>> getRequiredContext() {
            return needsWorkspace
                    ? Set.of(FilePath.class, Run.class, TaskListener.class, FlowNode.class)
                    : Set.of(Run.class, TaskListener.class, FlowNode.class);
        }

        /** The Snippet Generator's text areas hold one entry per line; the steps take lists. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            FormLists.splitTextAreas(formData, textAreas);
            return super.newInstance(req, formData);
        }
    }
}
