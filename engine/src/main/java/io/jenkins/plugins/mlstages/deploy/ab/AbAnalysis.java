package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.Serializable;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One analysis: the counts since the split was set and, once both arms had the minimum sample, the
 * test's look at them.
 *
 * @param time ISO-8601 instant
 * @param counts null when the source failed (see {@code note})
 * @param look null before the minimum sample, or when the counts could not be read
 * @param note why there is no look; null when there is one
 */
@JsonPropertyOrder({"time", "counts", "look", "note"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AbAnalysis(String time, ArmCounts counts, MixtureSprt.Look look, String note) implements Serializable {
    public AbAnalysis {
        Objects.requireNonNull(time, "time");
    }
}
