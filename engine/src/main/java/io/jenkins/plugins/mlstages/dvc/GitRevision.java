package io.jenkins.plugins.mlstages.dvc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commit a git working tree has checked out, read from {@code .git} without running git: HEAD, the
 * branch it names (a loose ref, else {@code packed-refs}), following a worktree's or submodule's
 * {@code .git} file ({@code gitdir: ...}) and its {@code commondir}.
 */
public final class GitRevision {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private GitRevision() {
    }

    /** The commit of the git repository holding {@code folder}, or empty when there is none or it cannot be read. */
    public static Optional<String> of(Path folder) {
        for (Path dir = folder.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            if (Files.exists(dotGit)) {
                try {
                    return head(gitDir(dotGit));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Path gitDir(Path dotGit) throws IOException {
        if (Files.isDirectory(dotGit)) {
            return dotGit;
        }
        String line = firstLine(dotGit);
        if (!line.startsWith("gitdir:")) {
            throw new IOException(dotGit + " names no gitdir");
        }
        return dotGit.getParent().resolve(line.substring("gitdir:".length()).trim()).normalize();
    }

    private static Optional<String> head(Path gitDir) throws IOException {
        String head = firstLine(gitDir.resolve("HEAD"));
        if (COMMIT.matcher(head).matches()) {
            return Optional.of(head);
        }
        if (!head.startsWith("ref:")) {
            return Optional.empty();
        }
        String ref = head.substring("ref:".length()).trim();
        Path common = gitDir;
        Path commonDir = gitDir.resolve("commondir");
        if (Files.isRegularFile(commonDir)) {
            common = gitDir.resolve(firstLine(commonDir)).normalize();
        }
        for (Path dir : new Path[] {gitDir, common}) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String commit = firstLine(loose);
                return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 2);
                if (parts.length == 2 && parts[1].trim().equals(ref) && COMMIT.matcher(parts[0]).matches()) {
                    return Optional.of(parts[0]);
                }
            }
        }
        return Optional.empty(); // a branch without commits yet
    }

    private static String firstLine(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("").trim();
        }
    }
}
