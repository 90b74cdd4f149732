package io.jenkins.plugins.mlstages.deploy;

import java.time.Instant;

/**
 * What a shadow run reads of the capture: how many pairs arrived in a window, and the comparison of
 * the first of them. The comparison runs where the capture's files are ({@link CaptureFolder} here, or
 * on the capture's host through a Jenkins agent), so only numbers travel.
 */
public interface CaptureSource {
    /**
     * @param from inclusive
     * @param to exclusive
     * @throws DeployException when the capture cannot be read
     */
    int count(Instant from, Instant to);

    /** The comparison ({@link ShadowComparison}) of the first {@code max} pairs of the window. */
    CaptureComparison compare(Instant from, Instant to, int max);
}
