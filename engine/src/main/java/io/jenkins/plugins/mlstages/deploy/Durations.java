package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;

/** Durations in messages: whole seconds when they are, milliseconds otherwise. */
final class Durations {
    private Durations() {
    }

    static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
