package io.jenkins.plugins.mlstages.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How to read a CSV file: its dialect, its encoding and a guard against runaway fields.
 *
 * @param delimiter the field separator, {@code ','} by default; {@code '\t'} for TSV
 * @param quote the quote character, {@code '"'} by default
 * @param charset the file's encoding, UTF-8 by default
 * @param commentCharacter lines starting with it are skipped; null (the default) means no comment lines
 * @param maxFieldSize the longest field accepted, in characters: 16 MiB by default. A longer field is
 *     an error rather than a reason to exhaust memory (typically a quote that is never closed).
 */
public record CsvOptions(char delimiter, char quote, Charset charset, Character commentCharacter, int maxFieldSize) {

    public static final int DEFAULT_MAX_FIELD_SIZE = 16 * 1024 * 1024;

    /** Keeps the parser's buffer (up to twice this, see CsvReader) within an array's reach. */
    static final int MAX_MAX_FIELD_SIZE = 1 << 29;

    private static final CsvOptions DEFAULTS = new CsvOptions(',', '"', StandardCharsets.UTF_8, null,
            DEFAULT_MAX_FIELD_SIZE);

    public CsvOptions {
        Objects.requireNonNull(charset, "charset");
        if (isLineBreak(delimiter)) {
            throw new IllegalArgumentException("the CSV delimiter cannot be a line break");
        }
        if (isLineBreak(quote)) {
            throw new IllegalArgumentException("the CSV quote cannot be a line break");
        }
        if (delimiter == quote) {
            throw new IllegalArgumentException("the CSV delimiter and quote must differ, both are '" + delimiter + "'");
        }
        if (commentCharacter != null) {
            char comment = commentCharacter;
            if (isLineBreak(comment) || comment == delimiter || comment == quote) {
                throw new IllegalArgumentException("the CSV comment character '" + comment
                        + "' must differ from the delimiter and the quote and cannot be a line break");
            }
        }
        if (maxFieldSize < 1 || maxFieldSize > MAX_MAX_FIELD_SIZE) {
            throw new IllegalArgumentException("the maximum CSV field size must be between 1 and "
                    + MAX_MAX_FIELD_SIZE + " characters, not " + maxFieldSize);
        }
    }

    /** Comma-separated, double quotes, UTF-8, no comments, 16 MiB fields at most. */
    public static CsvOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Options as users type them (CLI options, Pipeline step parameters): null keeps a default, {@code tab}
     * is a tab, each character option must be one character, the encoding a known charset name.
     *
     * @param optionPrefix put before option names in messages ({@code --} for the CLI)
     */
    public static CsvOptions fromText(String delimiter, String quote, String comment, String encoding,
            String optionPrefix) {
        CsvOptions options = defaults();
        if (delimiter != null) {
            options = options.withDelimiter(
                    singleChar("tab".equalsIgnoreCase(delimiter) ? "\t" : delimiter, optionPrefix + "delimiter"));
        }
        if (quote != null) {
            options = options.withQuote(singleChar(quote, optionPrefix + "quote"));
        }
        if (comment != null) {
            options = options.withCommentCharacter(singleChar(comment, optionPrefix + "comment"));
        }
        if (encoding != null) {
            try {
                options = options.withCharset(Charset.forName(encoding));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(optionPrefix + "encoding: unknown character set '" + encoding + "'", e);
            }
        }
        return options;
    }

    private static char singleChar(String value, String option) {
        if (value.length() != 1) {
            throw new IllegalArgumentException(option + " must be a single character, was '" + value + "'");
        }
        return value.charAt(0);
    }

    public CsvOptions withDelimiter(char newDelimiter) {
        return new CsvOptions(newDelimiter, quote, charset, commentCharacter, maxFieldSize);
    }

    public CsvOptions withQuote(char newQuote) {
        return new CsvOptions(delimiter, newQuote, charset, commentCharacter, maxFieldSize);
    }

    public CsvOptions withCharset(Charset newCharset) {
        return new CsvOptions(delimiter, quote, newCharset, commentCharacter, maxFieldSize);
    }

    /** @param newCommentCharacter the comment marker, or null for a file without comment lines */
    public CsvOptions withCommentCharacter(Character newCommentCharacter) {
        return new CsvOptions(delimiter, quote, charset, newCommentCharacter, maxFieldSize);
    }

    public CsvOptions withMaxFieldSize(int newMaxFieldSize) {
        return new CsvOptions(delimiter, quote, charset, commentCharacter, newMaxFieldSize);
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }
}
