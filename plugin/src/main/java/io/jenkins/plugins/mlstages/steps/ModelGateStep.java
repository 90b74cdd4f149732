package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.support.Verdict;
import io.jenkins.plugins.mlstages.support.WorkspaceReports;
import io.jenkins.plugins.mlstages.support.BuildLog;
import io.jenkins.plugins.mlstages.support.RegistryAccess;
import io.jenkins.plugins.mlstages.support.FormLists;
import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.gate.FirstModelPolicy;
import io.jenkins.plugins.mlstages.gate.GateException;
import io.jenkins.plugins.mlstages.gate.ModelGate;
import io.jenkins.plugins.mlstages.gate.ModelGateRequest;
import io.jenkins.plugins.mlstages.gate.ModelGateResult;
import io.jenkins.plugins.mlstages.gate.RuleOutcome;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryException;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.RuleStatus;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code modelGate}: rules over a candidate's evaluate report and the champion's metrics, each
 * explained in one line (the CLI's {@code mlstages gate}). Runs on the controller; reads the reports
 * from the workspace. The champion is the model version behind {@code championAlias} of
 * {@code model} in the registry, or the report {@code championMetrics}, or none.
 */
public final class ModelGateStep extends RegistryStep {
    private static final long serialVersionUID = 1L;

    private final String metrics;
    private final List<String> rule;
    private String model;
    private String championAlias;
    private String championMetrics;
    private String firstModel;
    private String report;

    /**
     * @param metrics the candidate's evaluate report, a path in the workspace
     * @param rule the rules, one per entry (docs/gate.md); an entry with line breaks holds one rule per line
     */
    @DataBoundConstructor
    public ModelGateStep(String metrics, List<String> rule) {
        this.metrics = Util.fixEmptyAndTrim(metrics);
        if (this.metrics == null) {
            throw new IllegalArgumentException("modelGate needs metrics: the candidate's evaluate report in the workspace");
        }
        this.rule = rules(rule);
        if (this.rule.isEmpty()) {
            throw new IllegalArgumentException("modelGate needs at least one rule, e.g. rule: ['roc_auc >= 0.85']");
        }
    }

    /** One rule per line; blank lines are dropped. A rule never spans lines (docs/gate.md). */
    static List<String> rules(List<String> values) {
        return FormLists.lines(values);
    }

    public String getMetrics() {
        return metrics;
    }

    public List<String> getRule() {
        return new ArrayList<>(rule);
    }

    /** The rules one per line, for the text area of the Snippet Generator. */
    public String getRuleText() {
        return FormLists.text(rule);
    }

    public String getModel() {
        return model;
    }

    /** A registered model: its {@code championAlias} version is the champion. */
    @DataBoundSetter
    public void setModel(String model) {
        this.model = Util.fixEmptyAndTrim(model);
    }

    public String getChampionAlias() {
        return championAlias;
    }

    /** Default: the global configuration's default champion alias ({@code champion}). */
    @DataBoundSetter
    public void setChampionAlias(String championAlias) {
        this.championAlias = Util.fixEmptyAndTrim(championAlias);
    }

    public String getChampionMetrics() {
        return championMetrics;
    }

    /** The champion's evaluate report in the workspace, instead of the registry. */
    @DataBoundSetter
    public void setChampionMetrics(String championMetrics) {
        this.championMetrics = Util.fixEmptyAndTrim(championMetrics);
    }

    public String getFirstModel() {
        return firstModel;
    }

    /** {@code pass}, {@code fail} or {@code absolute-only} (default). */
    @DataBoundSetter
    public void setFirstModel(String firstModel) {
        String value = Util.fixEmptyAndTrim(firstModel);
        try {
            this.firstModel = value == null ? null : FirstModelPolicy.parse(value).toString();
        } catch (IllegalArgumentException e) {
            // refused when the step runs, as one log-safe line: thrown here it would be an instantiation stack trace
            this.firstModel = value;
        }
    }

    public String getReport() {
        return report;
    }

    @DataBoundSetter
    public void setReport(String report) {
        this.report = Util.fixEmptyAndTrim(report);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "Only used when starting.")
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient ModelGateStep step;

        Execution(ModelGateStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext context = getContext();
            FilePath workspace = context.get(FilePath.class);
            TaskListener listener = context.get(TaskListener.class);
            Run<?, ?> run = context.get(Run.class);
            if (step.model != null && step.championMetrics != null) {
                throw new AbortException(
                        "modelGate: give model (the champion from the registry) or championMetrics, not both");
            }
            JsonNode candidate = WorkspaceReports.read(workspace, step.metrics, "modelGate");
            JsonNode championReport = step.championMetrics == null ? null : WorkspaceReports.read(workspace, step.championMetrics, "modelGate");
            String alias = step.championAlias != null
                    ? step.championAlias
                    : MlStagesConfiguration.get().getChampionAlias();
            ModelGateRequest request;
            try {
                request = new ModelGateRequest(candidate, step.metrics, step.rule, step.model, alias, championReport,
                        step.firstModel == null ? null : FirstModelPolicy.parse(step.firstModel));
            } catch (IllegalArgumentException e) {
                throw BuildLog.failure("modelGate", e.getMessage());
            }

            StageLog log = new BuildLog(listener.getLogger());
            ModelGateResult result;
            String registryUrl = null;
            try {
                if (step.model == null) {
                    result = new ModelGate(log, null).run(request);
                } else {
                    EnvVars env = context.get(EnvVars.class);
                    RegistryConfig config = RegistryAccess.forRun(run, env, step.getRegistryUrl(), step.getCredentialsId(), listener);
                    registryUrl = config.getBaseUrl();
                    try (MlflowRegistry registry = new MlflowRegistry(config, log)) {
                        result = new ModelGate(log, registry).run(request);
                    }
                }
            } catch (GateException | RegistryException e) {
                throw oneLine("modelGate: " + e.getMessage(), listener);
            }
            if (step.report != null) {
                WorkspaceReports.write(workspace, step.report, ReportWriter.mapper().writeValueAsString(result), "modelGate");
            }

            long failed = result.rules().stream().filter(o -> o.status() == RuleStatus.FAILED).count();
            ModelGateResult.Champion champion = result.champion();
            String summary = "modelGate " + result.status() + ": " + Plural.of(result.rules().size(), "rule") + ", " + failed
                    + " failed, "
                    + (champion == null
                            ? "no champion"
                            : champion.version() == null
                                    ? "champion from " + step.championMetrics
                                    : "champion " + champion.model() + "/" + champion.version() + " ('"
                                            + champion.alias() + "')");
            MlReportAction.record(run, ReportWriter.mapper().writeValueAsString(result), summary, null, registryUrl);
            Verdict.apply(result.status(), step.getFailOn(), step.getUnstableOn(), summary, run, context.get(FlowNode.class),
                    listener);
            return toMap(result);
        }

        /**
         * The failure of the step: its first line. A longer message (a rule with a caret under the
         * syntax error) goes to the log whole first.
         */
        private static AbortException oneLine(String message, TaskListener listener) {
            String[] lines = message.split("\\R");
            if (lines.length > 1) {
                new BuildLog(listener.getLogger()).info(message);
            }
            return new AbortException(BuildLog.oneLine(lines[0]));
        }
    }

    /** The result as plain values, for sandboxed scripts. */
    static Map<String, Object> toMap(ModelGateResult result) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", result.status().name());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (RuleOutcome outcome : result.rules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("number", outcome.number());
            rule.put("rule", outcome.rule());
            rule.put("severity", outcome.severity().name());
            rule.put("status", outcome.status().name());
            putIfNotNull(rule, "observed", outcome.observed());
            putIfNotNull(rule, "required", outcome.required());
            putIfNotNull(rule, "champion", outcome.champion());
            putIfNotNull(rule, "margin", outcome.margin());
            putIfNotNull(rule, "slice", outcome.slice());
            rule.put("explanation", outcome.explanation());
            rules.add(rule);
        }
        values.put("rules", rules);
        values.put("metrics", new LinkedHashMap<>(result.metrics()));
        ModelGateResult.Champion champion = result.champion();
        if (champion != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            putIfNotNull(c, "model", champion.model());
            putIfNotNull(c, "alias", champion.alias());
            putIfNotNull(c, "version", champion.version());
            putIfNotNull(c, "runId", champion.runId());
            putIfNotNull(c, "source", champion.source());
            c.put("metrics", new LinkedHashMap<>(champion.metrics()));
            values.put("champion", c);
        }
        return values;
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "modelGate";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Gate a candidate model on its metrics and the champion's";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, Run.class, TaskListener.class, FlowNode.class);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object metrics = namedArgs.get("metrics");
            Object model = namedArgs.get("model");
            if (metrics == null) {
                return null;
            }
            return model == null ? metrics.toString() : metrics + " vs " + model;
        }

        /** The Snippet Generator's text area holds one rule per line; the step takes a list. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            FormLists.splitTextAreas(formData, "rule");
            return super.newInstance(req, formData);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return RegistryAccess.credentialsItems(item, credentialsId);
        }
    }
}
