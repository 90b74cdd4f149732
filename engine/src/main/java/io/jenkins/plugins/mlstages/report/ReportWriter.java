package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes reports and other JSON outputs whole or not at all: into a temporary file beside the
 * target, then moved over it, so that a crash or a full disk never leaves half a report behind.
 */
public final class ReportWriter {
    private static final ObjectMapper MAPPER = newMapper();

    private ReportWriter() {
    }

    /** snake_case, nulls left out, indented: the JSON of every ml-stages report. */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static void write(Path target, Object value) throws IOException {
        AtomicFile.write(target, MAPPER.writeValueAsBytes(value));
    }
}
