package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link ValidateData} end to end on small files written here: one passing and one failing case per
 * rule, the dataset rules, the verdict, metrics, lineage and drift against a data file or a saved profile.
 */
public class ValidateDataTest {

    @org.junit.Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private int schemas;

    // ------------------------------------------------------------------------------------- type

    @Test
    public void typeFails() throws Exception {
        ValidateDataResult r = validate(csv("n", "1", "2", "x", "4"), "columns:\n  n: {type: integer}\n");
        assertEquals(new Finding("column.type", "n", Severity.ERROR, false, "n: 1 of 4 values are not integer (row 3: 'x')",
                "1 of 4", "values of type integer"), find(r, "column.type", "n"));
        assertEquals(Status.FAILED, r.status());
    }

    @Test
    public void typePasses() throws Exception {
        ValidateDataResult r = validate(csv("n", "1", "-2", "+3", "4"), "columns:\n  n: {type: integer}\n");
        assertEquals(new Finding("column.type", "n", Severity.ERROR, true, "n: all 4 values pass (values of type integer)",
                "0 of 4", "values of type integer"), find(r, "column.type", "n"));
        assertEquals(Status.PASSED, r.status());
        assertEquals(List.of("dataset.required_column:n", "column.type:n"), checks(r));
    }

    @Test
    public void numberTypeRejectsNanInfinityHexAndSuffixes() throws Exception {
        ValidateDataResult r = validate(csv("v", "1.5", "-2e3", ".5", "NaN", "Infinity", "0x10", "1d", "7"),
                "columns:\n  v: {type: number}\n");
        assertEquals(new Finding("column.type", "v", Severity.ERROR, false,
                "v: 4 of 8 values are not number (row 4: 'NaN', row 5: 'Infinity', row 6: '0x10', row 7: '1d')",
                "4 of 8", "values of type number"), find(r, "column.type", "v"));
    }

    @Test
    public void booleanDateAndTimestampTypes() throws Exception {
        ValidateDataResult r = validate(csv("b,d,t",
                "true,2024-02-29,2024-01-01T10:00:00",
                "FALSE,2023-02-29,2024-01-01 10:00:00+02:00",
                "yes,2024-1-5,2024-01-01"),
                "columns:\n  b: {type: boolean}\n  d: {type: date}\n  t: {type: timestamp}\n");
        assertEquals("b: 1 of 3 values are not boolean (row 3: 'yes')", find(r, "column.type", "b").message());
        assertEquals("d: 2 of 3 values are not date (row 2: '2023-02-29', row 3: '2024-1-5')",
                find(r, "column.type", "d").message());
        assertEquals("t: 1 of 3 values are not timestamp (row 3: '2024-01-01')", find(r, "column.type", "t").message());
    }

    // ------------------------------------------------------------------------------------- missing values

    @Test
    public void nullableFalseFails() throws Exception {
        ValidateDataResult r = validate(csv("id,x", "1,5", "2,", "3,7"), "columns:\n  x: {nullable: false}\n");
        assertEquals(new Finding("column.nullable", "x", Severity.ERROR, false,
                "x: 1 of 3 values are missing; the schema wants a value", "1", "0"), find(r, "column.nullable", "x"));
    }

    @Test
    public void nullableFalsePasses() throws Exception {
        ValidateDataResult r = validate(csv("id,x", "1,5", "2,6", "3,7"), "columns:\n  x: {nullable: false}\n");
        assertEquals(new Finding("column.nullable", "x", Severity.ERROR, true, "x: no missing values", "0", "0"),
                find(r, "column.nullable", "x"));
    }

    @Test
    public void maxNullFractionPassesAtTheLimit() throws Exception {
        ValidateDataResult r = validate(csv("id,x", "1,5", "2,", "3,7", "4,8"), "columns:\n  x: {max_null_fraction: 0.25}\n");
        assertEquals(new Finding("column.max_null_fraction", "x", Severity.ERROR, true,
                "x: 25.00 % missing (1 of 4), at most 25.00 % allowed", "0.250000", "<= 0.250000"),
                find(r, "column.max_null_fraction", "x"));
    }

    @Test
    public void maxNullFractionFails() throws Exception {
        ValidateDataResult r = validate(csv("id,x", "1,5", "2,", "3,", "4,8"), "columns:\n  x: {max_null_fraction: 0.25}\n");
        assertEquals(new Finding("column.max_null_fraction", "x", Severity.ERROR, false,
                "x: 50.00 % missing (2 of 4), at most 25.00 % allowed", "0.500000", "<= 0.250000"),
                find(r, "column.max_null_fraction", "x"));
    }

    // ------------------------------------------------------------------------------------- min and max

    @Test
    public void minAndMaxFail() throws Exception {
        ValidateDataResult r = validate(csv("x", "5", "100", "-0.5", "100.5", "0"),
                "columns:\n  x: {type: number, min: 0, max: 100}\n");
        assertEquals(new Finding("column.min", "x", Severity.ERROR, false, "x: 1 of 5 values are below 0 (row 3: '-0.5')",
                "1 of 5", ">= 0"), find(r, "column.min", "x"));
        assertEquals(new Finding("column.max", "x", Severity.ERROR, false, "x: 1 of 5 values are above 100 (row 4: '100.5')",
                "1 of 5", "<= 100"), find(r, "column.max", "x"));
    }

