package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.ReportWriter;

/**
 * The canary's state file. A save is durable and atomic: the JSON goes to a temporary file beside the
 * target, is forced to disk, moved over the target with ATOMIC_MOVE, and the directory is forced, so a
 * kill -9 or a power cut leaves either the previous state or the new one, never a torn file. Not final:
 * tests extend it to stop the driver right after a save, as a kill would.
 */
public class CanaryStateStore {
    private static final ObjectMapper MAPPER = newMapper();

    private final Path file;

    public CanaryStateStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** snake_case like every ml-stages JSON; instants and durations as ISO-8601 text. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Fails before the canary acts when its state cannot be kept in the file: a directory or a path under
     * a file, or an existing device, FIFO or socket (every transition written to {@code /dev/null} would
     * be lost, and with it resume and rollback).
     */
    public void checkFile() throws UnusableFileException {
        AtomicFile.checkTarget(file);
        InputFiles.requireRegularOrAbsent(file);
    }

    public void save(CanaryState state) throws IOException {
        checkFile();
        AtomicFile.writeDurably(file, MAPPER.writeValueAsBytes(state));
    }

    /**
     * @throws IllegalArgumentException when the file is not a canary state this release reads (names the file)
     * @throws NoSuchFileException when there is no state file
     */
    public CanaryState load() throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        CanaryState state;
        try {
            state = MAPPER.readValue(InputFiles.readAll(file, InputFiles.CONFIG_CAP, "a canary state"), CanaryState.class);
        } catch (JsonProcessingException e) {
            // The state's own check (an IllegalArgumentException) says best what is wrong.
            Exception cause = e.getCause() instanceof IllegalArgumentException ? (Exception) e.getCause() : e;
            throw new IllegalArgumentException(file + ": not a readable canary state: " + InputFiles.parseProblem(cause), e);
        }
        if (state == null) {
            // a file holding only the JSON literal null: Jackson reads it as no object at all
            throw new IllegalArgumentException(file + ": not a readable canary state: empty (null)");
        }
        return state;
    }

    private static ObjectMapper newMapper() {
        SimpleModule time = new SimpleModule("iso-8601");
        time.addSerializer(Instant.class, ToStringSerializer.instance);
        time.addSerializer(Duration.class, ToStringSerializer.instance);
        time.addDeserializer(Instant.class, new JsonDeserializer<Instant>() {
            @Override
            public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                try {
                    return Instant.parse(parser.getValueAsString());
                } catch (DateTimeParseException e) {
                    return (Instant) context.handleWeirdStringValue(Instant.class, parser.getValueAsString(),
                            "not an ISO-8601 instant");
                }
            }
        });
        time.addDeserializer(Duration.class, new JsonDeserializer<Duration>() {
            @Override
            public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                try {
                    return Duration.parse(parser.getValueAsString());
                } catch (DateTimeParseException e) {
                    return (Duration) context.handleWeirdStringValue(Duration.class, parser.getValueAsString(),
                            "not an ISO-8601 duration");
                }
            }
        });
        return ReportWriter.newMapper()
                .registerModule(time)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
