package io.jenkins.plugins.mlstages.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The tabular formats the stages read. */
public enum DataFormat {
    CSV, JSONL, PARQUET;

    /**
     * The format a file name implies: {@code .csv}/{@code .tsv}/{@code .txt} (and {@code .gz}
     * variants are not supported yet), {@code .jsonl}/{@code .ndjson}/{@code .json}, {@code .parquet}/{@code .pq}.
     */
    public static Optional<DataFormat> fromFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Optional.of(JSONL);
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Optional.of(PARQUET);
        }
        return Optional.empty();
    }

    /**
     * Parses an option's value, naming the option in the error; null (not given) stays null, for "from
     * the file name".
     */
    public static DataFormat parseOption(String value, String option) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /** Parses a {@code --format} value. */
    public static DataFormat parse(String value) {
        for (DataFormat format : values()) {
            if (format.name().equalsIgnoreCase(value.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown format '" + value + "': use csv, jsonl or parquet");
    }
}
