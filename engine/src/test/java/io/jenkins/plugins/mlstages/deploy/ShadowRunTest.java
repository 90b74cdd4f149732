package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.report.Status;

public class ShadowRunTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private TestTime time;
    private Mirror mirror;
    private Path captured;

    /** A mirror that is on or off, can refuse to change, and counts what it was told. */
    static final class Mirror implements ShadowMirror {
        boolean on;
        boolean failing;
        final List<Boolean> applied = new ArrayList<>();

        @Override
        public void setMirroring(boolean value) {
            if (failing) {
                throw new DeployException("nginx reload failed");
            }
            applied.add(value);
            on = value;
        }

        @Override
        public boolean mirroring() {
            return on;
        }

        @Override
        public String describe() {
            return "test mirror";
        }
    }

    /** A real state file that can crash (as kill -9 would) right after save number {@code crashAfter}. */
    static final class Store extends ShadowStateStore {
        int saves;
        int crashAfter = Integer.MAX_VALUE;

        Store(Path file) {
            super(file);
        }

        @Override
        public void save(ShadowState state) throws IOException {
            super.save(state);
            assertEquals("the state file reads back as written", state, load());
            if (++saves == crashAfter) {
                throw new Fakes.Crash("after save " + saves);
            }
        }
    }

    @Before
    public void setUp() throws IOException {
        time = new TestTime();
        mirror = new Mirror();
        captured = folder.newFolder("captured").toPath();
    }

    private ShadowPlan plan(int requests, int minRequests, String... checks) {
        return new ShadowPlan("fraud", "2", "1", Duration.ofSeconds(60), requests, minRequests, ShadowChecks.parse(List.of(checks)),
                captured.toString(), Duration.ofSeconds(5));
    }

    private ShadowRun run(ShadowStateStore store) {
        return new ShadowRun(store, mirror, new CaptureFolder(captured), null, time, time, new Backoff(2, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    /** {@code n} pairs at {@code second} s after the start, each 4 predictions, the shadow's all equal to the live ones or 2 of 4 different. */
    private void capture(int n, int second, int disagree, String shadowStatus) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String live = "{\\\"predictions\\\": [0, 1, 0, 1]}";
            String shadow = disagree == 0 ? live : "{\\\"predictions\\\": [1, 0, 0, 1]}";
            lines.append("{\"id\":\"r").append(second).append('-').append(i).append("\",\"time\":\"")
                    .append(TestTime.START.plusSeconds(second)).append("\",\"path\":\"/invocations\",")
                    .append("\"live\":{\"status\":200,\"latency_ms\":3.5,\"body\":\"").append(live).append("\"},")
                    .append("\"shadow\":{\"status\":").append(shadowStatus).append(",\"latency_ms\":4.5,\"body\":\"").append(shadow)
                    .append("\"}}\n");
        }
        Files.writeString(captured.resolve("pairs-" + second + ".jsonl"), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    public void anAgreeingShadowIsPromoteReadyAndTheMirrorEndsOff() throws Exception {
        capture(150, 10, 0, "200");
        capture(1, -5, 2, "200"); // before the mirror was on: not this run's
        ShadowResult result = run(new Store(folder.getRoot().toPath().resolve("s.json"))).start(plan(0, 100, "agreement >= 0.97",
                "prediction_psi <= 0.1"));
        assertEquals(ShadowVerdict.PROMOTE_READY, result.verdict());
        assertEquals(Status.PASSED, result.status());
        assertEquals(List.of(true, false), mirror.applied);
        assertFalse(mirror.on);
        assertEquals(150.0, result.metrics().get("shadow_paired_requests"), 0);
        assertEquals(1.0, result.metrics().get("shadow_agreement"), 0);
        assertEquals(Duration.ofSeconds(60), time.elapsed());
        assertTrue(result.timeline().stream().allMatch(e -> e.weight() == 0));
    }

    @Test
    public void aDisagreeingShadowIsRejectedOnItsPredictionsAlone() throws Exception {
        capture(150, 10, 2, "200");
        ShadowResult result = run(new Store(folder.getRoot().toPath().resolve("s.json"))).start(plan(0, 100, "agreement >= 0.97",
                "shadow_error_rate <= 0.01"));
        assertEquals(ShadowVerdict.REJECTED, result.verdict());
        assertEquals(Status.FAILED, result.status());
        assertEquals(0.5, result.metrics().get("shadow_agreement"), 1e-9);
        assertEquals(0.0, result.metrics().get("shadow_error_rate"), 0);
        assertEquals(4.5, result.metrics().get("shadow_latency_p50_ms"), 1e-9);
        assertEquals(0.0, result.metrics().get("shadow_live_error_rate"), 0);
        assertFalse("prefixed once", result.metrics().keySet().stream().anyMatch(k -> k.startsWith("shadow_shadow_")));
        // both versions' outputs, for the report page: 600 rows each; the shadow swapped 0 and 1 in 2 of 4
        assertEquals(600L, result.distribution().live().stream().mapToLong(Long::longValue).sum());
        assertEquals(result.distribution().live(), result.distribution().candidate());
        assertTrue(result.reason(), result.reason().startsWith("behaviour check failed on 150 paired requests: agreement 0.5 [>= 0.97] FAIL"));
        assertFalse(mirror.on);
    }

    @Test
    public void theRequestCountEndsCollectionEarlyAndOnlyThatManyAreJudged() throws Exception {
        capture(80, 3, 0, "200");
        capture(80, 7, 2, "500");
        ShadowResult result = run(new Store(folder.getRoot().toPath().resolve("s.json"))).start(plan(50, 50, "shadow_error_rate <= 0"));
        assertEquals(ShadowVerdict.PROMOTE_READY, result.verdict());
        assertEquals(50.0, result.metrics().get("shadow_paired_requests"), 0);
        assertEquals(Duration.ofSeconds(5), time.elapsed());
    }

    @Test
    public void tooFewCapturedRequestsAreNoEvidence() throws Exception {
        capture(20, 10, 0, "200");
        ShadowResult result = run(new Store(folder.getRoot().toPath().resolve("s.json"))).start(plan(0, 100, "agreement >= 0.97"));
        assertEquals(ShadowVerdict.REJECTED, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("only 20 paired requests captured (min 100)"));
    }

    @Test
    public void aCheckWithoutAValueRejects() throws Exception {
        capture(150, 10, 0, "503");
        ShadowResult result = run(new Store(folder.getRoot().toPath().resolve("s.json"))).start(plan(0, 100, "agreement >= 0.97"));
        assertEquals(ShadowVerdict.REJECTED, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("behaviour check without a value"));
    }

    @Test
    public void aMirrorThatCannotStartRejectsWithoutComparing() throws Exception {
        mirror.failing = true;
        Store store = new Store(folder.getRoot().toPath().resolve("s.json"));
        try {
            run(store).start(plan(0, 100, "agreement >= 0.97"));
            fail("a mirror that cannot be turned off either leaves the run pending");
        } catch (DeployException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("run --resume to finish"));
        }
        assertEquals(ShadowVerdict.REJECTED, store.load().verdict());
        assertEquals(ShadowPhase.STOPPING, store.load().phase());
        mirror.failing = false;
        ShadowResult result = run(new Store(store.file())).resume();
        assertEquals(ShadowVerdict.REJECTED, result.verdict());
        assertTrue(result.reason(), result.reason().startsWith("the mirror failed: nginx reload failed (after 2 attempts)"));
        assertNull(store.load().pending());
        assertFalse(mirror.on);
    }

    @Test
    public void abortWhileCollectingStopsTheMirrorAndAJudgedRunKeepsItsVerdict() throws Exception {
        Store store = new Store(folder.getRoot().toPath().resolve("s.json"));
        store.crashAfter = 2; // mirror on and confirmed, collecting
        try {
            run(store).start(plan(0, 100, "agreement >= 0.97"));
            fail("crashed");
        } catch (Fakes.Crash expected) {
            // the driver is gone
        }
        assertTrue(mirror.on);
        ShadowResult aborted = run(new Store(store.file())).abort("stopped by hand");
        assertEquals(ShadowVerdict.ABORTED, aborted.verdict());
        assertFalse(mirror.on);
        assertEquals(ShadowVerdict.ABORTED, run(new Store(store.file())).abort("again").verdict());
    }

    /** kill -9 after every save of the run, then resume: always the verdict of an uninterrupted run, mirror off. */
    @Test
    public void aCrashAfterAnySaveResumesToTheSameConsistentEnd() throws Exception {
        capture(150, 10, 2, "200");
        ShadowPlan plan = plan(0, 100, "agreement >= 0.97");
        Store reference = new Store(folder.getRoot().toPath().resolve("reference.json"));
        ShadowResult uninterrupted = run(reference).start(plan);
        int saves = reference.saves;
        assertEquals("started, mirror on, judged, mirror off", 4, saves);
        for (int crashAfter = 1; crashAfter < saves; crashAfter++) {
            time = new TestTime();
            mirror = new Mirror();
            Store store = new Store(folder.getRoot().toPath().resolve("crash-" + crashAfter + ".json"));
            store.crashAfter = crashAfter;
            try {
                run(store).start(plan);
                fail("no crash after save " + crashAfter);
            } catch (Fakes.Crash expected) {
                // as if killed
            }
            time.advance(Duration.ofSeconds(2));
            ShadowResult resumed = run(new Store(store.file())).resume();
            assertEquals("crash after save " + crashAfter, uninterrupted.verdict(), resumed.verdict());
            assertEquals("crash after save " + crashAfter, uninterrupted.metrics(), resumed.metrics());
            assertFalse("crash after save " + crashAfter + ": mirror left on", mirror.on);
            assertEquals(ShadowPhase.DONE, store.load().phase());
        }
    }

    @Test
    public void aStartedRunIsNeverStartedOverAndAnotherMirrorCannotResumeIt() throws Exception {
        capture(150, 10, 0, "200");
        Path file = folder.getRoot().toPath().resolve("s.json");
        run(new Store(file)).start(plan(0, 100, "agreement >= 0.97"));
        try {
            run(new Store(file)).start(plan(0, 100, "agreement >= 0.97"));
            fail("started over");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("already holds a shadow run"));
        }
    }
}
