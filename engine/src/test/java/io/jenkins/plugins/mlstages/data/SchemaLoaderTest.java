package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.mlstages.report.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link SchemaLoader}: every key of docs/schema.md, in YAML and JSON, and the exact message of each mistake. */
public class SchemaLoaderTest {

    @org.junit.Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static final String COLUMN_KEYS =
            "type, nullable, max_null_fraction, min, max, allowed_values, regex, unique, max_length, severity, mostly, drift";

    /** Every key of docs/schema.md, with column and rule level defaults and overrides. */
    private static final String FULL_YAML = String.join("\n",
            "version: 1",
            "dataset:",
            "  min_rows: 500",
            "  max_rows: 10000000",
            "  required_columns: [id]",
            "  allow_unexpected_columns: false",
            "  column_order: true",
            "  severity: warning",
            "drift:",
            "  drift_share: 0.3",
            "  severity: warning",
            "  column_severity: error",
            "columns:",
            "  id:",
            "    type: string",
            "    unique: true",
            "    drift: false",
            "  age:",
            "    type: integer",
            "    nullable: false",
            "    max_null_fraction: 0.01",
            "    min: 18",
            "    max: {value: 120, severity: error, mostly: 0.999}",
            "    allowed_values: [18, 19, 20]",
            "    severity: warning",
            "    mostly: 0.9",
            "    drift: {method: ks, threshold: 0.01}",
            "  code:",
            "    type: string",
            "    regex: \"[A-Z]{2}[0-9]+\"",
            "    max_length: {value: 3, mostly: 0.5}",
            "    unique: {value: false, severity: info}",
            "  born:",
            "    type: date",
            "    min: \"2000-01-01\"",
            "    max: 2024-12-31",
            "  seen:",
            "    type: timestamp",
            "    min: \"2024-01-01T00:00:00\"",
            "    max: \"2024-12-31 23:59:59+02:00\"",
            "  score:",
            "    type: number",
            "    min: -1.5",
            "    max: 1000",
            "    drift: {method: psi}",
            "  color:",
            "    type: category",
            "    allowed_values: [red, green]",
            "    drift: {threshold: 0.2}",
            "  flag:",
            "    type: boolean",
            "    drift: true",
            "  note:",
            "");

    private static final String FULL_JSON = "{\n"
            + "  \"version\": 1,\n"
            + "  \"dataset\": {\"min_rows\": 500, \"max_rows\": 10000000, \"required_columns\": [\"id\"],\n"
            + "    \"allow_unexpected_columns\": false, \"column_order\": true, \"severity\": \"warning\"},\n"
            + "  \"drift\": {\"drift_share\": 0.3, \"severity\": \"warning\", \"column_severity\": \"error\"},\n"
            + "  \"columns\": {\n"
            + "    \"id\": {\"type\": \"string\", \"unique\": true, \"drift\": false},\n"
            + "    \"age\": {\"type\": \"integer\", \"nullable\": false, \"max_null_fraction\": 0.01, \"min\": 18,\n"
            + "      \"max\": {\"value\": 120, \"severity\": \"error\", \"mostly\": 0.999},\n"
            + "      \"allowed_values\": [18, 19, 20], \"severity\": \"warning\", \"mostly\": 0.9,\n"
            + "      \"drift\": {\"method\": \"ks\", \"threshold\": 0.01}},\n"
            + "    \"code\": {\"type\": \"string\", \"regex\": \"[A-Z]{2}[0-9]+\", \"max_length\": {\"value\": 3, \"mostly\": 0.5},\n"
            + "      \"unique\": {\"value\": false, \"severity\": \"info\"}},\n"
            + "    \"born\": {\"type\": \"date\", \"min\": \"2000-01-01\", \"max\": \"2024-12-31\"},\n"
            + "    \"seen\": {\"type\": \"timestamp\", \"min\": \"2024-01-01T00:00:00\", \"max\": \"2024-12-31 23:59:59+02:00\"},\n"
            + "    \"score\": {\"type\": \"number\", \"min\": -1.5, \"max\": 1000, \"drift\": {\"method\": \"psi\"}},\n"
            + "    \"color\": {\"type\": \"category\", \"allowed_values\": [\"red\", \"green\"], \"drift\": {\"threshold\": 0.2}},\n"
            + "    \"flag\": {\"type\": \"boolean\", \"drift\": true},\n"
            + "    \"note\": null\n"
            + "  }\n"
            + "}\n";

