package io.jenkins.plugins.mlstages.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.Extension;
import hudson.Util;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.JUnitReport;
import io.jenkins.plugins.mlstages.report.MarkdownSummary;
import io.jenkins.plugins.mlstages.report.ReportInputException;
import io.jenkins.plugins.mlstages.support.StepRun;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code mlStagesReport}: writes the build's ML report — the stage reports the ML Stages steps of this
 * build recorded so far, merged as the build's ML Report page merges them — into the workspace as JUnit
 * XML ({@code junit}, for Jenkins' own {@code junit} step and its test trend) and/or a Markdown summary
 * ({@code markdown}), as {@code mlstages report --junit/--markdown} does. It shows verdicts, it does not
 * apply them: the stages did. Runs inside {@code node {}}; the files are written on the node through the
 * engine's atomic writer.
 */
public final class MlStagesReportStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String FUNCTION = "mlStagesReport";

    private String junit;
    private String markdown;
    private String markdownDetail;

    @DataBoundConstructor
    public MlStagesReportStep() {
    }

    @CheckForNull
    public String getJunit() {
        return junit;
    }

    /** Where the JUnit XML goes in the workspace. */
    @DataBoundSetter
    public void setJunit(String junit) {
        this.junit = Util.fixEmptyAndTrim(junit);
    }

    @CheckForNull
    public String getMarkdown() {
        return markdown;
    }

    /** Where the Markdown summary goes in the workspace. */
    @DataBoundSetter
    public void setMarkdown(String markdown) {
        this.markdown = Util.fixEmptyAndTrim(markdown);
    }

    @CheckForNull
    public String getMarkdownDetail() {
        return markdownDetail;
    }

    /** {@code short} (default) or {@code full}; checked when the step runs. */
    @DataBoundSetter
    public void setMarkdownDetail(String markdownDetail) {
        this.markdownDetail = Util.fixEmptyAndTrim(markdownDetail);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "Only used when starting.")
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient MlStagesReportStep step;

        Execution(MlStagesReportStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepRun stage = StepRun.of(getContext(), FUNCTION);
            if (step.junit == null && step.markdown == null) {
                throw stage.failure("give junit, markdown or both: the workspace files to write the build's ML report to");
            }
            MarkdownSummary.Detail detail;
            try {
                detail = step.markdownDetail == null ? MarkdownSummary.Detail.SHORT : MarkdownSummary.Detail.parse(step.markdownDetail);
            } catch (IllegalArgumentException e) {
                throw stage.failure("markdownDetail: " + e.getMessage());
            }
            MlReportAction action = stage.run().getAction(MlReportAction.class);
            if (action == null || action.getStages().isEmpty()) {
                throw stage.failure("no ML Stages step has recorded a report in this build yet: run it after"
                        + " validateData, evaluateModel, modelGate, registerModel or canaryDeploy");
            }
            BuildReport merged;
            try {
                merged = action.merge();
            } catch (ReportInputException e) {
                throw stage.failure(e.getMessage());
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("status", merged.status().name());
            values.put("headline", merged.headline());
            if (step.junit != null) {
                JUnitReport report = new JUnitReport(merged);
                List<JUnitReport.TestCase> cases = report.cases();
                stage.writeReport(step.junit, new String(report.xml(), StandardCharsets.UTF_8));
                long failures = cases.stream().filter(c -> c.outcome().equals("failure")).count();
                long skipped = cases.stream().filter(c -> c.outcome().equals("skipped")).count();
                values.put("tests", cases.size());
                values.put("failures", (int) failures);
                values.put("skipped", (int) skipped);
                stage.log().info(FUNCTION + ": " + step.junit + ": " + cases.size() + " test cases, " + failures + " failed, "
                        + skipped + " skipped (record them with junit '" + step.junit + "')");
            }
            if (step.markdown != null) {
                // its pictures beside it, as the CLI writes them: ml-summary-roc.svg, ...-precision-recall.svg, ...-drift.svg
                int slash = step.markdown.lastIndexOf('/');
                String dir = step.markdown.substring(0, slash + 1);
                String name = step.markdown.substring(slash + 1);
                String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".md") ? name.substring(0, name.length() - 3) : name;
                MarkdownSummary summary = new MarkdownSummary(merged, detail, action.getUiBaseUrl()).withImages(stem);
                for (Map.Entry<String, String> image : summary.images().entrySet()) {
                    stage.writeReport(dir + image.getKey(), image.getValue());
                }
                stage.writeReport(step.markdown, summary.markdown());
                stage.log().info(FUNCTION + ": " + step.markdown + ": the Markdown summary (" + detail.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            return values;
        }
    }

    @Extension
    public static final class DescriptorImpl extends MlStageStep.MlStageDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Write the build's ML report as JUnit XML and/or Markdown", true);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object junit = namedArgs.get("junit");
            Object markdown = namedArgs.get("markdown");
            return junit != null ? junit.toString() : markdown == null ? null : markdown.toString();
        }
    }
}
