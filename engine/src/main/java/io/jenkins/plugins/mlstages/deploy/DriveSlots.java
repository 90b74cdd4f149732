package io.jenkins.plugins.mlstages.deploy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * One driver at a time per canary: a drive takes the canary's slot before it acts and gives it back when
 * it ends. A drive that had to wait for the slot checks again, once it holds it, whether the canary was
 * completed meanwhile (by the drive it waited for): a second drive of a finished canary would record and
 * report it twice.
 */
public final class DriveSlots {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Sleeper sleeper;

    public DriveSlots() {
        this(Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public DriveSlots(Clock clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Takes the slot of canary {@code id}, waiting up to {@code patience} while another drive holds it.
     *
     * @param completed whether the canary is completed; asked while waiting and again once the slot is taken
     * @return true when this drive holds the slot and the canary is not completed (then {@link #release}
     *         it); false when the canary is completed or the slot stayed taken, and then nothing is held
     */
    public boolean acquire(String id, BooleanSupplier completed, Duration patience) throws InterruptedException {
        Instant deadline = clock.instant().plus(patience);
        while (!held.add(id)) {
            if (completed.getAsBoolean() || clock.instant().isAfter(deadline)) {
                return false;
            }
            sleeper.sleep(POLL);
        }
        if (completed.getAsBoolean()) {
            held.remove(id);
            return false;
        }
        return true;
    }

    /** Takes the slot without waiting: for a drive that has nothing to do if another one is under way. */
    public boolean tryAcquire(String id) {
        return held.add(id);
    }

    public void release(String id) {
        held.remove(id);
    }

    public boolean isHeld(String id) {
        return held.contains(id);
    }
}
