package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files written whole or not at all: the content goes to a temporary file beside the target and is
 * moved over it in one step, so a reader (or a process killed mid-write) sees the old file or the new
 * one, never half of it. The file keeps the permissions it had (a new one is {@code rw-r--r--}, as a
 * plain write would leave it), not the temporary file's private ones: an nginx configuration or a
 * report page must stay readable by others. Reports, pages, the canary's state file and the nginx
 * router's upstream file are all written this way.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Replaces {@code target} with {@code content}, creating its directory when needed. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    /**
     * Also forces the data and then the directory entry to disk before returning, so the new content
     * survives a power cut too (the canary's state file, which every transition depends on).
     */
    public static void writeDurably(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
        try {
            keepPermissions(temp, absolute);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            if (durable) {
                forceDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void keepPermissions(Path temp, Path target) throws IOException {
        if (!temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target) ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temp, permissions);
    }

    private static void forceDirectory(Path dir) {
        // The rename is durable once the directory is; not every OS lets a directory be opened for this.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already on disk
        }
    }
}
