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
 * first object, in their order. Lines are split first, so line numbers are exact and a bad line never
 * disturbs the next one. A line that is a flat object (strings, numbers, booleans, nulls) is read in
 * place by {@link FlatObject}, a scanner over the line's characters that makes no parser and no String;
 * any other line (nested values, and every line that is not valid) goes to Jackson's streaming parser,
 * which reads it, or says what is wrong with it, as it always has.
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
    private final boolean scanFlatLines;

    public JsonLinesReader() {
        this(DEFAULT_MAX_LINE_LENGTH);
    }

    /** @param maxLineLength the longest line accepted, in characters: a guard for memory */
    JsonLinesReader(int maxLineLength) {
        this(maxLineLength, true);
    }

    /** @param scanFlatLines false to read every line with Jackson: the reference the tests hold the scanner to */
    JsonLinesReader(int maxLineLength, boolean scanFlatLines) {
        this.maxLineLength = maxLineLength;
        this.scanFlatLines = scanFlatLines;
    }

    @Override
    public void read(Path file, RowSink sink) throws DataFormatException, IOException {
        long size = Files.size(file);
        try (TextInput text = TextInput.open(file, StandardCharsets.UTF_8)) {
            new Pass(file, sink, new Lines(file, text, maxLineLength), text, size, scanFlatLines).run();
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
        /** Per column, the last attempt at a line that set it: finds duplicate keys without clearing anything per row. */
        private long[] setInRow;
        /** Reads the flat lines after the first; null until the first object gave the columns. */
        private FlatObject flat;
        private long row;

        private final boolean scanFlatLines;

        Pass(Path file, RowSink sink, Lines lines, TextInput text, long size, boolean scanFlatLines) {
            this.scanFlatLines = scanFlatLines;
            this.file = file;
            this.sink = sink;
            this.lines = lines;
            this.text = text;
            this.size = size;
        }

        void run() throws DataFormatException, IOException {
            while (nextLine()) {
                if (scanFlatLines && flat != null && flat.read(lines.buffer(), lines.start(), lines.start() + lines.length())) {
                    emit();
                    continue;
                }
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
                emit();
            }
            if (columns == null) {
                throw new DataFormatException(file, 0, null, "has no JSON object");
            }
            sink.progress(1.0);
        }

        private void emit() throws DataFormatException {
            sink.row(++row, lines.number(), values);
            if (row % TableReaders.PROGRESS_EVERY_ROWS == 0) {
                sink.progress(TableReaders.share(text.bytesRead(), size));
            }
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
            flat = new FlatObject(columns, values, setInRow);
            sink.header(List.of(columns));
        }

        private void readObject(JsonParser parser) throws IOException, DataFormatException {
            values.clear();
            long thisRow = flat.newAttempt(); // not the row number: the scanner may have tried this line already
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

    /**
     * Reads a line that is one flat JSON object straight from the line's characters into the row:
     * strings (escapes decoded), numbers as written, {@code true}/{@code false}, and nulls. It accepts
     * only what Jackson accepts, with the same values: anything else — a nested value, a key not among
     * the columns or seen twice, a number or literal Jackson would refuse, a control character, an
     * escape it does not know, text after the object — makes it give the line up, unread, to Jackson,
     * whose reading (or message) is the reference. Long values go to Jackson too, which applies its
     * own length limits to them.
     */
    static final class FlatObject {
        /** Longest number read here: far below Jackson's limit (1,000 digits), which it checks itself. */
        private static final int MAX_NUMBER_LENGTH = 100;
        /** Longest string read here: far below Jackson's limit (20,000,000 characters), which it checks itself. */
        private static final int MAX_STRING_LENGTH = 1 << 20;

        private final String[] columns;
        private final TextRow values;
        private final long[] setInRow;
        /** Open addressing on the names' String hash: column + 1, 0 for a free slot. */
        private final int[] slots;
        private char[] unescaped = new char[256];
        private long attempt;

        FlatObject(String[] columns, TextRow values, long[] setInRow) {
            this.columns = columns;
            this.values = values;
            this.setInRow = setInRow;
            slots = new int[Integer.highestOneBit(Math.max(2, columns.length) * 2 - 1) << 1];
            for (int c = 0; c < columns.length; c++) {
                int slot = columns[c].hashCode() & (slots.length - 1);
                while (slots[slot] != 0) {
                    slot = (slot + 1) & (slots.length - 1);
                }
                slots[slot] = c + 1;
            }
        }

        /** A new mark for {@code setInRow}: each reading of a line, by this scanner or by Jackson, takes one. */
        long newAttempt() {
            return ++attempt;
        }

        /** Reads {@code b[p..end)} into the row; false to leave the line to Jackson (the row is then cleared by it). */
        boolean read(char[] b, int p, int end) {
            values.clear();
            long mark = newAttempt();
            p = skipSpace(b, p, end);
            if (p == end || b[p] != '{') {
                return false;
            }
            p = skipSpace(b, p + 1, end);
            if (p < end && b[p] == '}') {
                return skipSpace(b, p + 1, end) == end;
            }
            int expected = 0; // lines usually repeat the first line's key order: try that before hashing
            while (true) {
                if (p == end || b[p] != '"') {
                    return false;
                }
                int keyStart = ++p;
                while (p < end && b[p] != '"') {
                    if (b[p] == '\\' || b[p] < 0x20) {
                        return false;
                    }
                    p++;
                }
                if (p == end) {
                    return false;
                }
                int column = column(b, keyStart, p - keyStart, expected);
                if (column < 0 || setInRow[column] == mark) {
                    return false;
                }
                setInRow[column] = mark;
                expected = column + 1;
                p = skipSpace(b, p + 1, end);
                if (p == end || b[p] != ':') {
                    return false;
                }
                p = value(b, skipSpace(b, p + 1, end), end, column);
                if (p < 0) {
                    return false;
                }
                p = skipSpace(b, p, end);
                if (p == end) {
                    return false;
                }
                char c = b[p];
                p = skipSpace(b, p + 1, end);
                if (c == '}') {
                    return p == end;
                }
                if (c != ',') {
                    return false;
                }
            }
        }

        /** Reads the value at {@code p} into the column; returns where it ends, or -1 to give up. */
        private int value(char[] b, int p, int end, int column) {
            if (p == end) {
                return -1;
            }
            char c = b[p];
            if (c == '"') {
                return string(b, p + 1, end, column);
            }
            if (c == '-' || c >= '0' && c <= '9') {
                return number(b, p, end, column);
            }
            if (c == 't' && literal(b, p, end, "true") || c == 'f' && literal(b, p, end, "false")) {
                int length = c == 't' ? 4 : 5;
                values.setPresent(column, b, p, length);
                return p + length;
            }
            if (c == 'n' && literal(b, p, end, "null")) {
                return p + 4; // missing: the row was cleared
            }
            return -1;
        }

        /** A JSON number as the grammar has it (no leading zero, no '+', digits after '.' and 'e'), kept as written. */
        private int number(char[] b, int p, int end, int column) {
            int start = p;
            if (b[p] == '-') {
                p++;
            }
            if (p < end && b[p] == '0') {
                p++;
            } else {
                int digits = p;
                p = digits(b, p, end);
                if (p == digits) {
                    return -1;
                }
            }
            if (p < end && b[p] == '.') {
                int digits = p + 1;
                p = digits(b, digits, end);
                if (p == digits) {
                    return -1;
                }
            }
            if (p < end && (b[p] == 'e' || b[p] == 'E')) {
                int digits = p + 1 < end && (b[p + 1] == '+' || b[p + 1] == '-') ? p + 2 : p + 1;
                p = digits(b, digits, end);
                if (p == digits) {
                    return -1;
                }
            }
            if (p < end && !endsValue(b[p]) || p - start > MAX_NUMBER_LENGTH) {
                return -1;
            }
            values.setPresent(column, b, start, p - start);
            return p;
        }

        private static int digits(char[] b, int p, int end) {
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            return p;
        }

        /** A string from after its opening quote; returns where it ends, after its closing quote. */
        private int string(char[] b, int p, int end, int column) {
            int start = p;
            int limit = Math.min(end, start + MAX_STRING_LENGTH);
            while (p < limit) {
                char c = b[p];
                if (c == '"') {
                    values.setPresent(column, b, start, p - start);
                    return p + 1;
                }
                if (c == '\\') {
                    return escapedString(b, start, p, limit, column);
                }
                if (c < 0x20) {
                    return -1;
                }
                p++;
            }
            return -1;
        }

        /** The rest of a string from its first backslash at {@code p}, decoded as Jackson decodes it. */
        private int escapedString(char[] b, int start, int p, int limit, int column) {
            if (unescaped.length < limit - start) {
                unescaped = new char[Math.max(unescaped.length * 2, limit - start)];
            }
            char[] out = unescaped;
            int length = p - start;
            System.arraycopy(b, start, out, 0, length);
            while (p < limit) {
                char c = b[p++];
                if (c == '"') {
                    values.setPresent(column, out, 0, length);
                    return p;
                }
                if (c < 0x20) {
                    return -1;
                }
                if (c == '\\') {
                    if (p == limit) {
                        return -1;
                    }
                    char e = b[p++];
                    switch (e) {
                        case '"', '\\', '/' -> c = e;
                        case 'b' -> c = '\b';
                        case 'f' -> c = '\f';
                        case 'n' -> c = '\n';
                        case 'r' -> c = '\r';
                        case 't' -> c = '\t';
                        case 'u' -> {
                            if (p + 4 > limit) {
                                return -1;
                            }
                            int code = 0;
                            for (int i = 0; i < 4; i++) {
                                int digit = hexDigit(b[p++]);
                                if (digit < 0) {
                                    return -1;
                                }
                                code = code << 4 | digit;
                            }
                            c = (char) code;
                        }
                        default -> {
                            return -1;
                        }
                    }
                }
                out[length++] = c;
            }
            return -1;
        }

        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }

        /** Whether {@code word} is at {@code p} and ends there (Jackson refuses "truex", "nullx"). */
        private static boolean literal(char[] b, int p, int end, String word) {
            int after = p + word.length();
            if (after > end || after < end && !endsValue(b[after])) {
                return false;
            }
            for (int i = 1; i < word.length(); i++) {
                if (b[p + i] != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** What may follow a number or a literal in a flat object: anything else is left to Jackson. */
        private static boolean endsValue(char c) {
            return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\r';
        }

        private static int skipSpace(char[] b, int p, int end) {
            while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r')) {
                p++;
            }
            return p;
        }

        /** The column of the key {@code b[start..start+length)}, or -1. */
        private int column(char[] b, int start, int length, int expected) {
            if (expected < columns.length && TextSlice.sameChars(columns[expected], b, start, length)) {
                return expected;
            }
            int hash = 0;
            for (int i = start, end = start + length; i < end; i++) {
                hash = 31 * hash + b[i];
            }
            for (int slot = hash & (slots.length - 1); slots[slot] != 0; slot = (slot + 1) & (slots.length - 1)) {
                int column = slots[slot] - 1;
                if (TextSlice.sameChars(columns[column], b, start, length)) {
                    return column;
                }
            }
            return -1;
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
