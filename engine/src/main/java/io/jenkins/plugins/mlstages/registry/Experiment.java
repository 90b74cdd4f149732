package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.List;

/** An MLflow experiment. {@code lifecycleStage} is {@code active} or {@code deleted}. */
public record Experiment(String experimentId, String name, String artifactLocation, String lifecycleStage,
        Long creationTime, Long lastUpdateTime, List<Tag> tags) implements Serializable {
    public Experiment {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean isActive() {
        return !"deleted".equals(lifecycleStage);
    }
}
