package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Both versions' outputs as a histogram over the same bins, for the report page: for scores, equal-width
 * bins between the smallest and the largest sampled score of either version (the bin names are their
 * lower edges); for labels, the most frequent labels, the rest counted as {@code (other)}.
 *
 * @param kind how the outputs were compared
 * @param bins one name per bin
 * @param live the live version's count per bin
 * @param candidate the candidate's count per bin
 */
@JsonPropertyOrder({"kind", "bins", "live", "candidate"})
public record OutputDistribution(OutputKind kind, List<String> bins, List<Long> live, List<Long> candidate)
        implements Serializable {
    public OutputDistribution {
        bins = List.copyOf(bins);
        live = List.copyOf(live);
        candidate = List.copyOf(candidate);
        if (live.size() != bins.size() || candidate.size() != bins.size()) {
            throw new IllegalArgumentException("one count per bin: " + bins.size() + " bins, " + live.size() + " and "
                    + candidate.size() + " counts");
        }
    }
}
