package io.jenkins.plugins.mlstages.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.Plural;

/**
 * Writes a starting schema from a reference dataset's profile, as TFDV's infer_schema does: each
 * column's type, whether it may be missing, the categories of a categorical column, and the observed
 * numeric range as a warning (the range of one sample is rarely the range of the truth). Meant to be
 * reviewed and committed, then tightened by hand.
 */
public final class SchemaInference {
    private SchemaInference() {
    }

    public static Map<String, Object> infer(DatasetProfile profile) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("min_rows", 1);
        dataset.put("allow_unexpected_columns", false);
        Map<String, Object> columns = new LinkedHashMap<>();
        for (ColumnProfile column : profile.columns()) {
            Map<String, Object> rules = new LinkedHashMap<>();
            if (column.nonFinite() != null && column.type().isNumeric()) {
                // NaN or infinity spellings are not numbers to the type rule: allow the share seen here
                Map<String, Object> type = new LinkedHashMap<>();
                type.put("value", column.type().toString());
                type.put("mostly", Math.max(0.0001, Math.floor(column.finiteCount() * 10_000.0 / column.count()) / 10_000));
                rules.put("type", type);
            } else {
                rules.put("type", column.type().toString());
            }
            if (column.nulls() == 0) {
                rules.put("nullable", false);
            } else {
                // Room above what was seen: twice the observed share, rounded up to a percent.
                double allowed = Math.min(1.0, Math.ceil(column.nullFraction() * 200) / 100);
                rules.put("max_null_fraction", allowed);
            }
            if (column.type().isNumeric() && column.min() != null) {
                rules.put("min", warning(number(column.type(), column.min())));
                rules.put("max", warning(number(column.type(), column.max())));
            }
            if (column.type() == ColumnType.CATEGORY && column.categories() != null) {
                rules.put("allowed_values", List.copyOf(column.categories().keySet().stream().sorted().toList()));
            }
            columns.put(column.name(), rules);
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("version", 1);
        schema.put("dataset", dataset);
        schema.put("columns", columns);
        return schema;
    }

    private static Object number(ColumnType type, double value) {
        return type == ColumnType.INTEGER ? (Object) Math.round(value) : (Object) value;
    }

    private static Map<String, Object> warning(Object value) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("value", value);
        rule.put("severity", "warning");
        return rule;
    }

    /** Writes the schema as YAML with a header comment, whole or not at all. */
    public static void write(DatasetProfile profile, String source, Path target) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                // A category '1.50' must stay the text 1.50, not become the number 1.5.
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
        String text = "# Schema inferred by mlstages from " + source + " (" + Plural.of(profile.rows(), "row") + ").\n"
                + "# Review it: types, missing values and categories come from this one sample of the data.\n"
                + yaml.writeValueAsString(infer(profile));
        // Like every output (AtomicFile): a regular file replaced whole, through a symbolic link to where it
        // points; a device or FIFO written in place.
        AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8));
    }
}
