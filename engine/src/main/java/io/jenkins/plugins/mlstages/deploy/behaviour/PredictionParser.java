package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads one prediction from an MLflow scoring server's answer to one input row ({@code POST /invocations}
 * with {@code {"dataframe_records": [row]}}): {@code {"predictions": [P]}} (MLflow 2 and 3), or a bare
 * {@code [P]}. What {@code P} becomes:
 * <ul>
 *   <li>a number: a score (a classifier's class number is a score too; compare as labels with
 *       {@link OutputKind#LABEL});</li>
 *   <li>a string: a label; a boolean: the label {@code 1} or {@code 0};</li>
 *   <li>an array of two numbers ({@code predict_proba} of a binary classifier): the score of the second,
 *       the positive class; of more numbers: the label of the largest one's index (0-based);</li>
 *   <li>an object with one field (a one-column DataFrame): that field's value, as above.</li>
 * </ul>
 */
public final class PredictionParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionParser() {
    }

    /**
     * @param status the HTTP status, kept in the answer
     * @param body the answer's body
     * @param latencyMs how long the answer took
     * @return an unusable answer (with a short reason that quotes nothing of the body) when no prediction can be read
     */
    public static Answer parse(int status, String body, double latencyMs) {
        if (status < 200 || status > 299) {
            return Answer.failed(status, "HTTP " + status, latencyMs);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return Answer.failed(status, "the answer is not JSON", latencyMs);
        }
        if (root != null && root.isObject() && root.has("predictions")) {
            root = root.get("predictions");
        }
        if (root == null || !root.isArray() || root.size() != 1) {
            return Answer.failed(status, "the answer holds no single prediction (expected {\"predictions\": [P]})", latencyMs);
        }
        return prediction(status, root.get(0), latencyMs);
    }

    private static Answer prediction(int status, JsonNode p, double latencyMs) {
        if (p.isObject() && p.size() == 1) {
            p = p.elements().next();
        }
        if (p.isNumber()) {
            return new Answer(p.asDouble(), null, status, null, latencyMs);
        }
        if (p.isTextual()) {
            return new Answer(null, p.asText(), status, null, latencyMs);
        }
        if (p.isBoolean()) {
            return new Answer(null, p.asBoolean() ? "1" : "0", status, null, latencyMs);
        }
        if (p.isArray() && p.size() >= 2 && allNumbers(p)) {
            if (p.size() == 2) {
                return new Answer(p.get(1).asDouble(), null, status, null, latencyMs);
            }
            int best = 0;
            for (int i = 1; i < p.size(); i++) {
                if (p.get(i).asDouble() > p.get(best).asDouble()) {
                    best = i;
                }
            }
            return new Answer(null, Integer.toString(best), status, null, latencyMs);
        }
        return Answer.failed(status, "the prediction is a " + p.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + " this comparison cannot read", latencyMs);
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isNumber()) {
                return false;
            }
        }
        return true;
    }
}
