package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

public class ClassArchiveTrainingTest {

    /** A command that fails to run would leave its classes out of the archive, and bin/mlstages without one. */
    @Test
    public void everyCommandRunsAndNothingIsLeftBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = folders(tmp);
        assertEquals(0, ClassArchiveTraining.train());
        assertEquals(before, folders(tmp));
    }

    private static List<Path> folders(Path tmp) throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("mlstages-class-archive")).sorted().toList();
        }
    }
}