    @Test
    public void minAndMaxAreInclusive() throws Exception {
        ValidateDataResult r = validate(csv("x", "0", "100", "50"), "columns:\n  x: {type: integer, min: 0, max: 100}\n");
        assertEquals(new Finding("column.min", "x", Severity.ERROR, true, "x: all 3 values pass (>= 0)", "0 of 3", ">= 0"),
                find(r, "column.min", "x"));
        assertEquals(new Finding("column.max", "x", Severity.ERROR, true, "x: all 3 values pass (<= 100)", "0 of 3", "<= 100"),
                find(r, "column.max", "x"));
        assertEquals(Status.PASSED, r.status());
    }

    @Test
    public void typeErrorsAreNotCountedAgainByMinAndMax() throws Exception {
        ValidateDataResult r = validate(csv("x", "5", "abc", "-3", "7", "1e9"),
                "columns:\n  x: {type: integer, min: 0, max: 10}\n");
        assertEquals("x: 2 of 5 values are not integer (row 2: 'abc', row 5: '1e9')", find(r, "column.type", "x").message());
        assertEquals(new Finding("column.min", "x", Severity.ERROR, false, "x: 1 of 3 values are below 0 (row 3: '-3')",
                "1 of 3", ">= 0"), find(r, "column.min", "x"));
        assertEquals(new Finding("column.max", "x", Severity.ERROR, true, "x: all 3 values pass (<= 10)", "0 of 3", "<= 10"),
                find(r, "column.max", "x"));
    }

    @Test
    public void dateMinAndMax() throws Exception {
        ValidateDataResult r = validate(csv("d", "2023-12-31", "2024-01-01", "2024-12-31", "2025-01-01", "2024-02-30"),
                "columns:\n  d: {type: date, min: 2024-01-01, max: \"2024-12-31\"}\n");
        assertEquals("d: 1 of 5 values are not date (row 5: '2024-02-30')", find(r, "column.type", "d").message());
        assertEquals(new Finding("column.min", "d", Severity.ERROR, false,
                "d: 1 of 4 values are below 2024-01-01 (row 1: '2023-12-31')", "1 of 4", ">= 2024-01-01"),
                find(r, "column.min", "d"));
        assertEquals(new Finding("column.max", "d", Severity.ERROR, false,
                "d: 1 of 4 values are above 2024-12-31 (row 4: '2025-01-01')", "1 of 4", "<= 2024-12-31"),
                find(r, "column.max", "d"));
    }

    @Test
    public void timestampMinAndMaxCompareInstants() throws Exception {
        ValidateDataResult r = validate(csv("t",
                "2023-12-31 23:59:59",
                "2024-01-01T00:00:00",
                "2024-01-01T01:00:00+02:00", // 2023-12-31T23:00Z: before the minimum (local times count as UTC)
                "2024-06-30T23:59:59.5",
                "2024-07-01T00:00:00Z",
                "2024-03-01",
                "2024-06-30 23:59:59"),
                "columns:\n  t: {type: timestamp, min: \"2024-01-01T00:00:00\", max: \"2024-06-30 23:59:59\"}\n");
        assertEquals("t: 1 of 7 values are not timestamp (row 6: '2024-03-01')", find(r, "column.type", "t").message());
        assertEquals(new Finding("column.min", "t", Severity.ERROR, false,
                "t: 2 of 6 values are below 2024-01-01T00:00:00 (row 1: '2023-12-31 23:59:59', row 3: '2024-01-01T01:00:00+02:00')",
                "2 of 6", ">= 2024-01-01T00:00:00"), find(r, "column.min", "t"));
        assertEquals(new Finding("column.max", "t", Severity.ERROR, false,
                "t: 2 of 6 values are above 2024-06-30 23:59:59 (row 4: '2024-06-30T23:59:59.5', row 5: '2024-07-01T00:00:00Z')",
                "2 of 6", "<= 2024-06-30 23:59:59"), find(r, "column.max", "t"));
    }

    // ------------------------------------------------------------------------------------- value rules

    @Test
    public void allowedValuesFails() throws Exception {
        ValidateDataResult r = validate(csv("c", "red", "blue", "green", "pink"), "columns:\n  c: {allowed_values: [red, green]}\n");
        assertEquals(new Finding("column.allowed_values", "c", Severity.ERROR, false,
                "c: 2 of 4 values are not among the allowed values (row 2: 'blue', row 4: 'pink')", "2 of 4",
                "one of [green, red]"), find(r, "column.allowed_values", "c"));
    }

    @Test
    public void allowedValuesPassesAndComparesAsText() throws Exception {
        ValidateDataResult r = validate(csv("c", "red", "green", "red"), "columns:\n  c: {allowed_values: [red, green]}\n");
        assertEquals(new Finding("column.allowed_values", "c", Severity.ERROR, true,
                "c: all 3 values pass (one of [green, red])", "0 of 3", "one of [green, red]"),
                find(r, "column.allowed_values", "c"));

        ValidateDataResult numbers = validate(csv("n", "1", "2", "1.0"), "columns:\n  n: {allowed_values: [1, 2]}\n");
        assertEquals("n: 1 of 3 values are not among the allowed values (row 3: '1.0')",
                find(numbers, "column.allowed_values", "n").message());
    }

