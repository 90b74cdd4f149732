package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;

/** Cases found in review: each failed before its fix. */
public class ValidateDataEdgeCasesTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path file(String name, String text) throws Exception {
        Path path = folder.getRoot().toPath().resolve(name);
        Files.writeString(path, text);
        return path;
    }

    private ValidateDataResult run(ValidateDataRequest request) throws Exception {
        return new ValidateData(StageLog.NONE).run(request);
    }

    private static Finding finding(ValidateDataResult result, String check) {
        return result.findings().stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    public void anInferredSchemaKeepsNumberLikeCategoriesAsText() throws Exception {
        Path data = file("d.csv", "grade\n1.50\nA\n1.50\nA\n");
        Path schema = folder.getRoot().toPath().resolve("s.yaml");
        SchemaInference.write(new ValidateData(StageLog.NONE).profileOnly(data, null, CsvOptions.defaults(), 1000, 42),
                "d.csv", schema);
        ValidateDataResult result = run(ValidateDataRequest.of(data).withSchema(SchemaLoader.load(schema)));
        assertEquals(result.findings().toString(), Status.PASSED, result.status());
    }

    @Test
    public void aFewValuedNumericColumnIsComparedByValueNotSpelling() throws Exception {
        Path reference = file("ref.csv", "n\n1\n2\n1\n2\n");
        Path current = file("cur.csv", "n\n1.0\n2.0\n1.0\n2.0\n");
        ValidateDataResult result = run(ValidateDataRequest.of(current).withReference(reference));
        assertEquals(1, result.drift().size());
        assertFalse(result.drift().get(0).toString(), result.drift().get(0).drifted());
        assertEquals(0.0, result.drift().get(0).statistic(), 0);
    }

    @Test
    public void categoriesBeyondTheKeptOnesAreComparedAsOther() throws Exception {
        StringBuilder text = new StringBuilder("c\n");
        for (int i = 0; i < 12_000; i++) {
            text.append("v").append(i).append('\n');
        }
        Path data = file("d.csv", text.toString());
        Path schema = file("s.yaml", "columns:\n  c: {type: category}\n");
        ValidateDataResult result = run(ValidateDataRequest.of(data).withReference(data).withSchema(SchemaLoader.load(schema)));
        assertEquals("jensenshannon", result.drift().get(0).method());
        assertEquals(0.0, result.drift().get(0).statistic(), 1e-12);
        assertFalse(result.drift().get(0).drifted());
    }

    @Test
    public void noListedRowsStillReadsWell() throws Exception {
        Path data = file("d.csv", "x\na\nb\n");
        Path schema = file("s.yaml", "columns:\n  x: {type: integer}\n");
        ValidateDataResult result = run(ValidateDataRequest.of(data).withSchema(SchemaLoader.load(schema)).withMaxErrors(0));
        assertEquals("x: 2 of 2 values are not integer (…)", finding(result, "column.type").message());
    }

    @Test
    public void aNumericDriftTestOnATextColumnIsASchemaError() throws Exception {
        Path schema = file("s.yaml", "columns:\n  s: {type: string, drift: {method: ks}}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(schema));
        assertEquals(schema + ": columns.s.drift.method: ks needs a numeric column, not string; use chisquare, "
                + "jensenshannon or psi", e.getMessage());
    }

    @Test
    public void aTextDriftTestOnANumericColumnIsASchemaError() throws Exception {
        Path schema = file("s.yaml", "columns:\n  n: {type: number, drift: {method: abs_text_content_drift}}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(schema));
        assertEquals(schema + ": columns.n.drift.method: abs_text_content_drift needs a text column, not number; use ks, "
                + "wasserstein, chisquare, jensenshannon, psi or z", e.getMessage());
    }

    @Test
    public void anExplicitTextMethodTestsACategoryColumnAsText() throws Exception {
        Path schema = file("s.yaml", "columns:\n  c: {type: category, drift: {method: perc_text_content_drift}}\n");
        Path reference = file("ref.csv", "c\nred apple\ngreen pear\nred apple\ngreen pear\n");
        Path current = file("cur.csv", "c\nred apple\ngreen pear\nred apple\ngreen pear\n");
        ColumnDrift drift = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(current).withReference(reference)
                .withSchema(SchemaLoader.load(schema)).withTextDrift(false)).drift().get(0);
        assertEquals("perc_text_content_drift", drift.method());
        assertEquals(0.5, drift.statistic(), 0.0);
        assertFalse(drift.drifted());
    }

    @Test
    public void offsetsBeyondEighteenHoursAreNotTimestamps() {
        assertFalse(ColumnType.TIMESTAMP.accepts("2030-01-01T00:00+18:30"));
        assertTrue(ColumnType.TIMESTAMP.accepts("2030-01-01T00:00+18:00"));
        assertTrue(ColumnType.TIMESTAMP.accepts("2030-01-01 00:00:00.123Z"));
        assertFalse(ColumnType.DATE.accepts("2023-02-29"));
        assertTrue(ColumnType.DATE.accepts("2024-02-29"));
    }

    @Test
    public void nullableHonoursMostly() throws Exception {
        StringBuilder text = new StringBuilder("x\n\n");
        for (int i = 0; i < 9; i++) {
            text.append(i).append('\n');
        }
        Path data = file("d.csv", text.toString());
        Path schema = file("s.yaml", "columns:\n  x: {nullable: {value: false, mostly: 0.5}}\n");
        ValidateDataResult result = run(ValidateDataRequest.of(data).withSchema(SchemaLoader.load(schema)));
        assertTrue(finding(result, "column.nullable").passed());
    }

    @Test
    public void withoutATypeOnlyNumbersAreComparedWithBounds() throws Exception {
        Path data = file("d.csv", "x\n5\nabc\n-1\n");
        Path schema = file("s.yaml", "columns:\n  x: {min: 0}\n");
        ValidateDataResult result = run(ValidateDataRequest.of(data).withSchema(SchemaLoader.load(schema)));
        assertEquals("x: 1 of 2 values are below 0 (row 3: '-1')", finding(result, "column.min").message());
    }

    @Test
    public void contradictoryBoundsAreASchemaError() throws Exception {
        Path schema = file("s.yaml", "columns:\n  x: {type: integer, min: 10, max: 5}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaLoader.load(schema));
        assertEquals(schema + ": columns.x: min 10 is greater than max 5", e.getMessage());
    }

    @Test
    public void aProfileSavedFromARunWithAReferenceBinsLikeItsOwnData() throws Exception {
        StringBuilder first = new StringBuilder("x\n");
        StringBuilder second = new StringBuilder("x\n");
        StringBuilder third = new StringBuilder("x\n");
        for (int i = 0; i < 300; i++) {
            first.append(i % 100).append('\n');
            second.append(i % 100 + 20).append('\n');
            third.append(i % 100 + 45).append('\n');
        }
        Path a = file("a.csv", first.toString());
        Path b = file("b.csv", second.toString());
        Path c = file("c.csv", third.toString());
        Path saved = folder.getRoot().toPath().resolve("b.profile.json");
        DataSchema psi = SchemaLoader.load(file("s.yaml", "columns:\n  x: {type: integer, drift: {method: psi}}\n"));
        ValidateData stage = new ValidateData(StageLog.NONE);
        ValidateData.saveProfile(stage.validate(ValidateDataRequest.of(b).withReference(a).withSchema(psi)).profile(), saved);
        ColumnDrift viaFile = run(ValidateDataRequest.of(c).withReference(b).withSchema(psi)).drift().get(0);
        ColumnDrift viaProfile = run(ValidateDataRequest.of(c).withReference(saved).withSchema(psi)).drift().get(0);
        assertEquals(viaFile.statistic(), viaProfile.statistic(), 0);
    }
}
