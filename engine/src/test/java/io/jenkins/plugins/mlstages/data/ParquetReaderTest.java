package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Reads Parquet files written by pyarrow ({@code engine/src/test/python/make_parquet.py}, run with the
 * project's virtualenv, which is created when missing) and damaged copies of them.
 */
public class ParquetReaderTest {

    @ClassRule
    public static final TemporaryFolder GENERATED = new TemporaryFolder();

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static Path files;

    @BeforeClass
    public static void writeFiles() throws Exception {
        files = GENERATED.newFolder("parquet").toPath();
        Path root = repositoryRoot();
        Path python = root.resolve("target/mlflow-venv/bin/python");
        if (!Files.isExecutable(python)) {
            run(root, List.of("bash", root.resolve("tools/mlflow-venv.sh").toString(),
                    root.resolve("target/mlflow-venv").toString()), 1800);
        }
        run(root, List.of(python.toString(), root.resolve("engine/src/test/python/make_parquet.py").toString(),
                files.toString()), 600);
    }

    /** Surefire runs in engine/ and may not set mlstages.root. */
    private static Path repositoryRoot() {
        String property = System.getProperty("mlstages.root");
        if (property != null && Files.isDirectory(Path.of(property, "engine"))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath().normalize();
        return Files.isDirectory(here.resolve("engine/src/test/python")) ? here : here.getParent();
    }

    private static void run(Path directory, List<String> command, long timeoutSeconds) throws Exception {
        File log = Files.createTempFile("make-parquet", ".log").toFile();
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed (exit " + process.exitValue() + "):\n"
                    + Files.readString(log.toPath(), StandardCharsets.UTF_8));
        }
    }

    // --- values ------------------------------------------------------------------------------------

    @Test
    public void readsEveryTypeAsText() throws Exception {
        RecordingSink table = read(files.resolve("types.parquet"));
        assertEquals(List.of("i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "f64_layout",
                "f64_special", "flag", "s", "b", "d", "ts_ms", "ts_us_utc", "ts_ns", "ts_ns_paris", "t_ms", "t_us", "t_ns",
                "dec32", "dec64", "dec_big", "h", "u", "cat"), table.header);
        assertEquals(4, table.rows.size());
        assertRow(table, 0, "1", "2", "3", "4", "5", "6", "7", "8", "0.1", "0.1", "0.0001", "NaN", "true", "hello",
                "AAH/", "2024-02-29", "2024-01-02T03:04:05.678", "2024-01-02T03:04:05.123456Z",
                "2024-01-02T03:04:05.123456789", "2024-01-02T03:04:05Z", "03:04:05.678", "03:04:05.123456",
                "03:04:05.123456789", "1.23", "-12345678901.5", "1234567890123456789012.345", "1.5",
                "00000000-0000-0000-0000-000000000001", "a");
        assertRow(table, 1, "-128", "-32768", "-2147483648", "-9223372036854775808", "255", "65535", "4294967295",
                "18446744073709551615", "-3.4028235e+38", "1e+16", "1.5e-05", "Infinity", "false", "quoted, \"text\"", "",
                "1970-01-01", "1970-01-01T00:00:00", "2000-01-01T00:00:00Z", "1970-01-01T00:00:00",
                "1970-01-01T00:00:00Z", "00:00:00", "00:00:00", "00:00:00", "-0.05", "0.0", "-0.001", "-2.0",
                "12345678-1234-5678-1234-567812345678", "b");
        String[] nulls = new String[29];
        nulls[10] = "1000000000000000.0";
        nulls[11] = "-Infinity";
        assertRow(table, 2, nulls);
        assertRow(table, 3, "127", "32767", "2147483647", "9223372036854775807", "0", "0", "0", "0", "1e-05",
                "123456.789", "12345678.9", "-0.0", "true", "ünïcödé ✓", "YWJj", "1900-12-31", "1969-12-31T23:59:59.999",
                "2000-01-01T00:00:00.100Z", "1969-12-31T23:59:59.999999999", "1970-01-01T00:00:00.000000001Z",
                "23:59:59.999", "12:00:00.500", "00:00:00.000000001", "9999999.99", "1.0", "100.000", "65504.0",
                "00000000-0000-0000-0000-000000000000", "a");
    }

    /**
     * Dictionary-encoded text is profiled once per dictionary id and block, its repeats added after: the
     * profile is the one its CSV twin gives value by value (counts, categories kept and not kept past the
     * limit, distinct counts, types, the numbers among the text in the same order).
     */
    @Test
    public void dictionaryTextIsProfiledAsItsCsvTwinIs() throws Exception {
        ValidateData stage = new ValidateData(io.jenkins.plugins.mlstages.report.StageLog.NONE);
        DatasetProfile parquet = stage.profileOnly(files.resolve("dictionary.parquet"), null, null, 1000, 42);
        DatasetProfile csv = stage.profileOnly(files.resolve("dictionary.csv"), null, null, 1000, 42);
        assertEquals(20_000, parquet.rows());
        assertEquals(csv.columns().size(), parquet.columns().size());
        for (int i = 0; i < csv.columns().size(); i++) {
            ColumnProfile expected = csv.columns().get(i);
            ColumnProfile actual = parquet.columns().get(i);
            String name = expected.name();
            assertEquals(name, expected.type(), actual.type());
            assertEquals(name, expected.count(), actual.count());
            assertEquals(name, expected.nulls(), actual.nulls());
            assertEquals(name, expected.distinct(), actual.distinct());
            assertEquals(name, expected.distinctExact(), actual.distinctExact());
            assertEquals(name, expected.categories(), actual.categories());
            assertEquals(name, expected.categoriesTruncated(), actual.categoriesTruncated());
            assertEquals(name, expected.topValues(), actual.topValues());
            assertEquals(name, expected.nonFinite(), actual.nonFinite());
            assertEquals(name, expected.mean(), actual.mean());
            assertArrayEquals(name, expected.sample(), actual.sample(), 0.0);
        }
        ColumnProfile many = parquet.column("many").orElseThrow();
        assertEquals(Boolean.TRUE, many.categoriesTruncated()); // past the 10,000 kept: repeats of values not kept
        assertEquals(ColumnProfiler.MAX_CATEGORIES, many.categories().size());
        assertTrue(many.categories().containsKey("h1"));
        assertTrue(many.categories().keySet().stream().noneMatch(key -> key.startsWith("late")));
        assertTrue(parquet.column("mixed").orElseThrow().nonFinite() > 0);
    }

    @Test
    public void numbersDatesAndTimestampsPassTheColumnTypeChecks() throws Exception {
        RecordingSink table = read(files.resolve("types.parquet"));
        for (int column : new int[] {8, 9, 10, 23, 24, 25, 26}) {
            for (String[] row : table.rows) {
                if (row[column] != null) {
                    assertTrue(table.header.get(column) + " " + row[column], ColumnType.NUMBER.accepts(row[column]));
                }
            }
        }
        for (String[] row : table.rows) {
            if (row[15] != null) {
                assertTrue(row[15], ColumnType.DATE.accepts(row[15]));
            }
            for (int column = 16; column <= 19; column++) {
                if (row[column] != null) {
                    assertTrue(row[column], ColumnType.TIMESTAMP.accepts(row[column]));
                }
            }
            if (row[12] != null) {
                assertTrue(ColumnType.BOOLEAN.accepts(row[12]));
            }
        }
    }

    @Test
    public void readsLegacyInt96Timestamps() throws Exception {
        RecordingSink table = read(files.resolve("int96.parquet"));
        assertEquals(List.of("ts"), table.header);
        assertRow(table, 0, "2024-01-02T03:04:05.123456");
        assertRow(table, 1, "1969-12-31T23:59:59");
        assertRow(table, 2, (String) null);
    }

    @Test
    public void validatesAndProfilesTheSameAsItsCsvCopy() throws Exception {
        // Parquet hands its doubles and integers on as numbers, the CSV reader as text: same findings, same
        // profile (all but the histogram, drawn from a randomised sketch), same drift.
        Path schemaFile = folder.newFile("schema.yaml").toPath();
        Files.writeString(schemaFile, "columns:\n"
                + "  id: {type: integer, min: 10}\n"
                + "  qty: {type: integer, min: -900, max: 900}\n"
                + "  price: {max: 500}\n"
                + "  score: {type: integer}\n"
                + "  ratio: {type: number, min: 0.1}\n"
                + "  category: {allowed_values: [red, green]}\n");
        DataSchema schema = SchemaLoader.load(schemaFile);
        ValidateData.Validation csv = validate(files.resolve("table.csv"), files.resolve("table.csv"), schema);
        ValidateData.Validation parquet = validate(files.resolve("table-snappy.parquet"),
                files.resolve("table-plain.parquet"), schema);
        assertEquals(csv.result().findings(), parquet.result().findings());
        assertTrue(csv.result().findings().stream().filter(f -> !f.passed()).count() >= 5);
        assertEquals(json(csv.result().drift()), json(parquet.result().drift()));
        for (int i = 0; i < csv.profile().columns().size(); i++) {
            com.fasterxml.jackson.databind.node.ObjectNode expected = json(csv.profile().columns().get(i));
            com.fasterxml.jackson.databind.node.ObjectNode actual = json(parquet.profile().columns().get(i));
            expected.remove("histogram");
            actual.remove("histogram");
            assertEquals(expected, actual);
        }
    }

    private static ValidateData.Validation validate(Path data, Path reference, DataSchema schema) throws Exception {
        ValidateDataRequest request = ValidateDataRequest.of(data).withSchema(schema);
        return new ValidateData(io.jenkins.plugins.mlstages.report.StageLog.NONE).validate(new ValidateDataRequest(
                request.data(), null, null, schema, reference, null, 5, request.sampleSize(), 42, null));
    }

    private static <T extends com.fasterxml.jackson.databind.JsonNode> T json(Object value) {
        return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value);
    }

    @Test
    public void givesTheSameRowsAsPandasCsvForEveryCompressionAndEncoding() throws Exception {
        RecordingSink csv = new RecordingSink();
        new CsvReader().read(files.resolve("table.csv"), csv);
        assertEquals(5000, csv.rows.size());
        for (String variant : List.of("snappy", "zstd", "gzip", "lz4", "none", "v2", "plain")) {
            RecordingSink parquet = read(files.resolve("table-" + variant + ".parquet"));
            assertEquals(variant, csv.header, parquet.header);
            assertEquals(variant, csv.rows.size(), parquet.rows.size());
            for (int i = 0; i < csv.rows.size(); i++) {
                assertArrayEquals(variant + " row " + (i + 1), csv.rows.get(i), parquet.rows.get(i));
            }
        }
    }

    /**
     * Timestamps in millis, micros (UTC-adjusted), nanos and INT96, with nulls, repeats and days on both
     * sides of the epoch, dictionary-encoded and plain: the same text, row by row, as the CSV twin that
     * make_parquet.py writes independently, and so the same profile.
     */
    @Test
    public void timestampsGiveTheTextAndProfileOfTheirCsvTwin() throws Exception {
        ValidateData stage = new ValidateData(io.jenkins.plugins.mlstages.report.StageLog.NONE);
        for (String twin : List.of("timestamps", "timestamps-int96")) {
            RecordingSink csv = new RecordingSink();
            new CsvReader().read(files.resolve(twin + ".csv"), csv);
            assertEquals(6000, csv.rows.size());
            DatasetProfile csvProfile = stage.profileOnly(files.resolve(twin + ".csv"), null, null, 1000, 42);
            for (String encoding : List.of("dictionary", "plain")) {
                String name = twin + "-" + encoding + ".parquet";
                RecordingSink parquet = read(files.resolve(name));
                assertEquals(name, csv.header, parquet.header);
                assertEquals(name, csv.rows.size(), parquet.rows.size());
                for (int i = 0; i < csv.rows.size(); i++) {
                    assertArrayEquals(name + " row " + (i + 1), csv.rows.get(i), parquet.rows.get(i));
                }
                DatasetProfile profile = stage.profileOnly(files.resolve(name), null, null, 1000, 42);
                for (ColumnProfile expected : csvProfile.columns()) {
                    ColumnProfile actual = profile.column(expected.name()).orElseThrow();
                    String column = name + " " + expected.name();
                    assertEquals(column, ColumnType.TIMESTAMP, actual.type());
                    assertEquals(column, expected.type(), actual.type());
                    assertEquals(column, expected.count(), actual.count());
                    assertEquals(column, expected.nulls(), actual.nulls());
                    assertEquals(column, expected.distinct(), actual.distinct());
                    assertEquals(column, expected.categories(), actual.categories());
                    assertEquals(column, expected.topValues(), actual.topValues());
                }
            }
        }
        ColumnMetaData dictionary = footer("timestamps-dictionary.parquet").getRow_groups().get(0).getColumns().get(0)
                .getMeta_data();
        assertTrue(dictionary.isSetDictionary_page_offset());
        assertFalse(footer("timestamps-int96-plain.parquet").getRow_groups().get(0).getColumns().get(0).getMeta_data()
                .isSetDictionary_page_offset());
        assertEquals(org.apache.parquet.format.Type.INT96, firstChunk("timestamps-int96-plain.parquet").getType());
    }

    @Test
    public void theTestFilesCoverRowGroupsPagesDictionariesAndCodecs() throws Exception {
        FileMetaData snappy = footer("table-snappy.parquet");
        assertEquals(5, snappy.getRow_groups().size());
        ColumnMetaData category = snappy.getRow_groups().get(0).getColumns().get(6).getMeta_data();
        assertTrue("dictionary-encoded strings", category.isSetDictionary_page_offset());
        assertEquals(CompressionCodec.SNAPPY, category.getCodec());
        assertEquals(CompressionCodec.ZSTD, firstChunk("table-zstd.parquet").getCodec());
        assertEquals(CompressionCodec.GZIP, firstChunk("table-gzip.parquet").getCodec());
        assertEquals(CompressionCodec.LZ4_RAW, firstChunk("table-lz4.parquet").getCodec());
        assertEquals(CompressionCodec.UNCOMPRESSED, firstChunk("table-none.parquet").getCodec());
        ColumnMetaData plainName = footer("table-plain.parquet").getRow_groups().get(0).getColumns().get(5).getMeta_data();
        assertTrue(plainName.getEncodings().contains(org.apache.parquet.format.Encoding.DELTA_BYTE_ARRAY));
        // 512-byte pages: each 1,000-row chunk of doubles spans many pages
        assertTrue(snappy.getRow_groups().get(0).getColumns().get(3).getMeta_data().getTotal_uncompressed_size() > 4 * 512);
    }

    @Test
    public void rowNumbersAreTheLinesAndProgressEndsAtOne() throws Exception {
        RecordingSink table = read(files.resolve("table-zstd.parquet"));
        for (int i = 0; i < table.rows.size(); i++) {
            assertEquals(i + 1L, (long) table.rowNumbers.get(i));
            assertEquals(i + 1L, (long) table.lines.get(i));
        }
        assertEquals(1.0, table.progress.get(table.progress.size() - 1), 0.0);
    }

    @Test
    public void givesTheFilesSha256AsSha256sumComputesIt() throws Exception {
        for (String name : List.of("table-snappy.parquet", "types.parquet", "no-rows.parquet")) {
            Path file = files.resolve(name);
            RecordingSink table = read(file);
            File out = folder.newFile(name + ".sha256");
            Process process = new ProcessBuilder("sha256sum", file.toString()).redirectInput(new File("/dev/null"))
                    .redirectOutput(out).redirectErrorStream(true).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            String expected = Files.readString(out.toPath(), StandardCharsets.US_ASCII).split(" ")[0];
            assertNotNull(name, table.sha256);
            assertEquals(name, expected, java.util.HexFormat.of().formatHex(table.sha256));
        }
    }

    @Test
    public void noDigestForASinkThatWantsNone() throws Exception {
        long[] rows = new long[1];
        List<byte[]> digests = new ArrayList<>();
        new ParquetReader().read(files.resolve("table-snappy.parquet"), new RowSink() {
            @Override
            public void header(List<String> columns) {
                // not needed
            }

            @Override
            public void row(long row, long line, String[] values) {
                rows[0]++;
            }

            @Override
            public void fileSha256(byte[] sha256) {
                digests.add(sha256);
            }

            @Override
            public boolean wantsFileSha256() {
                return false;
            }
        });
        assertEquals(5000, rows[0]);
        assertEquals(List.of(), digests);
    }

    @Test
    public void fileWithColumnsButNoRows() throws Exception {
        RecordingSink table = read(files.resolve("no-rows.parquet"));
        assertEquals(List.of("id", "s"), table.header);
        assertEquals(0, table.rows.size());
        assertEquals(List.of(1.0), table.progress);
    }

    @Test
    public void isTheReaderForTheParquetFormat() {
        assertTrue(TableReaders.forFormat(DataFormat.PARQUET, null) instanceof ParquetReader);
    }

    // --- bad input ---------------------------------------------------------------------------------

    @Test
    public void emptyFile() throws Exception {
        Path file = write("empty.parquet", new byte[0]);
        assertProblem(file, file + ": is empty: a Parquet file has at least a header and a footer");
    }

    @Test
    public void notAParquetFile() throws Exception {
        Path file = write("data.parquet", "id,name\n1,Ann\n".getBytes(StandardCharsets.UTF_8));
        assertProblem(file, file + ": is not a Parquet file: it does not start with the Parquet magic bytes 'PAR1'");
    }

    @Test
    public void truncatedInTheFooter() throws Exception {
        byte[] whole = Files.readAllBytes(files.resolve("table-snappy.parquet"));
        Path file = write("cut-footer.parquet", Arrays.copyOf(whole, whole.length - 100));
        assertProblem(file, file + ": is truncated: it starts as a Parquet file but its footer is missing (no 'PAR1'"
                + " at the end of its " + (whole.length - 100) + " bytes); was it copied or written completely?");
    }

    @Test
    public void truncatedInTheMiddleOfARowGroup() throws Exception {
        byte[] whole = Files.readAllBytes(files.resolve("table-snappy.parquet"));
        RowGroup second = footer("table-snappy.parquet").getRow_groups().get(1);
        int cut = (int) (second.getColumns().get(3).getMeta_data().getData_page_offset() + 100);
        Path file = write("cut-row-group.parquet", Arrays.copyOf(whole, cut));
        assertProblem(file, file + ": is truncated: it starts as a Parquet file but its footer is missing (no 'PAR1'"
                + " at the end of its " + cut + " bytes); was it copied or written completely?");
    }

    @Test
    public void onlyTheMagicBytes() throws Exception {
        Path file = write("magic.parquet", "PAR1".getBytes(StandardCharsets.US_ASCII));
        assertProblem(file, file + ": is truncated: it starts as a Parquet file but its footer is missing (no 'PAR1'"
                + " at the end of its 4 bytes); was it copied or written completely?");
    }

    @Test
    public void rowGroupDataMissingWhileTheFooterIsKept() throws Exception {
        byte[] whole = Files.readAllBytes(files.resolve("table-snappy.parquet"));
        int footerLength = java.nio.ByteBuffer.wrap(whole, whole.length - 8, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        int footerStart = whole.length - 8 - footerLength;
        // the first row group's bytes are kept, the rest of the data is cut out: the footer now points past it
        RowGroup first = footer("table-snappy.parquet").getRow_groups().get(0);
        ColumnChunk last = first.getColumns().get(first.getColumns().size() - 1);
        int keep = (int) (start(last.getMeta_data()) + last.getMeta_data().getTotal_compressed_size());
        byte[] damaged = new byte[keep + (whole.length - footerStart)];
        System.arraycopy(whole, 0, damaged, 0, keep);
        System.arraycopy(whole, footerStart, damaged, keep, whole.length - footerStart);
        Path file = write("hole.parquet", damaged);
        RecordingSink rows = new RecordingSink();
        DataFormatException e = assertThrows(DataFormatException.class, () -> new ParquetReader().read(file, rows));
        ColumnMetaData id = footer("table-snappy.parquet").getRow_groups().get(1).getColumns().get(0).getMeta_data();
        long start = start(id);
        assertEquals(file + ":1001: column 'id': row group 2: its data is said to lie at bytes " + start + " to "
                + (start + id.getTotal_compressed_size()) + ", outside the file's data (bytes 4 to " + keep
                + "): the file is truncated or damaged", e.getMessage());
        assertEquals(1000, rows.rows.size()); // the first row group was read
        assertEquals(1001, e.getLine());
        assertEquals("id", e.getColumn());
    }

    @Test
    public void damagedPageHeader() throws Exception {
        byte[] bytes = Files.readAllBytes(files.resolve("table-snappy.parquet"));
        ColumnMetaData id = firstChunk("table-snappy.parquet");
        int start = (int) start(id);
        Arrays.fill(bytes, start, start + 16, (byte) 0xFF);
        Path file = write("bad-page.parquet", bytes);
        assertProblem(file, file + ":1: column 'id': a page header cannot be decoded: the file is damaged");
    }

    @Test
    public void encryptedFooter() throws Exception {
        byte[] bytes = Files.readAllBytes(files.resolve("types.parquet"));
        System.arraycopy("PARE".getBytes(StandardCharsets.US_ASCII), 0, bytes, bytes.length - 4, 4);
        Path file = write("encrypted.parquet", bytes);
        assertProblem(file, file + ": has an encrypted footer, which is not supported: decrypt the file first");
    }

    @Test
    public void fileWithoutColumns() throws Exception {
        Path file = files.resolve("zero.parquet");
        assertProblem(file, file + ": has no columns");
    }

    @Test
    public void nestedStructColumn() throws Exception {
        Path file = files.resolve("nested.parquet");
        DataFormatException e = assertProblem(file, file + ": column 's': is nested (a struct, list or map), which"
                + " cannot be checked as one column: flatten the table before validating it");
        assertEquals("s", e.getColumn());
    }

    @Test
    public void listColumn() throws Exception {
        Path file = files.resolve("list.parquet");
        assertProblem(file, file + ": column 'l': is nested (a struct, list or map), which cannot be checked as one"
                + " column: flatten the table before validating it");
    }

    @Test
    public void unsupportedCompression() throws Exception {
        Path file = files.resolve("brotli.parquet");
        assertProblem(file, file + ": column 'id': is compressed with BROTLI, which is not supported: rewrite the"
                + " file with SNAPPY, ZSTD, GZIP, LZ4_RAW or no compression");
    }

    @Test
    public void messagesCarryNoStackTrace() throws Exception {
        byte[] bytes = Files.readAllBytes(files.resolve("types.parquet"));
        int footerLength = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        Arrays.fill(bytes, bytes.length - 8 - footerLength, bytes.length - 8, (byte) 0xFF);
        Path file = write("bad-footer.parquet", bytes);
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(file));
        assertTrue(e.getMessage(), e.getMessage().startsWith(file + ": is damaged: its footer cannot be decoded ("));
        assertTrue(e.getMessage(), !e.getMessage().contains("\n") && !e.getMessage().contains("\tat "));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = folder.getRoot().toPath().resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static RecordingSink read(Path file) throws Exception {
        RecordingSink table = new RecordingSink();
        new ParquetReader().read(file, table);
        return table;
    }

    private static DataFormatException assertProblem(Path file, String message) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> read(file));
        assertEquals(message, e.getMessage());
        assertEquals(file.toString(), e.getFile());
        return e;
    }

    private static FileMetaData footer(String name) throws Exception {
        Path file = files.resolve(name);
        try (FileChannel channel = FileChannel.open(file)) {
            return ParquetReader.readFooter(file, channel).meta;
        }
    }

    private static ColumnMetaData firstChunk(String name) throws Exception {
        ColumnMetaData meta = footer(name).getRow_groups().get(0).getColumns().get(0).getMeta_data();
        assertNotNull(meta);
        return meta;
    }

    /** Where a column chunk starts: at its dictionary page when it has one. */
    private static long start(ColumnMetaData chunk) {
        return chunk.isSetDictionary_page_offset() ? chunk.getDictionary_page_offset() : chunk.getData_page_offset();
    }

    private static void assertRow(RecordingSink table, int index, String... expected) {
        assertArrayEquals("row " + (index + 1) + ": " + Arrays.toString(table.rows.get(index)), expected,
                table.rows.get(index));
    }
}
