package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/**
 * The A/B test's state file, saved durably and atomically as {@link CanaryStateStore} saves the
 * canary's (same mapper, same guarantees). Not final: tests keep states in memory or stop the driver
 * right after a save, as a kill would.
 */
public class AbStateStore {
    private final Path file;

    public AbStateStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public void checkFile() throws UnusableFileException {
        AtomicFile.checkTarget(file);
        InputFiles.requireRegularOrAbsent(file);
    }

    public void save(AbState state) throws IOException {
        checkFile();
        AtomicFile.writeDurably(file, CanaryStateStore.mapper().writeValueAsBytes(state));
    }

    /**
     * @throws IllegalArgumentException when the file is not an A/B test state this release reads (names the file)
     * @throws NoSuchFileException when there is no state file
     */
    public AbState load() throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        AbState state;
        try {
            state = CanaryStateStore.mapper().readValue(InputFiles.readAll(file, InputFiles.CONFIG_CAP, "an A/B test state"),
                    AbState.class);
        } catch (JsonProcessingException e) {
            Exception cause = e.getCause() instanceof IllegalArgumentException ? (Exception) e.getCause() : e;
            throw new IllegalArgumentException(file + ": not a readable A/B test state: " + InputFiles.parseProblem(cause), e);
        }
        if (state == null) {
            throw new IllegalArgumentException(file + ": not a readable A/B test state: empty (null)");
        }
        return state;
    }
}
