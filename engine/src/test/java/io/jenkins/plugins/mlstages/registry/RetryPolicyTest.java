package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Test;

/** Tests {@link RetryPolicy}: exponential backoff, cap, jitter and argument checks. */
public class RetryPolicyTest {
    private static final RetryPolicy POLICY = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000),
            Duration.ofMillis(50), Duration.ofSeconds(10));

    @Test
    public void firstBackoffIsInitial() {
        assertEquals(Duration.ofMillis(100), POLICY.backoff(1, 0));
    }

    @Test
    public void backoffDoublesUntilCapped() {
        assertEquals(Duration.ofMillis(200), POLICY.backoff(2, 0));
        assertEquals(Duration.ofMillis(400), POLICY.backoff(3, 0));
        assertEquals(Duration.ofMillis(800), POLICY.backoff(4, 0));
        assertEquals(Duration.ofMillis(1000), POLICY.backoff(5, 0));
        assertEquals(Duration.ofMillis(1000), POLICY.backoff(6, 0));
    }

    @Test
    public void jitterAddsItsShareOfRandom() {
        assertEquals(Duration.ofMillis(125), POLICY.backoff(1, 0.5));
        assertEquals(Duration.ofMillis(1049), POLICY.backoff(9, 0.999));
    }

    @Test
    public void hugeAttemptNumbersDoNotOverflow() {
        assertEquals(Duration.ofMillis(1000), POLICY.backoff(Integer.MAX_VALUE, 0));
        assertEquals(Duration.ofSeconds(60), RetryPolicy.DEFAULT.backoff(1_000_000, 0));
        RetryPolicy big = new RetryPolicy(3, Duration.ofDays(365), Duration.ofDays(365_000), Duration.ZERO,
                Duration.ZERO);
        assertEquals(Duration.ofDays(365_000), big.backoff(100, 0));
        assertTrue(big.backoff(40, 0).compareTo(Duration.ZERO) > 0);
    }

    @Test
    public void aBudgetBoundsByTimeAloneWithTheSameBackoff() {
        RetryPolicy budget = POLICY.withBudget(Duration.ofMinutes(7));
        assertEquals(Duration.ofMinutes(7), budget.getMaxTotalWait());
        assertEquals(Integer.MAX_VALUE, budget.getMaxAttempts());
        for (int attempt = 1; attempt < 8; attempt++) {
            assertEquals(POLICY.backoff(attempt, 0.3), budget.backoff(attempt, 0.3));
        }
        assertEquals(RetryPolicy.DEFAULT_BUDGET, RetryPolicy.DEFAULT.getMaxTotalWait());
        assertThrows(IllegalArgumentException.class, () -> POLICY.withBudget(Duration.ofSeconds(-1)));
    }

    @Test
    public void noneNeverWaits() {
        assertEquals(1, RetryPolicy.NONE.getMaxAttempts());
        assertEquals(Duration.ZERO, RetryPolicy.NONE.backoff(1, 0.9));
    }

    @Test
    public void constructorRejectsBadArguments() {
        Duration one = Duration.ofSeconds(1);
        Duration negative = Duration.ofMillis(-1);
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, one, one, one, one));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1, one, one, one, one));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, negative, one, one, one));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, one, negative, one, one));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, one, one, negative, one));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, one, one, one, negative));
        assertThrows(NullPointerException.class, () -> new RetryPolicy(1, null, one, one, one));
        assertEquals(2, new RetryPolicy(2, one, one, one, one).getMaxAttempts());
    }
}
