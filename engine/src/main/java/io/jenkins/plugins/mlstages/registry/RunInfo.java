package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;

/** The identity and state of a run. */
public record RunInfo(String runId, String runName, String experimentId, RunStatus status, Long startTime,
        Long endTime, String artifactUri, String lifecycleStage) implements Serializable {
}
