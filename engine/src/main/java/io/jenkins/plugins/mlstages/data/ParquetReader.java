package io.jenkins.plugins.mlstages.data;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.VersionParser;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;

/**
 * Reads a flat Parquet file a block of rows at a time, with no Hadoop and no native code: the footer and
 * page headers are decoded by parquet-java's {@code parquet-format-structures}, the values by
 * {@link ParquetColumnDecoder} with {@code parquet-column}'s encodings (every standard encoding,
 * dictionaries, data pages v1 and v2), and pages are decompressed by
 * aircompressor's pure-Java Snappy, Zstandard and LZ4 or by {@code java.util.zip} for GZIP. Why this
 * path and not parquet-hadoop, DuckDB or Arrow: docs/architecture.md, section "Parquet".
 *
 * <p>Memory is bounded by one page per column (plus each column's dictionary), whatever the size of
 * the file or of its row groups: every column chunk of the current row group is read page by page
 * from its own position in the file.
 *
 * <p>Values are handed out as text, the same text for every row of a column:
 * <ul>
 * <li>integers in decimal (unsigned ones as unsigned), DECIMAL as plain decimal text ({@code 12.30});
 * <li>FLOAT and DOUBLE with the shortest digits that read back to the same value, laid out as Python's
 *     {@code repr} (and so pandas' CSV) does: {@code 0.5}, {@code 100.0}, {@code 1e+16}, {@code 1e-05};
 *     NaN and the infinities as {@code NaN}, {@code Infinity}, {@code -Infinity};
 * <li>BOOLEAN as {@code true}/{@code false};
 * <li>strings (STRING, ENUM, JSON annotations) as they are;
 * <li>DATE as {@code yyyy-MM-dd}; TIMESTAMP (millis, micros, nanos, legacy INT96) as ISO-8601
 *     {@code yyyy-MM-ddTHH:mm:ss[.fff[fff[fff]]]}, followed by {@code Z} when the column is adjusted to
 *     UTC; TIME as {@code HH:mm:ss[.fff…]}; UUID in its usual form; FLOAT16 like FLOAT;
 * <li>any other binary (no annotation, BSON, INTERVAL, geometry) in base64;
 * <li>a null as null.
 * </ul>
 *
 * <p>Only flat schemas are read: a nested column (struct, list, map, variant) or a repeated one is a
 * {@link DataFormatException} naming it, to be flattened before validation. The row number given to
 * the sink is also its "line".
 */
