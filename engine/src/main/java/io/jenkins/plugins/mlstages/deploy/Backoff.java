package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;

/**
 * How often and how patiently a failing router is retried before the canary gives up on it: going
 * forward it then rolls back, rolling back it stops with the rollback pending (exit 3).
 *
 * @param attempts calls in all (≥ 1)
 * @param initial the wait after the first failure, doubled after each further one
 * @param max the longest single wait
 */
public record Backoff(int attempts, Duration initial, Duration max) {
    /** 6 attempts, waiting 1, 2, 4, 8 and 16 s between them: about half a minute. */
    public static final Backoff DEFAULT = new Backoff(6, Duration.ofSeconds(1), Duration.ofSeconds(30));

    public Backoff {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff waits must not be negative");
        }
    }

    /** Whether to try again after failed attempt {@code attempt}: not once attempts are spent, nor when a credential was refused. */
    public boolean retries(int attempt, RuntimeException failure) {
        return attempt < attempts && !(failure instanceof IdentityRefusedException);
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        Duration delay = initial;
        for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
