package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * The one check every input file goes through, in the CLI and in the plugin's steps alike: it exists,
 * is a regular file (a directory, a device such as {@code /dev/zero} or a FIFO is refused before it is
 * opened, so nothing blocks or reads forever), and can be opened (else the system's reason, e.g.
 * "permission denied"). Files read whole into memory also have a size cap, so a wrong file fails with
 * a clear line instead of an OutOfMemoryError; data files are streamed and have none (docs/cli.md).
 */
public final class InputFiles {
    private static final long MIB = 1024 * 1024;
    /** A schema (YAML or JSON): hand-written, a few KiB. */
    public static final long SCHEMA_CAP = 16 * MIB;
    /** A stage report, metrics report or lineage graph: curves and slices keep them within a few MiB. */
    public static final long REPORT_CAP = 64 * MIB;
    /** A profile saved with --save-profile: up to --sample-size numbers per numeric column. */
    public static final long PROFILE_CAP = 512 * MIB;
    /** The canary's state file, a kubeconfig, an nginx router file: small configuration. */
    public static final long CONFIG_CAP = 16 * MIB;
    /** A token or CA certificate file. */
    public static final long SECRET_CAP = 1 * MIB;

    private InputFiles() {
    }

    /** Fails with one line naming {@code file} unless it is an existing regular file we may read. */
    public static void requireReadable(Path file) throws UnusableFileException {
        BasicFileAttributes attributes = attributes(file);
        requireRegular(file, attributes);
        // Only now opened: a FIFO would block here, a device would never end.
        try (InputStream ignored = Files.newInputStream(file)) {
            // readable
        } catch (IOException e) {
            throw new UnusableFileException(file, reason(e), e);
        }
    }

    /**
     * Fails with one line naming {@code file} when it exists but is not a regular file: for a file that
     * keeps state between runs, which a device such as {@code /dev/null} would silently lose.
     */
    public static void requireRegularOrAbsent(Path file) throws UnusableFileException {
        if (Files.exists(file)) {
            requireRegular(file, attributes(file));
        }
    }

    /**
     * The whole file, after {@link #requireReadable}; {@code what} names it in the message when it is larger
     * than {@code cap} bytes, e.g. "a schema".
     */
    public static byte[] readAll(Path file, long cap, String what) throws UnusableFileException {
        BasicFileAttributes attributes = attributes(file);
        requireRegular(file, attributes);
        if (attributes.size() > cap) {
            throw tooLarge(file, attributes.size(), cap, what);
        }
        try (InputStream in = Files.newInputStream(file)) {
            // Bounded again while reading: the file may grow after the size was taken.
            byte[] content = in.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 8));
            if (content.length > cap) {
                throw tooLarge(file, content.length, cap, what);
            }
            return content;
        } catch (UnusableFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UnusableFileException(file, reason(e), e);
        }
    }

    /** The system's reason for an I/O failure, in lower case and without the file name it may repeat. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        reason = reason.strip().replaceAll("\\s+", " ");
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    /**
     * A parser's complaint about a file's content, on one line and without Java class names, and never with
     * any of the file's content: a kubeconfig or a token file must not be echoed into a build log. For YAML,
     * SnakeYAML's problem and context without its snippet of the file; for JSON, Jackson's own message less
     * the token it quotes; else the message, less a leading {@code java.io.SomeException: } (a binary file
     * read as UTF-8 text, for one). Also for a value Jackson could not convert (an IllegalArgumentException).
     */
    public static String parseProblem(Exception e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException) {
            org.yaml.snakeyaml.error.MarkedYAMLException yaml = (org.yaml.snakeyaml.error.MarkedYAMLException) e.getCause();
            String problem = yaml.getContext() == null ? String.valueOf(yaml.getProblem())
                    : yaml.getContext() + ": " + yaml.getProblem();
            return problem.strip().replaceAll("\\s+", " ");
        }
        String text = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage() : e.getMessage();
        text = text == null ? "unreadable content" : text.strip().replaceAll("\\s+", " ");
        while (text.matches("^[\\w.$]+(Exception|Error): .*")) {
            text = text.substring(text.indexOf(": ") + 2);
        }
        // Jackson quotes what it could not read: "Unrecognized token 'SECRET': was expecting ...".
        text = text.replaceAll("^Unrecognized token '.*?': was expecting", "Unrecognized token: was expecting")
                .replaceAll("from String \"(?:[^\"\\\\]|\\\\.)*\"", "from a String");
        // Jackson's limits name the Java setting: "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)".
        return text.replaceAll(", from `[^`]*`\\)", ")");
    }

    /** {@link #parseProblem}, then where: " at line 3, column 7" when the parser knows. */
    public static String parseProblemAndPlace(IOException e) {
        com.fasterxml.jackson.core.JsonLocation where = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation() : null;
        return where == null || where.getLineNr() < 1 ? parseProblem(e)
                : parseProblem(e) + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    /** "a FIFO", "a character device", ...: what a non-regular, non-directory file is. */
    static String kind(Path file) {
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            switch (mode & 0170000) {
                case 0010000:
                    return "a FIFO";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    return "a special file";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    private static BasicFileAttributes attributes(Path file) throws UnusableFileException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new UnusableFileException(file, Files.isSymbolicLink(file) ? "is a broken symbolic link" : "does not exist", e);
        } catch (IOException e) {
            throw new UnusableFileException(file, reason(e), e);
        }
    }

    private static void requireRegular(Path file, BasicFileAttributes attributes) throws UnusableFileException {
        if (attributes.isDirectory()) {
            throw new UnusableFileException(file, "is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new UnusableFileException(file, "is " + kind(file) + ", not a regular file");
        }
    }

    private static UnusableFileException tooLarge(Path file, long size, long cap, String what) {
        return new UnusableFileException(file, "is " + megabytes(size) + "; " + what + " is read whole and may be at most "
                + megabytes(cap));
    }

    private static String megabytes(long bytes) {
        return bytes >= MIB ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB) : bytes + " bytes";
    }
}