    @Test
    public void regexFailsUnlessTheWholeValueMatches() throws Exception {
        ValidateDataResult r = validate(csv("code", "AB1", "ab2", "CD34", "XAB1"), "columns:\n  code: {regex: \"[A-Z]{2}[0-9]+\"}\n");
        assertEquals(new Finding("column.regex", "code", Severity.ERROR, false,
                "code: 2 of 4 values are not matching /[A-Z]{2}[0-9]+/ (row 2: 'ab2', row 4: 'XAB1')", "2 of 4",
                "matches /[A-Z]{2}[0-9]+/"), find(r, "column.regex", "code"));
    }

    @Test
    public void regexPasses() throws Exception {
        ValidateDataResult r = validate(csv("code", "AB1", "CD34"), "columns:\n  code: {regex: \"[A-Z]{2}[0-9]+\"}\n");
        assertEquals(new Finding("column.regex", "code", Severity.ERROR, true,
                "code: all 2 values pass (matches /[A-Z]{2}[0-9]+/)", "0 of 2", "matches /[A-Z]{2}[0-9]+/"),
                find(r, "column.regex", "code"));
    }

    @Test
    public void maxLengthFails() throws Exception {
        ValidateDataResult r = validate(csv("id,s", "1,abc", "2,abcd", "3,", "4,ab"), "columns:\n  s: {max_length: 3}\n");
        assertEquals(new Finding("column.max_length", "s", Severity.ERROR, false,
                "s: 1 of 3 values are longer than 3 characters (row 2: 'abcd')", "1 of 3", "length <= 3"),
                find(r, "column.max_length", "s"));
    }

    @Test
    public void maxLengthCountsCharactersNotBytes() throws Exception {
        ValidateDataResult r = validate(csv("s", "äöü", "ab"), "columns:\n  s: {max_length: 3}\n");
        assertEquals(new Finding("column.max_length", "s", Severity.ERROR, true,
                "s: all 2 values pass (length <= 3)", "0 of 2", "length <= 3"), find(r, "column.max_length", "s"));
    }

    @Test
    public void uniqueListsTheRepeatingRows() throws Exception {
        ValidateDataResult r = validate(csv("id", "a", "b", "a", "c", "b", "a"), "columns:\n  id: {unique: true}\n");
        assertEquals(new Finding("column.unique", "id", Severity.ERROR, false,
                "id: 3 of 6 values are duplicates of an earlier value (row 3: 'a', row 5: 'b', row 6: 'a')", "3 of 6",
                "no duplicates"), find(r, "column.unique", "id"));
    }

    @Test
    public void uniquePassesAndIgnoresMissingValues() throws Exception {
        ValidateDataResult r = validate(csv("n,id", "1,a", "2,", "3,b", "4,"), "columns:\n  id: {unique: true}\n");
        assertEquals(new Finding("column.unique", "id", Severity.ERROR, true, "id: all 2 values pass (no duplicates)",
                "0 of 2", "no duplicates"), find(r, "column.unique", "id"));
    }

    @Test
    public void uniqueFalseIsNoCheck() throws Exception {
        ValidateDataResult r = validate(csv("id", "a", "a"), "columns:\n  id: {unique: false}\n");
        assertEquals(List.of("dataset.required_column:id"), checks(r));
        assertEquals(Status.PASSED, r.status());
    }

