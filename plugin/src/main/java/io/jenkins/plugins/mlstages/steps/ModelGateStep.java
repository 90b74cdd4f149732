package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.support.FormLists;
import io.jenkins.plugins.mlstages.support.PlainValues;
import io.jenkins.plugins.mlstages.support.StepRun;
import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

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
        // one rule per line, blank lines dropped: a rule never spans lines (docs/gate.md)
        this.rule = lines(rule);
        if (this.rule.isEmpty()) {
            throw new IllegalArgumentException("modelGate needs at least one rule, e.g. rule: ['roc_auc >= 0.85']");
        }
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

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends StageExecution<ModelGateStep> {
        private static final long serialVersionUID = 1L;

        Execution(ModelGateStep step, StepContext context) {
            super(step, context);
        }

        @Override
        protected Map<String, Object> run(ModelGateStep step, StepRun stage) throws Exception {
            if (step.model != null && step.championMetrics != null) {
                throw stage.failure("give model (the champion from the registry) or championMetrics, not both");
            }
            JsonNode candidate = stage.readReport(step.metrics);
            JsonNode championReport = step.championMetrics == null ? null : stage.readReport(step.championMetrics);
            String alias = step.championAlias != null
                    ? step.championAlias
                    : MlStagesConfiguration.get().getChampionAlias();
            ModelGateRequest request;
            try {
                request = new ModelGateRequest(candidate, step.metrics, step.rule, step.model, alias, championReport,
                        step.firstModel == null ? null : FirstModelPolicy.parse(step.firstModel));
            } catch (IllegalArgumentException e) {
                throw stage.failure(e.getMessage());
            }

            StageLog log = stage.log();
            ModelGateResult result;
            String registryUrl = null;
            try {
                if (step.model == null) {
                    result = new ModelGate(log, null).run(request);
                } else {
                    RegistryConfig config = stage.registry(step.getRegistryUrl(), step.getCredentialsId());
                    registryUrl = config.getBaseUrl();
                    try (MlflowRegistry registry = new MlflowRegistry(config, log)) {
                        result = new ModelGate(log, registry).run(request);
                    }
                }
            } catch (GateException | RegistryException e) {
                throw firstLine(e.getMessage(), stage);
            }
            String json = ReportWriter.mapper().writeValueAsString(result);
            if (step.getReport() != null) {
                stage.writeReport(step.getReport(), json);
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
            stage.finish(json, result.status(), summary, null, registryUrl, step);
            return toMap(result);
        }

        /**
         * The failure of the step: its first line. A longer message (a rule with a caret under the
         * syntax error) goes to the log whole first.
         */
        private static AbortException firstLine(String message, StepRun stage) {
            String[] lines = message.split("\\R");
            if (lines.length > 1) {
                stage.log().info("modelGate: " + message);
            }
            return stage.failure(lines[0]);
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
            PlainValues.putIfNotNull(rule, "observed", outcome.observed());
            PlainValues.putIfNotNull(rule, "required", outcome.required());
            PlainValues.putIfNotNull(rule, "champion", outcome.champion());
            PlainValues.putIfNotNull(rule, "margin", outcome.margin());
            PlainValues.putIfNotNull(rule, "slice", outcome.slice());
            rule.put("explanation", outcome.explanation());
            rules.add(rule);
        }
        values.put("rules", rules);
        values.put("metrics", new LinkedHashMap<>(result.metrics()));
        ModelGateResult.Champion champion = result.champion();
        if (champion != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            PlainValues.putIfNotNull(c, "model", champion.model());
            PlainValues.putIfNotNull(c, "alias", champion.alias());
            PlainValues.putIfNotNull(c, "version", champion.version());
            PlainValues.putIfNotNull(c, "runId", champion.runId());
            PlainValues.putIfNotNull(c, "source", champion.source());
            c.put("metrics", new LinkedHashMap<>(champion.metrics()));
            values.put("champion", c);
        }
        return values;
    }

    @Extension
    public static final class DescriptorImpl extends RegistryDescriptor {
        public DescriptorImpl() {
            super("modelGate", "Gate a candidate model on its metrics and the champion's", true, "rule");
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
    }
}
