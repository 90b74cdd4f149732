package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * When to try a request again: at most {@code maxAttempts} tries, waiting
 * {@code initialBackoff * 2^(n-1)} (capped at {@code maxBackoff}) plus up to {@code jitter} between
 * them, or what the server's {@code Retry-After} asks for, and starting no try later than
 * {@code maxTotalWait} (the retry budget) after the first.
 */
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The retry budget of {@link #DEFAULT}: about as long as the official client retries. */
    public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(2);

    /** Exponential backoff from 1 s up to 60 s for as long as the budget lasts: bounded by time alone. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofSeconds(1), DEFAULT_BUDGET);

    /** One try, no retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration jitter;
    private final Duration maxTotalWait;

    public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration jitter,
            Duration maxTotalWait) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = requireNonNegative(initialBackoff, "initialBackoff");
        this.maxBackoff = requireNonNegative(maxBackoff, "maxBackoff");
        this.jitter = requireNonNegative(jitter, "jitter");
        this.maxTotalWait = requireNonNegative(maxTotalWait, "maxTotalWait");
    }

    private static Duration requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    /** The retry budget: no try starts later than this after the first. */
    public Duration getMaxTotalWait() {
        return maxTotalWait;
    }

    /**
     * The same backoff bounded by time alone: tries until {@code budget} is spent, however many that
     * takes ({@link Duration#ZERO}: one try, no retry). What a user's retry-budget setting makes.
     */
    public RetryPolicy withBudget(Duration budget) {
        return new RetryPolicy(Integer.MAX_VALUE, initialBackoff, maxBackoff, jitter, budget);
    }

    /**
     * The pause before attempt {@code failedAttempts + 1}.
     *
     * @param failedAttempts how many attempts failed so far, at least 1
     * @param random a number in [0, 1) that spreads clients apart
     */
    public Duration backoff(int failedAttempts, double random) {
        long base = initialBackoff.toMillis();
        int shift = Math.min(failedAttempts - 1, 30);
        long exponential = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        long capped = Math.min(exponential, maxBackoff.toMillis());
        return Duration.ofMillis(capped + (long) (jitter.toMillis() * random));
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
                + maxBackoff + ", jitter=" + jitter + ", maxTotalWait=" + maxTotalWait + "]";
    }
}