    // ------------------------------------------------------------------------------------- valid files

    @Test
    public void loadsEveryKeyFromYaml() throws Exception {
        assertFullSchema(SchemaLoader.load(write("schema.yaml", FULL_YAML)));
    }

    @Test
    public void loadsEveryKeyFromJson() throws Exception {
        assertFullSchema(SchemaLoader.load(write("schema.json", FULL_JSON)));
    }

    private static void assertFullSchema(DataSchema schema) {
        assertEquals(new DataSchema.DatasetRules(500L, 10_000_000L, List.of("id"), false, true, Severity.WARNING),
                schema.dataset());
        assertEquals(new DataSchema.DriftSettings(0.3, Severity.WARNING, Severity.ERROR), schema.drift());
        assertEquals(List.of("id", "age", "code", "born", "seen", "score", "color", "flag", "note"),
                List.copyOf(schema.columns().keySet()));

        ColumnRules id = schema.columns().get("id");
        assertEquals("id", id.name());
        assertEquals(new Rule<>(ColumnType.STRING, Severity.ERROR, 1.0), id.type());
        assertEquals(new Rule<>(true, Severity.ERROR, 1.0), id.unique());
        assertEquals(new ColumnRules.DriftSetting(null, null, true), id.drift());
        assertNull(id.nullable());
        assertNull(id.min());
        assertNull(id.regex());

        // column-level severity and mostly are the defaults of its rules; max overrides both
        ColumnRules age = schema.columns().get("age");
        assertEquals(ColumnType.INTEGER, age.declaredType());
        assertEquals(new Rule<>(ColumnType.INTEGER, Severity.WARNING, 0.9), age.type());
        assertEquals(new Rule<>(false, Severity.WARNING, 0.9), age.nullable());
        assertEquals(new Rule<>(0.01, Severity.WARNING, 0.9), age.maxNullFraction());
        assertEquals(new Rule<>("18", Severity.WARNING, 0.9), age.min());
        assertEquals(new Rule<>("120", Severity.ERROR, 0.999), age.max());
        assertEquals(new Rule<>(Set.of("18", "19", "20"), Severity.WARNING, 0.9), age.allowedValues());
        assertEquals(new ColumnRules.DriftSetting(DriftMethod.KS, 0.01, false), age.drift());
        assertNull(age.regex());
        assertNull(age.unique());
        assertNull(age.maxLength());

        ColumnRules code = schema.columns().get("code");
        assertEquals("[A-Z]{2}[0-9]+", code.regex().value().pattern());
        assertSame(Severity.ERROR, code.regex().severity());
        assertEquals(1.0, code.regex().mostly(), 0.0);
        assertTrue(code.regex().value().matcher("AB12").matches());
        assertFalse(code.regex().value().matcher("xAB12").matches());
        assertEquals(new Rule<>(3, Severity.ERROR, 0.5), code.maxLength());
        assertEquals(new Rule<>(false, Severity.INFO, 1.0), code.unique());
        assertNull(code.drift());

        ColumnRules born = schema.columns().get("born");
        assertEquals(new Rule<>("2000-01-01", Severity.ERROR, 1.0), born.min());
        assertEquals(new Rule<>("2024-12-31", Severity.ERROR, 1.0), born.max());

        ColumnRules seen = schema.columns().get("seen");
        assertEquals(new Rule<>(ColumnType.TIMESTAMP, Severity.ERROR, 1.0), seen.type());
        assertEquals(new Rule<>("2024-01-01T00:00:00", Severity.ERROR, 1.0), seen.min());
        assertEquals(new Rule<>("2024-12-31 23:59:59+02:00", Severity.ERROR, 1.0), seen.max());

        ColumnRules score = schema.columns().get("score");
        assertEquals(new Rule<>(ColumnType.NUMBER, Severity.ERROR, 1.0), score.type());
        assertEquals(new Rule<>("-1.5", Severity.ERROR, 1.0), score.min());
        assertEquals(new Rule<>("1000", Severity.ERROR, 1.0), score.max());
        assertEquals(new ColumnRules.DriftSetting(DriftMethod.PSI, null, false), score.drift());

        ColumnRules color = schema.columns().get("color");
        assertEquals(new Rule<>(ColumnType.CATEGORY, Severity.ERROR, 1.0), color.type());
        assertEquals(new Rule<>(Set.of("red", "green"), Severity.ERROR, 1.0), color.allowedValues());
        assertEquals(new ColumnRules.DriftSetting(null, 0.2, false), color.drift());

        ColumnRules flag = schema.columns().get("flag");
        assertEquals(new Rule<>(ColumnType.BOOLEAN, Severity.ERROR, 1.0), flag.type());
        assertNull("drift: true is the default test", flag.drift());

        ColumnRules note = schema.columns().get("note");
        assertEquals(new ColumnRules("note", null, null, null, null, null, null, null, null, null, null), note);
        assertNull(note.declaredType());
    }

