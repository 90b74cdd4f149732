package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * For every point of a canary where something can go wrong — each router set and read, each metric
 * query, each alias move, each save of the state file — the fault is injected there (the router or
 * the metric source or the registry failing for good or once, or the process dying right after a
 * save, after the router applied a weight, or after an alias moved), the faults are then healed, and
 * the canary is resumed, or aborted. Every time, the canary must end with the router at 100 % of one
 * version and the aliases agreeing with it, the state file must read back after every single save, and
 * a crash alone must never change the verdict.
 */
public class CanaryFaultMatrixTest {
    static final String QUERY = "error_rate{version=\"2\"}";
    static final Map<String, String> BEFORE = Map.of("champion", "1", "previous", "0");
    static final Map<String, String> PROMOTED = Map.of("champion", "2", "previous", "1");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private int worlds;

    enum Scenario {
        /** Passes every analysis: promoted. */
        HEALTHY,
        /** Errors once it takes half the traffic: rolled back at 50 %. */
        FAILING_AT_50,
        /** No data at 50 %, holds, then data comes back healthy: promoted. */
        HOLD_THEN_HEALTHY
    }

    enum FaultKind {
        ROUTER_SET_FAILS_FROM, ROUTER_SET_FAILS_ONCE, ROUTER_READ_FAILS_FROM, CRASH_AFTER_ROUTER_APPLIED,
        METRICS_FAIL_FROM, ALIAS_FAILS_FROM, ALIAS_FAILS_ONCE, CRASH_AFTER_ALIAS_MOVED, CRASH_AFTER_SAVE;

        boolean isCrash() {
            return name().startsWith("CRASH");
        }

        boolean isTransient() {
            return isCrash() || this == ALIAS_FAILS_ONCE || this == ROUTER_SET_FAILS_ONCE;
        }
    }

    enum FollowUp {
        RESUME, ABORT
    }

    /** Fresh fakes, a fresh state file, a clock at the start. */
    final class World {
        final TestTime time = new TestTime();
        final Fakes.Router router = new Fakes.Router(0);
        final Fakes.Metrics metrics = new Fakes.Metrics(router);
        final Fakes.Aliases aliases = new Fakes.Aliases();
        final Fakes.Store store;
        final Scenario scenario;

        World(Scenario scenario) {
            this.scenario = scenario;
            store = new Fakes.Store(folder.getRoot().toPath().resolve("state-" + ++worlds + ".json"));
            aliases.aliases.putAll(BEFORE);
            switch (scenario) {
                case HEALTHY:
                    metrics.constant(QUERY, 0.001);
                    break;
                case FAILING_AT_50:
                    metrics.of(QUERY, (at, weight) -> OptionalDouble.of(weight >= 50 ? 0.3 : 0.001));
                    break;
                default:
                    // No data during the first minute at 50 %, then healthy.
                    metrics.of(QUERY, (at, weight) -> weight >= 50 && at.isBefore(TestTime.START.plusSeconds(90))
                            ? OptionalDouble.empty() : OptionalDouble.of(0.001));
            }
        }

        CanaryPlan plan() {
            CanaryPlan plan = CanaryPlan.of("fraud", "2", List.of(10, 50, 100), Duration.ofSeconds(20),
                    List.of(AnalysisCheck.absolute("error_rate", QUERY, null, 0.01))).withAnalysesPerStep(2).withFailureLimit(2);
            return scenario == Scenario.HOLD_THEN_HEALTHY
                    ? plan.withInconclusive(1, InconclusivePolicy.HOLD, Duration.ofMinutes(10)) : plan;
        }

        CanaryRun run() {
            return new CanaryRun(store, router, metrics, aliases, StageLog.NONE, time, time,
                    new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(2)));
        }

        void heal() {
            router.heal();
            metrics.fails.heal();
            aliases.heal();
            store.crashAfter = Integer.MAX_VALUE;
        }

