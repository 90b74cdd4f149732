package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/** In-memory ports for the driver's unit tests, each able to fail or "crash" at a chosen call. */
final class Fakes {
    private Fakes() {
    }

    /** Stands for kill -9: an Error nothing in the driver catches, thrown at an exact point. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("crash " + where);
        }
    }

    /** When a fake misbehaves: at calls {@code from} to {@code to} (1-based, inclusive). */
    static final class Fault {
        int from = Integer.MAX_VALUE;
        int to = Integer.MAX_VALUE;
        int calls;

        /** Counts a call; true when this call is to misbehave. */
        boolean hit() {
            calls++;
            return calls >= from && calls <= to;
        }

        /** Misbehaves at call {@code call} only, or from it on. */
        void at(int call, boolean onlyOnce) {
            between(call, onlyOnce ? call : Integer.MAX_VALUE);
        }

        void between(int first, int last) {
            calls = 0;
            from = first;
            to = last;
        }

        void heal() {
            from = Integer.MAX_VALUE;
        }
    }

    static final class Router implements TrafficRouter {
        int weight;
        final List<Integer> applied = new ArrayList<>();
        final Fault setFails = new Fault();
        final Fault setCrashesAfterApplying = new Fault();
        final Fault readFails = new Fault();
        /** Reports another weight than the one applied (a router that did not take the change). */
        final Fault readLies = new Fault();
        String description = "fake router";

        Router(int weight) {
            this.weight = weight;
        }

        @Override
        public void setCanaryWeight(int canaryPercent) {
            if (setFails.hit()) {
                throw new DeployException("fake router refused " + canaryPercent + " %");
            }
            weight = canaryPercent;
            applied.add(canaryPercent);
            if (setCrashesAfterApplying.hit()) {
                throw new Crash("after the router applied " + canaryPercent + " %");
            }
        }

        @Override
        public int canaryWeight() {
            if (readFails.hit()) {
                throw new DeployException("fake router unreadable");
            }
            return readLies.hit() ? (weight + 1) % 101 : weight;
        }

        @Override
        public String describe() {
            return description;
        }

        void heal() {
            setFails.heal();
            setCrashesAfterApplying.heal();
            readFails.heal();
            readLies.heal();
        }
    }

    /** Values per query, computed from the router's current weight and the time. */
    static final class Metrics implements MetricSource {
        final Map<String, BiFunction<Instant, Integer, OptionalDouble>> series = new HashMap<>();
        final Router router;
        final Fault fails = new Fault();
        final List<String> asked = new ArrayList<>();

        Metrics(Router router) {
            this.router = router;
        }

        Metrics constant(String query, double value) {
            series.put(query, (time, weight) -> OptionalDouble.of(value));
            return this;
        }

        Metrics empty(String query) {
            series.put(query, (time, weight) -> OptionalDouble.empty());
            return this;
        }

        Metrics of(String query, BiFunction<Instant, Integer, OptionalDouble> value) {
            series.put(query, value);
            return this;
        }

        @Override
        public OptionalDouble query(String query, Instant at) {
            asked.add(query);
            if (fails.hit()) {
                throw new DeployException("fake prometheus: 503 Service Unavailable");
            }
            BiFunction<Instant, Integer, OptionalDouble> value = series.get(query);
            return value == null ? OptionalDouble.empty() : value.apply(at, router.weight);
        }

        @Override
        public String describe() {
            return "fake prometheus";
        }
    }

    static final class Aliases implements ModelAliases {
        final Map<String, String> aliases = new HashMap<>();
        final Fault fails = new Fault();
        final Fault crashesAfterApplying = new Fault();
        int calls;

        @Override
        public Optional<String> version(String model, String alias) {
            return Optional.ofNullable(aliases.get(alias));
        }

        @Override
        public void set(String model, String alias, String version) {
            change(alias, version);
        }

        @Override
        public void remove(String model, String alias) {
            change(alias, null);
        }

        private void change(String alias, String version) {
            calls++;
            if (fails.hit()) {
                throw new DeployException("fake registry: 503 while moving alias " + alias);
            }
            if (version == null) {
                aliases.remove(alias);
            } else {
                aliases.put(alias, version);
            }
            if (crashesAfterApplying.hit()) {
                throw new Crash("after alias " + alias + " moved");
            }
        }

        @Override
        public boolean exists(String model, String version) {
            return !"404".equals(version);
        }

        void heal() {
            fails.heal();
            crashesAfterApplying.heal();
        }
    }

    /** A real state file that checks every save reads back, and can crash right after save number {@code crashAfter}. */
    static class Store extends CanaryStateStore {
        int saves;
        int crashAfter = Integer.MAX_VALUE;
        final List<CanaryState> history = new ArrayList<>();

        Store(Path file) {
            super(file);
        }

        @Override
        public void save(CanaryState state) throws IOException {
            super.save(state);
            saves++;
            CanaryState read = load();
            if (!read.equals(state)) {
                throw new AssertionError("state file does not read back as written:\n" + state + "\n" + read);
            }
            history.add(read);
            if (saves == crashAfter) {
                throw new Crash("after save " + saves);
            }
        }
    }
}
