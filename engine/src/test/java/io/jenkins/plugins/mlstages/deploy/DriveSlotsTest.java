package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

/** One drive per canary, and none after the canary was completed by the drive it waited for. */
public class DriveSlotsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final MovingClock clock = new MovingClock();

    private final class MovingClock extends java.time.Clock {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    public void aFreeSlotIsTakenAndGivenBack() throws Exception {
        DriveSlots slots = new DriveSlots(clock, d -> now.set(now.get().plus(d)));
        assertTrue(slots.acquire("c1", () -> false, Duration.ofMinutes(2)));
        assertTrue(slots.isHeld("c1"));
        assertFalse("a second drive does not take it", slots.tryAcquire("c1"));
        assertTrue("another canary has its own slot", slots.tryAcquire("c2"));
        slots.release("c1");
        assertFalse(slots.isHeld("c1"));
    }

    @Test
    public void aDriveThatWaitedForTheOneThatCompletedTheCanaryDoesNotDriveIt() throws Exception {
        AtomicBoolean completed = new AtomicBoolean();
        DriveSlots[] slots = new DriveSlots[1];
        // while the second drive waits, the first one completes the canary and gives the slot back
        slots[0] = new DriveSlots(clock, d -> {
            now.set(now.get().plus(d));
            completed.set(true);
            slots[0].release("c1");
        });
        assertTrue(slots[0].tryAcquire("c1"));
        assertFalse("the slot is free again, but the canary is completed",
                slots[0].acquire("c1", completed::get, Duration.ofMinutes(2)));
        assertFalse("nothing is held after a refused drive", slots[0].isHeld("c1"));
    }

    @Test
    public void aCompletedCanaryIsNotDrivenAgainEvenWithAFreeSlot() throws Exception {
        DriveSlots slots = new DriveSlots(clock, d -> now.set(now.get().plus(d)));
        assertFalse(slots.acquire("c1", () -> true, Duration.ofMinutes(2)));
        assertFalse(slots.isHeld("c1"));
    }

    @Test
    public void aSlotThatStaysTakenIsGivenUpAfterThePatience() throws Exception {
        DriveSlots slots = new DriveSlots(clock, d -> now.set(now.get().plus(d)));
        assertTrue(slots.tryAcquire("c1"));
        Instant start = now.get();
        assertFalse(slots.acquire("c1", () -> false, Duration.ofMinutes(2)));
        assertTrue(Duration.between(start, now.get()).compareTo(Duration.ofMinutes(2)) > 0);
        assertTrue("the holder keeps it", slots.isHeld("c1"));
    }
}
