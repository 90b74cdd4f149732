package io.jenkins.plugins.mlstages.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.CorruptDeltaByteArrays;
import org.apache.parquet.VersionParser;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.RequiresPreviousReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one column chunk of a flat column a block of rows at a time, in place of parquet-column's
 * value-at-a-time {@code ColumnReader}: definition levels and dictionary ids are unpacked in bulk
 * (RLE / bit-packed hybrid, decoded here), a dictionary of numbers is decoded once into an array, and
 * only the values of other encodings go through parquet-column's {@link ValuesReader}s. Each value
 * lands in the block as a number ({@link TextRow#DOUBLE}, {@link TextRow#LONG}), as text, or missing.
 */
final class ParquetColumnDecoder {
    private static final int TEXT = ColumnBlock.TEXT;
    private static final long EXPONENT = 0x7FF0000000000000L;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ColumnDescriptor descriptor;
    private final PageReader pages;
    private final ParquetReader.Text text;
    private final VersionParser.ParsedVersion writer;
    private final int maxDefinition;
    private final PrimitiveTypeName type;
    /** Numbers straight from the decoded values (signed integers, doubles), no text made. */
    private final boolean numbers;
    private Dictionary dictionary;
    /** The dictionary's numbers decoded once, as the raw bits {@link TextRow} keeps, when {@link #numbers}. */
    private long[] dictionaryBits;

    private long pageLeft;
    private final Hybrid levels = new Hybrid();
    private boolean allDefined;
    private ValuesReader levelReader;
    private final Hybrid ids = new Hybrid();
    private boolean dictionaryPage;
    private ValuesReader values;
    private int[] levelScratch = new int[0];
    private int[] idScratch = new int[0];

    ParquetColumnDecoder(ColumnDescriptor descriptor, PageReader pages, ParquetReader.Text text,
            VersionParser.ParsedVersion writer) {
        this.descriptor = descriptor;
        this.pages = pages;
        this.text = text;
        this.writer = writer;
        this.maxDefinition = descriptor.getMaxDefinitionLevel();
        this.type = descriptor.getPrimitiveType().getPrimitiveTypeName();
        this.numbers = text.keepsNumbers();
        DictionaryPage page = pages.readDictionaryPage();
        if (page != null) {
            try {
                dictionary = page.getEncoding().initDictionary(descriptor, page);
            } catch (IOException e) {
                throw new UncheckedIOException("its dictionary cannot be read: " + e.getMessage(), e);
            }
            text.setDictionary(dictionary);
            if (numbers) {
                int size = dictionary.getMaxId() + 1;
                dictionaryBits = new long[size];
                for (int id = 0; id < size; id++) {
                    dictionaryBits[id] = switch (type) {
                        case DOUBLE -> Double.doubleToRawLongBits(dictionary.decodeToDouble(id));
                        case INT32 -> dictionary.decodeToInt(id);
                        default -> dictionary.decodeToLong(id);
                    };
                }
            }
        }
    }

    /**
     * Decodes the next {@code count} values into {@code kinds}, {@code bits} and {@code texts}
     * (index 0 on); {@code done[0]} tells, on a failure, how many of them were decoded.
     */
    void read(int count, int[] kinds, long[] bits, String[] texts, int[] done) {
        read(count, kinds, bits, texts, null, done);
    }

    /** The number of entries of the column chunk's dictionary; 0 when it has none. */
    int dictionarySize() {
        return dictionary == null ? 0 : dictionary.getMaxId() + 1;
    }

    /**
     * As {@link #read(int, int[], long[], String[], int[])}, also giving the dictionary id of each text
     * value from the dictionary in {@code dictionaryIds} (-1 for every other value), unless it is null.
     */
    void read(int count, int[] kinds, long[] bits, String[] texts, int[] dictionaryIds, int[] done) {
        if (dictionaryIds != null) {
            Arrays.fill(dictionaryIds, 0, count, -1);
        }
        if (levelScratch.length < count) {
            levelScratch = new int[count];
            idScratch = new int[count];
        }
        int r = 0;
        done[0] = 0;
        while (r < count) {
            if (pageLeft == 0) {
                try {
                    nextPage();
                } catch (IOException e) { // the page's bytes, not the file: reported as damage
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }
            int take = (int) Math.min(count - r, pageLeft);
            int defined = take;
            int[] level = levelScratch;
            if (!allDefined) {
                if (levelReader != null) {
                    for (int i = 0; i < take; i++) {
                        level[i] = levelReader.readInteger();
                    }
                } else {
                    levels.decode(level, take);
                }
                defined = 0;
                for (int i = 0; i < take; i++) {
                    if (level[i] == maxDefinition) {
                        defined++;
                    }
                }
            }
            if (dictionaryPage) {
                ids.decode(idScratch, defined);
            }
            int v = 0;
            for (int i = 0; i < take; i++, r++) {
                if (!allDefined && level[i] != maxDefinition) {
                    kinds[r] = TextRow.MISSING;
                    texts[r] = null;
                } else if (dictionaryPage) {
                    int id = idScratch[v++];
                    if (dictionaryBits != null) {
                        long number = dictionaryBits[id];
                        bits[r] = number;
                        if (type != PrimitiveTypeName.DOUBLE) {
                            kinds[r] = TextRow.LONG;
                        } else if ((number & EXPONENT) != EXPONENT) {
                            kinds[r] = TextRow.DOUBLE;
                        } else { // NaN and infinities: their text, as the profiler reads them
                            kinds[r] = TEXT;
                            texts[r] = ParquetReader.Numbers.doubleText(Double.longBitsToDouble(number));
                        }
                    } else {
                        text.addValueFromDictionary(id);
                        keep(r, kinds, bits, texts);
                        if (dictionaryIds != null && kinds[r] == TEXT) {
                            dictionaryIds[r] = id;
                        }
                    }
                } else {
                    plain(r, kinds, bits, texts);
                }
                done[0] = r + 1;
            }
            pageLeft -= take;
        }
    }

    private void plain(int r, int[] kinds, long[] bits, String[] texts) {
        switch (type) {
            case DOUBLE -> {
                double number = values.readDouble();
                if (Double.isFinite(number)) {
                    kinds[r] = TextRow.DOUBLE;
                    bits[r] = Double.doubleToRawLongBits(number);
                    return;
                }
                text.addDouble(number);
            }
            case INT64 -> {
                long number = values.readLong();
                if (numbers) {
                    kinds[r] = TextRow.LONG;
                    bits[r] = number;
                    return;
                }
                text.addLong(number);
            }
            case INT32 -> {
                int number = values.readInteger();
                if (numbers) {
                    kinds[r] = TextRow.LONG;
                    bits[r] = number;
                    return;
                }
                text.addInt(number);
            }
            case BOOLEAN -> text.addBoolean(values.readBoolean());
            case FLOAT -> text.addFloat(values.readFloat());
            default -> text.addBinary(values.readBytes()); // BINARY, FIXED_LEN_BYTE_ARRAY, INT96
        }
        keep(r, kinds, bits, texts);
    }

    /** Puts the value the text converter holds into row {@code r}. */
    private void keep(int r, int[] kinds, long[] bits, String[] texts) {
        int kind = text.numberKind;
        if (kind != 0) {
            kinds[r] = kind;
            bits[r] = text.number;
        } else {
            kinds[r] = TEXT;
            texts[r] = text.value;
        }
    }

    private void nextPage() throws IOException {
        DataPage page = pages.readPage();
        int count = page.getValueCount();
        if (count < 0) {
            throw new ParquetReader.PageProblem("a data page holds " + count + " values: the file is damaged", null);
        }
        ByteBufferInputStream in;
        Encoding encoding;
        levelReader = null;
        allDefined = maxDefinition == 0;
        if (page instanceof DataPageV1 v1) {
            in = v1.getBytes().toInputStream();
            encoding = v1.getValueEncoding();
            if (!allDefined) {
                if (v1.getDlEncoding() == Encoding.RLE) {
                    int length = BytesUtils.readIntLittleEndian(in);
                    levels.init(in.slice(length), BytesUtils.getWidthFromMaxInt(maxDefinition));
                } else {
                    levelReader = v1.getDlEncoding().getValuesReader(descriptor, ValuesType.DEFINITION_LEVEL);
                    levelReader.initFromPage(count, in);
                }
            }
        } else {
            DataPageV2 v2 = (DataPageV2) page;
            if (!allDefined) {
                levels.init(v2.getDefinitionLevels().toByteBuffer(), BytesUtils.getWidthFromMaxInt(maxDefinition));
            }
            in = v2.getData().toInputStream();
            encoding = v2.getDataEncoding();
        }
        dictionaryPage = encoding.usesDictionary();
        if (dictionaryPage) {
            if (dictionary == null) {
                throw new ParquetReader.PageProblem("a page refers to a dictionary the column does not have: the file"
                        + " is damaged", null);
            }
            int width = in.read();
            if (width < 0 || width > 32) {
                throw new ParquetReader.PageProblem("a page of dictionary ids has the impossible bit width " + width
                        + ": the file is damaged", null);
            }
            ids.init(in.remainingStream().toByteBuffer(), width);
        } else {
            ValuesReader previous = values;
            values = encoding.getValuesReader(descriptor, ValuesType.VALUES);
            if (CorruptDeltaByteArrays.requiresSequentialReads(writer, encoding)
                    && previous instanceof RequiresPreviousReader) {
                ((RequiresPreviousReader) values).setPreviousReader(previous);
            }
            values.initFromPage(count, in);
        }
        pageLeft = count;
    }

    /**
     * Parquet's RLE / bit-packed hybrid encoding of small integers (definition levels, dictionary ids),
     * decoded many values at a time and resumable across calls.
     */
    static final class Hybrid {
        private byte[] bytes;
        private int position;
        private int end;
        private int width;
        private int mask;
        /** Values left in the current run. */
        private int left;
        /** The current run: repeated (RLE, {@link #value}) or bit-packed from bit {@link #bit}. */
        private boolean packed;
        private int value;
        private long bit;

        void init(ByteBuffer buffer, int bitWidth) {
            if (buffer.hasArray()) {
                bytes = buffer.array();
                position = buffer.arrayOffset() + buffer.position();
                end = position + buffer.remaining();
            } else {
                bytes = new byte[buffer.remaining()];
                buffer.duplicate().get(bytes);
                position = 0;
                end = bytes.length;
            }
            width = bitWidth;
            mask = bitWidth == 32 ? -1 : (1 << bitWidth) - 1;
            left = 0;
        }

        /** The next {@code count} values into {@code out}. */
        void decode(int[] out, int count) {
            int i = 0;
            while (i < count) {
                if (left == 0) {
                    nextRun();
                }
                int take = Math.min(left, count - i);
                if (!packed) {
                    java.util.Arrays.fill(out, i, i + take, value);
                } else {
                    unpack(out, i, take);
                }
                i += take;
                left -= take;
            }
        }

        private void unpack(int[] out, int from, int count) {
            long at = bit;
            int w = width;
            long safeEnd = (long) (end - 8) * 8; // below this bit a whole 8-byte word can be read
            for (int i = from; i < from + count; i++, at += w) {
                int index = (int) (at >>> 3);
                long word = at < safeEnd ? (long) LONG_LE.get(bytes, index) : tail(at);
                out[i] = (int) (word >>> (at & 7)) & mask;
            }
            bit = at;
        }

        /** The bytes from bit {@code at} on near the end of the data, which must hold the value's bits. */
        private long tail(long at) {
            int index = (int) (at >>> 3);
            if (width > 0 && (at + width - 1) >>> 3 >= end) {
                throw new ParquetReader.PageProblem("a run of packed values goes past the end of its page: the file"
                        + " is damaged", null);
            }
            long word = 0;
            for (int k = 0; k < 8 && index + k < end; k++) {
                word |= (bytes[index + k] & 0xFFL) << (8 * k);
            }
            return word;
        }

        private void nextRun() {
            do {
                int header = readVarInt();
                if ((header & 1) == 0) {
                    left = header >>> 1;
                    int byteWidth = (width + 7) / 8;
                    if (position + byteWidth > end) {
                        throw truncated();
                    }
                    int v = 0;
                    for (int k = 0; k < byteWidth; k++) {
                        v |= (bytes[position + k] & 0xFF) << (8 * k);
                    }
                    position += byteWidth;
                    value = v & mask;
                    packed = false;
                } else {
                    int groups = header >>> 1;
                    // a writer may end the last run early: a value past the page's bytes is an error when read
                    long runBytes = Math.min((long) groups * width, end - position);
                    left = (int) Math.min((long) groups * 8, Integer.MAX_VALUE);
                    bit = (long) position * 8;
                    position += (int) runBytes;
                    packed = true;
                }
            } while (left == 0);
        }

        private int readVarInt() {
            int result = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (position >= end) {
                    throw truncated();
                }
                int b = bytes[position++];
                result |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new ParquetReader.PageProblem("a run header of packed values is too long: the file is damaged", null);
        }

        private static ParquetReader.PageProblem truncated() {
            return new ParquetReader.PageProblem("its packed values end early: the file is damaged", null);
        }
    }
}
