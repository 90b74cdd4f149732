package io.jenkins.plugins.mlstages.registry;

import static io.jenkins.plugins.mlstages.registry.FaultyProxy.Fault.LOST_ANSWER;
import static io.jenkins.plugins.mlstages.registry.FaultyProxy.Fault.RATE_LIMITED;
import static io.jenkins.plugins.mlstages.registry.FaultyProxy.Fault.UNAVAILABLE;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Creating runs and model versions is not idempotent on the server. Whatever goes wrong between
 * the client and a real server (a lost answer, 503, 429, the server killed and restarted), a
 * retried create must never leave a second run or version behind.
 */
public class NoDuplicatesIT {
    private static final RetryPolicy FAST = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofMillis(50), Duration.ofSeconds(30));

    private MlflowServer server;
    private FaultyProxy proxy;
    private MlflowRegistry direct;
    private MlflowRegistry throughProxy;

    @Before
    public void setUp() throws Exception {
        server = MlflowServer.shared();
        proxy = new FaultyProxy(server.url());
        direct = new MlflowRegistry(RegistryConfig.builder(server.url()).build());
        throughProxy = new MlflowRegistry(RegistryConfig.builder(proxy.url()).retryPolicy(FAST).build());
    }

    @After
    public void tearDown() {
        throughProxy.close();
        direct.close();
        proxy.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<Run> runsIn(String experimentId) {
        return ModelRegistry.collectPages(token -> direct.searchRuns(RunSearch.in(experimentId, null), token), 10_000);
    }

    @Test
    public void aLostAnswerToRunCreateLeavesOneRun() {
        String experimentId = direct.getOrCreateExperiment(unique("lost-run")).experimentId();
        proxy.inject("runs/create", LOST_ANSWER);
        Run run = throughProxy.createRun(experimentId, "train", Map.of());
        List<Run> runs = runsIn(experimentId);
        assertEquals(1, runs.size());
        assertEquals(run.runId(), runs.get(0).runId());
    }

    @Test
    public void aLostAnswerToModelVersionCreateLeavesOneVersion() {
        String experimentId = direct.getOrCreateExperiment(unique("lost-version")).experimentId();
        String runId = direct.createRun(experimentId, "train", Map.of()).runId();
        String model = unique("lost-version-model");
        proxy.inject("registered-models/create", LOST_ANSWER);
        proxy.inject("model-versions/create", LOST_ANSWER, UNAVAILABLE);
        assertEquals(model, throughProxy.createRegisteredModel(model, null, Map.of()).name());
        ModelVersion version = throughProxy.createModelVersion(NewModelVersion.fromRun(model, runId, "model"));
        List<ModelVersion> versions = direct.searchModelVersions("name = '" + model + "'", 100, null).items();
        assertEquals(1, versions.size());
        assertEquals("1", version.version());
    }

    @Test
    public void refusalsWith503And429AreRetriedIntoOneRunAndOneVersion() {
        proxy.inject("experiments/create", LOST_ANSWER);
        String experimentId = throughProxy.createExperiment(unique("refused"), Map.of());
        proxy.inject("runs/create", UNAVAILABLE, RATE_LIMITED, UNAVAILABLE);
        Run run = throughProxy.createRun(experimentId, "train", Map.of());
        assertEquals(List.of(run.runId()), runsIn(experimentId).stream().map(Run::runId).toList());

        String model = unique("refused-model");
        direct.createRegisteredModel(model, null, Map.of());
        proxy.inject("model-versions/create", RATE_LIMITED, UNAVAILABLE);
        throughProxy.createModelVersion(NewModelVersion.fromRun(model, run.runId(), "model"));
        assertEquals(1, direct.searchModelVersions("name = '" + model + "'", 100, null).items().size());
    }

    @Test
    public void killingTheServerMidStreamLeavesNoDuplicate() throws Exception {
        MlflowServer victim = MlflowServer.startPrivate("killed");
        RetryPolicy patient = new RetryPolicy(200, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMillis(100),
                Duration.ofMinutes(3));
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (MlflowRegistry client = new MlflowRegistry(RegistryConfig.builder(victim.url()).retryPolicy(patient).build())) {
            String experimentId = client.getOrCreateExperiment("kill").experimentId();
            String model = "killed-model";
            client.createRegisteredModel(model, null, Map.of());
            int count = 60;
            AtomicInteger progress = new AtomicInteger();
            Future<List<String>> creates = background.submit(() -> {
                List<String> made = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String runId = client.createRun(experimentId, "run-" + i, Map.of()).runId();
                    client.createModelVersion(NewModelVersion.fromRun(model, runId, "model"));
                    made.add(runId);
                    progress.incrementAndGet();
                }
                return made;
            });
            while (progress.get() < 5) {
                Thread.sleep(5);
            }
            victim.kill();
            int doneAtKill = progress.get();
            victim.startProcess();
            List<String> made = creates.get(5, TimeUnit.MINUTES);
            assertTrue("the server died mid-stream, after " + doneAtKill + " of " + count, doneAtKill < count);

            List<Run> runs = ModelRegistry.collectPages(token -> client.searchRuns(RunSearch.in(experimentId, null), token), 10_000);
            Set<String> requestIds = new HashSet<>();
            runs.forEach(run -> requestIds.add(run.tagMap().get(MlflowRegistry.REQUEST_ID_TAG)));
            assertEquals("one run per create", count, runs.size());
            assertEquals("no request made two runs", count, requestIds.size());
            assertEquals(new HashSet<>(made), new HashSet<>(runs.stream().map(Run::runId).toList()));
            List<ModelVersion> versions = ModelRegistry.collectPages(
                    token -> client.searchModelVersions("name = '" + model + "'", 1000, token), 10_000);
            assertEquals("one version per create", count, versions.size());
            assertTrue(victim.restarts() >= 1);
        } finally {
            background.shutdownNow();
            victim.close();
        }
    }
}
