package io.jenkins.plugins.mlstages.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/**
 * Reads a schema file (YAML, or JSON for {@code .json}) strictly: an unknown key, a wrong type, a bad
 * regular expression or a contradiction is one {@link DataFormatException} naming the file and the
 * key path, e.g. {@code schema.yaml: columns.age.mni: unknown key (known: type, nullable, ...)}.
 */
public final class SchemaLoader {
    private static final Set<String> TOP_KEYS = Set.of("version", "dataset", "columns", "drift");
    private static final Set<String> DATASET_KEYS = Set.of("min_rows", "max_rows", "required_columns",
            "allow_unexpected_columns", "column_order", "severity");
    private static final Set<String> DRIFT_KEYS = Set.of("drift_share", "severity", "column_severity");
    private static final List<String> COLUMN_KEYS = List.of("type", "nullable", "max_null_fraction", "min", "max",
            "allowed_values", "regex", "unique", "max_length", "severity", "mostly", "drift");
    private static final Set<String> RULE_KEYS = Set.of("value", "severity", "mostly");
    private static final Set<String> COLUMN_DRIFT_KEYS = Set.of("method", "threshold");

    private final Path file;

    private SchemaLoader(Path file) {
        this.file = file;
    }

    public static DataSchema load(Path file) throws DataFormatException {
        return new SchemaLoader(file).read();
    }

    private DataSchema read() throws DataFormatException {
        JsonNode root;
        try {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(InputFiles.readAll(file, InputFiles.SCHEMA_CAP, "a schema"));
        } catch (UnusableFileException e) {
            throw new DataFormatException(file, 0, null, e.problem(), e);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new DataFormatException(file, line, null, "not a valid schema file: " + InputFiles.parseProblem(e));
        } catch (IOException e) {
            throw new DataFormatException(file, 0, null, "cannot read the schema file: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fail("", "the schema file is empty");
        }
        object(root, "");
        checkKeys(root, "", TOP_KEYS);
        JsonNode version = root.path("version");
        if (!version.isMissingNode() && !(version.isIntegralNumber() && version.asInt() == 1)) {
            throw fail("version", "unsupported schema version " + version + " (this release reads version 1)");
        }
        DataSchema.DatasetRules dataset = dataset(root.path("dataset"));
        DataSchema.DriftSettings drift = drift(root.path("drift"));
        Map<String, ColumnRules> columns = new LinkedHashMap<>();
        JsonNode columnsNode = root.path("columns");
        if (!columnsNode.isMissingNode()) {
            object(columnsNode, "columns");
            Iterator<Map.Entry<String, JsonNode>> fields = columnsNode.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                columns.put(entry.getKey(), column(entry.getKey(), entry.getValue()));
            }
        }
        return new DataSchema(dataset, columns, drift);
    }

    private DataSchema.DatasetRules dataset(JsonNode node) throws DataFormatException {
        if (node.isMissingNode()) {
            return DataSchema.DatasetRules.NONE;
        }
        object(node, "dataset");
        checkKeys(node, "dataset", DATASET_KEYS);
        Long min = optionalLong(node, "dataset", "min_rows");
        Long max = optionalLong(node, "dataset", "max_rows");
        if (min != null && max != null && min > max) {
            throw fail("dataset", "min_rows " + min + " is greater than max_rows " + max);
        }
        List<String> required = new ArrayList<>();
        JsonNode list = node.path("required_columns");
        if (!list.isMissingNode()) {
            if (!list.isArray()) {
                throw fail("dataset.required_columns", "must be a list of column names");
            }
            list.forEach(item -> required.add(item.asText()));
        }
        return new DataSchema.DatasetRules(min, max, required,
                optionalBoolean(node, "dataset", "allow_unexpected_columns", true),
                optionalBoolean(node, "dataset", "column_order", false),
                severity(node.path("severity"), "dataset.severity", Severity.ERROR));
    }

    private DataSchema.DriftSettings drift(JsonNode node) throws DataFormatException {
        if (node.isMissingNode()) {
            return DataSchema.DriftSettings.DEFAULT;
        }
        object(node, "drift");
        checkKeys(node, "drift", DRIFT_KEYS);
        double share = DataSchema.DriftSettings.DEFAULT.driftShare();
        JsonNode shareNode = node.path("drift_share");
        if (!shareNode.isMissingNode()) {
            share = fraction(shareNode, "drift.drift_share");
            if (share == 0) {
                throw fail("drift.drift_share", "must be greater than 0 (0 would call every comparison a dataset drift)");
            }
        }
        return new DataSchema.DriftSettings(share,
                severity(node.path("severity"), "drift.severity", DataSchema.DriftSettings.DEFAULT.severity()),
                severity(node.path("column_severity"), "drift.column_severity",
                        DataSchema.DriftSettings.DEFAULT.columnSeverity()));
    }

