package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
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

    /**
     * snake_case, nulls left out, indented: the JSON of every ml-stages report. Every string it writes
     * (values and keys, of records, maps and JSON trees alike) is redacted of the credentials the
     * process holds ({@link Secrets#known()}): reports, the canary state and the report page are all
     * written with it.
     */
    public static ObjectMapper newMapper() {
        JsonFactory redacting = JsonFactory.builder().addDecorator((factory, generator) -> new Redacting(generator)).build();
        return new ObjectMapper(redacting)
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

    /** A generator that writes every string without the credentials the process holds. */
    private static final class Redacting extends JsonGeneratorDelegate {
        Redacting(JsonGenerator generator) {
            // false: copied events go through the methods below too
            super(generator, false);
        }

        @Override
        public void writeString(String text) throws IOException {
            super.writeString(Secrets.redactKnown(text));
        }

        @Override
        public void writeString(char[] text, int offset, int length) throws IOException {
            super.writeString(Secrets.redactKnown(new String(text, offset, length)));
        }

        @Override
        public void writeString(SerializableString text) throws IOException {
            super.writeString(Secrets.redactKnown(text.getValue()));
        }

        @Override
        public void writeFieldName(String name) throws IOException {
            super.writeFieldName(Secrets.redactKnown(name));
        }

        @Override
        public void writeArray(String[] array, int offset, int length) throws IOException {
            writeStartArray(array, length);
            for (int i = offset; i < offset + length; i++) {
                writeString(array[i]);
            }
            writeEndArray();
        }
    }
}
