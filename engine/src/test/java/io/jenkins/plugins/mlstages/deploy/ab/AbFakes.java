package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;

/** Virtual time, a router, simulated traffic and stores for the A/B tests: hours of a test run in milliseconds. */
final class AbFakes {
    private AbFakes() {
    }

    /** What a kill -9 does to the driver: it stops between two actions. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("simulated crash " + where);
        }
    }

    /** A clock that moves only when the code under test sleeps. */
    static final class Time extends Clock implements Sleeper {
        static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
        private Instant now = START;

        @Override
        public void sleep(Duration duration) {
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
    }

    /** A router that remembers every weight it was told; it can fail, or crash right after applying. */
    static final class Router implements TrafficRouter {
        int weight;
        final List<Integer> applied = new ArrayList<>();
        int failFromWeight = -1; // every set to this weight fails
        int crashAfterSets = -1; // crash after this many sets (0-based count of sets done)

        @Override
        public void setCanaryWeight(int percent) {
            if (percent == failFromWeight) {
                throw new DeployException("router refused " + percent + " %");
            }
            weight = percent;
            applied.add(percent);
            if (crashAfterSets >= 0 && applied.size() > crashAfterSets) {
                crashAfterSets = -1;
                throw new Crash("after setting the router to " + percent + " %");
            }
        }

        @Override
        public int canaryWeight() {
            return weight;
        }

        @Override
        public String describe() {
            return "fake router";
        }
    }

    /**
     * Simulated traffic: every minute {@code perMinute} requests, each sent to the candidate with
     * probability weight/100 and converting with its arm's rate. The minutes are drawn in order from one
     * seeded generator and kept, so the counts at a time do not depend on how often they are read: a run
     * resumed after a crash sees the same traffic as one that was not interrupted.
     */
    static final class Traffic implements ArmSource {
        private final Clock clock;
        private final Random random;
        private final int perMinute;
        private final double weight;
        private final double controlRate;
        private final double candidateRate;
        private final List<long[]> cumulative = new ArrayList<>();
        private final long offset; // running totals before the test: the baseline must remove them
        boolean fail;

        Traffic(Clock clock, long seed, int perMinute, int weight, double controlRate, double candidateRate) {
            this.clock = clock;
            this.random = new Random(seed);
            this.perMinute = perMinute;
            this.weight = weight / 100.0;
            this.controlRate = controlRate;
            this.candidateRate = candidateRate;
            this.offset = 1000;
            cumulative.add(new long[4]);
        }

        @Override
        public ArmCounts counts(Instant at) {
            if (fail) {
                throw new DeployException("prometheus down");
            }
            long minutes = Math.max(0, Duration.between(Time.START, at).toMinutes());
            while (cumulative.size() <= minutes) {
                long[] c = cumulative.get(cumulative.size() - 1).clone();
                for (int i = 0; i < perMinute; i++) {
                    boolean candidate = random.nextDouble() < weight;
                    int arm = candidate ? 2 : 0;
                    c[arm]++;
                    if (random.nextDouble() < (candidate ? candidateRate : controlRate)) {
                        c[arm + 1]++;
                    }
                }
                cumulative.add(c);
            }
            long[] c = cumulative.get((int) minutes);
            return new ArmCounts(c[0] + offset, c[1] + offset / 10, c[2] + offset, c[3] + offset / 10);
        }

        @Override
        public ArmCounts baseline(Instant at) {
            return counts(at);
        }

        @Override
        public String describe() {
            return "simulated traffic";
        }
    }

    /** Keeps the state in memory (no fsync: hundreds of simulated tests run in a second); the lock is on {@code file}. */
    static class MemoryStore extends AbStateStore {
        AbState state;
        int saves;

        MemoryStore(Path file) {
            super(file);
        }

        @Override
        public boolean exists() {
            return state != null;
        }

        @Override
        public void save(AbState s) throws IOException {
            state = s;
            saves++;
        }

        @Override
        public AbState load() throws IOException {
            if (state == null) {
                throw new NoSuchFileException(file().toString());
            }
            return state;
        }
    }

    /**
     * Keeps the state as the JSON the state file would hold (written and read back through the state
     * file's mapper, so what a resume sees is what survived serialisation), without the fsyncs; it can
     * crash right after save number {@code crashAfter} (1-based), as a kill -9 would.
     */
    static final class JsonStore extends AbStateStore {
        private byte[] json;
        int crashAfter = -1;
        int saves;

        JsonStore(Path file) {
            super(file);
        }

        @Override
        public boolean exists() {
            return json != null;
        }

        @Override
        public void save(AbState s) throws IOException {
            json = CanaryStateStore.mapper().writeValueAsBytes(s);
            if (++saves == crashAfter) {
                throw new Crash("after save " + saves + " (phase " + s.phase() + ")");
            }
        }

        @Override
        public AbState load() throws IOException {
            if (json == null) {
                throw new NoSuchFileException(file().toString());
            }
            return CanaryStateStore.mapper().readValue(json, AbState.class);
        }
    }

    /** Saves to the real file, then crashes after save number {@code crashAfter} (1-based). */
    static final class CrashingStore extends AbStateStore {
        private final int crashAfter;
        int saves;

        CrashingStore(Path file, int crashAfter) {
            super(file);
            this.crashAfter = crashAfter;
        }

        @Override
        public void save(AbState s) throws IOException {
            super.save(s);
            if (++saves == crashAfter) {
                throw new Crash("after save " + saves + " (phase " + s.phase() + ")");
            }
        }
    }
}
