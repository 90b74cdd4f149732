package io.jenkins.plugins.mlstages.eval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.jenkins.plugins.mlstages.registry.Metric;
import io.jenkins.plugins.mlstages.registry.ModelRegistry;
import io.jenkins.plugins.mlstages.report.ReportNumbers;
import io.jenkins.plugins.mlstages.report.ReportWriter;

/**
 * What {@code evaluate --run-id} and the {@code evaluateModel} step's {@code runId} do: the report's
 * metrics go to the MLflow run, then the report itself as an artifact. Works on the report's JSON,
 * because the Jenkins step receives the evaluation from its agent as JSON.
 */
public final class EvaluationToRun {
    /** Where in the run's artifacts the report goes. */
    public static final String ARTIFACT_PATH = "mlstages/evaluate.json";

    private EvaluationToRun() {
    }

    /**
     * Logs the metrics of an evaluate report (NaN and infinities included, which the report spells as
     * strings) at one timestamp, then uploads the report.
     *
     * @return how many metrics were logged
     */
    public static int log(ModelRegistry registry, String runId, String reportJson) {
        Map<String, Double> values;
        try {
            // Read as every other reader of a report reads its numbers, so that NaN and infinities reach the run.
            values = ReportNumbers.readAll(ReportWriter.mapper().readTree(reportJson).path("metrics"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an evaluate report: " + e.getOriginalMessage(), e);
        }
        long now = System.currentTimeMillis();
        List<Metric> metrics = new ArrayList<>();
        if (values != null) {
            values.forEach((name, value) -> {
                if (value != null) {
                    metrics.add(new Metric(name, value, now, 0));
                }
            });
        }
        registry.logBatch(runId, metrics, Map.of(), Map.of());
        registry.uploadArtifact(runId, ARTIFACT_PATH, reportJson.getBytes(StandardCharsets.UTF_8));
        return metrics.size();
    }
}
