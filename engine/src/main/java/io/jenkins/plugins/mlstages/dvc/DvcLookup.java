package io.jenkins.plugins.mlstages.dvc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * Whether a data file is tracked by DVC, and what DVC recorded about it. The DVC repository is the
 * nearest folder above the file with a {@code .dvc/} folder; the file is tracked when a
 * {@code dvc.lock} or {@code *.dvc} file in its folder or a folder above it (up to the root) declares
 * it, or a directory holding it, as an output. A file inside a tracked directory takes its MD5 from the
 * directory's manifest in the cache ({@code .dvc/cache/files/md5/xx/yyyy.dir} for DVC 3,
 * {@code .dvc/cache/xx/yyyy.dir} for DVC 2, or the {@code cache.dir} that {@code .dvc/config} names).
 *
 * <p>Comparing reads the file once more to take its MD5: this happens only for DVC-tracked files.
 */
public final class DvcLookup {
    private static final String DOT_DVC = ".dvc";

    private DvcLookup() {
    }

    /**
     * {@link #find}, for a stage reading {@code file}: logs what DVC records about it, and turns an
     * unreadable DVC file into a bad input naming it (exit 2). With {@link DvcPolicy#OFF} the file is not
     * compared (not read again).
     */
    public static Optional<DvcTracking> forStage(Path file, StageLog log, DvcPolicy policy)
            throws DataFormatException, IOException {
        try {
            Optional<DvcTracking> tracking = find(file, policy != DvcPolicy.OFF);
            tracking.ifPresent(t -> log.info(t.line()));
            return tracking;
        } catch (DvcFileException e) {
            throw new DataFormatException(e.file(), 0, null, e.problem(), e);
        }
    }

    /** What DVC records about {@code file}, compared with the file on disk; empty when DVC does not track it. */
    public static Optional<DvcTracking> find(Path file) throws DvcFileException, IOException {
        return find(file, true);
    }