        void inject(FaultKind kind, int at) {
            switch (kind) {
                case ROUTER_SET_FAILS_FROM -> router.setFails.at(at, false);
                case ROUTER_SET_FAILS_ONCE -> router.setFails.at(at, true);
                case ROUTER_READ_FAILS_FROM -> router.readFails.at(at, false);
                case CRASH_AFTER_ROUTER_APPLIED -> router.setCrashesAfterApplying.at(at, true);
                case METRICS_FAIL_FROM -> metrics.fails.at(at, false);
                case ALIAS_FAILS_FROM -> aliases.fails.at(at, false);
                case ALIAS_FAILS_ONCE -> aliases.fails.at(at, true);
                case CRASH_AFTER_ALIAS_MOVED -> aliases.crashesAfterApplying.at(at, true);
                default -> store.crashAfter = at;
            }
        }

        /** The invariant: ended, router at 0 or 100, the aliases agreeing with it. */
        CanaryState assertEnded(String label) throws Exception {
            CanaryState state = store.load();
            assertTrue(label + ": phase " + state.phase(), state.isDone());
            if (router.weight == 100) {
                assertEquals(label, CanaryVerdict.PROMOTED, state.verdict());
                assertEquals(label, PROMOTED, aliases.aliases);
            } else {
                assertEquals(label + ": router in between", 0, router.weight);
                assertTrue(label, state.verdict() != CanaryVerdict.PROMOTED);
                assertEquals(label, BEFORE, aliases.aliases);
            }
            return state;
        }
    }

    /** How many calls each port gets in a run without faults: the points at which to inject them. */
    private Map<FaultKind, Integer> points(Scenario scenario) throws Exception {
        World clean = new World(scenario);
        clean.run().start(clean.plan());
        clean.assertEnded(scenario + " without faults");
        int sets = clean.router.setFails.calls;
        int reads = clean.router.readFails.calls;
        return Map.of(FaultKind.ROUTER_SET_FAILS_FROM, sets, FaultKind.ROUTER_SET_FAILS_ONCE, sets,
                FaultKind.ROUTER_READ_FAILS_FROM, reads, FaultKind.CRASH_AFTER_ROUTER_APPLIED, sets,
                FaultKind.METRICS_FAIL_FROM, clean.metrics.fails.calls, FaultKind.ALIAS_FAILS_FROM, clean.aliases.calls,
                FaultKind.ALIAS_FAILS_ONCE, clean.aliases.calls, FaultKind.CRASH_AFTER_ALIAS_MOVED, clean.aliases.calls,
                FaultKind.CRASH_AFTER_SAVE, clean.store.saves);
    }

    private static CanaryVerdict expected(Scenario scenario) {
        return scenario == Scenario.FAILING_AT_50 ? CanaryVerdict.ROLLED_BACK : CanaryVerdict.PROMOTED;
    }

    @Test
    public void theInvariantHoldsWhateverFailsWherever() throws Exception {
        int cases = 0;
        List<String> outcomes = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            Map<FaultKind, Integer> points = points(scenario);
            for (FaultKind kind : FaultKind.values()) {
                assertTrue(scenario + " " + kind + " has no injection point", points.get(kind) > 0);
                for (int at = 1; at <= points.get(kind); at++) {
                    for (FollowUp followUp : FollowUp.values()) {
                        String label = scenario + " " + kind + " at " + at + " then " + followUp;
                        outcomes.add(label + ": " + runCase(scenario, kind, at, followUp, label));
                        cases++;
                    }
                }
            }
        }
        // 3 scenarios x 9 kinds x every point x 2 follow-ups.
        assertTrue("only " + cases + " cases", cases >= 200);
        Map<String, Long> kinds = outcomes.stream().map(o -> o.substring(o.indexOf(": ") + 2).replaceAll("crash .*? ->", "crash ->")
                .replaceAll("\\d+", "N")).collect(java.util.stream.Collectors.groupingBy(o -> o, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
        System.out.println("canary fault matrix: " + cases + " cases, invariant held in all: " + kinds);
    }

    private String runCase(Scenario scenario, FaultKind kind, int at, FollowUp followUp, String label) throws Exception {
        World world = new World(scenario);
        world.inject(kind, at);
        String first;
        CanaryResult result = null;
        try {
            result = world.run().start(world.plan());
            first = "ended " + result.verdict();
            world.assertEnded(label + " (first run)");
        } catch (Fakes.Crash crash) {
            first = crash.getMessage();
        } catch (DeployException pending) {
            first = "pending";
            CanaryState state = world.store.load();
            assertNotNull(label + ": exit 3 without pending in the state file", state.pending());
            assertTrue(label, state.phase() == CanaryPhase.ROLLING_BACK || state.phase() == CanaryPhase.PROMOTING);
        }
        // The state file is readable wherever the run stopped.
        boolean endedBefore = world.store.load().isDone();
        world.heal();
        CanaryResult end = followUp == FollowUp.RESUME ? world.run().resume() : world.run().abort("aborted by the matrix");
        CanaryState state = world.assertEnded(label);
        assertEquals(label, state.verdict(), end.verdict());
        if (result != null) {
            assertEquals(label + ": a follow-up changed an ended canary", result.verdict(), end.verdict());
        }
        if (kind.isTransient() && followUp == FollowUp.RESUME) {
            assertEquals(label + ": a crash or one-off failure changed the verdict (" + first + ")", expected(scenario), end.verdict());
        }
        if (followUp == FollowUp.ABORT && !endedBefore && state.verdict() == CanaryVerdict.PROMOTED) {
            fail(label + ": an abort of a canary under way promoted it");
        }
        return first + " -> " + end.verdict();
    }

    @Test
    public void aSecondCrashDuringResumeIsResumedToo() throws Exception {
        for (Scenario scenario : Scenario.values()) {
            int saves = points(scenario).get(FaultKind.CRASH_AFTER_SAVE);
            for (int first = 2; first <= saves; first += 2) {
                for (int second = 1; second <= 4; second++) {
                    String label = scenario + " crash after save " + first + ", then after save " + second + " of the resume";
                    World world = new World(scenario);
                    world.store.crashAfter = first;
                    expectCrash(label, () -> world.run().start(world.plan()));
                    if (world.store.load().isDone()) {
                        continue;
                    }
                    world.store.crashAfter = world.store.saves + second;
                    try {
                        world.run().resume();
                    } catch (Fakes.Crash crash) {
                        world.heal();
                        world.run().resume();
                    }
                    assertEquals(label, expected(scenario), world.assertEnded(label).verdict());
                }
            }
        }
    }

    private static void expectCrash(String label, ThrowingRunnable run) throws Exception {
        try {
            run.run();
        } catch (Fakes.Crash expected) {
            return;
        }
        // The crash point was past the end: fine, nothing to resume.
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    public void resumeWhileTheRouterIsStillDownStaysPendingAndReadable() throws Exception {
        World world = new World(Scenario.FAILING_AT_50);
        world.router.setFails.at(3, false); // 10 and 50 applied; the rollback to 0 fails
        try {
            world.run().start(world.plan());
            fail("expected the rollback to stay pending");
        } catch (DeployException pending) {
            assertTrue(pending.getMessage(), pending.getMessage().startsWith("router failed while rolling back"));
        }
        for (int i = 0; i < 3; i++) {
            try {
                world.run().resume();
                fail("expected the rollback to stay pending");
            } catch (DeployException stillPending) {
                assertEquals(CanaryPhase.ROLLING_BACK, world.store.load().phase());
                assertEquals(50, world.router.weight);
            }
        }
        world.heal();
        assertEquals(CanaryVerdict.ROLLED_BACK, world.run().resume().verdict());
        world.assertEnded("after the router came back");
        Path file = world.store.file();
        assertTrue(file.toString(), CanaryStateStore.mapper().readTree(file.toFile()).path("pending").isMissingNode());
    }
}
