package io.jenkins.plugins.mlstages.data;

import java.util.List;

/** Receives a table one row at a time from a {@link TableReader}. */
public interface RowSink {
    /** Called once, before any row, with the column names in file order. */
    void header(List<String> columns) throws DataFormatException;

    /**
     * One data row. {@code values[i]} is the text of column {@code i}, or null when the value is
     * missing (an empty CSV field, a JSON null or absent key). The array is owned by the reader and
     * may be reused for the next row: copy what you keep.
     *
     * @param row 1-based data row number (the header is not a row)
     * @param line 1-based physical line where the row starts (for messages); the row number for Parquet
     */
    void row(long row, long line, String[] values) throws DataFormatException;

    /**
     * The SHA-256 of the file's bytes, computed in the same read as the rows: called once after the
     * last row by a reader that read every byte of the file in order (the text formats). A sink that
     * needs the digest and is not given it reads the file again.
     */
    default void fileSha256(byte[] sha256) {
        // most sinks need no digest
    }

    /**
     * Whether {@link #fileSha256} is wanted from a reader for which the digest is extra work (Parquet,
     * whose column chunks are not read in file order, hashes the file on a thread of its own meanwhile).
     */
    default boolean wantsFileSha256() {
        return true;
    }

    /**
     * One data row as slices of the reader's buffer, from a reader that makes no String per field (CSV).
     * The row is owned by the reader and reused for the next one. By default each value becomes a
     * String and goes to {@link #row(long, long, String[])}; a sink on the hot path reads the slices.
     */
    default void row(long row, long line, TextRow values) throws DataFormatException {
        row(row, line, values.toStrings());
    }

    /**
     * Rows decoded column by column (Parquet), {@code block.size} of them from row {@code block.firstRow}
     * (also their line). The block is owned by the reader and refilled for the next one. By default it
     * goes to {@link #row(long, long, TextRow)} row by row; a sink on the hot path reads the columns.
     */
    default void rows(ColumnBlock block) throws DataFormatException {
        block.toRows(this);
    }

    /** Called with the share of input read so far (0..1), every few thousand rows at most. */
    default void progress(double shareRead) {
        // most sinks ignore progress
    }
}
