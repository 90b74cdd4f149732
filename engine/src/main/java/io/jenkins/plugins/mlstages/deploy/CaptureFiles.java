package io.jenkins.plugins.mlstages.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads what {@link ShadowCapture} recorded: the {@code *.jsonl} files of its folder, the pairs received
 * within a time window. A line that is not a pair (the torn last line of a capture that is writing, or
 * was killed) is skipped and counted, never fatal: the capture keeps appending while the run reads.
 */
public final class CaptureFiles {
    private static final ObjectMapper MAPPER = CanaryStateStore.mapper();

    private CaptureFiles() {
    }

    /** The pairs read, and how many lines were not pairs. */
    public record Read(List<CapturedPair> pairs, int skippedLines) {
    }

    /**
     * @param from inclusive
     * @param to exclusive
     * @param max at most this many pairs, the earliest files first
     * @throws DeployException when the folder cannot be listed or read
     */
    public static Read read(Path folder, Instant from, Instant to, int max) {
        List<CapturedPair> pairs = new ArrayList<>();
        int skipped = forEach(folder, from, to, max, pairs::add);
        return new Read(pairs, skipped);
    }

    /**
     * Hands each pair of the window to {@code action} without keeping it (bounded memory whatever the
     * folder holds); returns how many lines were not pairs.
     */
    public static int forEach(Path folder, Instant from, Instant to, int max, Consumer<CapturedPair> action) {
        int skipped = 0;
        int taken = 0;
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (NoSuchFileException e) {
            throw new DeployException("the capture folder " + folder + " does not exist: is the shadow capture writing there?");
        } catch (IOException e) {
            throw new DeployException("cannot list the capture folder " + folder + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            try {
                // every line of a file last written before the window was received before it: not read at all
                if (Files.getLastModifiedTime(file).toInstant().isBefore(from)) {
                    continue;
                }
            } catch (IOException rotatedAway) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while (taken < max && (line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    CapturedPair pair;
                    Instant time;
                    try {
                        pair = MAPPER.readValue(line, CapturedPair.class);
                        time = Instant.parse(pair.time());
                    } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException | NullPointerException e) {
                        skipped++;
                        continue;
                    }
                    if (!time.isBefore(from) && time.isBefore(to)) {
                        action.accept(pair);
                        taken++;
                    }
                }
            } catch (NoSuchFileException rotatedAway) {
                // the capture deleted its oldest file meanwhile
            } catch (IOException e) {
                throw new DeployException("cannot read capture file " + file + ": " + e.getMessage(), e);
            }
        }
        return skipped;
    }
}
