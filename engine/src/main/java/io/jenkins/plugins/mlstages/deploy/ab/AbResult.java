package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.TimelineEvent;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The result of a finished A/B test (stage {@code ab-test}): PASSED when promoted, FAILED otherwise;
 * a finding for the test's conclusion (winner and interval, or inconclusive) and one for the verdict;
 * per-arm counts and rates, the test statistic at every analysis, the winner, and the timeline.
 *
 * @param winner {@code candidate}, {@code control} or {@code inconclusive}
 * @param interval the always-valid confidence interval of (candidate − control) at the last look; null without a look
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "model", "version", "control_version", "weight",
    "verdict", "outcome", "winner", "reason", "test", "counts", "interval", "p_value", "router", "source", "analyses", "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AbResult(Status status, List<Finding> findings, Map<String, Double> metrics, List<LineageNode> lineage, String model,
        String version, String controlVersion, int weight, AbVerdict verdict, AbOutcome outcome, String winner, String reason,
        Map<String, Object> test, ArmCounts counts, double[] interval, Double pValue, String router, String source,
        List<AbAnalysis> analyses, List<TimelineEvent> timeline) implements StageReport, Serializable {
    public static final String STAGE = "ab-test";

    @Override
    @JsonProperty("stage")
    public String stage() {
        return STAGE;
    }

    public static AbResult of(AbState state) {
        if (!state.isDone()) {
            throw new IllegalStateException("the A/B test has not ended: phase " + state.phase());
        }
        AbPlan plan = state.plan();
        boolean promoted = state.verdict() == AbVerdict.PROMOTED;
        AbOutcome outcome = state.outcome() == null ? AbOutcome.INCONCLUSIVE : state.outcome();
        AbAnalysis last = state.lastLook();
        ArmCounts counts = lastCounts(state);
        MixtureSprt.Look look = last == null ? null : last.look();
        String label = plan.model() + "/" + plan.version();
        String level = AbTestRun.percent(plan.alpha()) + " %";

        List<Finding> findings = new ArrayList<>();
        String interval = look == null ? null : String.format(Locale.ROOT, "[%+.4f, %+.4f]", look.ciLow(), look.ciHigh());
        String conclusion = look == null ? "inconclusive: no analysis reached the minimum sample of " + plan.minSample() + " per arm"
                : outcome.text() + ": candidate - control " + String.format(Locale.ROOT, "%+.4f", look.difference()) + ", always-valid "
                        + level + " interval " + interval + ", always-valid p " + String.format(Locale.ROOT, "%.4g", look.pValue())
                        + " (" + counts + ")";
        findings.add(new Finding("ab_test.winner", label, promoted || outcome != AbOutcome.CONTROL_WINS ? Severity.INFO : Severity.ERROR,
                outcome != AbOutcome.CONTROL_WINS, conclusion, outcome.winner(), plan.promoteWhen().text()));
        String verdict = state.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        findings.add(new Finding("ab_test." + state.verdict().name().toLowerCase(Locale.ROOT), label,
                promoted ? Severity.INFO : Severity.ERROR, promoted, verdict + ": " + state.reason(), Integer.toString(state.weight()),
                "100"));

        Map<String, Double> metrics = new LinkedHashMap<>();
        if (counts != null) {
            metrics.put("ab_control_trials", (double) counts.controlTrials());
            metrics.put("ab_control_conversions", (double) counts.controlConversions());
            metrics.put("ab_candidate_trials", (double) counts.candidateTrials());
            metrics.put("ab_candidate_conversions", (double) counts.candidateConversions());
        }
        if (look != null) {
            metrics.put("ab_control_rate", look.controlRate());
            metrics.put("ab_candidate_rate", look.candidateRate());
            metrics.put("ab_difference", look.difference());
            metrics.put("ab_ci_low", look.ciLow());
            metrics.put("ab_ci_high", look.ciHigh());
            metrics.put("ab_p_value", look.pValue());
        }
        metrics.put("ab_analyses", (double) state.analyses().size());
        metrics.put("ab_final_weight", (double) state.weight());
        if (!state.timeline().isEmpty()) {
            Instant end = Instant.parse(state.timeline().get(state.timeline().size() - 1).time());
            metrics.put("ab_duration_seconds", Duration.between(state.startedAt(), end).toMillis() / 1000.0);
        }

        Map<String, Object> test = new LinkedHashMap<>();
        test.put("name", "mSPRT (normal mixture, difference of two proportions)");
        test.put("alpha", plan.alpha());
        test.put("mixing_sd", plan.mixingSd());
        test.put("min_sample", plan.minSample());
        test.put("promote_when", plan.promoteWhen().text());
        if (plan.margin() > 0) {
            test.put("margin", plan.margin());
        }
        test.put("otherwise", plan.otherwise().text());

        List<LineageNode> lineage = new ArrayList<>();
        lineage.add(new LineageNode("model_version", label, plan.model(), Map.of()));
        Map<String, String> deployment = new LinkedHashMap<>();
        deployment.put("verdict", state.verdict().name());
        deployment.put("weight", Integer.toString(state.weight()));
        deployment.put("winner", outcome.winner());
        if (interval != null) {
            deployment.put("interval", interval);
        }
        if (state.routerDescription() != null) {
            deployment.put("router", state.routerDescription());
        }
        if (plan.controlVersion() != null) {
            deployment.put("control_version", plan.controlVersion());
        }
        lineage.add(new LineageNode("deployment", label + "@ab-test", "ab-test", deployment));

        return new AbResult(promoted ? Status.PASSED : Status.FAILED, findings, metrics, lineage, plan.model(), plan.version(),
                plan.controlVersion(), state.weight(), state.verdict(), outcome, outcome.winner(), state.reason(), test, counts,
                look == null ? null : new double[] {look.ciLow(), look.ciHigh()}, look == null ? null : look.pValue(),
                state.routerDescription(), state.sourceDescription(), state.analyses(), state.timeline());
    }

    private static ArmCounts lastCounts(AbState state) {
        for (int i = state.analyses().size() - 1; i >= 0; i--) {
            if (state.analyses().get(i).counts() != null) {
                return state.analyses().get(i).counts();
            }
        }
        return null;
    }
}
