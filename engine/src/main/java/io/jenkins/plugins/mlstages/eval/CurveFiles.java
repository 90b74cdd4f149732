package io.jenkins.plugins.mlstages.eval;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ReportNumbers;

/**
 * An evaluate report's curves as CSV files for the MLflow run, which its UI shows as tables: one file per
 * curve ({@code roc.csv}, {@code precision_recall.csv}, {@code calibration.csv}; for multiclass the
 * one-vs-rest curves of each class and {@code per_class_metrics.csv}, the table MLflow's own evaluation
 * logs under that name). Columns are named as the report names its axes, plus {@code threshold} where the
 * curve has them.
 */
public final class CurveFiles {
    /** Where in the run's artifacts the files go. */
    public static final String DIRECTORY = "mlstages/curves/";

    private static final String[] CURVES = {"roc", "precision_recall", "calibration"};

    private CurveFiles() {
    }

    /** Artifact path → CSV content, in a stable order; empty when the report has no curves. */
    public static Map<String, byte[]> of(JsonNode report) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        JsonNode curves = report.path("curves");
        for (String name : CURVES) {
            addCurve(files, name, curves.path(name));
        }
        JsonNode perClass = curves.path("per_class");
        if (perClass.isArray() && perClass.size() > 0) {
            files.put(DIRECTORY + "per_class_metrics.csv", perClassTable(perClass));
            int index = 0;
            for (JsonNode view : perClass) {
                // a class name may hold anything: the file name keeps the index, the class is in the table
                String suffix = "_class_" + index++ + "_" + safe(view.path("positive_class").asText());
                addCurve(files, "roc" + suffix, view.path("roc"));
                addCurve(files, "precision_recall" + suffix, view.path("precision_recall"));
            }
        }
        return files;
    }

    private static void addCurve(Map<String, byte[]> files, String name, JsonNode curve) {
        if (!curve.path("xs").isArray() || !curve.path("ys").isArray()) {
            return;
        }
        JsonNode xs = curve.path("xs");
        JsonNode ys = curve.path("ys");
        JsonNode thresholds = curve.path("thresholds");
        boolean withThresholds = thresholds.isArray() && thresholds.size() == xs.size();
        StringBuilder csv = new StringBuilder();
        csv.append(cell(curve.path("x").asText("x"))).append(',').append(cell(curve.path("y").asText("y")));
        csv.append(withThresholds ? ",threshold\n" : "\n");
        for (int i = 0; i < xs.size() && i < ys.size(); i++) {
            csv.append(number(xs.get(i))).append(',').append(number(ys.get(i)));
            if (withThresholds) {
                csv.append(',').append(number(thresholds.get(i)));
            }
            csv.append('\n');
        }
        files.put(DIRECTORY + name + ".csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One row per class: the class, its support, then every metric any class has, in first-seen order. */
    private static byte[] perClassTable(JsonNode perClass) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        perClass.forEach(view -> view.path("metrics").fieldNames().forEachRemaining(name -> names.put(name, true)));
        StringBuilder csv = new StringBuilder("positive_class,support");
        names.keySet().forEach(name -> csv.append(',').append(cell(name)));
        csv.append('\n');
        for (JsonNode view : perClass) {
            csv.append(cell(view.path("positive_class").asText())).append(',').append(view.path("support").asLong());
            for (String name : names.keySet()) {
                csv.append(',');
                if (view.path("metrics").has(name)) {
                    csv.append(number(view.path("metrics").path(name)));
                }
            }
            csv.append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A number as the report holds it (NaN and infinities spelt out), empty when absent. */
    private static String number(JsonNode value) {
        Double number = ReportNumbers.read(value);
        if (number == null) {
            return "";
        }
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString(number.longValue())
                : Double.toString(number);
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break. */
    private static String cell(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
    }
}
