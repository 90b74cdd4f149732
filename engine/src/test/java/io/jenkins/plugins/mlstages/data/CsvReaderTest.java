package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CsvReaderTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    // --- well-formed input -------------------------------------------------------------------

    @Test
    public void readsHeaderAndRowsWithQuotedDelimitersAndNewlines() throws Exception {
        RecordingSink table = read("name,age,city\n"
                + "\"Smith, John\",42,\"New\nYork\"\n"
                + "Ann,7,Paris\n");
        assertEquals(List.of("name", "age", "city"), table.header);
        assertEquals(2, table.rows.size());
        assertRow(table, 0, "Smith, John", "42", "New\nYork");
        assertRow(table, 1, "Ann", "7", "Paris");
        assertEquals(List.of(2L, 4L), table.lines);
        assertEquals(List.of(1L, 2L), table.rowNumbers);
    }

    @Test
    public void reportsTheSha256OfEveryByteFromTheSameRead() throws Exception {
        StringBuilder text = new StringBuilder("\uFEFFa,b\n");
        for (int i = 0; i < 20_000; i++) {
            text.append(i).append(",\"x\ny\"\n"); // several read chunks, a byte order mark, quoted newlines
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        RecordingSink table = new RecordingSink();
        new CsvReader().read(writeBytes(bytes), table);
        assertEquals(20_000, table.rows.size());
        assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(bytes), table.sha256);
    }

    @Test
    public void unescapesDoubledQuotes() throws Exception {
        RecordingSink table = read("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n");
        assertRow(table, 0, "say \"hi\"", "\"");
    }

    @Test
    public void emptyFieldsAreMissingValues() throws Exception {
        RecordingSink table = read("a,b,c\n,,\n1,\"\",3\n");
        assertRow(table, 0, null, null, null);
        assertRow(table, 1, "1", null, "3");
    }

    @Test
    public void keepsWhitespaceAndTextExactly() throws Exception {
        RecordingSink table = read("a,b\n  x , y\"z\n");
        assertRow(table, 0, "  x ", " y\"z");
    }

    @Test
    public void acceptsCrLfLineEnds() throws Exception {
        RecordingSink table = read("a,b\r\n1,\"x\r\ny\"\r\n3,4\r\n");
        assertRow(table, 0, "1", "x\r\ny");
        assertRow(table, 1, "3", "4");
        assertEquals(List.of(2L, 4L), table.lines);
    }

    @Test
    public void acceptsAFileWithoutFinalLineBreak() throws Exception {
        RecordingSink table = read("a,b\n1,2");
        assertRow(table, 0, "1", "2");
    }

    @Test
    public void stripsUtf8ByteOrderMark() throws Exception {
        assertEquals(List.of("a", "b"), read("\uFEFFa,b\n1,2\n").header);
        assertEquals(List.of("a", "b"), read("\uFEFF\"a\",b\n1,2\n").header);
    }

    @Test
    public void skipsCommentLinesWhenConfigured() throws Exception {
        RecordingSink table = read("# exported 2026-11-27\na,b\n# a note\n1,2\n#3,4\n",
                CsvOptions.defaults().withCommentCharacter('#'));
        assertEquals(List.of("a", "b"), table.header);
        assertEquals(1, table.rows.size());
        assertRow(table, 0, "1", "2");
        assertEquals(List.of(4L), table.lines);
    }

    @Test
    public void commentCharacterIsDataWhenNotConfigured() throws Exception {
        RecordingSink table = read("a,b\n#1,2\n");
        assertRow(table, 0, "#1", "2");
    }

    @Test
    public void readsTabSeparatedValues() throws Exception {
        RecordingSink table = read("a\tb\n1,5\t\"x\ty\"\n", CsvOptions.defaults().withDelimiter('\t'));
        assertEquals(List.of("a", "b"), table.header);
        assertRow(table, 0, "1,5", "x\ty");
    }

    @Test
    public void readsSemicolonSeparatedValuesWithAnotherQuote() throws Exception {
        RecordingSink table = read("a;b\n'1;5';2,5\n", CsvOptions.defaults().withDelimiter(';').withQuote('\''));
        assertRow(table, 0, "1;5", "2,5");
    }

    @Test
    public void readsTheConfiguredCharset() throws Exception {
        Path file = write("name\ncaf\u00e9 cr\u00e8me\n", StandardCharsets.ISO_8859_1);
        RecordingSink table = new RecordingSink();
        new CsvReader(CsvOptions.defaults().withCharset(StandardCharsets.ISO_8859_1)).read(file, table);
        assertRow(table, 0, "caf\u00e9 cr\u00e8me");
    }

    @Test
    public void readsMultiByteUtf8() throws Exception {
        RecordingSink table = read("k,v\n\u00e9\u4e2d,\uD83D\uDE00\n");
        assertRow(table, 0, "\u00e9\u4e2d", "\uD83D\uDE00");
    }

    @Test
    public void headerOnlyFileHasNoRows() throws Exception {
        RecordingSink table = read("a,b\n");
        assertEquals(List.of("a", "b"), table.header);
        assertEquals(0, table.rows.size());
    }

    @Test
    public void ignoresEmptyLinesAtTheEnd() throws Exception {
        RecordingSink table = read("a,b\n1,2\n\n\r\n\n");
        assertEquals(1, table.rows.size());
    }

    @Test
    public void emptyLineInAOneColumnTableIsAMissingValue() throws Exception {
        RecordingSink table = read("x\n1\n\n\n2\n\n");
        assertEquals(4, table.rows.size());
        assertRow(table, 0, "1");
        assertRow(table, 1, (String) null);
        assertRow(table, 2, (String) null);
        assertRow(table, 3, "2");
        assertEquals(List.of(2L, 3L, 4L, 5L), table.lines);
    }

    @Test
    public void readsAFieldOfExactlyTheMaximumSize() throws Exception {
        RecordingSink table = read("a,b\n12345,\"1\"\"345\"\n", CsvOptions.defaults().withMaxFieldSize(5));
        assertRow(table, 0, "12345", "1\"345");
    }

    // --- bad input ---------------------------------------------------------------------------

    @Test
    public void emptyFileIsAnError() throws Exception {
        Path file = write("");
        DataFormatException e = fail(file);
        assertEquals(file + ": is empty: no header line", e.getMessage());
        assertEquals(0, e.getLine());
        assertEquals(file.toString(), e.getFile());
    }

    @Test
    public void fileOfBlankAndCommentLinesIsEmpty() throws Exception {
        Path file = write("\n# nothing here\n\n");
        DataFormatException e = fail(file, CsvOptions.defaults().withCommentCharacter('#'));
        assertEquals(file + ": is empty: no header line", e.getMessage());
    }

    @Test
    public void headerColumnWithoutNameIsAnError() throws Exception {
        Path file = write("a,b,,d\n1,2,3,4\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":1: header: column 3 has no name", e.getMessage());
        assertEquals(1, e.getLine());
    }

    @Test
    public void blankFirstLineIsAHeaderWithoutName() throws Exception {
        Path file = write("\na,b\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":1: header: column 1 has no name", e.getMessage());
    }

    @Test
    public void duplicateHeaderNameIsAnError() throws Exception {
        Path file = write("# generated\nid,age,x,y,age\n", StandardCharsets.UTF_8);
        DataFormatException e = fail(file, CsvOptions.defaults().withCommentCharacter('#'));
        assertEquals(file + ":2: header: column 'age' appears twice (columns 2 and 5)", e.getMessage());
        assertEquals(2, e.getLine());
    }

    @Test
    public void rowWithTooFewFieldsIsAnError() throws Exception {
        Path file = write("a,b,c,d,e\n1,2,3,4,5\n\"multi\nline\",2,3,4,5\n1,2,3,4\n1,2,3,4,5\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":5: has 4 fields, the header has 5", e.getMessage());
        assertEquals(5, e.getLine());
        assertNull(e.getColumn());
    }

    @Test
    public void rowWithTooManyFieldsIsAnError() throws Exception {
        Path file = write("a,b\n1,2,3\n");
        assertEquals(file + ":2: has 3 fields, the header has 2", fail(file).getMessage());
    }

    @Test
    public void emptyLineInTheMiddleIsARaggedRow() throws Exception {
        Path file = write("a,b\n1,2\n\n3,4\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":3: has 1 field, the header has 2", e.getMessage());
        assertEquals(3, e.getLine());
    }

    @Test
    public void unclosedQuoteIsAnError() throws Exception {
        Path file = write("a,b\n1,2\n3,\"open\n4,5\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":3: column 'b': a quoted field starting on this line is never closed", e.getMessage());
        assertEquals(3, e.getLine());
        assertEquals("b", e.getColumn());
    }

    @Test
    public void textAfterAClosingQuoteIsAnError() throws Exception {
        Path file = write("a,b\n1,2\n\"x\"y,2\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":3: column 'a': text after the closing quote of a quoted field", e.getMessage());
    }

    @Test
    public void invalidUtf8IsAnErrorOnItsLine() throws Exception {
        Path file = writeBytes(bytes("a,b\n1,2\n3,caf"), new byte[] {(byte) 0xE9}, bytes("\n4,5\n"));
        DataFormatException e = fail(file);
        assertEquals(file + ":3: column 'b': is not valid UTF-8", e.getMessage());
        assertEquals(3, e.getLine());
        assertTrue(e.getCause() instanceof IOException);
    }

    @Test
    public void invalidUtf8FarIntoTheFileIsReportedOnItsLine() throws Exception {
        StringBuilder text = new StringBuilder("id,text\n");
        for (int i = 1; i <= 20_000; i++) {
            text.append(i).append(",row number ").append(i).append('\n');
        }
        // line 20,002: the bad byte is far beyond the first decoded chunks
        Path file = writeBytes(bytes(text.toString()), bytes("x,"), new byte[] {(byte) 0xFF}, bytes("\n"));
        DataFormatException e = fail(file);
        assertEquals(file + ":20002: column 'text': is not valid UTF-8", e.getMessage());
    }

    @Test
    public void truncatedUtf8SequenceAtTheEndIsAnError() throws Exception {
        Path file = writeBytes(bytes("a\nx"), new byte[] {(byte) 0xE4, (byte) 0xB8});
        assertEquals(file + ":2: column 'a': is not valid UTF-8", fail(file).getMessage());
    }

    @Test
    public void invalidBytesInTheHeaderAreAnError() throws Exception {
        Path file = writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}, bytes(",b\n"));
        assertEquals(file + ":1: is not valid UTF-8", fail(file).getMessage());
    }

    @Test
    public void nulCharacterIsAnError() throws Exception {
        Path file = write("a,b\n1,2\n3,x\0y\n");
        DataFormatException e = fail(file);
        assertEquals(file + ":3: column 'b': contains a NUL byte, which is not text: is this a binary file?",
                e.getMessage());
        assertEquals(3, e.getLine());
    }

    @Test
    public void binaryFileIsAnError() throws Exception {
        Path file = writeBytes(new byte[] {0, 0, 0, 1, 2, 3});
        assertEquals(file + ":1: contains a NUL byte, which is not text: is this a binary file?",
                fail(file).getMessage());
    }

    @Test
    public void fieldOverTheDefaultLimitIsAnError() throws Exception {
        Path file = folder.newFile("big.csv").toPath();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,text\n1,");
            char[] chunk = new char[1024 * 1024];
            java.util.Arrays.fill(chunk, 'x');
            for (int i = 0; i < 16; i++) {
                out.write(chunk);
            }
            out.write("x\n");
        }
        DataFormatException e = fail(file);
        assertEquals(file + ":2: column 'text': field is longer than 16777216 characters", e.getMessage());
        assertEquals("text", e.getColumn());
    }

    @Test
    public void fieldOverAConfiguredLimitIsAnError() throws Exception {
        CsvOptions small = CsvOptions.defaults().withMaxFieldSize(5);
        Path quoted = write("a,b\n1,2\n3,\"12345\"\"\"\n");
        assertEquals(quoted + ":3: column 'b': field is longer than 5 characters", fail(quoted, small).getMessage());
        Path header = write("a,abcdef\n");
        assertEquals(header + ":1: header: column 2 is longer than 5 characters", fail(header, small).getMessage());
    }

    @Test
    public void fieldBeyondTheParserBufferIsAnErrorWithTheSameMessage() throws Exception {
        // 100,000 characters overflow the parser buffer sized for 5-character fields
        Path file = write("a,b\n1,\"" + "y".repeat(100_000) + "\"\n");
        DataFormatException e = fail(file, CsvOptions.defaults().withMaxFieldSize(5));
        assertEquals(file + ":2: column 'b': field is longer than 5 characters", e.getMessage());
    }

    @Test
    public void errorsFromTheSinkPropagate() throws Exception {
        Path file = write("a\n1\n");
        DataFormatException thrown = new DataFormatException(file, 2, "a", "not a date");
        RowSink sink = new RowSink() {
            @Override
            public void header(List<String> columns) {
            }

            @Override
            public void row(long row, long line, String[] values) throws DataFormatException {
                throw thrown;
            }
        };
        assertEquals(thrown, assertThrows(DataFormatException.class, () -> new CsvReader().read(file, sink)));
    }

    // --- scale and progress -----------------------------------------------------------------

    @Test(timeout = 20_000)
    public void readsTwoMillionRowsAndReportsProgress() throws Exception {
        int rows = 2_000_000;
        Path file = folder.newFile("large.csv").toPath();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,group,score\n");
            for (int i = 1; i <= rows; i++) {
                out.write(Integer.toString(i));
                out.write(i % 2 == 0 ? ",a," : ",b,");
                out.write(Integer.toString(i % 97));
                out.write('\n');
            }
        }
        RecordingSink.assertReadsAllWithProgress(new CsvReader(), file, rows);
    }

    // --- options and factory ----------------------------------------------------------------

    @Test
    public void optionsHaveDefaultsAndCopies() {
        CsvOptions defaults = CsvOptions.defaults();
        assertEquals(',', defaults.delimiter());
        assertEquals('"', defaults.quote());
        assertEquals(StandardCharsets.UTF_8, defaults.charset());
        assertNull(defaults.commentCharacter());
        assertEquals(16 * 1024 * 1024, defaults.maxFieldSize());
        CsvOptions tsv = defaults.withDelimiter('\t').withCommentCharacter('#');
        assertEquals('\t', tsv.delimiter());
        assertEquals(Character.valueOf('#'), tsv.commentCharacter());
        assertEquals(',', defaults.delimiter());
    }

    @Test
    public void optionsRejectAmbiguousDialects() {
        CsvOptions defaults = CsvOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> defaults.withDelimiter('"'));
        assertThrows(IllegalArgumentException.class, () -> defaults.withDelimiter('\n'));
        assertThrows(IllegalArgumentException.class, () -> defaults.withDelimiter('\r'));
        assertThrows(IllegalArgumentException.class, () -> defaults.withQuote('\n'));
        assertThrows(IllegalArgumentException.class, () -> defaults.withCommentCharacter(','));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxFieldSize(0));
        assertThrows(NullPointerException.class, () -> defaults.withCharset(null));
    }

    @Test
    public void parserBufferIsAPowerOfTwoAboveTheFieldLimit() {
        assertEquals(16 * 1024, CsvReader.bufferSize(1));
        assertEquals(32 * 1024 * 1024, CsvReader.bufferSize(CsvOptions.DEFAULT_MAX_FIELD_SIZE));
        assertEquals(1 << 30, CsvReader.bufferSize(CsvOptions.MAX_MAX_FIELD_SIZE));
    }

    @Test
    public void factoryPicksTheReaderForTheFormat() {
        assertTrue(TableReaders.forFormat(DataFormat.CSV, null) instanceof CsvReader);
        assertTrue(TableReaders.forFormat(DataFormat.JSONL, null) instanceof JsonLinesReader);
        assertTrue(TableReaders.forFormat(DataFormat.PARQUET, CsvOptions.defaults()) instanceof ParquetReader);
    }

    // --- helpers ----------------------------------------------------------------------------

    private RecordingSink read(String content) throws Exception {
        return read(content, CsvOptions.defaults());
    }

    private RecordingSink read(String content, CsvOptions options) throws Exception {
        RecordingSink table = new RecordingSink();
        new CsvReader(options).read(write(content), table);
        return table;
    }

    private DataFormatException fail(Path file) {
        return fail(file, CsvOptions.defaults());
    }

    private DataFormatException fail(Path file, CsvOptions options) {
        return assertThrows(DataFormatException.class, () -> new CsvReader(options).read(file, new RecordingSink()));
    }

    private Path write(String content) throws IOException {
        return write(content, StandardCharsets.UTF_8);
    }

    private Path write(String content, Charset charset) throws IOException {
        return writeBytes(content.getBytes(charset));
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
