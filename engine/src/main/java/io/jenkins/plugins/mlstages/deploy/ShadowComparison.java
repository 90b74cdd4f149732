package io.jenkins.plugins.mlstages.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.data.DriftStatistics;

/**
 * The behaviour metrics of a shadow run from the captured pairs. Each answer's predictions are read
 * from MLflow's scoring answer ({@code {"predictions": [...]}}, also {@code outputs} or a bare list);
 * the two versions' predictions for the same request are paired element by element.
 *
 * <p>Stand-in until the behaviour branch's {@code BehaviourComparison} is merged: the metric names are
 * the ones the behaviour rules use (agreement, prediction_psi, prediction_js, mean_abs_diff,
 * max_abs_diff, shadow_error_rate, live_error_rate, shadow/live latency p50/p99).
 */
public final class ShadowComparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShadowComparison() {
    }

    public static Map<String, Double> metrics(List<CapturedPair> pairs) {
        int liveErrors = 0;
        int shadowErrors = 0;
        int unreadable = 0;
        long agree = 0;
        List<JsonNode> live = new ArrayList<>();
        List<JsonNode> shadow = new ArrayList<>();
        double[] liveLatency = new double[pairs.size()];
        double[] shadowLatency = new double[pairs.size()];
        int i = 0;
        for (CapturedPair pair : pairs) {
            liveLatency[i] = pair.live().latencyMs();
            shadowLatency[i++] = pair.shadow().latencyMs();
            if (!pair.live().ok()) {
                liveErrors++;
            }
            if (!pair.shadow().ok()) {
                shadowErrors++;
            }
            if (!pair.live().ok() || !pair.shadow().ok()) {
                continue;
            }
            List<JsonNode> a = predictions(pair.live().body());
            List<JsonNode> b = predictions(pair.shadow().body());
            if (a == null || b == null || a.size() != b.size()) {
                unreadable++;
                continue;
            }
            live.addAll(a);
            shadow.addAll(b);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        int n = pairs.size();
        metrics.put("paired_requests", (double) n);
        metrics.put("paired_predictions", (double) live.size());
        metrics.put("unpaired_answers", (double) unreadable);
        metrics.put("live_error_rate", n == 0 ? Double.NaN : liveErrors / (double) n);
        metrics.put("shadow_error_rate", n == 0 ? Double.NaN : shadowErrors / (double) n);
        boolean numeric = !live.isEmpty() && live.stream().allMatch(JsonNode::isNumber) && shadow.stream().allMatch(JsonNode::isNumber);
        boolean labels = numeric && live.stream().allMatch(JsonNode::isIntegralNumber) && shadow.stream().allMatch(JsonNode::isIntegralNumber);
        double sumDiff = 0;
        double maxDiff = 0;
        for (int k = 0; k < live.size(); k++) {
            JsonNode a = live.get(k);
            JsonNode b = shadow.get(k);
            if (numeric) {
                double diff = Math.abs(a.asDouble() - b.asDouble());
                sumDiff += diff;
                maxDiff = Math.max(maxDiff, diff);
                // scores agree when they fall on the same side of 0.5; labels when they are equal
                if (labels ? a.asLong() == b.asLong() : (a.asDouble() >= 0.5) == (b.asDouble() >= 0.5)) {
                    agree++;
                }
            } else if (a.equals(b)) {
                agree++;
            }
        }
        metrics.put("agreement", live.isEmpty() ? Double.NaN : agree / (double) live.size());
        if (numeric) {
            metrics.put("mean_abs_diff", sumDiff / live.size());
            metrics.put("max_abs_diff", maxDiff);
        }
        if (!live.isEmpty()) {
            if (numeric && !labels) {
                double[] a = live.stream().mapToDouble(JsonNode::asDouble).sorted().toArray();
                double[] b = shadow.stream().mapToDouble(JsonNode::asDouble).sorted().toArray();
                double[] edges = DriftStatistics.psiBinEdges(a);
                metrics.put("prediction_psi", DriftStatistics.psi(DriftStatistics.binCounts(edges, a), DriftStatistics.binCounts(edges, b)));
                metrics.put("prediction_js", DriftStatistics.jensenShannon(DriftStatistics.binCounts(edges, a),
                        DriftStatistics.binCounts(edges, b)));
                metrics.put("prediction_ks", DriftStatistics.ksSorted(a, b).statistic());
            } else {
                Map<String, Long> a = counts(live);
                Map<String, Long> b = counts(shadow);
                metrics.put("prediction_psi", DriftStatistics.psi(a, b));
                metrics.put("prediction_js", DriftStatistics.jensenShannon(a, b));
            }
        }
        if (n > 0) {
            Arrays.sort(liveLatency);
            Arrays.sort(shadowLatency);
            metrics.put("live_latency_p50_ms", DriftStatistics.quantile(liveLatency, 0.5));
            metrics.put("live_latency_p99_ms", DriftStatistics.quantile(liveLatency, 0.99));
            metrics.put("shadow_latency_p50_ms", DriftStatistics.quantile(shadowLatency, 0.5));
            metrics.put("shadow_latency_p99_ms", DriftStatistics.quantile(shadowLatency, 0.99));
        }
        return metrics;
    }

    private static Map<String, Long> counts(List<JsonNode> values) {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode value : values) {
            counts.merge(value.isTextual() ? value.asText() : value.toString(), 1L, Long::sum);
        }
        return counts;
    }

    /** The answer's predictions, or null when it holds none this reader knows. */
    static List<JsonNode> predictions(String body) {
        if (body == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception notJson) {
            return null;
        }
        if (node != null && node.isObject()) {
            node = node.has("predictions") ? node.get("predictions") : node.get("outputs");
        }
        if (node == null || !node.isArray()) {
            return null;
        }
        List<JsonNode> values = new ArrayList<>();
        node.forEach(values::add);
        return values;
    }
}
