package io.jenkins.plugins.mlstages.data;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.jenkins.plugins.mlstages.table.TableQuery;

/**
 * What {@link ValidateData#validateTable} is asked to do: the dataset as a table or query where it lives, the
 * reference as a table or query there too, or as a file or saved profile here (docs/tables.md).
 *
 * @param reference the reference in the same source; null for none or when {@code referenceFile} is given
 * @param referenceFile a data file or a saved profile ({@code --save-profile}); null for none
 * @param sampleSize the size of the quantile grid per numeric column (KS and Wasserstein; exact up to this many values)
 * @param timeout the longest one query may run
 */
public record TableValidateRequest(TableQuery data, TableQuery reference, Path referenceFile, DataSchema schema, int maxErrors,
        int sampleSize, String datasetName, boolean textDrift, Duration timeout) {
    /** One query may run at most a day. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    public TableValidateRequest {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timeout, "timeout");
        if (reference != null && referenceFile != null) {
            throw new IllegalArgumentException("give a reference table or query, or a reference file, not both");
        }
        schema = schema == null ? DataSchema.EMPTY : schema;
        if (maxErrors < 0 || maxErrors > ValidateDataRequest.MAX_MAX_ERRORS) {
            throw new IllegalArgumentException("--max-errors must be between 0 and " + ValidateDataRequest.MAX_MAX_ERRORS
                    + ", was " + maxErrors);
        }
        if (sampleSize < ValidateDataRequest.MIN_SAMPLE_SIZE || sampleSize > ValidateDataRequest.MAX_SAMPLE_SIZE) {
            throw new IllegalArgumentException("--sample-size must be between " + ValidateDataRequest.MIN_SAMPLE_SIZE + " and "
                    + ValidateDataRequest.MAX_SAMPLE_SIZE + ", was " + sampleSize);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("--query-timeout must be between 1 s and 24 h, was " + timeout.toSeconds() + " s");
        }
        datasetName = datasetName == null || datasetName.isBlank() ? data.table() != null ? data.table() : "query" : datasetName;
    }
}
