package io.jenkins.plugins.mlstages.deploy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when the code under test sleeps: a canary of minutes runs in milliseconds. */
final class TestTime extends Clock implements Sleeper {
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private Instant now = START;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    Duration elapsed() {
        return Duration.between(START, now);
    }
}
