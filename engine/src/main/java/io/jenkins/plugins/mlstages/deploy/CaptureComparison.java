package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jenkins.plugins.mlstages.deploy.behaviour.OutputDistribution;

/**
 * What a comparison of captured pairs hands a shadow run ({@link CaptureSource#compare}): the metrics the
 * behaviour checks are judged on, and both versions' outputs over the same bins for the report page. Small
 * (numbers only), so it may cross a Jenkins channel from the capture's node.
 *
 * @param distribution null when no pair was comparable
 */
public record CaptureComparison(Map<String, Double> metrics, OutputDistribution distribution) implements Serializable {
    public CaptureComparison {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