    private ColumnRules column(String name, JsonNode node) throws DataFormatException {
        String path = "columns." + name;
        if (name.isBlank()) {
            throw fail("columns", "a column has an empty name");
        }
        if (node.isNull() || node.isMissingNode()) {
            return new ColumnRules(name, null, null, null, null, null, null, null, null, null, null);
        }
        object(node, path);
        checkKeys(node, path, new LinkedHashSet<>(COLUMN_KEYS));
        Severity severity = severity(node.path("severity"), path + ".severity", Severity.ERROR);
        double mostly = node.path("mostly").isMissingNode() ? 1.0 : fraction(node.path("mostly"), path + ".mostly");
        if (mostly == 0) {
            throw fail(path + ".mostly", "must be greater than 0");
        }
        Defaults defaults = new Defaults(severity, mostly);
        Rule<ColumnType> type = rule(node, path, "type", defaults, v -> {
            String text = text(v, path + ".type");
            return parse(path + ".type", () -> ColumnType.parse(text));
        });
        Rule<Boolean> nullable = rule(node, path, "nullable", defaults, v -> bool(v, path + ".nullable"));
        Rule<Double> maxNull = rule(node, path, "max_null_fraction", defaults, v -> fraction(v, path + ".max_null_fraction"));
        Rule<String> min = rule(node, path, "min", defaults, v -> bound(v, path + ".min"));
        Rule<String> max = rule(node, path, "max", defaults, v -> bound(v, path + ".max"));
        Rule<Set<String>> allowed = rule(node, path, "allowed_values", defaults, v -> valueSet(v, path + ".allowed_values"));
        Rule<Pattern> regex = rule(node, path, "regex", defaults, v -> pattern(v, path + ".regex"));
        Rule<Boolean> unique = rule(node, path, "unique", defaults, v -> bool(v, path + ".unique"));
        Rule<Integer> maxLength = rule(node, path, "max_length", defaults, v -> positiveInt(v, path + ".max_length"));
        ColumnRules.DriftSetting drift = columnDrift(node.path("drift"), path + ".drift");
        ColumnType declared = type == null ? null : type.value();
        if ((min != null || max != null) && declared != null && !declared.isNumeric() && declared != ColumnType.DATE
                && declared != ColumnType.TIMESTAMP) {
            throw fail(path, "min/max need a numeric, date or timestamp type, not " + declared);
        }
        checkBound(min, declared, path + ".min");
        checkBound(max, declared, path + ".max");
        if (min != null && max != null) {
            Double low = ColumnType.comparable(declared, min.value());
            Double high = ColumnType.comparable(declared, max.value());
            if (low != null && high != null && low > high) {
                throw fail(path, "min " + min.value() + " is greater than max " + max.value());
            }
        }
        if (drift != null && drift.method() != null && declared != null && !declared.isNumeric()
                && (drift.method() == DriftMethod.KS || drift.method() == DriftMethod.WASSERSTEIN)) {
            throw fail(path + ".drift.method", drift.method().reportName() + " needs a numeric column, not " + declared
                    + "; use chisquare, jensenshannon or psi");
        }
        if (drift != null && drift.method() != null && declared != null && declared.isNumeric() && drift.method().isText()) {
            throw fail(path + ".drift.method", drift.method().reportName() + " needs a text column, not " + declared
                    + "; use ks, wasserstein, chisquare, jensenshannon, psi or z");
        }
        return new ColumnRules(name, type, nullable, maxNull, min, max, allowed, regex, unique, maxLength, drift);
    }

    private void checkBound(Rule<String> bound, ColumnType type, String path) throws DataFormatException {
        if (bound == null) {
            return;
        }
        boolean ok = type == null || type.isNumeric() ? ColumnType.parseDouble(bound.value()) != null
                : type.accepts(bound.value());
        if (!ok) {
            throw fail(path, "'" + bound.value() + "' is not a valid " + (type == null ? "number" : type.toString()));
        }
    }

    private ColumnRules.DriftSetting columnDrift(JsonNode node, String path) throws DataFormatException {
        if (node.isMissingNode() || node.isNull() || node.isBoolean() && node.asBoolean()) {
            return null;
        }
        if (node.isBoolean()) {
            return new ColumnRules.DriftSetting(null, null, true);
        }
        object(node, path);
        checkKeys(node, path, COLUMN_DRIFT_KEYS);
        DriftMethod method = null;
        if (!node.path("method").isMissingNode()) {
            String value = text(node.path("method"), path + ".method");
            method = parse(path + ".method", () -> DriftMethod.parse(value));
        }
        Double threshold = null;
        if (!node.path("threshold").isMissingNode()) {
            if (!node.path("threshold").isNumber() || node.path("threshold").asDouble() < 0) {
                throw fail(path + ".threshold", "must be a non-negative number");
            }
            threshold = node.path("threshold").asDouble();
        }
        return new ColumnRules.DriftSetting(method, threshold, false);
    }

