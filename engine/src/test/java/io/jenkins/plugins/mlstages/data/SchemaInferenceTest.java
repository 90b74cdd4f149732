package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link SchemaInference}: a schema inferred from a dataset loads back and accepts that dataset. */
public class SchemaInferenceTest {

    @org.junit.Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static final String DATA = String.join("\n",
            "id,age,color,score,day,name,ok",
            "1,34,red,0.5,2024-01-01,Ann,true",
            "2,,green,1.25,2024-01-02,Bob,false",
            "3,51,blue,2,2024-01-03,Cid,true",
            "4,19,red,3.5,2024-01-04,Dee,true",
            "5,77,red,4,2024-01-05,Eve,false",
            "6,45,green,5.5,2024-01-06,Fay,true",
            "7,23,blue,6,2024-01-07,Gus,false",
            "8,60,red,7.25,2024-01-08,Hal,true",
            "9,38,green,8,2024-01-09,Ida,true",
            "10,29,blue,9.75,2024-01-10,Jo,false",
            "");

    private Path write(String name, String text) throws IOException {
        Path file = folder.getRoot().toPath().resolve(name);
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static DatasetProfile profile(Path data) throws Exception {
        return new ValidateData(StageLog.NONE).profileOnly(data, null, null, ValidateDataRequest.DEFAULT_SAMPLE_SIZE, 42);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> warning(Object value) {
        return map("value", value, "severity", "warning");
    }

    @Test
    public void infersTypesMissingValuesCategoriesAndRanges() throws Exception {
        Map<String, Object> schema = SchemaInference.infer(profile(write("data.csv", DATA)));
        Map<String, Object> expected = map(
                "version", 1,
                "dataset", map("min_rows", 1, "allow_unexpected_columns", false),
                "columns", map(
                        "id", map("type", "integer", "nullable", false, "min", warning(1L), "max", warning(10L)),
                        "age", map("type", "integer", "max_null_fraction", 0.2, "min", warning(19L), "max", warning(77L)),
                        "color", map("type", "category", "nullable", false, "allowed_values", List.of("blue", "green", "red")),
                        "score", map("type", "number", "nullable", false, "min", warning(0.5), "max", warning(9.75)),
                        "day", map("type", "date", "nullable", false),
                        "name", map("type", "string", "nullable", false),
                        "ok", map("type", "boolean", "nullable", false)));
        assertEquals(expected, schema);
        @SuppressWarnings("unchecked")
        Map<String, Object> columns = (Map<String, Object>) schema.get("columns");
        assertEquals(List.of("id", "age", "color", "score", "day", "name", "ok"), List.copyOf(columns.keySet()));
    }

    @Test
    public void missingShareGetsRoomAbove() throws Exception {
        // 1 of 3 missing: twice 33.3 % rounded up to a percent; all missing: 1
        Path data = write("data.csv", "a,b,c\n1,,x\n2,,y\n,,z\n");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> columns = (Map<String, Map<String, Object>>) SchemaInference.infer(profile(data)).get("columns");
        assertEquals(map("type", "integer", "max_null_fraction", 0.67, "min", warning(1L), "max", warning(2L)), columns.get("a"));
        assertEquals(map("type", "string", "max_null_fraction", 1.0), columns.get("b"));
        assertEquals(map("type", "string", "nullable", false), columns.get("c"));
    }

    @Test
    public void nanAndInfinitiesKeepANumberTypeThatTheSameDataPasses() throws Exception {
        // pandas reads nan and inf as floats: the column is a number, and the inferred type rule allows them
        Path data = write("data.csv", "x\n1.5\nnan\n2.5\ninf\n3.5\n4.5\n");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> columns = (Map<String, Map<String, Object>>) SchemaInference.infer(profile(data)).get("columns");
        assertEquals(map("value", "number", "mostly", 0.6666), columns.get("x").get("type"));
        Path target = folder.getRoot().toPath().resolve("nan.yaml");
        SchemaInference.write(profile(data), "data.csv", target);
        ValidateDataResult result = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data)
                .withSchema(SchemaLoader.load(target)));
        assertEquals(List.of(), result.findings().stream().filter(f -> !f.passed()).toList());
    }

    @Test
    public void writesYamlThatLoadsBackAndAcceptsTheSameData() throws Exception {
        Path data = write("data.csv", DATA);
        Path target = folder.getRoot().toPath().resolve("schemas/inferred.yaml");
        SchemaInference.write(profile(data), "data.csv", target);

        String text = Files.readString(target);
        assertTrue(text, text.startsWith("# Schema inferred by mlstages from data.csv (10 rows).\n"
                + "# Review it: types, missing values and categories come from this one sample of the data.\n"
                + "version: 1\n"));
        assertEquals(List.of("inferred.yaml"), listNames(target.getParent()));

        DataSchema schema = SchemaLoader.load(target);
        assertEquals(new DataSchema.DatasetRules(1L, null, List.of(), false, false, Severity.ERROR), schema.dataset());
        ColumnRules age = schema.columns().get("age");
        assertEquals(new Rule<>(ColumnType.INTEGER, Severity.ERROR, 1.0), age.type());
        assertEquals(new Rule<>(0.2, Severity.ERROR, 1.0), age.maxNullFraction());
        assertEquals(new Rule<>("19", Severity.WARNING, 1.0), age.min());
        assertEquals(new Rule<>("77", Severity.WARNING, 1.0), age.max());
        assertEquals(new Rule<>(Set.of("blue", "green", "red"), Severity.ERROR, 1.0), schema.columns().get("color").allowedValues());
        assertEquals(new Rule<>("9.75", Severity.WARNING, 1.0), schema.columns().get("score").max());

        ValidateDataResult result = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data).withSchema(schema));
        assertEquals(List.of(), result.findings().stream().filter(f -> !f.passed()).toList());
        assertEquals(Status.PASSED, result.status());
        // row count, 7 required columns, unexpected columns; then the columns' rules
        assertEquals(1 + 7 + 1 + 4 + 4 + 3 + 4 + 2 + 2 + 2, result.findings().size());
        assertEquals(0.0, result.metrics().get("failed_checks"), 0.0);
    }

    @Test
    public void theInferredSchemaCatchesNewData() throws Exception {
        Path target = folder.getRoot().toPath().resolve("inferred.yaml");
        SchemaInference.write(profile(write("data.csv", DATA)), "data.csv", target);
        DataSchema schema = SchemaLoader.load(target);

        // an age above the range seen is only a warning
        Path older = write("older.csv", DATA.replace("10,29,blue", "10,99,blue"));
        ValidateDataResult warned = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(older).withSchema(schema));
        assertEquals(Status.WARNING, warned.status());
        assertEquals(List.of(new Finding("column.max", "age", Severity.WARNING, false,
                "age: 1 of 9 values are above 77 (row 10: '99')", "1 of 9", "<= 77")),
                warned.findings().stream().filter(f -> !f.passed()).toList());

        // a new category, a missing id and an extra column are errors
        Path changed = write("changed.csv", DATA.replace("id,age,color,score,day,name,ok", "id,age,color,score,day,name,ok,extra")
                .replace("true\n", "true,1\n").replace("false\n", "false,0\n")
                .replace("3,51,blue", "3,51,purple").replace("\n4,19,", "\n,19,"));
        ValidateDataResult failed = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(changed).withSchema(schema));
        assertEquals(Status.FAILED, failed.status());
        assertEquals(List.of("dataset.unexpected_columns:null", "column.nullable:id", "column.allowed_values:color"),
                failed.findings().stream().filter(f -> !f.passed()).map(f -> f.check() + ":" + f.subject()).toList());
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