    @Test
    public void examplesAreCappedByMaxErrors() throws Exception {
        Path data = csv("x", "a", "b", "1", "c", "d", "e");
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data)
                .withSchema(schema("columns:\n  x: {type: integer}\n")).withMaxErrors(2));
        assertEquals(new Finding("column.type", "x", Severity.ERROR, false,
                "x: 5 of 6 values are not integer (row 1: 'a', row 2: 'b', …)", "5 of 6", "values of type integer"),
                find(r, "column.type", "x"));
    }

    @Test
    public void defaultMaxErrorsIsFive() throws Exception {
        ValidateDataResult r = validate(csv("x", "a", "b", "c", "d", "e", "f"), "columns:\n  x: {type: integer}\n");
        assertEquals("x: 6 of 6 values are not integer (row 1: 'a', row 2: 'b', row 3: 'c', row 4: 'd', row 5: 'e', …)",
                find(r, "column.type", "x").message());
    }

    @Test
    public void longValuesAreShortenedInExamples() throws Exception {
        String longValue = "y".repeat(45);
        ValidateDataResult r = validate(csv("x", longValue), "columns:\n  x: {type: integer}\n");
        assertEquals("x: 1 of 1 values are not integer (row 1: '" + "y".repeat(40) + "…')", find(r, "column.type", "x").message());
    }

    // ------------------------------------------------------------------------------------- mostly

    @Test
    public void mostlyLetsAFewBadValuesPass() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "2", "-1", "3"), "columns:\n  x: {type: integer, min: 0, mostly: 0.75}\n");
        assertEquals(new Finding("column.min", "x", Severity.ERROR, true,
                "x: 1 of 4 values are below 0 (row 3: '-1'); 75.00 % pass, 75.00 % needed", "1 of 4", ">= 0"),
                find(r, "column.min", "x"));
        assertEquals(Status.PASSED, r.status());
    }

    @Test
    public void mostlyFailsWithMoreBadValues() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "-2", "-1", "3"), "columns:\n  x: {type: integer, min: 0, mostly: 0.75}\n");
        assertEquals(new Finding("column.min", "x", Severity.ERROR, false,
                "x: 2 of 4 values are below 0 (row 2: '-2', row 3: '-1'); 50.00 % pass, 75.00 % needed", "2 of 4", ">= 0"),
                find(r, "column.min", "x"));
        assertEquals(Status.FAILED, r.status());
    }

    @Test
    public void ruleMostlyOverridesTheColumnsMostly() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "-2", "-1", "3"),
                "columns:\n  x: {type: integer, mostly: 0.75, min: {value: 0, mostly: 0.5}, max: {value: 2}}\n");
        assertTrue(find(r, "column.min", "x").passed());
        assertEquals("x: 1 of 4 values are above 2 (row 4: '3'); 75.00 % pass, 75.00 % needed", find(r, "column.max", "x").message());
        assertTrue(find(r, "column.max", "x").passed());
    }

    // ------------------------------------------------------------------------------------- severity and verdict

    @Test
    public void warningSeverityGivesWarning() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "-1"), "columns:\n  x: {type: integer, min: {value: 0, severity: warning}}\n");
        assertEquals(Severity.WARNING, find(r, "column.min", "x").severity());
        assertFalse(find(r, "column.min", "x").passed());
        assertEquals(Status.WARNING, r.status());
    }

    @Test
    public void errorSeverityGivesFailedEvenBesideWarnings() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "-1", "200"),
                "columns:\n  x: {type: integer, min: {value: 0, severity: warning}, max: 100}\n");
        assertEquals(Severity.ERROR, find(r, "column.max", "x").severity());
        assertEquals(Status.FAILED, r.status());
    }

    @Test
    public void columnSeverityIsTheDefaultOfItsRules() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "-1", "200"),
                "columns:\n  x: {type: integer, severity: warning, min: 0, max: {value: 100, severity: info}}\n");
        assertEquals(Severity.WARNING, find(r, "column.min", "x").severity());
        assertEquals(Severity.INFO, find(r, "column.max", "x").severity());
        assertEquals(Status.WARNING, r.status());
    }

    @Test
    public void infoSeverityFailureLeavesThePassedVerdict() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "200"), "columns:\n  x: {type: integer, max: {value: 100, severity: info}}\n");
        assertFalse(find(r, "column.max", "x").passed());
        assertEquals(Status.PASSED, r.status());
        assertEquals(1.0, r.metrics().get("failed_checks"), 0.0);
    }

    // ------------------------------------------------------------------------------------- dataset rules

    @Test
    public void rowCountOutsideTheRange() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "2", "3", "4"), "dataset:\n  min_rows: 2\n  max_rows: 3\n");
        assertEquals(new Finding("dataset.row_count", null, Severity.ERROR, false, "4 rows, outside 2 ≤ rows ≤ 3", "4",
                "2 ≤ rows ≤ 3"), find(r, "dataset.row_count", null));
        assertEquals(Status.FAILED, r.status());
    }

    @Test
    public void rowCountWithinTheRange() throws Exception {
        ValidateDataResult r = validate(csv("x", "1", "2", "3"), "dataset:\n  min_rows: 2\n  max_rows: 3\n");
        assertEquals(new Finding("dataset.row_count", null, Severity.ERROR, true, "3 rows, within 2 ≤ rows ≤ 3", "3",
                "2 ≤ rows ≤ 3"), find(r, "dataset.row_count", null));
    }

    @Test
    public void rowCountWithOneBoundAndDatasetSeverity() throws Exception {
        ValidateDataResult few = validate(csv("x", "1"), "dataset:\n  min_rows: 2\n  severity: warning\n");
        assertEquals(new Finding("dataset.row_count", null, Severity.WARNING, false, "1 row, outside 2 ≤ rows", "1",
                "2 ≤ rows"), find(few, "dataset.row_count", null));
        assertEquals(Status.WARNING, few.status());
        ValidateDataResult many = validate(csv("x", "1", "2"), "dataset:\n  max_rows: 1\n");
        assertEquals(new Finding("dataset.row_count", null, Severity.ERROR, false, "2 rows, outside rows ≤ 1", "2",
                "rows ≤ 1"), find(many, "dataset.row_count", null));
    }

    @Test
    public void requiredAndListedColumnsMustBePresent() throws Exception {
        ValidateDataResult r = validate(csv("x,extra", "1,2"),
                "dataset:\n  required_columns: [id]\ncolumns:\n  x: {type: integer}\n  y: {type: integer}\n");
        assertEquals(new Finding("dataset.required_column", "id", Severity.ERROR, false,
                "id: required by the schema but missing from the data", "missing", "present"),
                find(r, "dataset.required_column", "id"));
        assertEquals(new Finding("dataset.required_column", "x", Severity.ERROR, true, "x: present", "present", "present"),
                find(r, "dataset.required_column", "x"));
        assertEquals(new Finding("dataset.required_column", "y", Severity.ERROR, false,
                "y: required by the schema but missing from the data", "missing", "present"),
                find(r, "dataset.required_column", "y"));
        // a missing column has no column findings; the unexpected 'extra' is allowed by default
        assertEquals(List.of("dataset.required_column:id", "dataset.required_column:x", "dataset.required_column:y",
                "column.type:x"), checks(r));
        assertEquals(Status.FAILED, r.status());
    }

    @Test
    public void unexpectedColumnsFail() throws Exception {
        ValidateDataResult r = validate(csv("id,x,extra,more", "1,2,3,4"),
                "dataset:\n  required_columns: [id]\n  allow_unexpected_columns: false\ncolumns:\n  x: {}\n");
        assertEquals(new Finding("dataset.unexpected_columns", null, Severity.ERROR, false,
                "columns not in the schema: [extra, more]", "[extra, more]", "[]"), find(r, "dataset.unexpected_columns", null));
    }

    @Test
    public void noUnexpectedColumns() throws Exception {
        ValidateDataResult r = validate(csv("id,x", "1,2"),
                "dataset:\n  required_columns: [id]\n  allow_unexpected_columns: false\ncolumns:\n  x: {}\n");
        assertEquals(new Finding("dataset.unexpected_columns", null, Severity.ERROR, true, "no columns beyond the schema's",
                "[]", "[]"), find(r, "dataset.unexpected_columns", null));
        assertEquals(Status.PASSED, r.status());
    }

    @Test
    public void columnOrderFails() throws Exception {
        ValidateDataResult r = validate(csv("b,extra,a", "1,2,3"),
                "dataset:\n  column_order: true\ncolumns:\n  a: {}\n  b: {}\n");
        assertEquals(new Finding("dataset.column_order", null, Severity.ERROR, false,
                "columns in order [b, a], the schema says [a, b]", "[b, a]", "[a, b]"), find(r, "dataset.column_order", null));
    }

    @Test
    public void columnOrderPassesIgnoringOtherColumns() throws Exception {
        ValidateDataResult r = validate(csv("a,extra,b", "1,2,3"),
                "dataset:\n  column_order: true\ncolumns:\n  a: {}\n  b: {}\n");
        assertEquals(new Finding("dataset.column_order", null, Severity.ERROR, true, "columns in the schema's order", "[a, b]",
                "[a, b]"), find(r, "dataset.column_order", null));
    }

    // ------------------------------------------------------------------------------------- unreadable input

    @Test
    public void headerOnlyFile() throws Exception {
        Path data = csv("a,b");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data)));
        assertEquals(data + ": has a header but no data rows", e.getMessage());
    }

    @Test
    public void nonexistentDataFile() {
        Path data = folder.getRoot().toPath().resolve("nope.csv");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data)));
        assertEquals(data + ": does not exist", e.getMessage());
    }

    @Test
    public void aDirectoryIsNotAFile() throws Exception {
        Path dir = folder.newFolder("data.csv").toPath();
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(dir)));
        assertEquals(dir + ": is a directory, not a file", e.getMessage());
    }

    @Test
    public void nonexistentReference() throws Exception {
        Path data = csv("x", "1");
        Path reference = folder.getRoot().toPath().resolve("ref.csv");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data).withReference(reference)));
        assertEquals(reference + ": does not exist", e.getMessage());
    }

    @Test
    public void unknownExtensionNeedsAFormat() throws Exception {
        Path data = write("data.dat", "x\n1\n2\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data)));
        assertEquals(data + ": cannot tell the format from the file name: pass --format csv, jsonl or parquet", e.getMessage());

        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data).withFormat(DataFormat.CSV));
        assertEquals(2, r.dataset().rows());
        assertEquals("csv", r.dataset().format());
    }

    // ------------------------------------------------------------------------------------- metrics and lineage

    @Test
    public void metrics() throws Exception {
        ValidateDataResult r = validate(csv("id,x,y", "1,5,", "2,,", "3,x,a"),
                "columns:\n  x: {type: integer, nullable: false}\n");
        assertEquals(List.of("rows", "columns", "missing_values", "failed_checks"), List.copyOf(r.metrics().keySet()));
        assertEquals(Map.of("rows", 3.0, "columns", 3.0, "missing_values", 3.0, "failed_checks", 2.0), r.metrics());
        assertNull(r.drift());
    }

    @Test
    public void lineageNodeIsTheDatasetDigest() throws Exception {
        Path data = csv("x,y", "1,a", "2,b", "3,c");
        byte[] bytes = Files.readAllBytes(data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data));

        assertEquals(List.of(new LineageNode("dataset", sha.substring(0, 32), "data.csv", Map.of(
                "source", data.toAbsolutePath().toUri().toString(),
                "rows", "3",
                "bytes", String.valueOf(bytes.length)))), r.lineage());
        assertEquals(new ValidateDataResult.DatasetInfo("data.csv", data.toAbsolutePath().toString(), "csv", bytes.length, 3, 2,
                sha.substring(0, 32)), r.dataset());
        assertEquals(ValidateDataResult.STAGE, r.stage());
        assertEquals(Status.PASSED, r.status());
        assertEquals(List.of(), r.findings());
    }

    @Test
    public void datasetNameNamesTheLineageNode() throws Exception {
        Path data = csv("x", "1");
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data).withDatasetName("train"));
        assertEquals("train", r.lineage().get(0).name());
        assertEquals("train", r.dataset().name());
    }

    @Test
    public void theReportProfileIsTheSummary() throws Exception {
        ValidateDataResult r = validate(csv("x,c", "1,a", "2,b", "3,a", "4,"), "columns:\n  x: {type: integer}\n");
        assertEquals(4, r.profile().rows());
        ColumnProfile x = r.profile().column("x").orElseThrow();
        assertEquals(ColumnType.INTEGER, x.type());
        assertEquals(4, x.count());
        assertEquals(2.5, x.mean(), 0.0);
        assertNull("drift material is left out of the report", x.sample());
        assertEquals(Long.valueOf(4), x.sampledFrom());
        ColumnProfile c = r.profile().column("c").orElseThrow();
        assertEquals(ColumnType.STRING, c.type());
        assertEquals(3, c.count());
        assertEquals(1, c.nulls());
        assertEquals(List.of(new ColumnProfile.ValueCount("a", 2), new ColumnProfile.ValueCount("b", 1)), c.topValues());
        assertNull(c.categories());
    }

    // ------------------------------------------------------------------------------------- drift

    /**
     * x: 1.5..10.5 then 11.5..20.5, completely separated (numbers: KS); y: the same 8 integers on both sides
     * (an integer column with at most 10 values is categorical, as Evidently reads it: chi-square).
     */
    private Path[] smallDriftFiles() throws IOException {
        Path reference = csv("ref.csv", 10, i -> (i + 1) + ".5," + (i % 8));
        Path current = csv("cur.csv", 10, i -> (i + 11) + ".5," + (i % 8));
        return new Path[] {reference, current};
    }

    private Path csv(String name, int rows, IntFunction<String> row) throws IOException {
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; i < rows; i++) {
            text.append(row.apply(i)).append('\n');
        }
        return write(name, text.toString());
    }

    @Test
    public void ksForSmallReferences() throws Exception {
        Path[] files = smallDriftFiles();
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(files[1]).withReference(files[0]));
        // complete separation of two samples of 10: D = 1, exact p = 2 / C(20, 10) = 2 / 184756
        double p = 2.0 / 184_756;
        List<ColumnDrift> drift = r.drift();
        assertEquals(2, drift.size());
        ColumnDrift x = drift.get(0);
        assertEquals("x", x.column());
        assertEquals("ks", x.method());
        assertEquals(1.0, x.statistic(), 0.0);
        assertEquals(p, x.pValue(), 1e-15);
        assertEquals(0.05, x.threshold(), 0.0);
        assertTrue(x.drifted());
        assertEquals(10, x.referenceValues());
        assertEquals(10, x.currentValues());
        assertFalse(x.sampled());
        assertEquals(new ColumnDrift("y", "chisquare", 0.0, 1.0, 0.05, false, 10, 10, false), drift.get(1));

        assertEquals(new Finding("drift.ks", "x", Severity.WARNING, false,
                "x: ks p = 1.083e-05 (statistic 1.000), drifted (drift when p ≤ 0.05)",
                "p = 1.083e-05 (statistic 1.000)", "drift when p ≤ 0.05"), find(r, "drift.ks", "x"));
        assertEquals(new Finding("drift.chisquare", "y", Severity.WARNING, true,
                "y: chisquare p = 1.000 (statistic 0.000), no drift (drift when p < 0.05)",
                "p = 1.000 (statistic 0.000)", "drift when p < 0.05"), find(r, "drift.chisquare", "y"));
        // 1 of 2 = 0.5 reaches the default drift_share of 0.5
        assertEquals(new Finding("drift.dataset", null, Severity.ERROR, false,
                "1 of 2 columns drifted (50.00 %): dataset drift, the limit is 50.00 %", "0.5000", "< 0.5"),
                find(r, "drift.dataset", null));
        assertEquals(Status.FAILED, r.status());
        assertEquals(1.0, r.metrics().get("drifted_columns"), 0.0);
        assertEquals(0.5, r.metrics().get("drift_share"), 0.0);
        assertEquals(2.0, r.metrics().get("failed_checks"), 0.0);
    }

    @Test
    public void driftShareAboveTheDriftedShareIsNoDatasetDrift() throws Exception {
        Path[] files = smallDriftFiles();
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(files[1]).withReference(files[0])
                .withSchema(schema("drift:\n  drift_share: 0.6\n  severity: warning\n  column_severity: info\n")));
        assertEquals(new Finding("drift.dataset", null, Severity.WARNING, true,
                "1 of 2 columns drifted (50.00 %): no dataset drift, the limit is 60.00 %", "0.5000", "< 0.6"),
                find(r, "drift.dataset", null));
        assertEquals(Severity.INFO, find(r, "drift.ks", "x").severity());
        assertFalse(find(r, "drift.ks", "x").passed());
        assertEquals(Status.PASSED, r.status());
    }

    @Test
    public void driftedColumnWithWarningSeverityGivesWarning() throws Exception {
        Path[] files = smallDriftFiles();
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(files[1]).withReference(files[0])
                .withSchema(schema("drift:\n  drift_share: 0.6\n")));
        assertTrue(find(r, "drift.dataset", null).passed());
        assertEquals(Status.WARNING, r.status());
    }

    @Test
    public void driftFalseLeavesAColumnOut() throws Exception {
        Path[] files = smallDriftFiles();
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(files[1]).withReference(files[0])
                .withSchema(schema("columns:\n  x: {drift: false}\n")));
        assertEquals(List.of(new ColumnDrift("y", "chisquare", 0.0, 1.0, 0.05, false, 10, 10, false)), r.drift());
        assertEquals(new Finding("drift.dataset", null, Severity.ERROR, true,
                "0 of 1 column drifted (0.000 %): no dataset drift, the limit is 50.00 %", "0.000", "< 0.5"),
                find(r, "drift.dataset", null));
        assertEquals(Status.PASSED, r.status());
    }

    @Test
    public void columnDriftMethodAndThreshold() throws Exception {
        Path[] files = smallDriftFiles();
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(files[1]).withReference(files[0])
                .withSchema(schema("columns:\n  x: {drift: {threshold: 1.0e-6}}\n  y: {drift: {method: wasserstein}}\n")));
        ColumnDrift x = r.drift().get(0);
        assertEquals("ks", x.method());
        assertEquals(1e-6, x.threshold(), 0.0);
        assertFalse("p = 1.08e-5 is above the threshold", x.drifted());
        assertEquals(new ColumnDrift("y", "wasserstein", 0.0, null, 0.1, false, 10, 10, false), r.drift().get(1));
    }

    @Test
    public void twoValuesUseTheZTestAndThreeChiSquare() throws Exception {
        Path reference = write("ref.csv", "n,c,t\n1,a,x\n2,b,y\n1,a,z\n2,b,x\n1,a,y\n2,b,z\n");
        Path current = write("cur.csv", "n,c,t\n1,a,x\n2,b,y\n1,a,z\n2,b,x\n");
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(current).withReference(reference));
        // t: 3 distinct of 4 values is text by Evidently's rule (more than half distinct) unless declared a category
        List<ColumnDrift> declared = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(current)
                .withReference(reference).withSchema(schema("columns:\n  t: {type: category}\n"))).drift();
        assertEquals(List.of(new ColumnDrift("n", "z", 0.0, 1.0, 0.05, false, 6, 4, false),
                new ColumnDrift("c", "z", 0.0, 1.0, 0.05, false, 6, 4, false)), declared.subList(0, 2));
        // observed 2, 1, 1 against expected 4/3 each: statistic 0.5, p = exp(-0.25) with 2 degrees of freedom
        assertEquals("chisquare", declared.get(2).method());
        assertEquals(0.5, declared.get(2).statistic(), 1e-12);
        assertEquals(Math.exp(-0.25), declared.get(2).pValue(), 1e-12);
        assertEquals(new Finding("drift.z", "c", Severity.WARNING, true,
                "c: z p = 1.000 (statistic 0.000), no drift (drift when p < 0.05)", "p = 1.000 (statistic 0.000)",
                "drift when p < 0.05"), find(r, "drift.z", "c"));
        assertEquals("perc_text_content_drift", r.drift().get(2).method());
    }

    @Test
    public void wassersteinAbove1000ReferenceRows() throws Exception {
        // x: 0..1499 against 1000..2499: W1 = 1000, std(0..1499) = sqrt((1500^2 - 1) / 12)
        Path reference = csv("ref.csv", 1500, i -> i + "," + (i % 10));
        Path current = csv("cur.csv", 1500, i -> (i + 1000) + "," + (i % 10));
        ValidateDataResult r = new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(current).withReference(reference));
        ColumnDrift x = r.drift().get(0);
        assertEquals("wasserstein", x.method());
        assertEquals(1000 / Math.sqrt((1500.0 * 1500 - 1) / 12), x.statistic(), 1e-9);
        assertNull(x.pValue());
        assertEquals(0.1, x.threshold(), 0.0);
        assertTrue(x.drifted());
        // y: an integer column with 10 values is categorical (Evidently's rule): Jensen-Shannon
        assertEquals(new ColumnDrift("y", "jensenshannon", 0.0, null, 0.1, false, 1500, 1500, false), r.drift().get(1));
        assertEquals("x: wasserstein 2.309, drifted (drift when ≥ 0.1)", find(r, "drift.wasserstein", "x").message());
        assertFalse(find(r, "drift.dataset", null).passed());
    }

    @Test
    public void aSavedProfileGivesTheSameDriftAsTheReferenceFile() throws Exception {
        // 1500 rows and a sample of 500: Wasserstein on seeded samples, Jensen-Shannon for the category, PSI by schema
        StringBuilder ref = new StringBuilder("x,c,y\n");
        StringBuilder cur = new StringBuilder("x,c,y\n");
        for (int i = 0; i < 1500; i++) {
            ref.append((i * 7919) % 1500).append(',').append("abc".charAt(i % 3)).append(',').append(i % 40).append('\n');
            cur.append((i * 7919) % 1500 + 200).append(',').append("abcc".charAt(i % 4)).append(',').append(i % 50).append('\n');
        }
        Path reference = write("ref.csv", ref.toString());
        Path current = write("cur.csv", cur.toString());
        DataSchema schema = schema("columns:\n  y: {drift: {method: psi}}\n");

        ValidateData stage = new ValidateData(StageLog.NONE);
        Path saved = folder.getRoot().toPath().resolve("ref-profile.json");
        ValidateData.saveProfile(stage.profileOnly(reference, null, null, 500, 42), saved);
        ValidateDataRequest request = ValidateDataRequest.of(current).withSchema(schema).withSampleSize(500);
        ValidateDataResult fromFile = stage.run(request.withReference(reference));
        ValidateDataResult fromProfile = stage.run(request.withReference(saved));

        assertEquals(List.of("wasserstein", "jensenshannon", "psi"), fromFile.drift().stream().map(ColumnDrift::method).toList());
        assertTrue(fromFile.drift().get(0).sampled());
        assertEquals(fromFile.drift(), fromProfile.drift());
        assertEquals(fromFile.findings(), fromProfile.findings());
        assertEquals(fromFile.metrics(), fromProfile.metrics());
    }

    @Test
    public void aSavedProfileRoundTrips() throws Exception {
        Path data = write("ref.csv", "x,c\n1.5,a\n2.5,b\n,a\n4,a\n");
        ValidateData stage = new ValidateData(StageLog.NONE);
        DatasetProfile profile = stage.profileOnly(data, null, null, 100, 7);
        Path saved = folder.getRoot().toPath().resolve("profile.json");
        ValidateData.saveProfile(profile, saved);
        assertTrue(Files.readString(saved).contains("\"schema\" : \"ml-stages/profile-v1\""));
        ValidateDataResult r = stage.run(ValidateDataRequest.of(data).withReference(saved));
        // the same data against itself: nothing drifts
        assertEquals(List.of(new ColumnDrift("x", "chisquare", 0.0, 1.0, 0.05, false, 3, 3, false),
                new ColumnDrift("c", "z", 0.0, 1.0, 0.05, false, 4, 4, false)), r.drift());
    }

    // ------------------------------------------------------------------------------------- JSON lines

    @Test
    public void jsonLinesGiveTheSameProfileAsCsv() throws Exception {
        Path csv = write("data.csv", "x,c,b\n1.5,red,true\n-2,blue,false\n,red,\n10,,true\n3.25,green,true\n");
        Path jsonl = write("data.jsonl", "{\"x\": 1.5, \"c\": \"red\", \"b\": true}\n"
                + "{\"x\": -2, \"c\": \"blue\", \"b\": false}\n"
                + "{\"x\": null, \"c\": \"red\"}\n"
                + "{\"x\": 10, \"c\": null, \"b\": true}\n"
                + "{\"x\": 3.25, \"c\": \"green\", \"b\": true}\n");
        ValidateData stage = new ValidateData(StageLog.NONE);
        ValidateDataResult a = stage.run(ValidateDataRequest.of(csv));
        ValidateDataResult b = stage.run(ValidateDataRequest.of(jsonl));
        assertEquals("jsonl", b.dataset().format());
        assertEquals(5, b.profile().rows());
        assertEquals(a.profile().rows(), b.profile().rows());
        assertEquals(a.metrics(), b.metrics());
        assertEquals(3, b.profile().columns().size());
        for (int i = 0; i < 3; i++) {
            assertSameProfile(a.profile().columns().get(i), b.profile().columns().get(i));
        }
        ColumnProfile x = b.profile().columns().get(0);
        assertEquals(ColumnType.NUMBER, x.type());
        assertEquals(4, x.count());
        assertEquals(1, x.nulls());
        assertEquals(3.1875, x.mean(), 1e-15);
        assertEquals(ColumnType.BOOLEAN, b.profile().columns().get(2).type());
    }

    private static void assertSameProfile(ColumnProfile expected, ColumnProfile actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.type(), actual.type());
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.nulls(), actual.nulls());
        assertEquals(expected.distinct(), actual.distinct());
        assertEquals(expected.distinctExact(), actual.distinctExact());
        assertEquals(expected.min(), actual.min());
        assertEquals(expected.max(), actual.max());
        assertEquals(expected.mean(), actual.mean());
        assertEquals(expected.std(), actual.std());
        assertEquals(expected.quantiles(), actual.quantiles());
        assertEquals(expected.topValues(), actual.topValues());
        assertEquals(expected.sampledFrom(), actual.sampledFrom());
        if (expected.histogram() == null) {
            assertNull(actual.histogram());
        } else {
            assertArrayEquals(expected.histogram().edges(), actual.histogram().edges(), 0.0);
            assertArrayEquals(expected.histogram().counts(), actual.histogram().counts());
        }
    }

    // ------------------------------------------------------------------------------------- helpers

    private Path csv(String header, String... rows) throws IOException {
        return write("data.csv", header + "\n" + (rows.length == 0 ? "" : String.join("\n", rows) + "\n"));
    }

    private Path write(String name, String text) throws IOException {
        Path file = folder.getRoot().toPath().resolve(name);
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private DataSchema schema(String yaml) throws IOException, DataFormatException {
        return SchemaLoader.load(write("schema-" + (++schemas) + ".yaml", yaml));
    }

    private ValidateDataResult validate(Path data, String yaml) throws IOException, DataFormatException {
        return new ValidateData(StageLog.NONE).run(ValidateDataRequest.of(data).withSchema(schema(yaml)));
    }

    /** The one finding of that check and subject. */
    private static Finding find(ValidateDataResult result, String check, String subject) {
        List<Finding> found = new ArrayList<>();
        for (Finding f : result.findings()) {
            if (f.check().equals(check) && java.util.Objects.equals(f.subject(), subject)) {
                found.add(f);
            }
        }
        if (found.size() != 1) {
            fail(found.size() + " findings " + check + " on " + subject + " in " + result.findings());
        }
        assertNotNull(found.get(0));
        return found.get(0);
    }

    private static List<String> checks(ValidateDataResult result) {
        return result.findings().stream().map(f -> f.check() + ":" + f.subject()).toList();
    }
}