    private record Defaults(Severity severity, double mostly) {
    }

    /** A value given plainly ({@code min: 0}) or with its own severity/mostly ({@code min: {value: 0, severity: warning}}). */
    private <T> Rule<T> rule(JsonNode column, String columnPath, String key, Defaults defaults, Reader<T> reader)
            throws DataFormatException {
        JsonNode node = column.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String path = columnPath + "." + key;
        if (node.isObject()) {
            checkKeys(node, path, RULE_KEYS);
            if (node.path("value").isMissingNode()) {
                throw fail(path, "needs a 'value'");
            }
            Severity severity = severity(node.path("severity"), path + ".severity", defaults.severity());
            double mostly = node.path("mostly").isMissingNode() ? defaults.mostly() : fraction(node.path("mostly"), path + ".mostly");
            if (mostly == 0) {
                throw fail(path + ".mostly", "must be greater than 0");
            }
            return new Rule<>(reader.read(node.path("value")), severity, mostly);
        }
        return new Rule<>(reader.read(node), defaults.severity(), defaults.mostly());
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonNode node) throws DataFormatException;
    }

    @FunctionalInterface
    private interface Parse<T> {
        T get();
    }

    private <T> T parse(String path, Parse<T> parse) throws DataFormatException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
    }

    private Severity severity(JsonNode node, String path, Severity fallback) throws DataFormatException {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        String value = text(node, path);
        return parse(path, () -> Severity.parse(value));
    }

    private String text(JsonNode node, String path) throws DataFormatException {
        if (!node.isTextual()) {
            throw fail(path, "must be text, was " + node);
        }
        return node.asText();
    }

    private boolean bool(JsonNode node, String path) throws DataFormatException {
        if (!node.isBoolean()) {
            throw fail(path, "must be true or false, was " + node);
        }
        return node.asBoolean();
    }

    private boolean optionalBoolean(JsonNode parent, String path, String key, boolean fallback) throws DataFormatException {
        JsonNode node = parent.path(key);
        return node.isMissingNode() ? fallback : bool(node, path + "." + key);
    }

    private Long optionalLong(JsonNode parent, String path, String key) throws DataFormatException {
        JsonNode node = parent.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.asLong() < 0) {
            throw fail(path + "." + key, "must be a whole number of at least 0, was " + node);
        }
        return node.asLong();
    }

    private double fraction(JsonNode node, String path) throws DataFormatException {
        if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
            throw fail(path, "must be a number from 0 to 1, was " + node);
        }
        return node.asDouble();
    }

    private int positiveInt(JsonNode node, String path) throws DataFormatException {
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > Integer.MAX_VALUE) {
            throw fail(path, "must be a whole number of at least 1, was " + node);
        }
        return node.asInt();
    }

    private String bound(JsonNode node, String path) throws DataFormatException {
        if (node.isNumber() || node.isTextual()) {
            return node.asText();
        }
        throw fail(path, "must be a number, a date or a timestamp, was " + node);
    }

    private Set<String> valueSet(JsonNode node, String path) throws DataFormatException {
        if (!node.isArray() || node.isEmpty()) {
            throw fail(path, "must be a non-empty list of values");
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.isNull()) {
                throw fail(path, "must list plain values, found " + item);
            }
            values.add(item.asText());
        }
        return Set.copyOf(values);
    }

    private Pattern pattern(JsonNode node, String path) throws DataFormatException {
        String text = text(node, path);
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw fail(path, "'" + text + "' is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private void object(JsonNode node, String path) throws DataFormatException {
        if (!node.isObject()) {
            throw fail(path, "must be a mapping of keys to values, was " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
    }

    private void checkKeys(JsonNode node, String path, Set<String> known) throws DataFormatException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                List<String> sorted = new ArrayList<>(known);
                if (!(known instanceof LinkedHashSet)) {
                    sorted.sort(null);
                }
                throw fail(path.isEmpty() ? name : path + "." + name, "unknown key (known: " + String.join(", ", sorted) + ")");
            }
        }
    }

    private DataFormatException fail(String path, String problem) {
        return new DataFormatException(file, 0, null, (path.isEmpty() ? "" : path + ": ") + problem);
    }

}
