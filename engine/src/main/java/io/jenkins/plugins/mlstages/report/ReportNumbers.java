package io.jenkins.plugins.mlstages.report;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How reports carry numbers, for every reader of them. JSON has no NaN or infinity, so reports spell
 * them as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (what {@link ReportWriter}'s
 * Jackson writes for a non-finite double); every other number is a JSON number. A metric evaluate could
 * not compute is left out of its {@code metrics} and named by a {@value #METRIC_UNDEFINED} finding
 * instead; {@link #metrics} reads it back as NaN, so that the gate sees it as undefined, not unknown.
 */
public final class ReportNumbers {
    /** The check of the finding evaluate writes for a metric that is undefined (NaN) on the data. */
    public static final String METRIC_UNDEFINED = "evaluate.metric_undefined";

    private ReportNumbers() {
    }

    /** A number as a report writes it, finite or not; null when absent, null or not a number. */
    public static Double read(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            switch (node.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return null;
            }
        }
        return null;
    }

    /** The numbers of a JSON object by name, in its order; other values are left out. */
    public static Map<String, Double> readAll(JsonNode object) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            Double value = read(field.getValue());
            if (value != null) {
                values.put(field.getKey(), value);
            }
        }
        return values;
    }

    /** A stage report's {@code metrics}, plus NaN for each metric its findings say is undefined. */
    public static Map<String, Double> metrics(JsonNode report) {
        Map<String, Double> values = readAll(report.path("metrics"));
        for (JsonNode finding : report.path("findings")) {
            if (METRIC_UNDEFINED.equals(finding.path("check").asText()) && finding.path("subject").isTextual()) {
                values.putIfAbsent(finding.path("subject").asText(), Double.NaN);
            }
        }
        return values;
    }
}
