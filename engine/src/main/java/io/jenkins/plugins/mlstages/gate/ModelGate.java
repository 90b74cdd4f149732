package io.jenkins.plugins.mlstages.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.eval.MetricSemantics;
import io.jenkins.plugins.mlstages.eval.Task;
import io.jenkins.plugins.mlstages.registry.Metric;
import io.jenkins.plugins.mlstages.registry.ModelRegistry;
import io.jenkins.plugins.mlstages.registry.ModelVersion;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportNumbers;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.StageReport;

/**
 * The modelGate stage: evaluates rules over a candidate's evaluate report and, when there is one, the
 * champion's metrics (read from the run behind the registry alias), and explains every rule in one
 * line. Bad rules, unknown metrics and unreadable reports are {@link GateException}s (CLI exit 2);
 * registry failures are registry exceptions (exit 3).
 */
public final class ModelGate {
    private final StageLog log;
    private final ModelRegistry registry;

    /** @param registry where champions are looked up; may be null when no request names a model */
    public ModelGate(StageLog log, ModelRegistry registry) {
        this.log = log;
        this.registry = registry;
    }

    public ModelGateResult run(ModelGateRequest request) throws GateException {
        Gate gate = Gate.parse(request.rules());
        JsonNode candidate = checkReport(request.candidateReport(), request.candidateSource());
        // Numbers as evaluate writes them: NaN and infinities as strings, undefined metrics as NaN.
        Map<String, Double> metrics = ReportNumbers.metrics(candidate);
        // Metrics an earlier release wrote under another meaning are compared by MLflow's (MetricSemantics).
        List<Finding> semantics = new ArrayList<>();
        MetricSemantics.legacyFinding("the candidate", metrics).ifPresent(semantics::add);
        metrics = MetricSemantics.current(metrics);
        GateContext.Builder context = GateContext.builder().metrics(metrics).knownMetrics(taskMetrics(candidate));
        candidate.path("intervals").fields().forEachRemaining(e -> context.interval(e.getKey(),
                bound(e.getValue().path("lower")), bound(e.getValue().path("upper"))));
        candidate.path("paired").fields().forEachRemaining(e -> context.paired(e.getKey(),
                bound(e.getValue().path("lower")), bound(e.getValue().path("upper"))));
        for (JsonNode slice : candidate.path("slices")) {
            if (slice.path("evaluated").asBoolean(false)) {
                context.slice(slice.path("key").asText(), ReportNumbers.readAll(slice.path("metrics")));
            }
        }
        ModelGateResult.Champion champion = champion(request);
        if (champion != null) {
            MetricSemantics.legacyFinding("the champion" + (champion.runId() == null ? " report" : " (run "
                    + champion.runId() + ")"), champion.metrics()).ifPresent(semantics::add);
            champion = new ModelGateResult.Champion(champion.model(), champion.alias(), champion.version(),
                    champion.runId(), champion.source(), MetricSemantics.current(champion.metrics()));
        }
        List<LineageNode> lineage = new ArrayList<>();
        if (champion != null) {
            context.champion(champion.metrics());
            if (champion.version() != null) {
                lineage.add(new LineageNode("model_version", champion.model() + "/" + champion.version(), champion.model(),
                        Map.of("alias", champion.alias(), "role", "champion")));
            }
        } else {
            context.champion(Optional.empty());
        }
        GateResult result = gate.evaluate(context.build(), request.firstModelPolicy());
        result.explanations().forEach(log::info);
        semantics.forEach(finding -> log.info(finding.line()));
        List<Finding> findings = new ArrayList<>(semantics);
        findings.addAll(result.toFindings());
        return new ModelGateResult(StageReport.verdict(findings), findings, metrics, lineage,
                result.outcomes(), champion, request.firstModelPolicy());
    }

    /** Every metric of the report's task, computed or not; none when the report names no task it knows. */
    private static Set<String> taskMetrics(JsonNode report) {
        String task = report.path("task").asText("");
        for (Task t : Task.values()) {
            if (t.toString().equals(task)) {
                return new TreeSet<>(t.metricNames());
            }
        }
        return Set.of();
    }

    private ModelGateResult.Champion champion(ModelGateRequest request) throws GateException {
        if (request.championReport() != null) {
            JsonNode report = checkReport(request.championReport(), "the champion report");
            return new ModelGateResult.Champion(null, null, null, null, "report", ReportNumbers.metrics(report));
        }
        if (request.model() == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("a champion by alias needs a registry");
        }
        Optional<ModelVersion> version = registry.findVersionByAlias(request.model(), request.championAlias());
        if (version.isEmpty()) {
            log.info("gate: no version of '" + request.model() + "' has the alias '" + request.championAlias()
                    + "': first model, policy " + request.firstModelPolicy());
            return null;
        }
        ModelVersion v = version.get();
        if (v.runId() == null || v.runId().isEmpty()) {
            throw new GateException("champion " + v.label() + " (alias '" + request.championAlias()
                    + "') has no run, so it has no metrics to compare with");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : registry.getRun(v.runId()).data().metrics()) {
            metrics.put(metric.key(), metric.value());
        }
        log.info("gate: champion " + v.label() + " (alias '" + request.championAlias() + "', run " + v.runId() + ", "
                + Plural.of(metrics.size(), "metric") + ")");
        return new ModelGateResult.Champion(request.model(), request.championAlias(), v.version(), v.runId(), "registry",
                metrics);
    }

    private static JsonNode checkReport(JsonNode report, String source) throws GateException {
        String schema = report.path("schema").asText("");
        if (!StageReport.SCHEMA.equals(schema)) {
            throw new GateException(source + ": not an ml-stages report of a known version (schema '" + schema
                    + "'; this release reads " + StageReport.SCHEMA + ")");
        }
        if (!report.path("metrics").isObject() || report.path("metrics").isEmpty()) {
            throw new GateException(source + ": the report has no metrics (stage '" + report.path("stage").asText()
                    + "'); give the report of mlstages evaluate");
        }
        return report;
    }

    /** A bound of an interval; NaN (a rule reading it fails with an explanation) when absent. */
    private static double bound(JsonNode node) {
        Double value = ReportNumbers.read(node);
        return value == null ? Double.NaN : value;
    }
}