    @Test
    public void defaultsWhenSectionsAreLeftOut() throws Exception {
        DataSchema schema = SchemaLoader.load(write("schema.yml", "columns:\n  x: {type: number}\n"));
        assertSame(DataSchema.DatasetRules.NONE, schema.dataset());
        assertSame(DataSchema.DriftSettings.DEFAULT, schema.drift());
        assertEquals(new DataSchema.DriftSettings(0.5, Severity.ERROR, Severity.WARNING), schema.drift());
        assertEquals(new DataSchema.DatasetRules(null, null, List.of(), true, false, Severity.ERROR), schema.dataset());
        assertEquals(new Rule<>(ColumnType.NUMBER, Severity.ERROR, 1.0), schema.columns().get("x").type());
    }

    @Test
    public void datasetBoundsMayBeGivenAlone() throws Exception {
        DataSchema schema = SchemaLoader.load(write("schema.yaml", "dataset:\n  max_rows: 5\n"));
        assertEquals(new DataSchema.DatasetRules(null, 5L, List.of(), true, false, Severity.ERROR), schema.dataset());
        assertEquals(0, schema.columns().size());
    }

    @Test
    public void typeNamesIgnoreCase() throws Exception {
        DataSchema schema = SchemaLoader.load(write("schema.yaml", "columns:\n  x: {type: Integer, severity: WARNING}\n"));
        assertEquals(new Rule<>(ColumnType.INTEGER, Severity.WARNING, 1.0), schema.columns().get("x").type());
    }

    // ------------------------------------------------------------------------------------- mistakes

    @Test
    public void unknownTopLevelKey() throws Exception {
        assertError("colums: unknown key (known: columns, dataset, drift, version)",
                "version: 1\ncolums:\n  x: {type: integer}\n");
    }

    @Test
    public void unknownColumnKeyListsTheKnownKeys() throws Exception {
        assertError("columns.age.mni: unknown key (known: " + COLUMN_KEYS + ")",
                "columns:\n  age:\n    type: integer\n    mni: 3\n");
    }

    @Test
    public void unknownDatasetAndDriftKeys() throws Exception {
        assertError("dataset.min_row: unknown key (known: allow_unexpected_columns, column_order, max_rows, min_rows,"
                + " required_columns, severity)", "dataset:\n  min_row: 3\n");
        assertError("drift.share: unknown key (known: column_severity, drift_share, severity)", "drift:\n  share: 0.2\n");
        assertError("columns.x.drift.treshold: unknown key (known: method, threshold)",
                "columns:\n  x:\n    drift: {treshold: 0.2}\n");
    }