    /** As {@link #find(Path)}; {@code compare} false leaves the file unread (no actual md5, no verdict). */
    public static Optional<DvcTracking> find(Path file, boolean compare) throws DvcFileException, IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path root = repositoryRoot(absolute).orElse(null);
        if (root == null) {
            return Optional.empty();
        }
        String relative = DvcFiles.relative(root, absolute);
        Optional<DvcOutput> found = output(root, absolute, relative);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DvcOutput output = found.get();
        String md5 = null;
        String note = null;
        if (!output.directory()) {
            md5 = output.md5();
            note = md5 == null ? output.declaredIn() + " records no md5 for " + output.path() : null;
        } else {
            Map<String, String> files = output.files();
            if (files.isEmpty()) {
                Optional<Path> manifest = manifest(root, output);
                if (manifest.isEmpty()) {
                    note = "the manifest of " + output.path() + " (" + output.md5() + ") is not in the DVC cache";
                } else {
                    files = DvcFiles.manifest(manifest.get());
                }
            }
            if (note == null) {
                String inside = relative.substring(output.path().length() + 1);
                md5 = files.get(inside);
                note = md5 == null ? inside + " is not listed in the manifest of " + output.path() : null;
            }
        }
        String actual = null;
        Boolean matches = null;
        if (md5 != null && compare) {
            String[] digests = md5(absolute, !output.dvc3());
            boolean legacy = digests[1] != null && md5.equalsIgnoreCase(digests[1]);
            actual = legacy ? digests[1] : digests[0];
            matches = md5.equalsIgnoreCase(actual);
        }
        return Optional.of(new DvcTracking(root.toString(), relative, md5, actual, matches, output.path(), output.stage(),
                output.declaredIn(), GitRevision.of(root).orElse(DvcTracking.UNKNOWN), note));
    }

    /** The nearest folder at or above {@code file}'s folder with a {@code .dvc/} folder. */
    static Optional<Path> repositoryRoot(Path file) {
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DOT_DVC))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The most specific output covering the file, from the DVC files of its folder and those above, up to the root. */
    private static Optional<DvcOutput> output(Path root, Path file, String relative) throws DvcFileException, IOException {
        List<DvcOutput> covering = new ArrayList<>();
        for (Path dir = file.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
            List<Path> dvcFiles = new ArrayList<>();
            if (Files.isRegularFile(dir.resolve(DvcFiles.LOCK))) {
                dvcFiles.add(dir.resolve(DvcFiles.LOCK));
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(p -> p.getFileName().toString().endsWith(DOT_DVC) && Files.isRegularFile(p))
                        .sorted().forEach(dvcFiles::add);
            }
            for (Path dvcFile : dvcFiles) {
                DvcFiles.outputs(root, dvcFile).stream().filter(o -> o.covers(relative)).forEach(covering::add);
            }
        }
        return covering.stream().max(Comparator.comparingInt(o -> o.path().length()));
    }

    /** The directory manifest in the cache, where this output's DVC version puts it first. */
    private static Optional<Path> manifest(Path root, DvcOutput output) throws IOException {
        String md5 = output.md5();
        if (md5 == null || md5.length() < 3) {
            return Optional.empty();
        }
        Path cache = cacheDir(root);
        Path dvc3 = cache.resolve("files").resolve("md5").resolve(md5.substring(0, 2)).resolve(md5.substring(2));
        Path dvc2 = cache.resolve(md5.substring(0, 2)).resolve(md5.substring(2));
        for (Path candidate : output.dvc3() ? List.of(dvc3, dvc2) : List.of(dvc2, dvc3)) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code cache.dir} of {@code .dvc/config.local} or {@code .dvc/config} (relative to {@code .dvc/}), else {@code .dvc/cache}. */
    static Path cacheDir(Path root) throws IOException {
        Path dotDvc = root.resolve(DOT_DVC);
        for (String name : List.of("config.local", "config")) {
            Path config = dotDvc.resolve(name);
            if (!Files.isRegularFile(config)) {
                continue;
            }
            String section = "";
            for (String raw : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                String line = raw.trim();
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1).trim().replace("'", "").replace("\"", "");
                } else if (section.equals("cache") && line.matches("dir\\s*=.*")) {
                    return dotDvc.resolve(line.substring(line.indexOf('=') + 1).trim()).normalize();
                }
            }
        }
        return dotDvc.resolve("cache");
    }

    /** DVC 2 read files in chunks of this size and turned CRLF into LF within each chunk. */
    private static final int LEGACY_CHUNK = 1 << 20;
    /** DVC 2 judged a file text or binary by its first 512 bytes. */
    private static final int TEXT_BLOCK = 512;

    /**
     * The file's MD5 as DVC 3 takes it (of the bytes) and, when {@code legacy}, as DVC 2 took it (null
     * otherwise): for a file whose first 512 bytes look like text (no NUL, at most 30 % other than
     * printable ASCII and \n \r \t \f \b), the MD5 after CRLF → LF within each 1 MiB chunk (a CRLF split
     * by a chunk boundary stays); for a binary file the plain MD5. One read for both.
     */
    static String[] md5(Path file, boolean legacy) throws IOException {
        MessageDigest plain = newMd5();
        MessageDigest unix = legacy ? newMd5() : null;
        byte[] chunk = new byte[LEGACY_CHUNK];
        byte[] converted = legacy ? new byte[LEGACY_CHUNK] : null;
        Boolean text = null;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.readNBytes(chunk, 0, chunk.length); n > 0; n = in.readNBytes(chunk, 0, chunk.length)) {
                plain.update(chunk, 0, n);
                if (unix == null) {
                    continue;
                }
                if (text == null) {
                    text = isText(chunk, Math.min(n, TEXT_BLOCK));
                }
                if (!text) {
                    unix.update(chunk, 0, n);
                    continue;
                }
                int length = 0;
                for (int i = 0; i < n; i++) {
                    if (!(chunk[i] == '\r' && i + 1 < n && chunk[i + 1] == '\n')) {
                        converted[length++] = chunk[i];
                    }
                }
                unix.update(converted, 0, length);
            }
        }
        return new String[] {HexFormat.of().formatHex(plain.digest()), unix == null ? null : HexFormat.of().formatHex(unix.digest())};
    }

    /** DVC's text heuristic over the first {@code length} bytes. */
    static boolean isText(byte[] block, int length) {
        int other = 0;
        for (int i = 0; i < length; i++) {
            int b = block[i] & 0xff;
            if (b == 0) {
                return false;
            }
            boolean textChar = (b >= 32 && b < 127) || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == '\b';
            if (!textChar) {
                other++;
            }
        }
        return length == 0 || (double) other / length <= 0.30;
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this Java runtime", e);
        }
    }
}
