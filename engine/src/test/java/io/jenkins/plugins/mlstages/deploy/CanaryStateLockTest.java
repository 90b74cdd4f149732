package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * One driver per state file: a second {@link CanaryRun} (or a second process) on a canary that is being
 * driven is refused before it reads the file, and the lock is gone once the driver returns or its
 * process is killed.
 */
public class CanaryStateLockTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final ExecutorService driver = Executors.newSingleThreadExecutor();
    private TestTime time;
    private Fakes.Router router;
    private Fakes.Metrics metrics;
    private Fakes.Aliases aliases;
    private Fakes.Store store;

    @Before
    public void setUp() {
        time = new TestTime();
        router = new Fakes.Router(0);
        metrics = new Fakes.Metrics(router);
        metrics.constant(CanaryRunTest.ERRORS, 0.0);
        aliases = new Fakes.Aliases();
        aliases.aliases.put("champion", "1");
        store = new Fakes.Store(folder.getRoot().toPath().resolve("canary-state.json"));
    }

    @After
    public void stop() {
        driver.shutdownNow();
    }

    private CanaryRun run(Sleeper sleeper) {
        return new CanaryRun(store, router, metrics, aliases, StageLog.NONE, time, sleeper,
                new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    private String held() {
        return store.file() + " is being driven by another process; stop that process, then run --resume or --abort";
    }

    @Test
    public void aSecondDriverIsRefusedWhileTheFirstSleepsAtTenPercent() throws Exception {
        CountDownLatch asleep = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        Sleeper firstSleeps = duration -> {
            if (asleep.getCount() > 0) {
                asleep.countDown();
                assertTrue(wake.await(30, TimeUnit.SECONDS));
            }
            time.sleep(duration);
        };
        CanaryPlan plan = CanaryRunTest.plan(CanaryRunTest.errorRate());
        Future<CanaryResult> first = driver.submit(() -> run(firstSleeps).start(plan));
        assertTrue("the first driver never slept", asleep.await(30, TimeUnit.SECONDS));
        assertEquals(10, router.weight);
        int saves = store.saves;

        // What `--abort` from another shell did before the lock: roll back while the first driver sleeps.
        DeployException abort = assertThrows(DeployException.class, () -> run(time).abort("by the test"));
        assertEquals(held(), abort.getMessage());
        assertEquals(held(), assertThrows(DeployException.class, () -> run(time).resume()).getMessage());
        // Refused before the exists check: not "already holds a canary".
        assertEquals(held(), assertThrows(DeployException.class, () -> run(time).start(plan)).getMessage());
        assertEquals(List.of(10), router.applied);
        assertEquals(saves, store.saves);
        assertEquals(CanaryPhase.PROGRESSING, store.load().phase());

        wake.countDown();
        CanaryResult promoted = first.get(30, TimeUnit.SECONDS);
        assertEquals(CanaryVerdict.PROMOTED, promoted.verdict());
        assertEquals(Map.of("champion", "2", "previous", "1"), aliases.aliases);
        // Released when the drive returned: the next run may look at the file.
        assertEquals(CanaryVerdict.PROMOTED, run(time).abort("too late").verdict());
    }

    @Test
    public void aDriverThatDiesReleasesTheLock() throws Exception {
        store.crashAfter = 4;
        assertThrows(Fakes.Crash.class, () -> run(time).start(CanaryRunTest.plan(CanaryRunTest.errorRate())));
        store.crashAfter = Integer.MAX_VALUE;
        assertEquals(CanaryVerdict.ABORTED, run(time).abort("after the crash").verdict());
        assertEquals(0, router.weight);
    }

    @Test
    public void anotherProcessIsRefusedAndAKilledHolderLeavesItFree() throws Exception {
        Path state = store.file();
        try (CanaryStateLock lock = CanaryStateLock.acquire(state)) {
            assertEquals("held", probe(state, false));
            // A refused attempt inside this JVM must not drop the lock the operating system holds for it.
            assertEquals(held(), assertThrows(DeployException.class, () -> CanaryStateLock.acquire(state)).getMessage());
            assertEquals("held", probe(state, false));
        }
        assertEquals("free", probe(state, false));

        // A holder killed with SIGKILL: its lock dies with it.
        Process holder = probeProcess(state, true);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("holding", out.readLine());
            assertEquals(held(), assertThrows(DeployException.class, () -> CanaryStateLock.acquire(state)).getMessage());
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        CanaryStateLock.acquire(state).close();
    }

    /** Runs {@link Probe} in another JVM: "held" or "free", or with {@code hold} "holding" until killed. */
    private static String probe(Path state, boolean hold) throws Exception {
        Process process = probeProcess(state, hold);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(out, 0, process.exitValue());
        return out;
    }

    private static Process probeProcess(Path state, boolean hold) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
                state.toString(), Boolean.toString(hold)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The other process. */
    public static final class Probe {
        private Probe() {
        }

        public static void main(String[] args) throws Exception {
            try {
                CanaryStateLock lock = CanaryStateLock.acquire(Path.of(args[0]));
                if (Boolean.parseBoolean(args[1])) {
                    System.out.println("holding");
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                lock.close();
                System.out.println("free");
            } catch (DeployException e) {
                System.out.println("held");
            }
        }
    }
}
