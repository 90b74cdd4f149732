package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.behaviour.OutputDistribution;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The result of a finished shadow run (stage {@code shadow}): PASSED when promote-ready, FAILED when
 * rejected or aborted; one finding per behaviour check and one for the outcome; the comparison's
 * metrics; both versions' output distribution (null when nothing was comparable); the timeline (weight
 * always 0: users never reached the candidate).
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "model", "version", "stable_version",
    "verdict", "reason", "mirror", "capture_folder", "checks", "distribution", "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShadowResult(Status status, List<Finding> findings, Map<String, Double> metrics, List<LineageNode> lineage,
        String model, String version, String stableVersion, ShadowVerdict verdict, String reason, String mirror,
        String captureFolder, List<CheckResult> checks, OutputDistribution distribution, List<TimelineEvent> timeline) implements StageReport, Serializable {
    public static final String STAGE = "shadow";

    @Override
    @JsonProperty("stage")
    public String stage() {
        return STAGE;
    }

    /**
     * The name of comparison metric {@code name} (as behaviour checks write it) among the report's metrics:
     * prefixed {@code shadow_} to tell it from other stages' metrics, once ({@code shadow_error_rate} stays
     * as it is, {@code agreement} becomes {@code shadow_agreement}).
     */
    public static String metricName(String name) {
        return name.startsWith("shadow_") ? name : "shadow_" + name;
    }

    public static ShadowResult of(ShadowState state) {
        if (!state.isDone()) {
            throw new IllegalStateException("the shadow run has not ended: phase " + state.phase());
        }
        ShadowPlan plan = state.plan();
        boolean ready = state.verdict() == ShadowVerdict.PROMOTE_READY;
        List<CheckResult> results = state.results() == null ? List.of() : state.results();
        List<Finding> findings = new ArrayList<>();
        for (CheckResult result : results) {
            String bounds = result.min() != null && result.max() != null ? AnalysisCheck.format(result.min()) + " <= value <= "
                    + AnalysisCheck.format(result.max()) : result.max() != null ? "<= " + AnalysisCheck.format(result.max())
                    : ">= " + AnalysisCheck.format(result.min());
            boolean passed = result.verdict() == CheckVerdict.PASS;
            findings.add(new Finding("shadow.behaviour", result.check(), passed ? Severity.INFO : Severity.ERROR, passed,
                    result.line(), AnalysisCheck.format(result.value()), bounds));
        }
        String label = plan.model() + "/" + plan.version();
        findings.add(new Finding(ready ? "shadow.promote_ready" : state.verdict() == ShadowVerdict.ABORTED ? "shadow.aborted"
                : "shadow.rejected", label, ready ? Severity.INFO : Severity.ERROR, ready,
                state.verdict().name().toLowerCase(java.util.Locale.ROOT) + ": " + state.reason(), null, null));
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (state.metrics() != null) {
            state.metrics().forEach((k, v) -> metrics.put(metricName(k), v));
        }
        List<LineageNode> lineage = new ArrayList<>();
        lineage.add(new LineageNode("model_version", label, plan.model(), Map.of()));
        Map<String, String> deployment = new LinkedHashMap<>();
        deployment.put("verdict", state.verdict().name());
        deployment.put("weight", "0");
        if (state.mirrorDescription() != null) {
            deployment.put("mirror", state.mirrorDescription());
        }
        if (plan.stableVersion() != null) {
            deployment.put("stable_version", plan.stableVersion());
        }
        lineage.add(new LineageNode("deployment", label + "@shadow", "shadow", deployment));
        return new ShadowResult(ready ? Status.PASSED : Status.FAILED, findings, metrics, lineage, plan.model(), plan.version(),
                plan.stableVersion(), state.verdict(), state.reason(), state.mirrorDescription(), plan.captureFolder(), results,
                state.distribution(), state.timeline());
    }
}
