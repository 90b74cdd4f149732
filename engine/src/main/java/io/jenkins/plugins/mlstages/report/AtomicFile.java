package io.jenkins.plugins.mlstages.report;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 *
 * <p>Only a regular file is ever replaced. A symbolic link stays a link: the file it leads to is
 * replaced, in its own directory. A device, a FIFO or a descriptor ({@code /dev/null}, {@code /dev/stdout},
 * {@code /proc/self/fd/1}) is written in place, not atomically. A failure is one
 * {@link UnusableFileException} naming the target as given, never the temporary file.
 */
public final class AtomicFile {
    /** As Linux's limit on a chain of symbolic links (ELOOP). */
    private static final int MAX_LINKS = 40;

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

    /**
     * Fails now, before any work, when {@code target} can never be written: a directory, a path under a
     * regular file, a loop of links. (A full disk or device is only found by writing.)
     */
    public static void checkTarget(Path target) throws UnusableFileException {
        try {
            Path destination = destination(target.toAbsolutePath());
            for (Path dir = destination == null ? null : destination.getParent(); dir != null; dir = dir.getParent()) {
                if (Files.exists(dir)) {
                    if (!Files.isDirectory(dir)) {
                        throw new UnusableFileException(target, "cannot write: " + dir + " is not a directory");
                    }
                    return;
                }
            }
        } catch (UnusableFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UnusableFileException(target, "cannot write: " + InputFiles.reason(e), e);
        }
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        try {
            FileDescriptor standard = standardStream(target.toAbsolutePath());
            Path destination = standard != null ? null : destination(target.toAbsolutePath());
            if (standard != null) {
                writeToStandardStream(standard, content);
            } else if (destination == null) {
                writeDirectly(target, content);
            } else {
                replace(destination, content, durable);
            }
        } catch (UnusableFileException e) {
            throw e;
        } catch (IOException e) {
            // Named as the user gave it, never as the temporary file the failure may have happened on.
            throw new UnusableFileException(target, "cannot write: " + InputFiles.reason(e), e);
        }
    }

    /**
     * Where the content goes: the regular file itself, or the file a symbolic link (chain) leads to, so
     * the link stays a link; null for a target written in place (a device, a FIFO, or a file descriptor
     * such as {@code /dev/stdout}): those are never replaced by a regular file.
     */
    private static Path destination(Path target) throws IOException {
        Path path = target;
        for (int hops = 0; hops <= MAX_LINKS; hops++) {
            if (isDescriptor(path) && Files.exists(path)) {
                return null;
            }
            if (!Files.isSymbolicLink(path)) {
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class);
                } catch (NoSuchFileException absent) {
                    return path;
                }
                if (attributes.isDirectory()) {
                    throw new UnusableFileException(target, "cannot write: is a directory");
                }
                return attributes.isRegularFile() ? path : null;
            }
            path = linkTarget(path);
        }
        throw new UnusableFileException(target, "cannot write: too many levels of symbolic links");
    }

    /**
     * This process's own stdout or stderr, however named ({@code /dev/stdout}, {@code /dev/fd/1},
     * {@code /proc/self/fd/1}, a link to one): written through the open descriptor itself, so that the report
     * continues the output where it stands (opening the name again would start a redirected file from its
     * beginning, over what was written). Null for anything else.
     */
    private static FileDescriptor standardStream(Path target) throws IOException {
        Path path = target;
        for (int hops = 0; hops <= MAX_LINKS; hops++) {
            String text = path.toString();
            if (text.equals("/dev/stdout") || text.equals("/dev/fd/1") || text.equals("/proc/self/fd/1")) {
                return FileDescriptor.out;
            }
            if (text.equals("/dev/stderr") || text.equals("/dev/fd/2") || text.equals("/proc/self/fd/2")) {
                return FileDescriptor.err;
            }
            if (!Files.isSymbolicLink(path)) {
                return null;
            }
            path = linkTarget(path);
        }
        return null;
    }

    /**
     * Where the symbolic link {@code link} points, as the system reads it: relative to the link's real
     * directory. Resolving {@code ..} textually against the name it was reached by would land elsewhere
     * when that name goes through a linked directory (and so would it within the link's own text: not normalized).
     */
    private static Path linkTarget(Path link) throws IOException {
        return link.toAbsolutePath().getParent().toRealPath().resolve(Files.readSymbolicLink(link));
    }

    private static void writeToStandardStream(FileDescriptor descriptor, byte[] content) throws IOException {
        // What this process printed before comes first.
        (descriptor == FileDescriptor.out ? System.out : System.err).flush();
        FileOutputStream stream = new FileOutputStream(descriptor);
        stream.write(content);
        stream.flush();
        // Not closed: that would close the process's own stdout or stderr.
    }

    /** {@code /dev/stdout}, {@code /dev/fd/1}, {@code /proc/self/fd/1}: an open descriptor, not a place for a file. */
    private static boolean isDescriptor(Path path) {
        String text = path.toString();
        return text.startsWith("/proc/") || text.startsWith("/dev/fd/") || text.equals("/dev/stdout")
                || text.equals("/dev/stderr") || text.equals("/dev/stdin");
    }

    /** A device, FIFO or descriptor: written as it is, appending (a descriptor's file may be this process's own log). */
    private static void writeDirectly(Path target, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static void replace(Path absolute, byte[] content, boolean durable) throws IOException {
        Path dir = absolute.getParent();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(e.getFile() + " is not a directory", e);
        }
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