    @Test
    public void misspelledRuleKeyInsideValueForm() throws Exception {
        assertError("columns.age.max.severty: unknown key (known: mostly, severity, value)",
                "columns:\n  age:\n    type: integer\n    max: {value: 120, severty: warning}\n");
    }

    @Test
    public void ruleObjectWithoutValue() throws Exception {
        assertError("columns.age.max: needs a 'value'", "columns:\n  age:\n    type: integer\n    max: {severity: warning}\n");
    }

    @Test
    public void badRegexNamesThePathAndTheRegex() throws Exception {
        assertError("columns.code.regex: '[A-Z' is not a valid regular expression: Unclosed character class near index 3",
                "columns:\n  code:\n    regex: \"[A-Z\"\n");
    }

    @Test
    public void badTypeName() throws Exception {
        assertError("columns.age.type: unknown type 'int': use integer, number, string, boolean, date, timestamp or category",
                "columns:\n  age:\n    type: int\n");
    }

    @Test
    public void typeMustBeText() throws Exception {
        assertError("columns.age.type: must be text, was 5", "columns:\n  age:\n    type: 5\n");
    }

    @Test
    public void minOnAStringColumn() throws Exception {
        assertError("columns.name: min/max need a numeric, date or timestamp type, not string",
                "columns:\n  name:\n    type: string\n    min: 3\n");
    }

    @Test
    public void minNotANumberForAnIntegerColumn() throws Exception {
        assertError("columns.age.min: 'abc' is not a valid integer", "columns:\n  age:\n    type: integer\n    min: abc\n");
    }

    @Test
    public void minNotANumberWithoutAType() throws Exception {
        assertError("columns.age.max: 'lots' is not a valid number", "columns:\n  age:\n    max: lots\n");
    }

    @Test
    public void dateMinNotADate() throws Exception {
        assertError("columns.born.min: '2024-13-01' is not a valid date", "columns:\n  born:\n    type: date\n    min: 2024-13-01\n");
        assertError("columns.born.max: '5' is not a valid date", "columns:\n  born:\n    type: date\n    max: 5\n");
    }

    @Test
    public void timestampMinNotATimestamp() throws Exception {
        assertError("columns.seen.min: '2024-01-01' is not a valid timestamp",
                "columns:\n  seen:\n    type: timestamp\n    min: \"2024-01-01\"\n");
    }

    @Test
    public void minRowsAboveMaxRows() throws Exception {
        assertError("dataset: min_rows 10 is greater than max_rows 5", "dataset:\n  min_rows: 10\n  max_rows: 5\n");
    }

    @Test
    public void negativeOrFractionalRowCounts() throws Exception {
        assertError("dataset.min_rows: must be a whole number of at least 0, was -1", "dataset:\n  min_rows: -1\n");
        assertError("dataset.max_rows: must be a whole number of at least 0, was 2.5", "dataset:\n  max_rows: 2.5\n");
    }

    @Test
    public void mostlyZero() throws Exception {
        assertError("columns.age.mostly: must be greater than 0", "columns:\n  age:\n    mostly: 0\n");
        assertError("columns.age.min.mostly: must be greater than 0", "columns:\n  age:\n    min: {value: 1, mostly: 0}\n");
    }

    @Test
    public void mostlyAboveOne() throws Exception {
        assertError("columns.age.mostly: must be a number from 0 to 1, was 1.5", "columns:\n  age:\n    mostly: 1.5\n");
        assertError("columns.age.min.mostly: must be a number from 0 to 1, was 1.5",
                "columns:\n  age:\n    min: {value: 1, mostly: 1.5}\n");
    }

    @Test
    public void severityFatal() throws Exception {
        assertError("columns.age.severity: unknown severity 'fatal': use error, warning or info",
                "columns:\n  age:\n    severity: fatal\n");
        assertError("dataset.severity: unknown severity 'fatal': use error, warning or info",
                "dataset:\n  severity: fatal\n");
        assertError("columns.age.max.severity: unknown severity 'fatal': use error, warning or info",
                "columns:\n  age:\n    max: {value: 3, severity: fatal}\n");
    }

