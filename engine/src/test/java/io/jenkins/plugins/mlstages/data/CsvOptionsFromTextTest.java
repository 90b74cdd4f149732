package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** Options as users type them, shared by the CLI and the Pipeline step. */
public class CsvOptionsFromTextTest {
    @Test
    public void nullKeepsTheDefaultsAndTabIsATab() {
        assertEquals(CsvOptions.defaults(), CsvOptions.fromText(null, null, null, null, "--"));
        CsvOptions options = CsvOptions.fromText("tab", "'", "#", "ISO-8859-1", "--");
        assertEquals('\t', options.delimiter());
        assertEquals('\'', options.quote());
        assertEquals(Character.valueOf('#'), options.commentCharacter());
        assertEquals(StandardCharsets.ISO_8859_1, options.charset());
    }

    @Test
    public void badValuesNameTheOptionWithThePrefix() {
        assertEquals("--delimiter must be a single character, was ';;'", assertThrows(IllegalArgumentException.class,
                () -> CsvOptions.fromText(";;", null, null, null, "--")).getMessage());
        assertEquals("quote must be a single character, was ''", assertThrows(IllegalArgumentException.class,
                () -> CsvOptions.fromText(null, "", null, null, "")).getMessage());
        assertEquals("--encoding: unknown character set 'klingon'", assertThrows(IllegalArgumentException.class,
                () -> CsvOptions.fromText(null, null, null, "klingon", "--")).getMessage());
    }

    @Test
    public void formatOptionsNameTheOption() {
        assertNull(DataFormat.parseOption(null, "--format"));
        assertEquals(DataFormat.PARQUET, DataFormat.parseOption(" Parquet ", "--format"));
        assertEquals("--format: unknown format 'xls': use csv, jsonl or parquet", assertThrows(IllegalArgumentException.class,
                () -> DataFormat.parseOption("xls", "--format")).getMessage());
    }
}
