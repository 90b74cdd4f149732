package io.jenkins.plugins.mlstages.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.deploy.behaviour.Answer;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourComparison;
import io.jenkins.plugins.mlstages.deploy.behaviour.ModelEndpoint;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeException;

/**
 * A blue/green smoke file: JSON lines, one request per line with what the green version must answer:
 * <pre>
 * {"request": {"amount": 12.5, "country": "DE"}, "expected": "legit"}
 * {"request": {"amount": 9800, "country": "XX"}, "expected": 0.93, "tolerance": 0.05}
 * </pre>
 * {@code request} is one model input (an MLflow {@code dataframe_records} row). Without {@code tolerance} the answer's
 * label must equal {@code expected} exactly (text; a whole number or boolean as the label {@code 1}/{@code 0}, as
 * behaviour rules compare labels); with it, the answer's score must lie within {@code expected ± tolerance}.
 * Blank lines are skipped; at most {@value #MAX_ROWS} requests.
 */
public record SmokeFile(Path file, List<Row> rows) {
    /** The most requests a smoke file may have: a smoke check is a handful of known cases, not a test set. */
    public static final int MAX_ROWS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("request", "expected", "tolerance");

    /**
     * One request and its expected output.
     *
     * @param line the line of the file, for messages
     * @param request the model input as JSON text
     * @param expected the expected label, or the expected score when {@code tolerance} is set
     * @param tolerance the allowed distance of the score from {@code expected}; null for an exact label
     */
    public record Row(int line, String request, String expected, Double tolerance) {
        /** Judges the green version's answer: PASS when as expected, FAIL otherwise (an error answer fails too). */
        public CheckResult judge(Answer answer) {
            String check = "smoke line " + line;
            if (!answer.ok()) {
                return new CheckResult(check, request, null, null, null, CheckVerdict.FAIL, null, null, null,
                        "expected " + describe() + ", got no answer: " + answer.error());
            }
            if (tolerance != null) {
                double target = Double.parseDouble(expected);
                Double score = answer.score();
                if (score == null) {
                    return new CheckResult(check, request, null, target - tolerance, target + tolerance, CheckVerdict.FAIL, null,
                            null, null, "expected " + describe() + ", got the label '" + answer.label() + "' and no score");
                }
                boolean within = Math.abs(score - target) <= tolerance;
                return new CheckResult(check, request, score, target - tolerance, target + tolerance,
                        within ? CheckVerdict.PASS : CheckVerdict.FAIL, null, null, null,
                        within ? null : "expected " + describe() + ", got " + AnalysisCheck.format(score));
            }
            String got = label(answer);
            boolean same = expected.equals(got);
            return new CheckResult(check, request, null, null, null, same ? CheckVerdict.PASS : CheckVerdict.FAIL, null, null,
                    null, same ? "label '" + got + "' as expected" : "expected " + describe() + ", got '" + got + "'");
        }

        private String describe() {
            return tolerance == null ? "the label '" + expected + "'" : expected + " ± " + AnalysisCheck.format(tolerance);
        }
    }

    public SmokeFile {
        rows = List.copyOf(rows);
    }

    /** Sends every request to {@code green}, one at a time, and judges each answer. */
    public List<CheckResult> run(ModelEndpoint green) throws InterruptedException {
        List<CheckResult> results = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (Thread.interrupted()) {
                throw new InterruptedException("smoke checks interrupted at line " + row.line());
            }
            results.add(row.judge(green.answer(row.request())));
        }
        return results;
    }

    /**
     * @throws ProbeException naming the file and line of the first unusable row
     */
    public static SmokeFile read(Path file) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (rows.size() == MAX_ROWS) {
                    throw new ProbeException("smoke file " + file + ": more than " + MAX_ROWS + " requests");
                }
                rows.add(row(file, number, line));
            }
        } catch (IOException e) {
            throw new ProbeException("smoke file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (rows.isEmpty()) {
            throw new ProbeException("smoke file " + file + ": no requests");
        }
        return new SmokeFile(file, rows);
    }

    private static Row row(Path file, int number, String line) {
        String where = "smoke file " + file + " line " + number + ": ";
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProbeException(where + "not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new ProbeException(where + "a line must be a JSON object with \"request\" and \"expected\"");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new ProbeException(where + "unknown field '" + name + "' (request, expected, tolerance)");
            }
        });
        JsonNode request = node.get("request");
        if (request == null || !request.isObject() || request.isEmpty()) {
            throw new ProbeException(where + "\"request\" must be a JSON object of feature name to value");
        }
        JsonNode expected = node.get("expected");
        if (expected == null || expected.isNull() || expected.isContainerNode()) {
            throw new ProbeException(where + "\"expected\" must be a label (text, number, boolean) or a score");
        }
        JsonNode tolerance = node.get("tolerance");
        Double within = null;
        if (tolerance != null) {
            if (!tolerance.isNumber() || !Double.isFinite(tolerance.asDouble()) || tolerance.asDouble() < 0) {
                throw new ProbeException(where + "\"tolerance\" must be a number >= 0");
            }
            if (!expected.isNumber() || !Double.isFinite(expected.asDouble())) {
                throw new ProbeException(where + "with \"tolerance\", \"expected\" must be a number (the expected score)");
            }
            within = tolerance.asDouble();
        }
        String text = within != null ? Double.toString(expected.asDouble()) : label(expected);
        return new Row(number, request.toString(), text, within);
    }

    /** A label as behaviour rules and probes compare labels: booleans as 1/0, whole numbers without a fraction. */
    private static String label(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean() ? "1" : "0";
        }
        if (value.isNumber()) {
            return label(new Answer(value.asDouble(), null, 200, null, 0));
        }
        return value.asText();
    }

    private static String label(Answer answer) {
        return BehaviourComparison.label(answer);
    }
}
