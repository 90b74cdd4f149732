package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class JsonLinesReaderTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    // --- well-formed input -------------------------------------------------------------------

    @Test
    public void reportsTheSha256OfEveryByteFromTheSameRead() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            text.append("{\"id\": ").append(i).append(", \"name\": \"caf\u00e9\"}\n"); // several read chunks
        }
        byte[] bytes = bytes(text.toString());
        RecordingSink table = new RecordingSink();
        new JsonLinesReader().read(writeBytes(bytes), table);
        assertEquals(10_000, table.rows.size());
        assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(bytes), table.sha256);
    }

    @Test
    public void anEmptyStringIsAValueAndNullIsMissingOnEveryLine() throws Exception {
        RecordingSink table = read("{\"a\": \"\", \"b\": null, \"c\": 1}\n{\"a\": null, \"b\": \"\", \"c\": -2.50}\n"
                + "{\"c\": \"\", \"a\": [1, 2.0], \"b\": true}\n");
        assertRow(table, 0, "", null, "1");
        assertRow(table, 1, null, "", "-2.50");
        assertRow(table, 2, "[1,2.0]", "true", "");
    }

    @Test
    public void columnsAreTheKeysOfTheFirstObject() throws Exception {
        RecordingSink table = read("{\"id\": 1, \"name\": \"Ann\", \"ok\": true}\n"
                + "{\"name\": \"Bob\", \"id\": 2, \"ok\": false}\n"
                + "{\"id\": 3}\n");
        assertEquals(List.of("id", "name", "ok"), table.header);
        assertRow(table, 0, "1", "Ann", "true");
        assertRow(table, 1, "2", "Bob", "false");
        assertRow(table, 2, "3", null, null);
        assertEquals(List.of(1L, 2L, 3L), table.lines);
        assertEquals(List.of(1L, 2L, 3L), table.rowNumbers);
    }

    @Test
    public void valuesKeepTheirJsonText() throws Exception {
        RecordingSink table = read("{\"int\": -12, \"dec\": 1.50, \"exp\": 1e400, \"big\": 123456789012345678901234567890,"
                + " \"str\": \"say \\\"hi\\\"\\n\\u00e9\", \"empty\": \"\", \"nul\": null}\n");
        assertRow(table, 0, "-12", "1.50", "1e400", "123456789012345678901234567890", "say \"hi\"\n\u00e9", "", null);
    }

    @Test
    public void nestedValuesAreCompactJson() throws Exception {
        RecordingSink table = read("{\"a\": {\"x\": [1, 2.50, {\"y\": \"z\\\"\"}], \"n\": null}, \"b\": [ ], \"c\": { }}\n");
        assertRow(table, 0, "{\"x\":[1,2.50,{\"y\":\"z\\\"\"}],\"n\":null}", "[]", "{}");
    }

    @Test
    public void skipsBlankLinesAndCountsThem() throws Exception {
        RecordingSink table = read("\n{\"a\": 1}\n   \n\t\n{\"a\": 2}\n\n\n");
        assertEquals(2, table.rows.size());
        assertEquals(List.of(2L, 5L), table.lines);
        assertEquals(List.of(1L, 2L), table.rowNumbers);
    }

    @Test
    public void acceptsCrLfByteOrderMarkAndNoFinalLineBreak() throws Exception {
        RecordingSink table = read("\uFEFF{\"a\": \"x\"}\r\n{\"a\": \"y\"}");
        assertEquals(List.of("a"), table.header);
        assertRow(table, 0, "x");
        assertRow(table, 1, "y");
    }

    @Test
    public void readsMultiByteUtf8() throws Exception {
        RecordingSink table = read("{\"k\u00e9\": \"\u4e2d\uD83D\uDE00\"}\n");
        assertEquals(List.of("k\u00e9"), table.header);
        assertRow(table, 0, "\u4e2d\uD83D\uDE00");
    }

    @Test
    public void readsLinesLongerThanTheInitialBuffer() throws Exception {
        String big = "x".repeat(200_000);
        RecordingSink table = read("{\"a\": \"" + big + "\"}\n{\"a\": \"y\"}\n");
        assertRow(table, 0, big);
        assertRow(table, 1, "y");
    }

    // --- bad input ---------------------------------------------------------------------------

    @Test
    public void emptyFileIsAnError() throws Exception {
        Path file = write("");
        DataFormatException e = fail(file);
        assertEquals(file + ": has no JSON object", e.getMessage());
        assertEquals(0, e.getLine());
    }

    @Test
    public void fileOfBlankLinesIsEmpty() throws Exception {
        Path file = write("\n  \n\r\n");
        assertEquals(file + ": has no JSON object", fail(file).getMessage());
    }

    @Test
    public void invalidJsonIsAnErrorOnItsLine() throws Exception {
        Path file = write("{\"a\": 1}\n\n{\"a\": 2,\n{\"a\": 3}\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":3: is not valid JSON: Unexpected end-of-input within/between Object entries",
                e.getMessage());
        assertEquals(3, e.getLine());
    }

    @Test
    public void jacksonLocationIsShortened() throws Exception {
        Path file = write("{\"a\": [1, 2}\n");
        assertEquals(file + ":1: is not valid JSON: Unexpected close marker '}': expected ']'"
                + " (for Array starting at column 7)", fail(file).getMessage());
    }

    @Test
    public void lineThatIsNotAnObjectIsAnError() throws Exception {
        Path array = write("{\"a\": 1}\n[1, 2]\n");
        DataFormatException e = fail(array);
        assertEquals(array + ":2: is a JSON array, not an object", e.getMessage());
        assertEquals(2, e.getLine());
        Path number = write("42\n");
        assertEquals(number + ":1: is a JSON number, not an object", fail(number).getMessage());
        Path nul = write("{\"a\": 1}\nnull\n");
        assertEquals(nul + ":2: is JSON null, not an object", fail(nul).getMessage());
    }

    @Test
    public void twoValuesOnOneLineAreAnError() throws Exception {
        Path file = write("{\"a\": 1} {\"a\": 2}\n");
        assertEquals(file + ":1: has more than one JSON value: expected one object per line",
                fail(file).getMessage());
    }

    @Test
    public void duplicateKeyIsAnError() throws Exception {
        Path later = write("{\"a\": 1, \"b\": 2}\n{\"b\": 3, \"a\": 1, \"b\": 4}\n");
        DataFormatException e = fail(later);
        assertEquals(later + ":2: key 'b' appears twice", e.getMessage());
        assertEquals(2, e.getLine());
        Path first = write("{\"a\": 1, \"a\": 2}\n");
        assertEquals(first + ":1: key 'a' appears twice", fail(first).getMessage());
    }

    @Test
    public void keyNotInTheFirstLineIsAnError() throws Exception {
        Path file = write("{\"a\": 1, \"b\": 2, \"c\": 3}\n" + "{\"a\": 1}\n".repeat(5) + "{\"a\": 1, \"foo\": 2}\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":7: key 'foo' is not among the columns of the first line (a, b, c)", e.getMessage());
        assertEquals(7, e.getLine());
        assertNull(e.getColumn());
    }

    @Test
    public void longColumnListIsAbridgedInTheMessage() throws Exception {
        StringBuilder first = new StringBuilder("{");
        for (int i = 1; i <= 12; i++) {
            first.append(i == 1 ? "" : ", ").append("\"c").append(i).append("\": ").append(i);
        }
        Path file = write(first + "}\n{\"zz\": 1}\n");
        assertEquals(file + ":2: key 'zz' is not among the columns of the first line"
                + " (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, ... 12 in all)", fail(file).getMessage());
    }

    @Test
    public void firstObjectWithoutKeysIsAnError() throws Exception {
        Path file = write("\n{}\n{\"a\": 1}\n");
        assertEquals(file + ":2: the first object has no keys, so there are no columns", fail(file).getMessage());
    }

    @Test
    public void invalidUtf8IsAnErrorOnItsLine() throws Exception {
        Path file = writeBytes(bytes("{\"a\": \"x\"}\n{\"a\": \"y\"}\n\n{\"a\": \"caf"), new byte[] {(byte) 0xE9},
                bytes("\"}\n{\"a\": \"z\"}\n"));
        DataFormatException e = fail(file);
        assertEquals(file + ":4: is not valid UTF-8", e.getMessage());
        assertEquals(4, e.getLine());
        assertTrue(e.getCause() instanceof IOException);
    }

    @Test
    public void invalidUtf8FarIntoTheFileIsReportedOnItsLine() throws Exception {
        String lines = "{\"id\": 1, \"text\": \"some words to fill the buffers\"}\n".repeat(30_000);
        Path file = writeBytes(bytes(lines), new byte[] {(byte) 0xFF}, bytes("\n"));
        assertEquals(file + ":30001: is not valid UTF-8", fail(file).getMessage());
    }

    @Test
    public void nulCharacterIsAnError() throws Exception {
        Path file = write("{\"a\": 1}\n{\"a\": \0}\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":2: contains a NUL byte, which is not text: is this a binary file?", e.getMessage());
        assertEquals(2, e.getLine());
    }

    @Test
    public void lineOverTheLengthLimitIsAnError() throws Exception {
        Path file = write("{\"a\": 1}\n{\"a\": \"" + "x".repeat(100_000) + "\"}\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new JsonLinesReader(1000).read(file, new RecordingSink()));
        assertEquals(file + ":2: is longer than 1000 characters", e.getMessage());
    }

    // --- scale and progress -----------------------------------------------------------------

    @Test(timeout = 30_000)
    public void readsTwoMillionLinesAndReportsProgress() throws Exception {
        int rows = 2_000_000;
        Path file = folder.newFile("large.jsonl").toPath();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= rows; i++) {
                out.write("{\"id\":");
                out.write(Integer.toString(i));
                out.write(i % 2 == 0 ? ",\"g\":\"a\",\"s\":" : ",\"g\":\"b\",\"s\":");
                out.write(Integer.toString(i % 97));
                out.write("}\n");
            }
        }
        RecordingSink.assertReadsAllWithProgress(new JsonLinesReader(), file, rows);
    }

    // --- the flat-line scanner against Jackson ------------------------------------------------

    /**
     * Every line below is read twice, once with the scanner for flat lines and once by Jackson alone:
     * the rows, their lines, or the error and its line must be the same. The lines are the scanner's
     * edge cases: what JSON allows and Jackson reads (escapes, number forms, spacing, key order), and
     * what it refuses (which the scanner must leave to Jackson for its message).
     */
    @Test
    public void scannerReadsFlatLinesAsJacksonDoes() throws Exception {
        String first = "{\"a\": 0, \"b\": \"x\", \"c\": true}\n";
        List<String> lines = List.of(
                "{\"a\": 1, \"b\": \"y\", \"c\": false}",
                "{\"c\": null, \"a\": -0.5e+3, \"b\": \"\"}",
                "  {  \"a\"  :  1  ,  \"b\"  :  \"z\"  }  \t",
                "{\"a\":1}\r",
                "{\"a\": 1}\r\r",
                "{\"a\":1,\"b\":\"q\\\"uote\\\\ back\\/slash \\b\\f\\n\\r\\t \\u00e9\\u4E2D \\uD83D\\uDE00 \\u0000 end\"}",
                "{\"b\": \"\u00e9\u4e2d\uD83D\uDE00 raw\"}",
                "{\"a\": 1e400, \"b\": 123456789012345678901234567890, \"c\": -0}",
                "{\"a\": 0e5, \"b\": 1E-2, \"c\": 10.25}",
                "{\"a\": " + "9".repeat(150) + "}",
                "{\"a\": " + "9".repeat(1500) + "}",
                "{\"b\": \"" + "s".repeat((1 << 20) + 10) + "\"}",
                "{\"b\": \"" + "\\u0041".repeat(200_000) + "\"}",
                "{}", "{ }", "{\"\\u0061\": 5}", "{\"a\\u0062\": 5}",
                "{\"a\": 01}", "{\"a\": +1}", "{\"a\": 1.}", "{\"a\": .5}", "{\"a\": -}", "{\"a\": 1e}", "{\"a\": 1e+}",
                "{\"a\": 0x10}", "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": -Infinity}", "{\"a\": 1.5.2}",
                "{\"a\": 12abc}", "{\"a\": -01}", "{\"a\": 1 }", "{\"a\": 1\"b\": 2}",
                "{\"c\": tru}", "{\"c\": truex}", "{\"c\": nul}", "{\"c\": True}", "{\"c\": falsey}", "{\"c\": null,}",
                "{\"b\": \"tab\there\"}", "{\"b\": \"bad \\x escape\"}", "{\"b\": \"\\u12G4\"}", "{\"b\": \"\\u12\"}",
                "{\"b\": \"\\u00e\"}", "{\"b\": \"unterminated}", "{\"b\": \"ends in a backslash\\",
                "{\"a\": 1,}", "{\"a\": 1 \"b\": 2}", "{\"a\" 1}", "{a: 1}", "{'a': 1}", "{\"a\": 1}}", "{\"a\": 1} x",
                "{\"a\": 1} {\"a\": 2}", "{\"a\": 1} // comment", "{\"a\": 1", "{\"a\": 1, \"b\": \"x\"", "{\"a\":",
                "\u00a0{\"a\": 1}", "{\u000b\"a\": 1}", "{\"a\": [1, 2]}", "{\"a\": {\"x\": 1}}", "{\"a\": []}",
                "{\"b\": \"x\", \"a\": 1, \"b\": \"y\"}", "{\"a\": 1, \"a\": 1}", "{\"zz\": 1}", "{\"A\": 1}",
                "[1]", "42", "\"s\"", "null", "true", "   ", "\t");
        for (String line : lines) {
            Path file = write(first + line + "\n{\"a\": 2}\n");
            String label = line.length() > 80 ? line.substring(0, 80) + "..." : line;
            assertEquals(label, readingOf(new JsonLinesReader(JsonLinesReader.DEFAULT_MAX_LINE_LENGTH, false), file),
                    readingOf(new JsonLinesReader(), file));
        }
    }

    /** What a reader makes of a file: its rows with their lines, or its error with its line. */
    private static String readingOf(JsonLinesReader reader, Path file) throws IOException {
        RecordingSink table = new RecordingSink();
        try {
            reader.read(file, table);
        } catch (DataFormatException e) {
            return "error at line " + e.getLine() + ": " + e.getMessage();
        }
        StringBuilder out = new StringBuilder(String.valueOf(table.header));
        for (int i = 0; i < table.rows.size(); i++) {
            out.append('\n').append(table.lines.get(i)).append(": ").append(java.util.Arrays.toString(table.rows.get(i)));
        }
        return out.toString();
    }

    // --- helpers ----------------------------------------------------------------------------

    private RecordingSink read(String content) throws Exception {
        RecordingSink table = new RecordingSink();
        new JsonLinesReader().read(write(content), table);
        return table;
    }

    private DataFormatException fail(Path file) {
        return assertThrows(DataFormatException.class, () -> new JsonLinesReader().read(file, new RecordingSink()));
    }

    private Path write(String content) throws IOException {
        return writeBytes(bytes(content));
    }

    private Path writeBytes(byte[]... parts) throws IOException {
        Path file = folder.newFile().toPath();
        try (var out = Files.newOutputStream(file)) {
            for (byte[] part : parts) {
                out.write(part);
            }
        }
        return file;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRow(RecordingSink table, int index, String... expected) {
        assertArrayEquals(expected, table.rows.get(index));
    }
}
