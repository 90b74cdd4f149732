package io.jenkins.plugins.mlstages.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.mlstages.data.TableReaders.TextDecodingException;
import io.jenkins.plugins.mlstages.data.TableReaders.TextInput;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads JSON lines (one JSON object per line, UTF-8) as a table whose columns are the keys of the
 * first object, in their order. Each line is parsed in place by Jackson's streaming parser, so
 * line numbers are exact and a bad line never disturbs the next one.
 *
 * <p>Values: strings as they are, numbers as their JSON text, booleans as {@code true}/{@code false},
 * JSON null and absent keys as null, nested objects and arrays as compact JSON.
 */
public final class JsonLinesReader implements TableReader {

    static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024 * 1024;

    /** Thread-safe; shared so that its key canonicalisation lets every line reuse the same key Strings. */
    private static final JsonFactory JSON = new JsonFactory();

    /** Column names listed in a message, at most: the message must stay one readable line. */
    private static final int COLUMNS_IN_MESSAGE = 10;

    /** Jackson's position suffix: the line is known already, the column within it is worth keeping. */
    private static final Pattern JACKSON_LOCATION = Pattern.compile("\\[Source: .*?; line: \\d+, column: (\\d+)]");

    private final int maxLineLength;

    public JsonLinesReader() {
        this(DEFAULT_MAX_LINE_LENGTH);
    }

    /** @param maxLineLength the longest line accepted, in characters: a guard for memory */
    JsonLinesReader(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    @Override
    public void read(Path file, RowSink sink) throws DataFormatException, IOException {
        long size = Files.size(file);
        try (TextInput text = TextInput.open(file, StandardCharsets.UTF_8)) {
            new Pass(file, sink, new Lines(file, text, maxLineLength), text, size).run();
            text.reportDigest(sink);
        }
    }

    /** One read of one file: the columns, the row being built, and where we are. */
    private static final class Pass {
        private final Path file;
        private final RowSink sink;
        private final Lines lines;
        private final TextInput text;
        private final long size;
        private String[] columns;
        private Map<String, Integer> index;
        /** The current row; strings and numbers are copied in from the parser's buffer, no String per value. */
        private TextRow values;
        /** Per column, the last row that set it: finds duplicate keys without clearing anything per row. */
        private long[] setInRow;
        private long row;

        Pass(Path file, RowSink sink, Lines lines, TextInput text, long size) {
            this.file = file;
            this.sink = sink;
            this.lines = lines;
            this.text = text;
            this.size = size;
        }

        void run() throws DataFormatException, IOException {
            while (nextLine()) {
                if (lines.isBlank()) {
                    continue;
                }
                try (JsonParser parser = JSON.createParser(lines.buffer(), lines.start(), lines.length())) {
                    expectObject(parser.nextToken());
                    if (columns == null) {
                        readFirstObject(parser);
                    } else {
                        readObject(parser);
                    }
                    if (parser.nextToken() != null) {
                        throw problem("has more than one JSON value: expected one object per line");
                    }
                } catch (JsonProcessingException e) {
                    throw new DataFormatException(file, lines.number(), null, "is not valid JSON: " + reason(e), e);
                }
                sink.row(++row, lines.number(), values);
                if (row % TableReaders.PROGRESS_EVERY_ROWS == 0) {
                    sink.progress(TableReaders.share(text.bytesRead(), size));
                }
            }
            if (columns == null) {
                throw new DataFormatException(file, 0, null, "has no JSON object");
            }
            sink.progress(1.0);
        }

        private boolean nextLine() throws DataFormatException, IOException {
            try {
                return lines.next();
            } catch (TextDecodingException e) {
                throw new DataFormatException(file, lines.number() + 1, null, e.getMessage(), e);
            }
        }

        private void readFirstObject(JsonParser parser) throws IOException, DataFormatException {
            Map<String, Integer> keys = new HashMap<>();
            List<String> names = new ArrayList<>();
            List<String> firstValues = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (keys.putIfAbsent(name, names.size()) != null) {
                    throw problem("key '" + name + "' appears twice");
                }
                names.add(name);
                parser.nextToken();
                firstValues.add(valueText(parser));
            }
            if (names.isEmpty()) {
                throw problem("the first object has no keys, so there are no columns");
            }
            columns = names.toArray(new String[0]);
            index = keys;
            values = new TextRow(columns.length);
            values.clear();
            for (int i = 0; i < columns.length; i++) {
                if (firstValues.get(i) != null) {
                    values.set(i, firstValues.get(i));
                }
            }
            setInRow = new long[columns.length];
            sink.header(List.of(columns));
        }

        private void readObject(JsonParser parser) throws IOException, DataFormatException {
            values.clear();
            long thisRow = row + 1;
            int expected = 0; // lines usually repeat the first line's key order: try that before hashing
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int column = expected < columns.length && columns[expected].equals(name)
                        ? expected
                        : index.getOrDefault(name, -1);
                if (column < 0) {
                    throw problem("key '" + name + "' is not among the columns of the first line ("
                            + columnList() + ")");
                }
                if (setInRow[column] == thisRow) {
                    throw problem("key '" + name + "' appears twice");
                }
                setInRow[column] = thisRow;
                expected = column + 1;
                parser.nextToken();
                setValue(parser, column);
            }
        }

