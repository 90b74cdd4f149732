package io.jenkins.plugins.mlstages.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams a table file into a {@link RowSink} in one pass and bounded memory. Malformed input is a
 * {@link DataFormatException} naming the file, the line and the column where known.
 */
public interface TableReader {
    void read(Path file, RowSink sink) throws DataFormatException, IOException;
}
