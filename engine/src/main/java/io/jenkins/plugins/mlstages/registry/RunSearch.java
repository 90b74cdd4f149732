package io.jenkins.plugins.mlstages.registry;

import java.util.List;
import java.util.Objects;

/**
 * A run search: experiments, an MLflow filter ({@code metrics.auc > 0.8 AND tags.team = 'x'}),
 * ordering, and the page size (the server caps it at 50,000).
 */
public record RunSearch(List<String> experimentIds, String filter, List<String> orderBy, int maxResults) {
    public static final int MAX_PAGE_SIZE = 50_000;

    public RunSearch {
        experimentIds = List.copyOf(Objects.requireNonNull(experimentIds, "experimentIds"));
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
        if (experimentIds.isEmpty()) {
            throw new IllegalArgumentException("a run search needs at least one experiment id");
        }
        if (maxResults < 1 || maxResults > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("maxResults must be in 1.." + MAX_PAGE_SIZE + ", was " + maxResults);
        }
    }

    public static RunSearch in(String experimentId, String filter) {
        return new RunSearch(List.of(experimentId), filter, List.of(), 1000);
    }

    public RunSearch withMaxResults(int value) {
        return new RunSearch(experimentIds, filter, orderBy, value);
    }

    public RunSearch withOrderBy(List<String> value) {
        return new RunSearch(experimentIds, filter, value, maxResults);
    }
}
