package io.jenkins.plugins.mlstages.deploy;

import java.time.Instant;

/** What {@link CanaryController} asks its driver to do next. */
public sealed interface CanaryAction {
    /** Tell the router to send {@code weight} % to the canary, then read it back. */
    record SetWeight(int weight) implements CanaryAction {
    }

    /** Blue/green: run the smoke checks (and the behaviour rules) against the green version now. */
    record Smoke() implements CanaryAction {
    }

    /** Run every analysis check now. */
    record Analyse() implements CanaryAction {
    }

    /** Nothing to do before {@code time}. */
    record WaitUntil(Instant time) implements CanaryAction {
    }

    /**
     * Point {@code previousAlias} at {@code stableVersion} (when there was a champion), then
     * {@code championAlias} at {@code version}. Both are idempotent, so an interrupted promotion is
     * simply done again.
     */
    record PromoteAliases(String model, String championAlias, String version, String previousAlias,
            String stableVersion) implements CanaryAction {
    }

    /**
     * Put {@code championAlias} and {@code previousAlias} back to what they were before the canary
     * (null: the alias was not set, so it is removed if set).
     */
    record RestoreAliases(String model, String championAlias, String originalChampion, String previousAlias,
            String originalPrevious) implements CanaryAction {
    }

    /** The canary has ended: the router is at 100 % of one version and the aliases agree. */
    record Done(CanaryVerdict verdict) implements CanaryAction {
    }
}
