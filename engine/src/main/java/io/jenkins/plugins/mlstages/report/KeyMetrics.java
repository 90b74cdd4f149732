package io.jenkins.plugins.mlstages.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ReportSummary.KeyMetric;

/**
 * The metrics a report leads with, each against the champion. The candidate's values come from the
 * evaluate report (else the gate's copy of them); the champion's from the gate's champion metrics, else
 * from evaluate's paired bootstrap (candidate − champion on the same rows), which also gives the
 * interval of the delta.
 */
final class KeyMetrics {
    /** In the order a reader looks for them; a report shows those its task has. */
    static final List<String> NAMES = List.of(
            "roc_auc", "precision_recall_auc", "f1_score", "precision_score", "recall_score", "accuracy_score",
            "log_loss", "brier_score_loss", "expected_calibration_error",
            "root_mean_squared_error", "mean_absolute_error", "r2_score", "mean_absolute_percentage_error",
            "explained_variance_score", "max_error");

    private KeyMetrics() {
    }

    /** Whether a smaller value is the better one: losses, errors and fairness differences. */
    static boolean lowerIsBetter(String name) {
        return name.endsWith("_loss") || name.endsWith("_error") || name.endsWith("_difference");
    }

    /**
     * @param evaluate the candidate's evaluate report, or null
     * @param gate the gate report, or null
     */
    static List<KeyMetric> of(StageInput evaluate, StageInput gate) {
        JsonNode metrics = evaluate != null ? evaluate.path("metrics") : gate != null ? gate.path("metrics") : null;
        if (metrics == null || !metrics.isObject()) {
            return List.of();
        }
        JsonNode championMetrics = gate == null ? null : gate.path("champion").path("metrics");
        JsonNode intervals = evaluate == null ? null : evaluate.path("intervals");
        JsonNode paired = evaluate == null ? null : evaluate.path("paired");
        List<KeyMetric> result = new ArrayList<>();
        for (String name : NAMES) {
            Double value = number(metrics.path(name));
            if (value == null || value.isNaN()) {
                // undefined on this data: absent from evaluate's metrics, NaN in the gate's copy of them
                continue;
            }
            JsonNode ci = intervals == null ? null : intervals.path(name);
            JsonNode pairedCi = paired == null ? null : paired.path(name);
            Double champion = championMetrics == null ? null : number(championMetrics.path(name));
            Double pairedDelta = pairedCi == null ? null : number(pairedCi.path("estimate"));
            if (champion == null && pairedDelta != null) {
                champion = value - pairedDelta;
            }
            result.add(metric(name, value, ci, champion, pairedCi));
        }
        return result;
    }

    private static KeyMetric metric(String name, double value, JsonNode ci, Double champion, JsonNode pairedCi) {
        boolean higherIsBetter = !lowerIsBetter(name);
        Double delta = champion == null ? null : value - champion;
        Double deltaLower = pairedCi == null ? null : number(pairedCi.path("lower"));
        Double deltaUpper = pairedCi == null ? null : number(pairedCi.path("upper"));
        String direction = null;
        String effect = null;
        if (delta != null && Double.isFinite(delta)) {
            int sign = Math.abs(delta) < 1e-12 ? 0 : delta > 0 ? 1 : -1;
            direction = sign == 0 ? "same" : sign > 0 ? "up" : "down";
            effect = sign == 0 ? "neutral" : (sign > 0) == higherIsBetter ? "good" : "bad";
        }
        Boolean significant = deltaLower == null || deltaUpper == null ? null : deltaLower > 0 || deltaUpper < 0;
        return new KeyMetric(name, value, ci == null ? null : number(ci.path("lower")), ci == null ? null : number(ci.path("upper")),
                ci == null ? null : number(ci.path("level")), champion, delta, deltaLower, deltaUpper, higherIsBetter, direction,
                effect, significant);
    }

    /** A finite or non-finite number as reports write it ({@link ReportNumbers}); null when absent. */
    static Double number(JsonNode node) {
        return ReportNumbers.read(node);
    }

    /** Top-level {@code metrics} of the merged report: the key metrics by name. */
    static Map<String, Double> values(List<KeyMetric> metrics) {
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        for (KeyMetric metric : metrics) {
            values.put(metric.name(), metric.value());
        }
        return values;
    }
}
