package io.jenkins.plugins.mlstages.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link ValidateData} is asked to do. Immutable and validated on construction.
 *
 * @param format null: from the file name
 * @param schema null: profile (and drift) only
 * @param reference a data file or a saved profile ({@code --save-profile}) to compare against; null for none
 * @param maxErrors how many offending rows each rule lists
 * @param sampleSize numeric values kept per column for KS and Wasserstein (exact up to this many)
 * @param textDrift false leaves the columns read as free text out of the drift check (and its share),
 *        unless the schema names their drift method
 */
public record ValidateDataRequest(Path data, DataFormat format, CsvOptions csv, DataSchema schema, Path reference,
        DataFormat referenceFormat, int maxErrors, int sampleSize, long seed, String datasetName, boolean textDrift) {
    public static final int DEFAULT_SAMPLE_SIZE = 50_000;
    public static final int MIN_SAMPLE_SIZE = 100;
    /** 8 MB of numbers per numeric column, held in memory (and in a saved profile) for the whole pass. */
    public static final int MAX_SAMPLE_SIZE = 1_000_000;
    /** Offending rows listed per rule: a report is for reading, the data file holds the rest. */
    public static final int MAX_MAX_ERRORS = 1_000;

    /** A request that tests text columns for drift (the default). */
    public ValidateDataRequest(Path data, DataFormat format, CsvOptions csv, DataSchema schema, Path reference,
            DataFormat referenceFormat, int maxErrors, int sampleSize, long seed, String datasetName) {
        this(data, format, csv, schema, reference, referenceFormat, maxErrors, sampleSize, seed, datasetName, true);
    }

    public ValidateDataRequest {
        Objects.requireNonNull(data, "data");
        csv = csv == null ? CsvOptions.defaults() : csv;
        schema = schema == null ? DataSchema.EMPTY : schema;
        if (maxErrors < 0 || maxErrors > MAX_MAX_ERRORS) {
            throw new IllegalArgumentException("--max-errors must be between 0 and " + MAX_MAX_ERRORS + ", was " + maxErrors);
        }
        if (sampleSize < MIN_SAMPLE_SIZE || sampleSize > MAX_SAMPLE_SIZE) {
            throw new IllegalArgumentException("--sample-size must be between " + MIN_SAMPLE_SIZE + " and " + MAX_SAMPLE_SIZE
                    + ", was " + sampleSize);
        }
        datasetName = datasetName == null || datasetName.isBlank() ? data.getFileName().toString() : datasetName;
    }

    public static ValidateDataRequest of(Path data) {
        return new ValidateDataRequest(data, null, null, null, null, null, 5, DEFAULT_SAMPLE_SIZE, 42, null);
    }

    public ValidateDataRequest withSchema(DataSchema value) {
        return new ValidateDataRequest(data, format, csv, value, reference, referenceFormat, maxErrors, sampleSize, seed,
                datasetName, textDrift);
    }

    /** @param value false leaves text columns out of the drift check */
    public ValidateDataRequest withTextDrift(boolean value) {
        return new ValidateDataRequest(data, format, csv, schema, reference, referenceFormat, maxErrors, sampleSize, seed,
                datasetName, value);
    }

    public ValidateDataRequest withReference(Path value) {
        return new ValidateDataRequest(data, format, csv, schema, value, referenceFormat, maxErrors, sampleSize, seed,
                datasetName, textDrift);
    }

    public ValidateDataRequest withFormat(DataFormat value) {
        return new ValidateDataRequest(data, value, csv, schema, reference, referenceFormat, maxErrors, sampleSize, seed,
                datasetName, textDrift);
    }

    public ValidateDataRequest withCsv(CsvOptions value) {
        return new ValidateDataRequest(data, format, value, schema, reference, referenceFormat, maxErrors, sampleSize, seed,
                datasetName, textDrift);
    }

    public ValidateDataRequest withMaxErrors(int value) {
        return new ValidateDataRequest(data, format, csv, schema, reference, referenceFormat, value, sampleSize, seed,
                datasetName, textDrift);
    }

    public ValidateDataRequest withSampleSize(int value) {
        return new ValidateDataRequest(data, format, csv, schema, reference, referenceFormat, maxErrors, value, seed,
                datasetName, textDrift);
    }

    public ValidateDataRequest withDatasetName(String value) {
        return new ValidateDataRequest(data, format, csv, schema, reference, referenceFormat, maxErrors, sampleSize, seed,
                value, textDrift);
    }
}