        /** As {@link #valueText}, into the row: a string or a number as written, from the parser's characters. */
        private void setValue(JsonParser parser, int column) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                values.setPresent(column, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            } else if (token != JsonToken.VALUE_NULL) {
                values.set(column, valueText(parser));
            }
        }

        private void expectObject(JsonToken first) throws DataFormatException {
            if (first == JsonToken.START_OBJECT) {
                return;
            }
            if (first == null) {
                throw problem("is not valid JSON: no value");
            }
            String found = switch (first) {
                case START_ARRAY -> "a JSON array";
                case VALUE_STRING -> "a JSON string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
                case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
                case VALUE_NULL -> "JSON null";
                default -> "not JSON";
            };
            throw problem("is " + found + ", not an object");
        }

        private String columnList() {
            if (columns.length <= COLUMNS_IN_MESSAGE) {
                return String.join(", ", columns);
            }
            return String.join(", ", Arrays.copyOf(columns, COLUMNS_IN_MESSAGE))
                    + ", ... " + columns.length + " in all";
        }

        private DataFormatException problem(String problem) {
            return new DataFormatException(file, lines.number(), null, problem);
        }
    }

    /** The text of the value at the parser's current token. */
    private static String valueText(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: // the number as written, not as a double would print it
                return parser.getText();
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NULL:
                return null;
            default:
                return compactJson(parser);
        }
    }

    /** Re-writes the object or array at the parser without whitespace; numbers keep their exact text. */
    private static String compactJson(JsonParser parser) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            int depth = 0;
            do {
                switch (parser.currentToken()) {
                    case START_OBJECT -> {
                        generator.writeStartObject();
                        depth++;
                    }
                    case START_ARRAY -> {
                        generator.writeStartArray();
                        depth++;
                    }
                    case END_OBJECT -> {
                        generator.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        generator.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> generator.writeFieldName(parser.currentName());
                    case VALUE_STRING -> generator.writeString(parser.getTextCharacters(), parser.getTextOffset(),
                            parser.getTextLength());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
                    case VALUE_TRUE -> generator.writeBoolean(true);
                    case VALUE_FALSE -> generator.writeBoolean(false);
                    case VALUE_NULL -> generator.writeNull();
                    default -> throw new IllegalStateException("unexpected JSON token " + parser.currentToken());
                }
            } while (depth > 0 && parser.nextToken() != null);
        }
        return out.toString();
    }

    /** Jackson's message without its location block, on one line. */
    private static String reason(JsonProcessingException e) {
        String reason = String.valueOf(e.getOriginalMessage());
        reason = JACKSON_LOCATION.matcher(reason).replaceAll("column $1");
        return reason.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /**
     * Splits the text into lines in a reusable buffer: a line is handed to Jackson in place, with no
     * String made of it. The buffer grows to the longest line, up to the limit.
     */
    private static final class Lines {
        private final Path file;
        private final TextInput text;
        private final int maxLineLength;
        private char[] buffer = new char[64 * 1024];
        private int dataStart;
        private int dataEnd;
        private boolean endOfText;
        private long number;
        private int lineStart;
        private int lineLength;

        Lines(Path file, TextInput text, int maxLineLength) {
            this.file = file;
            this.text = text;
            this.maxLineLength = maxLineLength;
        }

        /** Moves to the next line; false at the end of the text. */
        boolean next() throws IOException, DataFormatException {
            int scanned = dataStart;
            while (true) {
                for (int i = scanned; i < dataEnd; i++) {
                    if (buffer[i] == '\n') {
                        take(i, i + 1);
                        return true;
                    }
                }
                if (endOfText) {
                    if (dataStart == dataEnd) {
                        return false;
                    }
                    take(dataEnd, dataEnd);
                    return true;
                }
                scanned = dataEnd - dataStart; // where the scan resumes: fill() moves the data to the start
                fill();
            }
        }

        private void take(int lineEnd, int nextStart) {
            number++;
            lineStart = dataStart;
            lineLength = lineEnd - dataStart;
            if (lineLength > 0 && buffer[lineEnd - 1] == '\r') {
                lineLength--;
            }
            dataStart = nextStart;
        }

        private void fill() throws IOException, DataFormatException {
            int pending = dataEnd - dataStart;
            if (pending > maxLineLength + 1) { // + 1: the line's '\r'
                throw new DataFormatException(file, number + 1, null,
                        "is longer than " + maxLineLength + " characters");
            }
            if (pending == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buffer.length));
            } else if (dataStart > 0) {
                System.arraycopy(buffer, dataStart, buffer, 0, pending);
            }
            dataStart = 0;
            dataEnd = pending;
            int read = text.read(buffer, dataEnd, buffer.length - dataEnd);
            if (read < 0) {
                endOfText = true;
            } else {
                dataEnd += read;
            }
        }

        boolean isBlank() {
            for (int i = lineStart, end = lineStart + lineLength; i < end; i++) {
                char c = buffer[i];
                if (c != ' ' && c != '\t' && c != '\r') {
                    return false;
                }
            }
            return true;
        }

        long number() {
            return number;
        }

        char[] buffer() {
            return buffer;
        }

        int start() {
            return lineStart;
        }

        int length() {
            return lineLength;
        }
    }
}
