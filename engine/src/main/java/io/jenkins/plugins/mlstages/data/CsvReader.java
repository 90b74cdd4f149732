package io.jenkins.plugins.mlstages.data;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import de.siegmar.fastcsv.reader.RecordType;
import io.jenkins.plugins.mlstages.data.TableReaders.TextDecodingException;
import io.jenkins.plugins.mlstages.data.TableReaders.TextInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV file whose first record is the header, on FastCSV's callback API: fields arrive as
 * slices of the parser's buffer and are copied into a reused {@link TextRow}, so no String is made per
 * field (a sink that wants Strings gets them from {@link RowSink#row(long, long, TextRow)}'s default).
 *
 * <p>An empty field is a missing value (null). A truly empty line is a row of one empty field (so a
 * ragged row unless the table has one column), except at the end of the file, where it is ignored.
 */
public final class CsvReader implements TableReader {

    /** FastCSV reads this many characters at a time; its buffer needs room for one read besides the field. */
    private static final int FASTCSV_READ_SIZE = 8192;

    private final CsvOptions options;

    public CsvReader() {
        this(CsvOptions.defaults());
    }

    public CsvReader(CsvOptions options) {
        this.options = options;
    }

    @Override
    public void read(Path file, RowSink sink) throws DataFormatException, IOException {
        long size = Files.size(file);
        FieldCollector fields = new FieldCollector(options.maxFieldSize());
        try (TextInput text = TextInput.open(file, options.charset());
                de.siegmar.fastcsv.reader.CsvReader<FieldCollector> csv = parserBuilder().build(fields, text)) {
            new Pass(file, sink, fields, text, size).run(csv.iterator());
            text.reportDigest(sink);
        }
    }

    private de.siegmar.fastcsv.reader.CsvReader.CsvReaderBuilder parserBuilder() {
        de.siegmar.fastcsv.reader.CsvReader.CsvReaderBuilder builder = de.siegmar.fastcsv.reader.CsvReader.builder()
                .fieldSeparator(options.delimiter())
                .quoteCharacter(options.quote())
                .skipEmptyLines(false) // an empty line mid-file is a ragged row, see Pass
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE) // field counts are checked
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE) // against the header, by Pass
                .allowUnclosedQuote(false)
                .maxBufferSize(bufferSize(options.maxFieldSize()));
        if (options.commentCharacter() != null) {
            builder.commentStrategy(CommentStrategy.SKIP).commentCharacter(options.commentCharacter());
        }
        return builder;
    }

    /**
     * The cap on FastCSV's buffer, which holds the raw text of the field being parsed plus room for
     * one read. It bounds memory: a runaway field (an unclosed quote, a binary file) is stopped at
     * most at about twice the field limit, in characters. It is a power of two because FastCSV 4.4.0
     * grows its buffer by doubling from 16 K and, when capped at another size, reads past the end of
     * it. (So a value within the limit whose raw text is mostly doubled quotes may still not fit.)
     */
    static int bufferSize(int maxFieldSize) {
        long needed = (long) maxFieldSize + 2 + FASTCSV_READ_SIZE;
        return (int) (Long.highestOneBit(needed - 1) << 1);
    }

    /** One read of one file: header checks, row counting, progress, and the translation of parse errors. */
    private static final class Pass {
        /** The row of an empty line in a one-column table: one missing value. */
        private final TextRow blankRow = new TextRow(1);

        private final Path file;
        private final RowSink sink;
        private final FieldCollector fields;
        private final TextInput text;
        private final long size;
        private final int maxFieldSize;
        private List<String> header;
        private long row;
        /** Lines of the empty lines not yet known to be trailing ones. */
        private long[] blankLines = new long[4];
        private int blankCount;

        Pass(Path file, RowSink sink, FieldCollector fields, TextInput text, long size) {
            this.file = file;
            this.sink = sink;
            this.fields = fields;
            this.text = text;
            this.size = size;
            this.maxFieldSize = fields.maxFieldSize;
        }

        void run(Iterator<FieldCollector> records) throws DataFormatException, IOException {
            while (hasNext(records)) {
                records.next();
                if (fields.isBlankLine()) {
                    rememberBlankLine(fields.line());
                    continue;
                }
                for (int i = 0; i < blankCount; i++) {
                    acceptBlankLine(blankLines[i]);
                }
                blankCount = 0;
                accept(fields.line(), fields.count());
            }
            if (header == null) {
                throw new DataFormatException(file, 0, null, "is empty: no header line");
            }
            sink.progress(1.0);
        }

        private void accept(long line, int count) throws DataFormatException {
            if (fields.oversizedField >= 0) {
                throw tooLong(line, fields.oversizedField, null);
            }
            if (header == null) {
                header = checkHeader(line, Arrays.asList(Arrays.copyOf(fields.values, count)));
                fields.startData(header.size());
                sink.header(header);
                return;
            }
            if (count != header.size()) {
                throw ragged(line, count);
            }
            row(line, fields.row);
        }

        private void acceptBlankLine(long line) throws DataFormatException {
            if (header == null) {
                throw new DataFormatException(file, line, null, "header: column 1 has no name");
            }
            if (header.size() != 1) {
                throw ragged(line, 1);
            }
            row(line, blankRow);
        }

        private void row(long line, TextRow values) throws DataFormatException {
            sink.row(++row, line, values);
            if (row % TableReaders.PROGRESS_EVERY_ROWS == 0) {
                sink.progress(TableReaders.share(text.bytesRead(), size));
            }
        }

        private void rememberBlankLine(long line) {
            if (blankCount == blankLines.length) {
                blankLines = Arrays.copyOf(blankLines, blankCount * 2);
            }
            blankLines[blankCount++] = line;
        }

        private List<String> checkHeader(long line, List<String> names) throws DataFormatException {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name == null) {
                    throw new DataFormatException(file, line, null, "header: column " + (i + 1) + " has no name");
                }
                Integer first = seen.putIfAbsent(name, i);
                if (first != null) {
                    throw new DataFormatException(file, line, null, "header: column '" + name
                            + "' appears twice (columns " + (first + 1) + " and " + (i + 1) + ")");
                }
            }
            return List.copyOf(names);
        }

        private DataFormatException ragged(long line, int count) {
            return new DataFormatException(file, line, null, "has " + count + (count == 1 ? " field" : " fields")
                    + ", the header has " + header.size());
        }

        private DataFormatException tooLong(long line, int index, Throwable cause) {
            String limit = " is longer than " + maxFieldSize + " characters";
            if (header == null) {
                return new DataFormatException(file, line, null, "header: column " + (index + 1) + limit, cause);
            }
            String column = column(index);
            return column != null
                    ? new DataFormatException(file, line, column, "field" + limit, cause)
                    : new DataFormatException(file, line, null, "field " + (index + 1) + limit, cause);
        }

        /** The header name of a field index, or null for the header itself or a field beyond the header. */
        private String column(int index) {
            return header != null && index < header.size() ? header.get(index) : null;
        }

        /** Advances FastCSV, turning what it throws into a {@link DataFormatException} at the current record. */
        private boolean hasNext(Iterator<FieldCollector> records) throws DataFormatException, IOException {
            try {
                return records.hasNext();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof TextDecodingException) {
                    throw new DataFormatException(file, fields.line(), column(fields.count()),
                            e.getCause().getMessage(), e.getCause());
                }
                throw e.getCause();
            } catch (CsvParseException e) {
                throw translate(e);
            }
        }

        /**
         * The parser's own errors (those without a cause) are about the data. FastCSV tells them apart
         * by message only; the texts matched here are covered by the tests, so an upgrade that changes
         * them fails loudly rather than degrading the messages.
         */
        private DataFormatException translate(CsvParseException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() != null) {
                throw e; // FastCSV wraps what fails in the code it calls: a bug to show, not bad data
            }
            long line = fields.line();
            int index = fields.count(); // the field being parsed when FastCSV gave up
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Unclosed quoted field")) {
                return new DataFormatException(file, line, column(index),
                        "a quoted field starting on this line is never closed", e);
            }
            if (message.startsWith("Unexpected character after closing quote")) {
                return new DataFormatException(file, line, column(index),
                        "text after the closing quote of a quoted field", e);
            }
            if (message.contains("maximum buffer size")) {
                return tooLong(line, index, e);
            }
            return new DataFormatException(file, line, column(index), "cannot be read as CSV: " + message, e);
        }
    }

    /**
     * Receives FastCSV's fields. It only stores them: deciding what a record means is {@link Pass}'s job,
     * because this callback cannot throw a checked exception.
     */
    private static final class FieldCollector extends AbstractBaseCsvCallbackHandler<FieldCollector> {
        final int maxFieldSize;
        /** The header's names while reading it (grows). */
        String[] values = new String[16];
        /** The current row's values, once the header is read. */
        TextRow row;
        private boolean readingHeader = true;
        /** Index of the first field over the size limit in the current record, or -1. */
        int oversizedField = -1;

        FieldCollector(int maxFieldSize) {
            this.maxFieldSize = maxFieldSize;
        }

        void startData(int width) {
            readingHeader = false;
            row = new TextRow(width);
        }

        long line() {
            return getStartingLineNumber();
        }

        int count() {
            return getFieldCount();
        }

        boolean isBlankLine() {
            return getRecordType() == RecordType.EMPTY;
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            oversizedField = -1;
            if (row != null) {
                row.clear();
            }
        }

        @Override
        protected void handleField(int index, char[] buffer, int offset, int length, boolean quoted) {
            if (length > maxFieldSize) {
                if (oversizedField < 0) {
                    oversizedField = index;
                }
                return;
            }
            if (!readingHeader) {
                if (index < row.width()) { // else a ragged row: counted by FastCSV, reported by Pass
                    row.set(index, buffer, offset, length);
                }
                return;
            }
            if (index >= values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[index] = length == 0 ? null : new String(buffer, offset, length);
        }

        @Override
        protected FieldCollector buildRecord() {
            return this;
        }
    }
}