    @Test
    public void wrongKindsOfValues() throws Exception {
        assertError("columns.x.nullable: must be true or false, was \"no\"", "columns:\n  x:\n    nullable: \"no\"\n");
        assertError("columns.x.allowed_values: must be a non-empty list of values", "columns:\n  x:\n    allowed_values: []\n");
        assertError("columns.x.allowed_values: must list plain values, found {\"a\":1}",
                "columns:\n  x:\n    allowed_values: [{a: 1}]\n");
        assertError("columns.x.max_length: must be a whole number of at least 1, was 0", "columns:\n  x:\n    max_length: 0\n");
        assertError("columns.x.max_null_fraction: must be a number from 0 to 1, was 2", "columns:\n  x:\n    max_null_fraction: 2\n");
        assertError("dataset.required_columns: must be a list of column names", "dataset:\n  required_columns: id\n");
        assertError("columns.x: must be a mapping of keys to values, was array", "columns:\n  x: [1, 2]\n");
        assertError("columns.x.drift.method: unknown drift method 'kl': use ks, wasserstein, psi, chisquare, jensenshannon, z, perc_text_content_drift or abs_text_content_drift",
                "columns:\n  x:\n    drift: {method: kl}\n");
        assertError("columns.x.drift.threshold: must be a non-negative number", "columns:\n  x:\n    drift: {threshold: -1}\n");
        assertError("drift.drift_share: must be a number from 0 to 1, was 1.2", "drift:\n  drift_share: 1.2\n");
    }

    @Test
    public void duplicateKeyInYaml() throws Exception {
        Path file = write("schema.yaml", "columns:\n  age:\n    type: integer\n  age:\n    type: number\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(file));
        assertEquals(file + ":4: not a valid schema file: Duplicate field 'age'", e.getMessage());
        assertEquals(4, e.getLine());
    }

    @Test
    public void duplicateKeyInJson() throws Exception {
        Path file = write("schema.json", "{\"columns\": {\"age\": {}},\n \"columns\": {}}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(file));
        assertEquals(file + ":2: not a valid schema file: Duplicate field 'columns'", e.getMessage());
    }

    @Test
    public void emptyFile() throws Exception {
        assertError("the schema file is empty", "");
        assertError("the schema file is empty", "# only a comment\n");
    }

    @Test
    public void notYamlAtAll() throws Exception {
        Path file = write("schema.yaml", "\u0000\u0001\u0002binary");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(file));
        assertEquals(file + ":1: not a valid schema file: special characters are not allowed", e.getMessage());
        assertEquals(1, e.getLine());
    }

    @Test
    public void brokenYamlNamesTheLine() throws Exception {
        Path file = write("schema.yaml", "columns:\n  age: [integer\n  name: string\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(file));
        // SnakeYAML's description follows (over several lines: see the report)
        assertTrue(e.getMessage(), e.getMessage().startsWith(file + ":3: not a valid schema file: while parsing a flow sequence"));
        assertEquals(3, e.getLine());
    }

    @Test
    public void aScalarIsNotASchema() throws Exception {
        // a CSV file given as the schema reads as one YAML string
        assertError("must be a mapping of keys to values, was string", "id,age\n1,2\n");
    }

    @Test
    public void nonexistentFile() {
        Path file = folder.getRoot().toPath().resolve("missing.yaml");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(file));
        assertEquals(file + ": does not exist", e.getMessage());
        assertEquals(file.toString(), e.getFile());
    }

    @Test
    public void version2() throws Exception {
        assertError("version: unsupported schema version 2 (this release reads version 1)", "version: 2\ncolumns: {}\n");
    }

    private Path write(String name, String text) throws IOException {
        Path file = folder.getRoot().toPath().resolve(name);
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private void assertError(String expected, String yaml) throws IOException {
        Path file = write("schema.yaml", yaml);
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(file));
        assertEquals(file + ": " + expected, e.getMessage());
        assertEquals(file.toString(), e.getFile());
    }
}
