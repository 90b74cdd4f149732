package io.jenkins.plugins.mlstages.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.deploy.behaviour.Answer;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourComparison;
import io.jenkins.plugins.mlstages.deploy.behaviour.PairedAnswer;
import io.jenkins.plugins.mlstages.deploy.behaviour.PredictionParser;

/**
 * The behaviour comparison of captured requests: each request's two answers are split into one
 * {@link PairedAnswer} per row (a request of 4 rows answered {@code {"predictions": [a, b, c, d]}} gives 4
 * pairs, each prediction read by {@link PredictionParser}) and fed to {@link BehaviourComparison}, in
 * bounded memory. A request one version failed (no answer, non-2xx, no readable predictions, or another
 * number of them) gives failed answers for that version, counted in its error rate. Adds
 * {@code paired_requests} (captured requests compared) to the summary's metrics.
 */
public final class ShadowComparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BehaviourComparison comparison = new BehaviourComparison();
    private long requests;

    public void add(CapturedPair pair) {
        requests++;
        List<String> live = predictions(pair.live());
        List<String> shadow = predictions(pair.shadow());
        if (live != null && shadow != null && live.size() != shadow.size()) {
            // not the same rows: neither can be paired row by row; the shadow is the one held to account
            shadow = null;
        }
        int rows = Math.max(1, Math.max(live == null ? 0 : live.size(), shadow == null ? 0 : shadow.size()));
        for (int i = 0; i < rows; i++) {
            comparison.add(new PairedAnswer(pair.id() + (rows == 1 ? "" : "#" + i), answer(pair.live(), live, i),
                    answer(pair.shadow(), shadow, i)));
        }
    }

    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>(comparison.summary().metrics());
        metrics.put("paired_requests", (double) requests);
        return metrics;
    }

    /** The metrics and both versions' output distribution. */
    public CaptureComparison result() {
        return new CaptureComparison(metrics(), comparison.summary().distribution());
    }

    /** The comparison of {@code pairs}. */
    public static Map<String, Double> metrics(List<CapturedPair> pairs) {
        ShadowComparison comparison = new ShadowComparison();
        pairs.forEach(comparison::add);
        return comparison.metrics();
    }

    private static Answer answer(CapturedPair.Answer answer, List<String> predictions, int row) {
        if (predictions == null || row >= predictions.size()) {
            String why = answer.error() != null ? "no answer" : !answer.ok() ? "HTTP " + answer.status()
                    : "no prediction for this row";
            return Answer.failed(answer.status(), why, answer.latencyMs());
        }
        return PredictionParser.parse(answer.status(), predictions.get(row), answer.latencyMs());
    }

    /** Each row's prediction as a one-prediction answer ({@code [P]}); null when the answer has none. */
    private static List<String> predictions(CapturedPair.Answer answer) {
        if (!answer.ok() || answer.body() == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(answer.body());
        } catch (Exception notJson) {
            return null;
        }
        if (node != null && node.isObject()) {
            node = node.get("predictions");
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            return null;
        }
        List<String> rows = new ArrayList<>();
        node.forEach(p -> rows.add("[" + p + "]"));
        return rows;
    }
}
