package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The result of a finished canary or blue/green deployment: its verdict, the aliases it left, and the timeline of
 * weights and analyses (the report's canary timeline; a blue/green's also holds its smoke checks). PASSED when
 * promoted, FAILED when rolled back or aborted.
 *
 * @param stage {@value #STAGE} or {@value #BLUE_GREEN_STAGE}
 * @param stableVersion the version that was champion before the canary; null when there was none
 * @param aliases alias → version after the canary, for the plan's champion and previous aliases (unset ones left out)
 * @param reason why it was promoted or rolled back, one line
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "model", "version", "stable_version",
    "verdict", "reason", "aliases", "router", "metric_source", "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryResult(String stage, Status status, List<Finding> findings, Map<String, Double> metrics, List<LineageNode> lineage,
        String model, String version, String stableVersion, CanaryVerdict verdict, String reason,
        Map<String, String> aliases, String router, String metricSource, List<TimelineEvent> timeline)
        implements StageReport, Serializable {
    public static final String STAGE = CanaryPlan.CANARY;
    /** The stage of a blue/green deployment's report: the same shape, with the smoke checks in its timeline. */
    public static final String BLUE_GREEN_STAGE = CanaryPlan.BLUE_GREEN;

    /** The result of a state in phase DONE. */
    public static CanaryResult of(CanaryState state) {
        if (!state.isDone()) {
            throw new IllegalStateException("the canary has not ended: phase " + state.phase());
        }
        CanaryPlan plan = state.plan();
        boolean promoted = state.verdict() == CanaryVerdict.PROMOTED;
        Map<String, String> aliases = new LinkedHashMap<>();
        if (promoted) {
            aliases.put(plan.championAlias(), plan.version());
            putIfSet(aliases, plan.previousAlias(), state.stableVersion());
        } else {
            putIfSet(aliases, plan.championAlias(), state.originalChampion());
            putIfSet(aliases, plan.previousAlias(), state.originalPrevious());
        }
        return new CanaryResult(plan.strategy(), promoted ? Status.PASSED : Status.FAILED, findings(state), metrics(state),
                lineage(state, aliases), plan.model(), plan.version(), state.stableVersion(), state.verdict(),
                state.reason(), aliases, state.routerDescription(), state.metricsDescription(), state.timeline());
    }

    /** One finding per check that failed at least once, and one for the outcome (with its reason). */
    private static List<Finding> findings(CanaryState state) {
        boolean promoted = state.verdict() == CanaryVerdict.PROMOTED;
        Map<String, List<Failure>> failures = new LinkedHashMap<>();
        Map<String, Integer> runs = new LinkedHashMap<>();
        for (TimelineEvent event : state.analysisHistory()) {
            for (CheckResult result : event.analyses()) {
                runs.merge(result.check(), 1, Integer::sum);
                if (result.verdict() == CheckVerdict.FAIL) {
                    // the weight is taken here: equal results at two steps cannot be told apart later
                    failures.computeIfAbsent(result.check(), k -> new ArrayList<>()).add(new Failure(result, event.weight()));
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        String stage = state.plan().strategy();
        for (TimelineEvent event : state.timeline()) {
            if ("smoke".equals(event.event())) {
                for (CheckResult result : event.analyses()) {
                    if (result.verdict() != CheckVerdict.PASS) {
                        findings.add(new Finding(stage + ".smoke", result.check(), Severity.ERROR, false, result.check() + " "
                                + result.verdict() + (result.error() == null ? "" : ": " + result.error()),
                                AnalysisCheck.format(result.value()), null));
                    }
                }
            }
        }
        // A failure the canary got past (below the failure limit) informs; one that rolled it back is an error.
        Severity severity = promoted ? Severity.INFO : Severity.ERROR;
        failures.forEach((check, failed) -> {
            Failure last = failed.get(failed.size() - 1);
            AnalysisCheck plan = state.plan().checks().stream().filter(c -> c.name().equals(check)).findFirst().orElse(null);
            String bounds = plan == null ? null : plan.bounds();
            findings.add(new Finding(stage + ".analysis", check, severity, false, check + " failed " + failed.size() + " of "
                    + Plural.of(runs.get(check), "analysis", "analyses") + "; last " + AnalysisCheck.format(last.result().value()) + " at step weight "
                    + last.weight() + " %, required " + bounds, AnalysisCheck.format(last.result().value()), bounds));
        });
        if (promoted) {
            findings.add(new Finding(stage + ".promoted", state.plan().model() + "/" + state.plan().version(), Severity.INFO,
                    true, "promoted: " + state.reason(), "100", "100"));
        } else {
            String check = stage + (state.verdict() == CanaryVerdict.ABORTED ? ".aborted" : ".rolled_back");
            findings.add(new Finding(check, state.plan().model() + "/" + state.plan().version(), Severity.ERROR, false,
                    (state.verdict() == CanaryVerdict.ABORTED ? "aborted: " : "rolled back: ") + state.reason(), "0", "100"));
        }
        return findings;
    }

    /** A failed check and the weight of the step it failed at. */
    private record Failure(CheckResult result, int weight) {
    }

    private static Map<String, Double> metrics(CanaryState state) {
        List<TimelineEvent> analyses = state.analysisHistory();
        Map<String, Double> metrics = new LinkedHashMap<>();
        String prefix = state.plan().strategy().replace('-', '_') + "_";
        metrics.put(prefix + "final_weight", (double) state.targetWeight());
        int reached = 0;
        for (TimelineEvent event : state.timeline()) {
            if ("weight".equals(event.event())) {
                reached = Math.max(reached, event.weight());
            }
        }
        metrics.put(prefix + "max_weight", (double) reached);
        metrics.put(prefix + "analyses", (double) analyses.size());
        metrics.put(prefix + "failed_analyses", (double) analyses.stream().filter(e -> e.verdict() == CheckVerdict.FAIL).count());
        metrics.put(prefix + "inconclusive_analyses",
                (double) analyses.stream().filter(e -> e.verdict() == CheckVerdict.INCONCLUSIVE).count());
        if (!state.timeline().isEmpty()) {
            Instant end = Instant.parse(state.timeline().get(state.timeline().size() - 1).time());
            metrics.put(prefix + "duration_seconds", Duration.between(state.startedAt(), end).toMillis() / 1000.0);
        }
        return metrics;
    }

    private static List<LineageNode> lineage(CanaryState state, Map<String, String> aliases) {
        CanaryPlan plan = state.plan();
        List<LineageNode> nodes = new ArrayList<>();
        String label = plan.model() + "/" + plan.version();
        nodes.add(new LineageNode("model_version", label, plan.model(), Map.of()));
        Map<String, String> deployment = new LinkedHashMap<>();
        deployment.put("verdict", state.verdict().name());
        deployment.put("weight", Integer.toString(state.targetWeight()));
        if (state.routerDescription() != null) {
            deployment.put("router", state.routerDescription());
        }
        if (state.stableVersion() != null) {
            deployment.put("stable_version", state.stableVersion());
        }
        nodes.add(new LineageNode("deployment", label + "@" + plan.strategy(), plan.strategy(), deployment));
        aliases.forEach((alias, version) -> nodes.add(new LineageNode("alias", plan.model() + "@" + alias, alias,
                Map.of("version", version))));
        return nodes;
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
