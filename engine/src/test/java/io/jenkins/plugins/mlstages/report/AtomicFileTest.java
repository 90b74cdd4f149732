package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AtomicFileTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void createsTheDirectoryAndReplacesTheFileLeavingNoTemporaryFile() throws Exception {
        Path target = folder.getRoot().toPath().resolve("a/b/report.json");
        AtomicFile.write(target, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFile.writeDurably(target, "second, longer".getBytes(StandardCharsets.UTF_8));
        assertEquals("second, longer", Files.readString(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of("report.json"), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    public void aWriteThatCannotReplaceTheTargetLeavesItAndNoTemporaryFile() throws Exception {
        Path target = folder.getRoot().toPath().resolve("report.json");
        Files.createDirectories(target);
        Files.writeString(target.resolve("inside"), "kept");
        try {
            AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));
            fail("a non-empty directory cannot be replaced by a file");
        } catch (IOException expected) {
            // the move is refused: the target stays as it was
        }
        assertEquals("kept", Files.readString(target.resolve("inside")));
        try (Stream<Path> files = Files.list(folder.getRoot().toPath())) {
            assertEquals(List.of("report.json"), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    public void theFileKeepsItsPermissionsAndANewOneIsReadableByOthers() throws Exception {
        Path fresh = folder.getRoot().toPath().resolve("report.html");
        AtomicFile.write(fresh, "<html>".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

        Path owned = folder.getRoot().toPath().resolve("upstream.conf");
        Files.writeString(owned, "upstream model {}");
        Files.setPosixFilePermissions(owned, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFile.writeDurably(owned, "upstream model { server a; }".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(owned)));
    }
}
