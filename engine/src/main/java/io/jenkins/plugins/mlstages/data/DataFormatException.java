package io.jenkins.plugins.mlstages.data;

import java.nio.file.Path;

import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/**
 * Input that cannot be read as what it claims to be: a malformed CSV row, a broken JSON line, a
 * truncated Parquet file, a bad schema file. The message says where: file, line (or row) and
 * column when known, e.g. {@code data.csv:17: column 'age': ...}. A user mistake, so no stack trace
 * is shown for it (CLI exit 2).
 */
public class DataFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String column;

    /**
     * @param file the file, or null
     * @param line the 1-based physical line (CSV, JSON lines) or row number (Parquet), or 0 when unknown
     * @param column the column name, or null
     */
    public DataFormatException(Path file, long line, String column, String problem) {
        this(file, line, column, problem, null);
    }

    public DataFormatException(Path file, long line, String column, String problem, Throwable cause) {
        super(location(file, line, column) + problem, cause);
        this.file = file == null ? null : file.toString();
        this.line = line;
        this.column = column;
    }

    private static String location(Path file, long line, String column) {
        StringBuilder where = new StringBuilder();
        if (file != null) {
            where.append(file);
            if (line > 0) {
                where.append(':').append(line);
            }
            where.append(": ");
        } else if (line > 0) {
            where.append("line ").append(line).append(": ");
        }
        if (column != null) {
            where.append("column '").append(column).append("': ");
        }
        return where.toString();
    }

    /**
     * Fails unless {@code file} is an existing regular file we may read ({@link InputFiles#requireReadable}):
     * "does not exist", "is a directory, not a file", "is a FIFO, not a regular file", "permission denied".
     */
    public static void requireFile(Path file) throws DataFormatException {
        try {
            InputFiles.requireReadable(file);
        } catch (UnusableFileException e) {
            throw new DataFormatException(file, 0, null, e.problem(), e);
        }
    }

    public String getFile() {
        return file;
    }

    public long getLine() {
        return line;
    }

    public String getColumn() {
        return column;
    }
}
