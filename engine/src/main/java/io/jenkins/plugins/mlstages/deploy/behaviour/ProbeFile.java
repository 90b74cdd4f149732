package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A replay probe's requests: a JSON lines file, one model input per line as a JSON object of feature
 * name → value (an MLflow {@code dataframe_records} row), optionally with the true label in one field,
 * which is taken out before the row is sent. Blank lines are skipped. At most {@value #MAX_ROWS} rows.
 *
 * @param file where the rows came from, for messages
 * @param rows the model inputs, without the label field, as JSON text
 * @param labels the true labels as text (numbers without a fraction as integers, booleans as 1 and 0),
 *        one per row; null when the probe has no label field
 */
public record ProbeFile(Path file, List<String> rows, List<String> labels) {
    /** The most rows a probe may have: each is sent to both versions during an analysis. */
    public static final int MAX_ROWS = 100_000;
    /** The largest probe file a Jenkins step copies from the workspace. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public ProbeFile {
        rows = List.copyOf(rows);
        labels = labels == null ? null : List.copyOf(labels);
    }

    /**
     * @param labelField the field holding the true label; null for none. When given, every row must have it.
     * @throws ProbeException naming the file and line of the first unusable row
     */
    public static ProbeFile read(Path file, String labelField) {
        List<String> rows = new ArrayList<>();
        List<String> labels = labelField == null ? null : new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (rows.size() == MAX_ROWS) {
                    throw new ProbeException("probe " + file + ": more than " + MAX_ROWS + " rows; use a sample");
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new ProbeException("probe " + file + " line " + number + ": not JSON ("
                            + e.getOriginalMessage() + ")");
                }
                if (node == null || !node.isObject()) {
                    throw new ProbeException("probe " + file + " line " + number + ": a row must be a JSON object of "
                            + "feature name to value");
                }
                ObjectNode row = (ObjectNode) node;
                if (labelField != null) {
                    JsonNode label = row.remove(labelField);
                    if (label == null || label.isNull() || label.isContainerNode()) {
                        throw new ProbeException("probe " + file + " line " + number + ": no label in field '" + labelField
                                + "' (a number, text or boolean)");
                    }
                    labels.add(labelText(label));
                }
                if (row.isEmpty()) {
                    throw new ProbeException("probe " + file + " line " + number + ": the row has no feature");
                }
                rows.add(JSON.writeValueAsString(row));
            }
        } catch (IOException e) {
            throw new ProbeException("probe " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (rows.isEmpty()) {
            throw new ProbeException("probe " + file + ": no rows");
        }
        return new ProbeFile(file, rows, labels);
    }

    public boolean labelled() {
        return labels != null;
    }

    private static String labelText(JsonNode label) {
        if (label.isBoolean()) {
            return label.asBoolean() ? "1" : "0";
        }
        if (label.isNumber()) {
            return BehaviourComparison.label(new Answer(label.asDouble(), null, 200, null, 0));
        }
        return label.asText();
    }
}
