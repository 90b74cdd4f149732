package io.jenkins.plugins.mlstages.eval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.registry.LoggedModel;
import io.jenkins.plugins.mlstages.registry.Metric;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.ModelRegistry;
import io.jenkins.plugins.mlstages.registry.NotFoundException;
import io.jenkins.plugins.mlstages.registry.Run;
import io.jenkins.plugins.mlstages.report.ReportNumbers;
import io.jenkins.plugins.mlstages.report.ReportWriter;

/**
 * What {@code evaluate --run-id} and the {@code evaluateModel} step's {@code runId} do: the report's
 * metrics go to the MLflow run (and, with MLflow 3, to the evaluated logged model), then the report
 * itself as an artifact, and its curves as CSV tables ({@link CurveFiles}). Works on the report's JSON,
 * because the Jenkins step receives the evaluation from its agent as JSON.
 */
public final class EvaluationToRun {
    /** Where in the run's artifacts the report goes. */
    public static final String ARTIFACT_PATH = "mlstages/evaluate.json";

    private EvaluationToRun() {
    }

    /**
     * Where the metrics go: the run, and the logged model they also attach to (null for none).
     *
     * @param note one line saying which logged model was chosen, or why none; null when there is nothing to say
     */
    public record Target(String runId, String modelId, String note) {
    }

    /** What {@link #log} wrote. */
    public record Logged(int metrics, int onModel, String modelId) {
    }

    /**
     * Resolves where the metrics go, reading only, so that a bad {@code --model-id} fails before anything is
     * written (MLflow stores the run metric before it refuses an unknown {@code model_id}). The model is the
     * one given, which must be the run's (made by it, or one of its inputs or outputs), else the run's only
     * logged model, as MLflow 3 links evaluation metrics to the evaluated model.
     */
    public static Target target(ModelRegistry registry, String runId, String modelId) {
        Run run = registry.getRun(runId);
        if (modelId != null) {
            LoggedModel model;
            try {
                model = registry.getLoggedModel(modelId);
            } catch (NotFoundException absent) {
                throw new IllegalArgumentException("--model-id " + modelId + ": no such logged model; nothing was logged", absent);
            }
            if (!run.uses(model)) {
                throw new IllegalArgumentException("--model-id " + modelId + ": the logged model belongs to run "
                        + model.sourceRunId() + ", not to run " + runId + " (neither made by it nor among its inputs or outputs);"
                        + " nothing was logged");
            }
            return new Target(runId, modelId, null);
        }
        Set<String> ids = new LinkedHashSet<>();
        registry.searchLoggedModels(run.info().experimentId(), "source_run_id = " + MlflowRegistry.quote(runId))
                .forEach(model -> ids.add(model.modelId()));
        run.outputs().modelOutputs().forEach(output -> ids.add(output.modelId()));
        if (ids.size() == 1) {
            String only = ids.iterator().next();
            return new Target(runId, only, "the metrics also go to the run's logged model " + only);
        }
        return new Target(runId, null, ids.isEmpty() ? null : "run " + runId + " has " + ids.size()
                + " logged models: the metrics go to the run only (give --model-id to attach them to one)");
    }

    /** {@link #log(ModelRegistry, Target, String)} to the run and its only logged model, if it has one. */
    public static Logged log(ModelRegistry registry, String runId, String reportJson) {
        return log(registry, target(registry, runId, null), reportJson);
    }

    /**
     * Logs the metrics of an evaluate report (NaN and infinities included, which the report spells as
     * strings) at one timestamp, the finite ones attached to the target's logged model too, then uploads
     * the report. A value the model already holds from this run (a rerun of the same evaluation) is logged
     * to the run only, so the model's page never lists it twice.
     */
    public static Logged log(ModelRegistry registry, Target target, String reportJson) {
        JsonNode report;
        try {
            report = ReportWriter.mapper().readTree(reportJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an evaluate report: " + e.getOriginalMessage(), e);
        }
        // Read as every other reader of a report reads its numbers, so that NaN and infinities reach the run.
        Map<String, Double> values = ReportNumbers.readAll(report.path("metrics"));
        List<Metric> already = target.modelId() == null ? List.of() : registry.getLoggedModelMetrics(target.modelId());
        long now = System.currentTimeMillis();
        List<Metric> metrics = new ArrayList<>();
        int onModel = 0;
        if (values != null) {
            for (Map.Entry<String, Double> entry : values.entrySet()) {
                Double value = entry.getValue();
                if (value == null) {
                    continue;
                }
                Metric metric = new Metric(entry.getKey(), value, now, 0);
                // MLflow's logged-model table keeps NaN as 0 and infinities as ±1.8e308 (no is_nan column, unlike run
                // metrics), so the model's page would show an undefined metric as a number: those stay on the run.
                if (target.modelId() != null && Double.isFinite(value) && !holds(already, target.runId(), metric)) {
                    metric = metric.onModel(target.modelId());
                    onModel++;
                }
                metrics.add(metric);
            }
        }
        registry.logBatch(target.runId(), metrics, Map.of(), Map.of());
        registry.uploadArtifact(target.runId(), ARTIFACT_PATH, reportJson.getBytes(StandardCharsets.UTF_8));
        CurveFiles.of(report).forEach((path, csv) -> registry.uploadArtifact(target.runId(), path, csv));
        return new Logged(metrics.size(), onModel, target.modelId());
    }

    private static boolean holds(List<Metric> rows, String runId, Metric metric) {
        return rows.stream().anyMatch(row -> row.key().equals(metric.key()) && runId.equals(row.runId())
                && Double.compare(row.value(), metric.value()) == 0 && row.step() == metric.step());
    }
}
