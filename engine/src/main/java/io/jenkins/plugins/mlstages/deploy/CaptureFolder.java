package io.jenkins.plugins.mlstages.deploy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** The capture's folder on this machine ({@link CaptureFiles}), compared as it is read: bounded memory. */
public final class CaptureFolder implements CaptureSource {
    private final Path folder;

    public CaptureFolder(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder");
    }

    @Override
    public int count(Instant from, Instant to) {
        AtomicInteger count = new AtomicInteger();
        CaptureFiles.forEach(folder, from, to, Integer.MAX_VALUE, pair -> count.incrementAndGet());
        return count.get();
    }

    @Override
    public CaptureComparison compare(Instant from, Instant to, int max) {
        ShadowComparison comparison = new ShadowComparison();
        CaptureFiles.forEach(folder, from, to, max, comparison::add);
        return comparison.result();
    }
}