public final class ParquetReader implements TableReader {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);
    /** The footer length (4 bytes, little-endian) and the magic that end every Parquet file. */
    private static final int TAIL = 8;
    /** The smallest file that can be Parquet at all: magic, footer length, magic (and a footer). */
    private static final int SMALLEST = MAGIC.length + TAIL;

    @Override
    public void read(Path file, RowSink sink) throws DataFormatException, IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Footer footer = readFooter(file, channel);
            List<Column> columns = columns(file, footer.meta);
            List<String> names = new ArrayList<>(columns.size());
            for (Column column : columns) {
                names.add(column.name);
            }
            sink.header(List.copyOf(names));
            FileDigest digest = sink.wantsFileSha256() ? FileDigest.start(file) : null;
            try {
                new Pass(file, channel, footer, columns, sink).run();
                byte[] sha256 = digest == null ? null : digest.await();
                if (sha256 != null) {
                    sink.fileSha256(sha256);
                }
            } finally {
                if (digest != null) {
                    digest.cancel();
                }
            }
        }
    }

    /**
     * The SHA-256 of a file, from a sequential read on a thread of its own while the rows are decoded:
     * column chunks are read in column order, not file order, so they cannot feed the digest, and a
     * second read after the pass would add its time to the pass's (the bytes come from the page cache
     * either way; the hashing itself is the cost, about 0.1 s per 100 MB). Gives null when the read failed.
     */
    static final class FileDigest implements Runnable {
        private final Path file;
        private final Thread thread;
        private volatile boolean cancelled;
        private volatile byte[] sha256;

        private FileDigest(Path file) {
            this.file = file;
            this.thread = new Thread(this, "mlstages-digest");
            thread.setDaemon(true);
        }

        static FileDigest start(Path file) {
            FileDigest digest = new FileDigest(file);
            digest.thread.start();
            return digest;
        }

        @Override
        public void run() {
            java.security.MessageDigest sha = TableReaders.sha256();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 18);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (!cancelled) {
                    buffer.clear();
                    if (channel.read(buffer) < 0) {
                        sha256 = sha.digest();
                        return;
                    }
                    sha.update(buffer.array(), 0, buffer.position());
                }
            } catch (IOException unreadable) {
                // no digest: the sink reads the file again if it needs one, and reports what fails then
            }
        }

        /** The digest once the whole file is hashed, or null when it could not be. */
        byte[] await() {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            return sha256;
        }

        void cancel() {
            cancelled = true;
        }
    }

    // ---------------------------------------------------------------- footer and schema

    static final class Footer {
        final FileMetaData meta;
        /** Where the footer starts: every column chunk lies between the leading magic and here. */
        final long dataEnd;

        Footer(FileMetaData meta, long dataEnd) {
            this.meta = meta;
            this.dataEnd = dataEnd;
        }
    }

    static Footer readFooter(Path file, FileChannel channel) throws DataFormatException, IOException {
        long size = channel.size();
        if (size == 0) {
            throw new DataFormatException(file, 0, null, "is empty: a Parquet file has at least a header and a footer");
        }
        byte[] head = readAt(channel, 0, (int) Math.min(MAGIC.length, size));
        if (!startsWith(head, MAGIC)) {
            throw new DataFormatException(file, 0, null,
                    "is not a Parquet file: it does not start with the Parquet magic bytes 'PAR1'");
        }
        if (size < SMALLEST) {
            throw truncated(file, size);
        }
        byte[] tail = readAt(channel, size - TAIL, TAIL);
        if (regionEquals(tail, 4, ENCRYPTED_MAGIC)) {
            throw new DataFormatException(file, 0, null,
                    "has an encrypted footer, which is not supported: decrypt the file first");
        }
        if (!regionEquals(tail, 4, MAGIC)) {
            throw truncated(file, size);
        }
        long footerLength = ByteBuffer.wrap(tail, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        long footerStart = size - TAIL - footerLength;
        if (footerLength == 0 || footerStart < MAGIC.length) {
            throw new DataFormatException(file, 0, null, "is damaged: its footer claims " + footerLength
                    + " bytes, which do not fit in the file (" + size + " bytes); was it cut or overwritten?");
        }
        byte[] footerBytes = readAt(channel, footerStart, (int) footerLength);
        FileMetaData meta;
        try {
            meta = Util.readFileMetaData(new ByteArrayInputStream(footerBytes));
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(file, 0, null, "is damaged: its footer cannot be decoded ("
                    + reason(e) + ")", e);
        }
        if (meta.isSetEncryption_algorithm()) {
            throw new DataFormatException(file, 0, null,
                    "has encrypted columns, which are not supported: decrypt the file first");
        }
        return new Footer(meta, footerStart);
    }

    private static DataFormatException truncated(Path file, long size) {
        return new DataFormatException(file, 0, null, "is truncated: it starts as a Parquet file but its footer"
                + " is missing (no 'PAR1' at the end of its " + size + " bytes); was it copied or written completely?");
    }

    /** One column of a flat schema: its name, how parquet-column decodes it, and how its values become text. */
    static final class Column {
        final String name;
        final SchemaElement element;
        final ColumnDescriptor descriptor;

        Column(String name, SchemaElement element, ColumnDescriptor descriptor) {
            this.name = name;
            this.element = element;
            this.descriptor = descriptor;
        }

        boolean isOptional() {
            return descriptor.getMaxDefinitionLevel() > 0;
        }
    }

    static List<Column> columns(Path file, FileMetaData meta) throws DataFormatException {
        List<SchemaElement> schema = meta.getSchema();
        if (schema == null || schema.isEmpty() || schema.get(0).getNum_children() <= 0 || schema.size() == 1) {
            throw new DataFormatException(file, 0, null, "has no columns");
        }
        int count = schema.get(0).getNum_children();
        List<Column> columns = new ArrayList<>(count);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 1; i <= count; i++) {
            if (i >= schema.size()) {
                throw new DataFormatException(file, 0, null, "is damaged: its schema announces " + count
                        + " columns but describes " + (schema.size() - 1));
            }
            SchemaElement element = schema.get(i);
            String name = element.getName();
            if (element.getNum_children() > 0 || !element.isSetType()) {
                throw new DataFormatException(file, 0, name, "is nested (a struct, list or map), which cannot be"
                        + " checked as one column: flatten the table before validating it");
            }
            if (element.getRepetition_type() == FieldRepetitionType.REPEATED) {
                throw new DataFormatException(file, 0, name, "is repeated (a list of values in each row), which "
                        + "cannot be checked as one column: flatten the table before validating it");
            }
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                throw new DataFormatException(file, 0, null, "column '" + name + "' appears twice (columns "
                        + first + " and " + i + ")");
            }
            columns.add(new Column(name, element, descriptor(file, element)));
        }
        return columns;
    }

    private static ColumnDescriptor descriptor(Path file, SchemaElement element) throws DataFormatException {
        PrimitiveTypeName type;
        switch (element.getType()) {
            case BOOLEAN -> type = PrimitiveTypeName.BOOLEAN;
            case INT32 -> type = PrimitiveTypeName.INT32;
            case INT64 -> type = PrimitiveTypeName.INT64;
            case INT96 -> type = PrimitiveTypeName.INT96;
            case FLOAT -> type = PrimitiveTypeName.FLOAT;
            case DOUBLE -> type = PrimitiveTypeName.DOUBLE;
            case BYTE_ARRAY -> type = PrimitiveTypeName.BINARY;
            case FIXED_LEN_BYTE_ARRAY -> type = PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
            default -> throw new DataFormatException(file, 0, element.getName(),
                    "has the unknown physical type " + element.getType());
        }
        int length = element.isSetType_length() ? element.getType_length() : 0;
        if (type == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY && length <= 0) {
            throw new DataFormatException(file, 0, element.getName(),
                    "is damaged: a fixed-length byte array of length " + length);
        }
        boolean required = element.getRepetition_type() == FieldRepetitionType.REQUIRED;
        PrimitiveType primitive = new PrimitiveType(required ? Repetition.REQUIRED : Repetition.OPTIONAL, type, length,
                element.getName());
        return new ColumnDescriptor(new String[] {element.getName()}, primitive, 0, required ? 0 : 1);
    }

    // ---------------------------------------------------------------- the pass over the rows

    /** One read of one file: row groups in order, each column chunk streamed page by page. */
    private static final class Pass {
        private final Path file;
        private final FileChannel channel;
        private final Footer footer;
        private final List<Column> columns;
        private final RowSink sink;
        private final VersionParser.ParsedVersion writer;
        private final long totalRows;
        private long row;

        Pass(Path file, FileChannel channel, Footer footer, List<Column> columns, RowSink sink) {
            this.file = file;
            this.channel = channel;
            this.footer = footer;
            this.columns = columns;
            this.sink = sink;
            this.writer = writerVersion(footer.meta.getCreated_by());
            long rows = 0;
            for (RowGroup group : groups()) {
                rows += Math.max(0, group.getNum_rows());
            }
            this.totalRows = rows;
        }

        private List<RowGroup> groups() {
            List<RowGroup> groups = footer.meta.getRow_groups();
            return groups == null ? List.of() : groups;
        }

        void run() throws DataFormatException, IOException {
            List<RowGroup> groups = groups();
            for (int g = 0; g < groups.size(); g++) {
                readGroup(g, groups.get(g));
            }
            sink.progress(1.0);
        }

        private void readGroup(int index, RowGroup group) throws DataFormatException, IOException {
            long rows = group.getNum_rows();
            if (rows <= 0) {
                return;
            }
            List<ColumnChunk> chunks = group.getColumns();
            int width = columns.size();
            if (chunks == null || chunks.size() != width) {
                throw new DataFormatException(file, 0, null, "is damaged: row group " + (index + 1) + " has "
                        + (chunks == null ? 0 : chunks.size()) + " columns, the schema " + width);
            }
            ParquetColumnDecoder[] decoders = new ParquetColumnDecoder[width];
            ColumnBlock block = new ColumnBlock(width, (int) Math.min(rows, ColumnWorkers.batchRows(width)));
            int[] done = new int[1]; // values the failing column decoded in the current block, for messages
            long first = row; // rows handed on before the current block
            int c = 0;
            try {
                for (c = 0; c < width; c++) {
                    Column column = columns.get(c);
                    ChunkPages chunk = chunkPages(index, column, chunks.get(c), rows);
                    Text text = Text.forColumn(column.element);
                    text.chunkValues = chunk.getTotalValueCount();
                    decoders[c] = new ParquetColumnDecoder(column.descriptor, chunk, text, writer);
                }
                for (long r = 0; r < rows; r += block.capacity()) {
                    int count = (int) Math.min(block.capacity(), rows - r);
                    first = row;
                    for (c = 0; c < width; c++) {
                        decoders[c].read(count, block.kinds[c], block.bits[c], block.texts[c], block.ids[c], done);
                        block.dictionarySizes[c] = decoders[c].dictionarySize();
                    }
                    c = -1; // a problem from here on is the sink's, not the file's
                    block.size = count;
                    block.firstRow = row + 1;
                    sink.rows(block);
                    block.clearTexts();
                    long before = row;
                    row += count;
                    if (row / TableReaders.PROGRESS_EVERY_ROWS != before / TableReaders.PROGRESS_EVERY_ROWS) {
                        sink.progress(totalRows == 0 ? 1.0 : (double) row / totalRows);
                    }
                }
            } catch (PageProblem problem) {
                throw new DataFormatException(file, first + done[0] + 1, columns.get(c).name, problem.getMessage(),
                        problem.getCause());
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException e) {
                if (c < 0) {
                    throw e;
                }
                // parquet-column's decoders report bad bytes with runtime exceptions of many kinds
                throw new DataFormatException(file, first + done[0] + 1, columns.get(c).name,
                        "cannot be decoded: the file is damaged (" + reason(e) + ")", e);
            }
        }

        private ChunkPages chunkPages(int group, Column column, ColumnChunk chunk, long rows) throws DataFormatException {
            String where = "row group " + (group + 1) + ": ";
            if (chunk.isSetFile_path() && !chunk.getFile_path().isEmpty()) {
                throw new DataFormatException(file, 0, column.name, where + "its data is in another file ('"
                        + chunk.getFile_path() + "'), which is not supported");
            }
            if (chunk.isSetCrypto_metadata() || !chunk.isSetMeta_data()) {
                throw new DataFormatException(file, 0, column.name, where
                        + "is encrypted or has no metadata, which is not supported");
            }
            ColumnMetaData meta = chunk.getMeta_data();
            long start = meta.getData_page_offset();
            if (meta.isSetDictionary_page_offset() && meta.getDictionary_page_offset() > 0
                    && meta.getDictionary_page_offset() < start) {
                start = meta.getDictionary_page_offset();
            }
            long end = start + meta.getTotal_compressed_size();
            if (start < MAGIC.length || meta.getTotal_compressed_size() <= 0 || end > footer.dataEnd) {
                throw new DataFormatException(file, row + 1, column.name, where + "its data is said to lie at bytes "
                        + start + " to " + end + ", outside the file's data (bytes " + MAGIC.length + " to "
                        + footer.dataEnd + "): the file is truncated or damaged");
            }
            if (meta.getNum_values() < rows) {
                throw new DataFormatException(file, row + 1, column.name, where + "is damaged: it holds "
                        + meta.getNum_values() + " values for " + rows + " rows");
            }
            Codec codec = Codec.of(meta.getCodec());
            if (codec == null) {
                throw new DataFormatException(file, 0, column.name, "is compressed with " + meta.getCodec()
                        + ", which is not supported: rewrite the file with SNAPPY, ZSTD, GZIP, LZ4_RAW or no compression");
            }
            return new ChunkPages(channel, start, end, meta.getNum_values(), codec);
        }
    }

    private static VersionParser.ParsedVersion writerVersion(String createdBy) {
        if (createdBy == null) {
            return null;
        }
        try {
            return VersionParser.parse(createdBy);
        } catch (VersionParser.VersionParseException | RuntimeException unknownWriter) {
            return null;
        }
    }

    // ---------------------------------------------------------------- pages

    /** A problem with the bytes of a page, raised inside parquet-column's reader and reported at the row. */
    static final class PageProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PageProblem(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /** {@link IOException} from the file itself (not its content), carried through parquet-column. */
    private static final class UncheckedIOException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedIOException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * The pages of one column chunk, read lazily from the file: parquet-column asks for the next page
     * only once it has used up the current one, so one page per column is in memory at a time. Data
     * pages are read and decompressed into two buffers that the chunk reuses (values are turned into
     * text before the next page is asked for); a dictionary page gets arrays of its own, as it is kept.
     */
    static final class ChunkPages implements PageReader {
        /** Page statistics are not needed to read values (and building them loads the JTS geometry library). */
        private static final Statistics<?> NO_STATISTICS = null;

        private final ChunkInput in;
        private final long totalValues;
        private final Codec codec;
        private PageHeader pending;
        private long valuesRead;
        private byte[] stored = new byte[0];
        private byte[] page = new byte[0];

        ChunkPages(FileChannel channel, long start, long end, long totalValues, Codec codec) {
            this.in = new ChunkInput(channel, start, end);
            this.totalValues = totalValues;
            this.codec = codec;
        }

        @Override
        public long getTotalValueCount() {
            return totalValues;
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            PageHeader header = nextHeader();
            if (header == null || header.getType() != org.apache.parquet.format.PageType.DICTIONARY_PAGE) {
                pending = header;
                return null;
            }
            DictionaryPageHeader dictionary = header.getDictionary_page_header();
            if (dictionary == null) {
                throw new PageProblem("its dictionary page has no dictionary header: the file is damaged", null);
            }
            int size = checkedSize(header.getUncompressed_page_size());
            byte[] bytes = new byte[size];
            body(header.getCompressed_page_size(), new byte[0], bytes, size, true);
            return new DictionaryPage(BytesInput.from(bytes), dictionary.getNum_values(),
                    encoding(dictionary.getEncoding()));
        }

        @Override
        public DataPage readPage() {
            while (true) {
                PageHeader header = pending != null ? pending : nextHeader();
                pending = null;
                if (header == null) {
                    throw new PageProblem("its data ends after " + valuesRead + " of its " + totalValues
                            + " values: the file is damaged", null);
                }
                switch (header.getType()) {
                    case DATA_PAGE:
                        return dataPageV1(header);
                    case DATA_PAGE_V2:
                        return dataPageV2(header);
                    case DICTIONARY_PAGE:
                        throw new PageProblem("has a second dictionary page: the file is damaged", null);
                    default:
                        skip(header.getCompressed_page_size()); // index pages and unknown types hold no values
                }
            }
        }

        private DataPage dataPageV1(PageHeader header) {
            DataPageHeader data = header.getData_page_header();
            if (data == null) {
                throw new PageProblem("a data page has no data header: the file is damaged", null);
            }
            int size = checkedSize(header.getUncompressed_page_size());
            body(header.getCompressed_page_size(), stored, pageBuffer(size), size, true);
            valuesRead += data.getNum_values();
            return new DataPageV1(BytesInput.from(page, 0, size), data.getNum_values(), size, NO_STATISTICS,
                    encoding(data.getRepetition_level_encoding()), encoding(data.getDefinition_level_encoding()),
                    encoding(data.getEncoding()));
        }

        private DataPage dataPageV2(PageHeader header) {
            DataPageHeaderV2 data = header.getData_page_header_v2();
            if (data == null) {
                throw new PageProblem("a data page has no data header: the file is damaged", null);
            }
            int repetition = data.getRepetition_levels_byte_length();
            int definition = data.getDefinition_levels_byte_length();
            int levels = repetition + definition;
            int compressed = header.getCompressed_page_size() - levels;
            int uncompressed = header.getUncompressed_page_size() - levels;
            if (repetition < 0 || definition < 0 || compressed < 0 || uncompressed < 0) {
                throw new PageProblem("a data page has impossible sizes: the file is damaged", null);
            }
            byte[] repetitionLevels = new byte[repetition];
            readFully(repetitionLevels, repetition);
            byte[] definitionLevels = new byte[definition];
            readFully(definitionLevels, definition);
            boolean isCompressed = !data.isSetIs_compressed() || data.isIs_compressed();
            body(compressed, stored, pageBuffer(checkedSize(uncompressed)), uncompressed, isCompressed);
            valuesRead += data.getNum_values();
            return DataPageV2.uncompressed(data.getNum_rows(), data.getNum_nulls(), data.getNum_values(),
                    BytesInput.from(repetitionLevels), BytesInput.from(definitionLevels), encoding(data.getEncoding()),
                    BytesInput.from(page, 0, uncompressed), NO_STATISTICS);
        }

        private byte[] pageBuffer(int size) {
            if (page.length < size) {
                page = new byte[size];
            }
            return page;
        }

        /** Reads {@code storedSize} bytes of page body and leaves {@code size} bytes of values in {@code out}. */
        private void body(int storedSize, byte[] storedBuffer, byte[] out, int size, boolean isCompressed) {
            if (!isCompressed || codec == Codec.UNCOMPRESSED) {
                if (storedSize != size) {
                    throw new PageProblem("an uncompressed page of " + storedSize + " bytes is said to hold " + size
                            + ": the file is damaged", null);
                }
                readFully(out, size);
                return;
            }
            checkedSize(storedSize);
            byte[] input = storedBuffer;
            if (input.length < storedSize) {
                input = new byte[storedSize];
                if (storedBuffer == stored) {
                    stored = input;
                }
            }
            readFully(input, storedSize);
            try {
                codec.decompress(input, storedSize, out, size);
            } catch (IOException | RuntimeException e) {
                throw new PageProblem("a " + codec + " page cannot be decompressed: the file is damaged", e);
            }
        }

        /** A page size from a header, which must fit in what is left of the column's data. */
        private int checkedSize(int size) {
            if (size < 0 || size > Math.max(in.remaining(), 0) * 1024 + 1024 * 1024) {
                throw new PageProblem("a page is said to hold " + size + " bytes, which cannot be right: the file is"
                        + " damaged", null);
            }
            return size;
        }

        private PageHeader nextHeader() {
            if (in.remaining() <= 0) {
                return null;
            }
            try {
                return Util.readPageHeader(in);
            } catch (EOFException e) {
                throw new PageProblem("a page header is cut off: the file is damaged", e);
            } catch (IOException e) {
                if (in.failure != null) {
                    throw new UncheckedIOException(in.failure);
                }
                throw new PageProblem("a page header cannot be decoded: the file is damaged", e);
            }
        }

        private void readFully(byte[] buffer, int length) {
            if (length < 0 || length > in.remaining()) {
                throw new PageProblem("a page is said to hold " + length + " bytes, past the end of the column's"
                        + " data: the file is damaged", null);
            }
            try {
                if (in.readNBytes(buffer, 0, length) != length) {
                    throw new PageProblem("a page is cut off: the file is damaged", null);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void skip(int length) {
            byte[] scratch = new byte[Math.min(Math.max(length, 0), 64 * 1024)];
            int left = length;
            while (left > 0) {
                int step = Math.min(left, scratch.length);
                readFully(scratch, step);
                left -= step;
            }
            if (length < 0) {
                readFully(scratch, length);
            }
        }

        private static Encoding encoding(org.apache.parquet.format.Encoding encoding) {
            if (encoding == null) {
                throw new PageProblem("a page names no encoding: the file is damaged", null);
            }
            try {
                return Encoding.valueOf(encoding.name());
            } catch (IllegalArgumentException e) {
                throw new PageProblem("a page uses the encoding " + encoding + ", which is not supported", e);
            }
        }
    }

    /** Reads one column chunk's byte range through its own buffer, at positions of its own. */
    private static final class ChunkInput extends InputStream {
        private static final int BUFFER = 16 * 1024;
        private final FileChannel channel;
        private final long end;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).flip();
        /** File position of the byte after the buffer's content. */
        private long next;
        /** The I/O error of the last read, if any: told apart from bad content by the caller. */
        IOException failure;

        ChunkInput(FileChannel channel, long start, long end) {
            this.channel = channel;
            this.next = start;
            this.end = end;
        }

        long remaining() {
            return end - next + buffer.remaining();
        }

        @Override
        public int read() throws IOException {
            if (!buffer.hasRemaining() && !fill()) {
                return -1;
            }
            return buffer.get() & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                if (length >= BUFFER && next < end) { // page bodies go straight to their array
                    return channelRead(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, end - next)));
                }
                if (!fill()) {
                    return -1;
                }
            }
            int count = Math.min(length, buffer.remaining());
            buffer.get(bytes, offset, count);
            return count;
        }

        private boolean fill() throws IOException {
            if (next >= end) {
                return false;
            }
            buffer.clear().limit((int) Math.min(BUFFER, end - next));
            int count = channelRead(buffer);
            buffer.flip();
            return count > 0;
        }

        private int channelRead(ByteBuffer target) throws IOException {
            int count;
            try {
                count = channel.read(target, next);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (count < 0) {
                throw new EOFException("the file ends before its footer says");
            }
            next += count;
            return count;
        }
    }

    /** The compressions read here, all in pure Java. */
    enum Codec {
        UNCOMPRESSED {
            @Override
            void decompress(byte[] stored, int length, byte[] out, int size) {
                System.arraycopy(stored, 0, out, 0, size);
            }
        },
        SNAPPY {
            @Override
            void decompress(byte[] stored, int length, byte[] out, int size) {
                block(new SnappyDecompressor(), stored, 0, length, out, 0, size);
            }
        },
        ZSTD {
            @Override
            void decompress(byte[] stored, int length, byte[] out, int size) {
                block(new ZstdDecompressor(), stored, 0, length, out, 0, size);
            }
        },
        LZ4_RAW {
            @Override
            void decompress(byte[] stored, int length, byte[] out, int size) {
                block(new Lz4Decompressor(), stored, 0, length, out, 0, size);
            }
        },
        /** The deprecated LZ4 codec: Hadoop's framing (as parquet-java wrote it), else a raw block. */
        LZ4 {
            @Override
            void decompress(byte[] stored, int length, byte[] out, int size) {
                try {
                    hadoopLz4(stored, length, out, size);
                } catch (RuntimeException notHadoopFramed) {
                    block(new Lz4Decompressor(), stored, 0, length, out, 0, size);
                }
            }
        },
        GZIP {
            @Override
            void decompress(byte[] stored, int length, byte[] out, int size) throws IOException {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored, 0, length), 64 * 1024)) {
                    if (in.readNBytes(out, 0, size) != size || in.read() >= 0) {
                        throw new IOException("the page does not hold " + size + " bytes");
                    }
                }
            }
        };

        /** Decompresses {@code length} bytes of {@code stored} into exactly {@code size} bytes of {@code out}. */
        abstract void decompress(byte[] stored, int length, byte[] out, int size) throws IOException;

        static Codec of(CompressionCodec codec) {
            if (codec == null) {
                return null;
            }
            for (Codec value : values()) {
                if (value.name().equals(codec.name())) {
                    return value;
                }
            }
            return null;
        }

        private static void block(Decompressor decompressor, byte[] stored, int offset, int length, byte[] out,
                int outOffset, int size) {
            int count = decompressor.decompress(stored, offset, length, out, outOffset, size);
            if (count != size) {
                throw new IllegalArgumentException(count + " bytes instead of " + size);
            }
        }

        /** Blocks of [uncompressed length][compressed length][raw LZ4], lengths big-endian. */
        private static void hadoopLz4(byte[] stored, int length, byte[] out, int size) {
            ByteBuffer in = ByteBuffer.wrap(stored, 0, length);
            int written = 0;
            while (in.remaining() > 0) {
                int blockSize = in.getInt();
                int compressed = in.getInt();
                if (blockSize < 0 || compressed < 0 || compressed > in.remaining() || written + blockSize > size) {
                    throw new IllegalArgumentException("not Hadoop-framed");
                }
                block(new Lz4Decompressor(), stored, in.position(), compressed, out, written, blockSize);
                written += blockSize;
                in.position(in.position() + compressed);
            }
            if (written != size) {
                throw new IllegalArgumentException("not Hadoop-framed");
            }
        }
    }

    // ---------------------------------------------------------------- values as text

    /**
     * Receives a column's decoded values ({@link ParquetColumnDecoder}) and keeps the current one as text.
     * A dictionary value is turned into text once per dictionary entry, not once per row.
     */
    abstract static class Text extends PrimitiveConverter {
        String value;
        /**
         * {@link TextRow#DOUBLE} or {@link TextRow#LONG} when the last value is a plain number handed on as
         * such (no text made, none parsed back), {@link #number} holding it; 0 when it is {@link #value}.
         */
        int numberKind;
        long number;
        /** The number of values in the current column chunk, which the dictionary serves. */
        long chunkValues;
        private Dictionary dictionary;
        /**
         * The text of each dictionary entry, or null where entries are mostly used once (writers
         * dictionary-encode unique doubles too): caching them would only keep garbage alive.
         */
        private String[] cache;

        @Override
        public final boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public final void setDictionary(Dictionary dictionary) {
            this.dictionary = dictionary;
            int entries = dictionary.getMaxId() + 1;
            this.cache = !keepsNumbers() && (long) entries * 4 <= chunkValues ? new String[entries] : null;
        }

        /** Whether values are handed on as numbers, not text (so there is no text to cache). */
        boolean keepsNumbers() {
            return false;
        }

        @Override
        public final void addValueFromDictionary(int id) {
            if (cache == null) {
                fromDictionary(dictionary, id);
                return;
            }
            String text = cache[id];
            if (text == null) {
                fromDictionary(dictionary, id);
                cache[id] = value;
            } else {
                value = text;
            }
        }

        /** Sets {@link #value} from a dictionary entry, by the add method of the physical type. */
        abstract void fromDictionary(Dictionary dictionary, int id);

        /** The text form of a column's values, from its physical type and its (logical or converted) annotation. */
        static Text forColumn(SchemaElement element) {
            LogicalType logical = element.getLogicalType();
            ConvertedType converted = element.getConverted_type();
            int scale = element.isSetScale() ? element.getScale() : 0;
            switch (element.getType()) {
                case BOOLEAN:
                    return new BooleanText();
                case INT32:
                    return int32(logical, converted, scale);
                case INT64:
                    return int64(logical, converted, scale);
                case INT96:
                    return new Int96Text();
                case FLOAT:
                    return new FloatText();
                case DOUBLE:
                    return new DoubleText();
                default:
                    return binary(element, logical, converted, scale);
            }
        }

        private static Text int32(LogicalType logical, ConvertedType converted, int scale) {
            if (logical != null) {
                if (logical.isSetDATE()) {
                    return new IntText(IntText.DATE, 0);
                }
                if (logical.isSetDECIMAL()) {
                    return new IntText(IntText.DECIMAL, logical.getDECIMAL().getScale());
                }
                if (logical.isSetTIME()) {
                    return new IntText(IntText.TIME_MILLIS, 0);
                }
                if (logical.isSetINTEGER() && !logical.getINTEGER().isIsSigned()) {
                    return new IntText(IntText.UNSIGNED, logical.getINTEGER().getBitWidth());
                }
                if (!logical.isSetINTEGER() && !logical.isSetUNKNOWN()) {
                    return new IntText(IntText.SIGNED, 0);
                }
            }
            if (converted != null) {
                switch (converted) {
                    case DATE:
                        return new IntText(IntText.DATE, 0);
                    case DECIMAL:
                        return new IntText(IntText.DECIMAL, scale);
                    case TIME_MILLIS:
                        return new IntText(IntText.TIME_MILLIS, 0);
                    case UINT_8:
                        return new IntText(IntText.UNSIGNED, 8);
                    case UINT_16:
                        return new IntText(IntText.UNSIGNED, 16);
                    case UINT_32:
                        return new IntText(IntText.UNSIGNED, 32);
                    default:
                        break;
                }
            }
            return new IntText(IntText.SIGNED, 0);
        }

        private static Text int64(LogicalType logical, ConvertedType converted, int scale) {
            if (logical != null) {
                if (logical.isSetTIMESTAMP()) {
                    return new LongText(LongText.TIMESTAMP, nanosPerUnit(logical.getTIMESTAMP().getUnit()),
                            logical.getTIMESTAMP().isIsAdjustedToUTC());
                }
                if (logical.isSetTIME()) {
                    return new LongText(LongText.TIME, nanosPerUnit(logical.getTIME().getUnit()), false);
                }
                if (logical.isSetDECIMAL()) {
                    return new LongText(LongText.DECIMAL, logical.getDECIMAL().getScale(), false);
                }
                if (logical.isSetINTEGER() && !logical.getINTEGER().isIsSigned()) {
                    return new LongText(LongText.UNSIGNED, 0, false);
                }
                if (!logical.isSetINTEGER() && !logical.isSetUNKNOWN()) {
                    return new LongText(LongText.SIGNED, 0, false);
                }
            }
            if (converted != null) {
                switch (converted) {
                    case TIMESTAMP_MILLIS: // legacy annotations mean UTC-adjusted
                        return new LongText(LongText.TIMESTAMP, 1_000_000L, true);
                    case TIMESTAMP_MICROS:
                        return new LongText(LongText.TIMESTAMP, 1_000L, true);
                    case TIME_MICROS:
                        return new LongText(LongText.TIME, 1_000L, false);
                    case DECIMAL:
                        return new LongText(LongText.DECIMAL, scale, false);
                    case UINT_64:
                        return new LongText(LongText.UNSIGNED, 0, false);
                    default:
                        break;
                }
            }
            return new LongText(LongText.SIGNED, 0, false);
        }

        private static Text binary(SchemaElement element, LogicalType logical, ConvertedType converted, int scale) {
            boolean fixed = element.getType() == org.apache.parquet.format.Type.FIXED_LEN_BYTE_ARRAY;
            if (logical != null) {
                if (logical.isSetSTRING() || logical.isSetENUM() || logical.isSetJSON()) {
                    return new BinaryText(BinaryText.STRING, 0);
                }
                if (logical.isSetDECIMAL()) {
                    return new BinaryText(BinaryText.DECIMAL, logical.getDECIMAL().getScale());
                }
                if (logical.isSetUUID() && fixed && element.getType_length() == 16) {
                    return new BinaryText(BinaryText.UUID_TEXT, 0);
                }
                if (logical.isSetFLOAT16() && fixed && element.getType_length() == 2) {
                    return new BinaryText(BinaryText.FLOAT16, 0);
                }
                return new BinaryText(BinaryText.BASE64, 0);
            }
            if (converted == ConvertedType.UTF8 || converted == ConvertedType.ENUM || converted == ConvertedType.JSON) {
                return new BinaryText(BinaryText.STRING, 0);
            }
            if (converted == ConvertedType.DECIMAL) {
                return new BinaryText(BinaryText.DECIMAL, scale);
            }
            return new BinaryText(BinaryText.BASE64, 0);
        }

        private static long nanosPerUnit(TimeUnit unit) {
            if (unit.isSetMILLIS()) {
                return 1_000_000L;
            }
            if (unit.isSetMICROS()) {
                return 1_000L;
            }
            return 1L;
        }
    }

    private static final class BooleanText extends Text {
        @Override
        public void addBoolean(boolean flag) {
            value = flag ? "true" : "false";
        }

        @Override
        void fromDictionary(Dictionary dictionary, int id) {
            addBoolean(dictionary.decodeToBoolean(id));
        }
    }

    private static final class IntText extends Text {
        static final int SIGNED = 0;
        static final int UNSIGNED = 1;
        static final int DECIMAL = 2;
        static final int DATE = 3;
        static final int TIME_MILLIS = 4;

        private final int kind;
        /** The scale of a decimal, or the bit width of an unsigned integer. */
        private final int parameter;

        IntText(int kind, int parameter) {
            this.kind = kind;
            this.parameter = parameter;
        }

        @Override
        public void addInt(int number) {
            switch (kind) {
                case UNSIGNED -> value = Long.toString(parameter >= 32 ? number & 0xFFFFFFFFL
                        : number & ((1L << parameter) - 1));
                case DECIMAL -> value = BigDecimal.valueOf(number, parameter).toPlainString();
                case DATE -> value = LocalDate.ofEpochDay(number).toString();
                case TIME_MILLIS -> value = Times.time(number * 1_000_000L);
                default -> {
                    numberKind = TextRow.LONG;
                    this.number = number;
                }
            }
        }

        @Override
        boolean keepsNumbers() {
            return kind == SIGNED;
        }

        @Override
        void fromDictionary(Dictionary dictionary, int id) {
            addInt(dictionary.decodeToInt(id));
        }
    }

    private static final class LongText extends Text {
        static final int SIGNED = 0;
        static final int UNSIGNED = 1;
        static final int DECIMAL = 2;
        static final int TIMESTAMP = 3;
        static final int TIME = 4;

        private final int kind;
        /** The scale of a decimal, or the nanoseconds in one unit of a time or timestamp. */
        private final long parameter;
        private final boolean utc;
        private final TimestampText timestamps;

        LongText(int kind, long parameter, boolean utc) {
            this.kind = kind;
            this.parameter = parameter;
            this.utc = utc;
            this.timestamps = kind == TIMESTAMP ? new TimestampText(parameter, utc) : null;
        }

        @Override
        public void addLong(long number) {
            switch (kind) {
                case UNSIGNED -> value = Long.toUnsignedString(number);
                case DECIMAL -> value = BigDecimal.valueOf(number, (int) parameter).toPlainString();
                case TIMESTAMP -> value = timestamps.text(number);
                case TIME -> value = Times.time(number * parameter);
                default -> {
                    numberKind = TextRow.LONG;
                    this.number = number;
                }
            }
        }

        @Override
        boolean keepsNumbers() {
            return kind == SIGNED;
        }

        @Override
        void fromDictionary(Dictionary dictionary, int id) {
            addLong(dictionary.decodeToLong(id));
        }
    }

    private static final class Int96Text extends Text {
        /** The Julian day number of 1970-01-01. */
        private static final long JULIAN_EPOCH_DAY = 2_440_588L;
        private final TimestampText timestamps = new TimestampText(1, false);

        @Override
        public void addBinary(Binary binary) {
            ByteBuffer bytes = binary.toByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long nanosOfDay = bytes.getLong(bytes.position());
            long julianDay = bytes.getInt(bytes.position() + 8) & 0xFFFFFFFFL;
            value = timestamps.text((julianDay - JULIAN_EPOCH_DAY) * Times.NANOS_PER_DAY + nanosOfDay);
        }

        @Override
        void fromDictionary(Dictionary dictionary, int id) {
            addBinary(dictionary.decodeToBinary(id));
        }
    }

    private static final class FloatText extends Text {
        @Override
        public void addFloat(float number) {
            value = Numbers.floatText(number);
        }

        @Override
        void fromDictionary(Dictionary dictionary, int id) {
            addFloat(dictionary.decodeToFloat(id));
        }
    }

    private static final class DoubleText extends Text {
        @Override
        public void addDouble(double number) {
            if (Double.isFinite(number)) {
                numberKind = TextRow.DOUBLE;
                this.number = Double.doubleToRawLongBits(number);
            } else {
                numberKind = 0; // NaN and infinities stay text, as the profiler reads them
                value = Numbers.doubleText(number);
            }
        }

        @Override
        boolean keepsNumbers() {
            return true;
        }

        @Override
        void fromDictionary(Dictionary dictionary, int id) {
            addDouble(dictionary.decodeToDouble(id));
        }
    }

    private static final class BinaryText extends Text {
        static final int STRING = 0;
        static final int BASE64 = 1;
        static final int DECIMAL = 2;
        static final int UUID_TEXT = 3;
        static final int FLOAT16 = 4;

        private final int kind;
        private final int scale;

        BinaryText(int kind, int scale) {
            this.kind = kind;
            this.scale = scale;
        }

        @Override
        public void addBinary(Binary binary) {
            switch (kind) {
                case STRING -> value = binary.toStringUsingUTF8();
                case DECIMAL -> value = new BigDecimal(new BigInteger(binary.getBytes()), scale).toPlainString();
                case UUID_TEXT -> {
                    ByteBuffer bytes = binary.toByteBuffer();
                    value = new UUID(bytes.getLong(bytes.position()), bytes.getLong(bytes.position() + 8)).toString();
                }
                case FLOAT16 -> {
                    ByteBuffer bytes = binary.toByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    value = Numbers.floatText(Numbers.halfToFloat(bytes.getShort(bytes.position())));
                }
                default -> value = Base64.getEncoder().encodeToString(binary.getBytes());
            }
        }

        @Override
        void fromDictionary(Dictionary dictionary, int id) {
            addBinary(dictionary.decodeToBinary(id));
        }
    }

    /**
     * The text of one column's timestamps, {@code yyyy-MM-ddTHH:mm:ss[.fraction]} with a trailing Z when
     * UTC-adjusted (the fraction in groups of three digits, as {@code Instant.toString}), made without a
     * StringBuilder per value: this runs once per value of a plain-encoded timestamp column (a quarter of
     * the reading thread's time when a StringBuilder and LocalDate were made per value). The date and the time
     * are written digit by digit into a reused buffer (the date only when the day changes), and a value
     * equal to the last one gives the last String.
     * One per column reader, not shared between threads.
     */
    static final class TimestampText {
        private final long nanosPerUnit;
        private final long unitsPerDay;
        private final boolean utc;
        /** The date, 'T' and time (at most 36 characters), Latin-1: every character is ASCII. */
        private final byte[] buffer = new byte[40];
        /** Characters of the date of {@link #day} in {@link #buffer}, 0 before the first value. */
        private int dateLength;
        private long day;
        private boolean any;
        private long last;
        private String lastText;

        TimestampText(long nanosPerUnit, boolean utc) {
            this.nanosPerUnit = nanosPerUnit;
            this.unitsPerDay = Times.NANOS_PER_DAY / nanosPerUnit;
            this.utc = utc;
        }

        String text(long count) {
            if (any && count == last) {
                return lastText;
            }
            long valueDay = Math.floorDiv(count, unitsPerDay);
            long nanosOfDay = Math.floorMod(count, unitsPerDay) * nanosPerUnit;
            if (dateLength == 0 || valueDay != day) {
                dateLength = date(valueDay);
                buffer[dateLength] = 'T';
                day = valueDay;
            }
            int at = dateLength + 1;
            long seconds = nanosOfDay / Times.NANOS_PER_SECOND;
            int nanos = (int) (nanosOfDay % Times.NANOS_PER_SECOND);
            at = digits(at, (int) (seconds / 3600), 2);
            buffer[at++] = ':';
            at = digits(at, (int) (seconds / 60 % 60), 2);
            buffer[at++] = ':';
            at = digits(at, (int) (seconds % 60), 2);
            if (nanos != 0) { // in groups of three digits, as few as the value needs
                buffer[at++] = '.';
                if (nanos % 1_000_000 == 0) {
                    at = digits(at, nanos / 1_000_000, 3);
                } else if (nanos % 1_000 == 0) {
                    at = digits(at, nanos / 1_000, 6);
                } else {
                    at = digits(at, nanos, 9);
                }
            }
            if (utc) {
                buffer[at++] = 'Z';
            }
            any = true;
            last = count;
            lastText = new String(buffer, 0, at, StandardCharsets.ISO_8859_1);
            return lastText;
        }

        /**
         * Writes the date of an epoch day as {@code LocalDate.toString} does, returning its length: years
         * 0 to 9999 as four digits, computed here (the civil-from-days algorithm of H. Hinnant's
         * chrono date algorithms); any other year, as java.time writes it (at most +999999999-12-31).
         */
        private int date(long epochDay) {
            long z = epochDay + 719_468; // days since 0000-03-01
            long era = Math.floorDiv(z, 146_097);
            int dayOfEra = (int) (z - era * 146_097);
            int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
            int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
            int shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 is March
            int dayOfMonth = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
            int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
            long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
            if (year < 0 || year > 9999) {
                String date = LocalDate.ofEpochDay(epochDay).toString();
                for (int i = 0; i < date.length(); i++) {
                    buffer[i] = (byte) date.charAt(i);
                }
                return date.length();
            }
            int at = digits(0, (int) year, 4);
            buffer[at++] = '-';
            at = digits(at, month, 2);
            buffer[at++] = '-';
            return digits(at, dayOfMonth, 2);
        }

        /** {@code number} (not negative, below 10^width) as {@code width} digits, zero-padded, from {@code at}. */
        private int digits(int at, int number, int width) {
            for (int i = at + width - 1; i >= at; i--) {
                buffer[i] = (byte) ('0' + number % 10);
                number /= 10;
            }
            return at + width;
        }
    }

    /** Times of day in ISO-8601, written by hand (timestamps: {@link TimestampText}). */
    static final class Times {
        static final long NANOS_PER_SECOND = 1_000_000_000L;
        static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;

        private Times() {
        }

        /** {@code HH:mm:ss[.fraction]} of the nanoseconds since midnight. */
        static String time(long nanosOfDay) {
            StringBuilder text = new StringBuilder(18);
            appendTime(text, Math.floorMod(nanosOfDay, NANOS_PER_DAY));
            return text.toString();
        }

        /** The fraction comes in groups of three digits, as few as the value needs (as {@code Instant.toString}). */
        private static void appendTime(StringBuilder text, long nanosOfDay) {
            long seconds = nanosOfDay / NANOS_PER_SECOND;
            int nanos = (int) (nanosOfDay % NANOS_PER_SECOND);
            two(text, (int) (seconds / 3600)).append(':');
            two(text, (int) (seconds / 60 % 60)).append(':');
            two(text, (int) (seconds % 60));
            if (nanos != 0) {
                int digits;
                int fraction;
                if (nanos % 1_000_000 == 0) {
                    digits = 3;
                    fraction = nanos / 1_000_000;
                } else if (nanos % 1_000 == 0) {
                    digits = 6;
                    fraction = nanos / 1_000;
                } else {
                    digits = 9;
                    fraction = nanos;
                }
                String number = Integer.toString(fraction);
                text.append('.');
                for (int i = number.length(); i < digits; i++) {
                    text.append('0');
                }
                text.append(number);
            }
        }

        private static StringBuilder two(StringBuilder text, int number) {
            if (number < 10) {
                text.append('0');
            }
            return text.append(number);
        }
    }

    /**
     * Floating-point numbers as text: the shortest digits that read back to the same value (Jackson's
     * Schubfach writer, the algorithm of {@code Double.toString} since Java 19 and about 1.6 times as fast
     * as Java 17's), laid out as Python's {@code repr} lays them out (plain from 1e-4 up to 1e16, else
     * {@code 1.5e+16}, {@code 1e-05}), so that a file written from pandas reads the same as its CSV copy.
     * {@link ColumnType} parses both layouts.
     */
    static final class Numbers {
        private Numbers() {
        }

        static String doubleText(double number) {
            if (Double.isNaN(number)) {
                return "NaN";
            }
            if (Double.isInfinite(number)) {
                return number > 0 ? "Infinity" : "-Infinity";
            }
            return pythonLayout(NumberOutput.toString(number, true));
        }

        static String floatText(float number) {
            if (Float.isNaN(number)) {
                return "NaN";
            }
            if (Float.isInfinite(number)) {
                return number > 0 ? "Infinity" : "-Infinity";
            }
            return pythonLayout(NumberOutput.toString(number, true));
        }

        /**
         * Java writes plain digits from 1e-3 up to 1e7 (the same text as Python's there) and
         * {@code d.dddE±n} outside; Python switches at 1e-4 and 1e16.
         */
        static String pythonLayout(String java) {
            int e = java.indexOf('E');
            if (e < 0) {
                return java;
            }
            boolean negative = java.charAt(0) == '-';
            int start = negative ? 1 : 0;
            // mantissa d.ddd: its digits without the point and without trailing zeros
            StringBuilder digits = new StringBuilder(20).append(java.charAt(start)).append(java, start + 2, e);
            int end = digits.length();
            while (end > 1 && digits.charAt(end - 1) == '0') {
                end--;
            }
            digits.setLength(end);
            int exponent = Integer.parseInt(java.substring(e + 1));
            StringBuilder text = new StringBuilder(26);
            if (negative) {
                text.append('-');
            }
            if (exponent >= -4 && exponent < 16) {
                if (exponent < 0) {
                    text.append("0.");
                    for (int i = -1; i > exponent; i--) {
                        text.append('0');
                    }
                    text.append(digits);
                } else {
                    int integerDigits = exponent + 1;
                    if (digits.length() <= integerDigits) {
                        text.append(digits);
                        for (int i = digits.length(); i < integerDigits; i++) {
                            text.append('0');
                        }
                        text.append(".0");
                    } else {
                        text.append(digits, 0, integerDigits).append('.').append(digits, integerDigits, digits.length());
                    }
                }
                return text.toString();
            }
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                text.append('0');
            }
            return text.append(magnitude).toString();
        }

        /** IEEE 754 half precision to float. */
        static float halfToFloat(short half) {
            int bits = half & 0xFFFF;
            int sign = (bits & 0x8000) << 16;
            int exponent = (bits >>> 10) & 0x1F;
            int mantissa = bits & 0x3FF;
            if (exponent == 0x1F) {
                return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
            }
            if (exponent == 0) {
                float magnitude = mantissa * 0x1p-24f;
                return sign != 0 ? -magnitude : magnitude;
            }
            return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
        }
    }

    // ---------------------------------------------------------------- small helpers

    private static byte[] readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the file became shorter while it was read");
            }
        }
        return buffer.array();
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && regionEquals(bytes, 0, prefix);
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** A one-line reason from an exception of a library, for a message: never a stack trace. */
    private static String reason(Throwable e) {
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage();
        String text = message == null || message.isBlank() ? deepest.getClass().getSimpleName() : message.strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline);
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
