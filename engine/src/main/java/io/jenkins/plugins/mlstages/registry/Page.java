package io.jenkins.plugins.mlstages.registry;

import java.util.List;
import java.util.Optional;

/** One page of a search; an absent or empty token means it was the last page. */
public record Page<T>(List<T> items, String nextPageToken) {
    public Page {
        items = items == null ? List.of() : List.copyOf(items);
        nextPageToken = nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken;
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextPageToken);
    }
}
