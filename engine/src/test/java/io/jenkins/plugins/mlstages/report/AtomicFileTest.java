package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeFalse;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @Test
    public void aSymbolicLinkStaysALinkAndItsTargetIsReplacedWhereItIs() throws Exception {
        Path elsewhere = Files.createDirectories(folder.getRoot().toPath().resolve("elsewhere"));
        Path real = elsewhere.resolve("real.json");
        Files.writeString(real, "old");
        Path link = folder.getRoot().toPath().resolve("report.json");
        Files.createSymbolicLink(link, real);
        AtomicFile.write(link, "new".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(real, Files.readSymbolicLink(link));
        assertEquals("new", Files.readString(real));
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(List.of("real.json"), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    /** A relative "../" link reached through a linked directory points beside the directory's real place. */
    @Test
    public void aRelativeLinkInALinkedDirectoryIsResolvedFromItsRealDirectory() throws Exception {
        Path root = folder.getRoot().toPath();
        Path sub = Files.createDirectories(root.resolve("real/sub"));
        Path real = Files.writeString(root.resolve("real/real.json"), "old");
        Files.createSymbolicLink(root.resolve("real/hop2.json"), Path.of("sub/../real.json"));
        Files.createSymbolicLink(sub.resolve("report.json"), Path.of("../hop2.json"));
        Path linked = Files.createSymbolicLink(root.resolve("linked"), sub);
        AtomicFile.write(linked.resolve("report.json"), "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(real));
        assertTrue(Files.isSymbolicLink(sub.resolve("report.json")));
        assertFalse(Files.exists(root.resolve("hop2.json"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("real.json"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    public void aDanglingRelativeLinkCreatesTheFileItNames() throws Exception {
        Path link = folder.getRoot().toPath().resolve("report.json");
        Files.createSymbolicLink(link, Path.of("out/real.json"));
        AtomicFile.write(link, "new".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(folder.getRoot().toPath().resolve("out/real.json")));
    }

    @Test
    public void devNullIsWrittenInPlaceNotReplaced() throws Exception {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull));
        AtomicFile.write(devNull, "discarded".getBytes(StandardCharsets.UTF_8));
        assertFalse(Files.isRegularFile(devNull));
        Path link = folder.getRoot().toPath().resolve("null.json");
        Files.createSymbolicLink(link, devNull);
        AtomicFile.writeDurably(link, "discarded".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isSymbolicLink(link));
        assertFalse(Files.isRegularFile(devNull));
    }

    @Test
    public void devFullIsOneErrorNamingTheTargetAndStaysADevice() throws Exception {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.exists(devFull));
        try {
            AtomicFile.write(devFull, "x".getBytes(StandardCharsets.UTF_8));
            fail("/dev/full takes no data");
        } catch (UnusableFileException e) {
            assertEquals("/dev/full: cannot write: no space left on device", e.getMessage());
        }
        assertFalse(Files.isRegularFile(devFull));
    }

    @Test
    public void aFifoIsWrittenInPlaceForItsReader() throws Exception {
        Path fifo = folder.getRoot().toPath().resolve("report.fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<String> read = reader.submit(() -> Files.readString(fifo));
            AtomicFile.write(fifo, "through the pipe".getBytes(StandardCharsets.UTF_8));
            assertEquals("through the pipe", read.get(10, TimeUnit.SECONDS));
        } finally {
            reader.shutdownNow();
        }
        assertEquals("p", kind(fifo));
    }

    @Test
    public void anUnwritableDirectoryNamesTheTargetNotTheTemporaryFile() throws Exception {
        assumeFalse("root may write anywhere", "root".equals(System.getProperty("user.name")));
        Path dir = Files.createDirectories(folder.getRoot().toPath().resolve("locked"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path target = dir.resolve("report.json");
        try {
            AtomicFile.write(target, "x".getBytes(StandardCharsets.UTF_8));
            fail("the directory is read-only");
        } catch (UnusableFileException e) {
            assertEquals(target + ": cannot write: permission denied", e.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    public void aTargetUnderAFileNamesTheTargetAndWhy() throws Exception {
        Path file = folder.getRoot().toPath().resolve("plain");
        Files.writeString(file, "kept");
        Path target = file.resolve("report.json");
        try {
            AtomicFile.write(target, "x".getBytes(StandardCharsets.UTF_8));
            fail("a file cannot hold a file");
        } catch (UnusableFileException e) {
            assertEquals(target + ": cannot write: not a directory", e.getMessage());
        }
        assertEquals("kept", Files.readString(file));
    }

    @Test
    public void aDirectoryTargetIsNamed() throws Exception {
        Path dir = Files.createDirectories(folder.getRoot().toPath().resolve("out"));
        try {
            AtomicFile.write(dir, "x".getBytes(StandardCharsets.UTF_8));
            fail("a directory is not replaced");
        } catch (UnusableFileException e) {
            assertEquals(dir + ": cannot write: is a directory", e.getMessage());
        }
    }

    /** The file type letter as {@code stat -c %F} would show it, via the mode bits: "p" for a FIFO. */
    private static String kind(Path file) throws IOException {
        int mode = (Integer) Files.getAttribute(file, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0010000 ? "p" : Integer.toOctalString(mode);
    }
}
