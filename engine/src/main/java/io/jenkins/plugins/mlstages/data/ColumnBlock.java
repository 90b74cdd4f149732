package io.jenkins.plugins.mlstages.data;

import java.util.Arrays;

/**
 * A block of rows held column by column, from a reader that decodes a column at a time (Parquet): for
 * column {@code c} and row {@code r} of the block, {@code kinds[c][r]} is {@link TextRow#MISSING},
 * {@link TextRow#DOUBLE} or {@link TextRow#LONG} (the number in {@code bits[c][r]}), or {@link #TEXT}
 * (the value in {@code texts[c][r]}). A text from a column's dictionary also has its dictionary id in
 * {@code ids[c][r]} (else -1), among {@code dictionarySizes[c]} entries (0: no dictionary), so that a
 * consumer can handle a value once per id rather than once per row. Owned by the reader and refilled
 * for the next block.
 */
public final class ColumnBlock {
    /** A value held as text. */
    static final int TEXT = 0;

    final int[][] kinds;
    final long[][] bits;
    final String[][] texts;
    final int[][] ids;
    final int[] dictionarySizes;
    /** Rows in the block, and the 1-based number of its first row. */
    int size;
    long firstRow;
    private TextRow row;

    ColumnBlock(int width, int capacity) {
        kinds = new int[width][capacity];
        bits = new long[width][capacity];
        texts = new String[width][capacity];
        ids = new int[width][capacity];
        dictionarySizes = new int[width];
    }

    int width() {
        return kinds.length;
    }

    int capacity() {
        return width() == 0 ? 0 : kinds[0].length;
    }

    /** Hands the block on row by row (the row number is also the line), for a sink without a columnar path. */
    void toRows(RowSink sink) throws DataFormatException {
        int width = width();
        if (row == null) {
            row = new TextRow(width);
        }
        for (int r = 0; r < size; r++) {
            row.clear();
            for (int c = 0; c < width; c++) {
                int kind = kinds[c][r];
                if (kind == TEXT) {
                    row.set(c, texts[c][r]);
                } else if (kind != TextRow.MISSING) {
                    row.setNumber(c, kind, bits[c][r]);
                }
            }
            sink.row(firstRow + r, firstRow + r, row);
        }
    }

    /** Lets go of the block's Strings. */
    void clearTexts() {
        for (String[] column : texts) {
            Arrays.fill(column, 0, size, null);
        }
    }
}
