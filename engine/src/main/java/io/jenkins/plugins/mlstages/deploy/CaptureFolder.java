package io.jenkins.plugins.mlstages.deploy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The capture's folder on this machine ({@link CaptureFiles}). */
public final class CaptureFolder implements CaptureSource {
    private final Path folder;

    public CaptureFolder(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder");
    }

    @Override
    public int count(Instant from, Instant to) {
        return CaptureFiles.read(folder, from, to, ShadowRun.MAX_PAIRS).pairs().size();
    }

    @Override
    public Map<String, Double> compare(Instant from, Instant to, int max) {
        List<CapturedPair> pairs = CaptureFiles.read(folder, from, to, Math.min(max, ShadowRun.MAX_PAIRS)).pairs();
        return ShadowComparison.metrics(pairs);
    }
}
