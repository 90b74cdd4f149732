package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;

/** Waits; the seam that lets tests run a canary of minutes in milliseconds, with a clock that moves when it sleeps. */
@FunctionalInterface
public interface Sleeper {
    /** The real one: {@link Thread#sleep}. */
    Sleeper SYSTEM = duration -> Thread.sleep(Math.max(0, duration.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
