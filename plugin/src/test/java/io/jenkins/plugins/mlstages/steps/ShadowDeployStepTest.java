package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.canary.CanaryCleanup;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouter;
import io.jenkins.plugins.mlstages.canary.ShadowSetup;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.ShadowChecks;
import io.jenkins.plugins.mlstages.deploy.ShadowPhase;
import io.jenkins.plugins.mlstages.deploy.ShadowPlan;
import io.jenkins.plugins.mlstages.deploy.ShadowRun;
import io.jenkins.plugins.mlstages.deploy.ShadowState;
import io.jenkins.plugins.mlstages.deploy.ShadowStateStore;
import io.jenkins.plugins.mlstages.deploy.ShadowVerdict;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.HttpCanaryRouter;
import io.jenkins.plugins.mlstages.canary.KServeCanaryRouter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.After;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * shadowDeploy end to end in Jenkins: the engine's HTTP mirror against a webhook this test serves (it
 * keeps every change), and a capture folder on an agent that a writer thread fills with pairs as the
 * capture would (the live answer, the shadow's agreeing or not), read and compared on that agent.
 */
public class ShadowDeployStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private HttpServer server;
    private final List<Boolean> mirrorChanges = new CopyOnWriteArrayList<>();
    private volatile boolean mirroring;
    private volatile boolean agreeing = true;
    private volatile boolean writing = true;
    private Thread writer;
    private Path captured;
    /** When set, a request that turns the mirror off is held until it opens: the rollback is under way meanwhile. */
    private volatile CountDownLatch holdMirrorOff;
    private final CountDownLatch mirrorOffAsked = new CountDownLatch(1);

    @Before
    public void startFakes() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mirror", this::mirror);
        server.start();
        captured = tmp.newFolder("captured").toPath();
        // The capture: while the mirror is on, a pair every 20 ms with the time it was received.
        writer = new Thread(() -> {
            int i = 0;
            while (writing) {
                try {
                    if (mirroring) {
                        String shadow = agreeing ? "[0, 1]" : "[1, 0]";
                        Files.writeString(captured.resolve("pairs-1.jsonl"), "{\"id\":\"r" + i++ + "\",\"time\":\"" + Instant.now()
                                + "\",\"path\":\"/invocations\",\"live\":{\"status\":200,\"latency_ms\":2,\"body\":\"{\\\"predictions\\\":"
                                + " [0, 1]}\"},\"shadow\":{\"status\":200,\"latency_ms\":3,\"body\":\"{\\\"predictions\\\": " + shadow
                                + "}\"}}\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    Thread.sleep(20);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
    }

    @After
    public void stopFakes() throws InterruptedException {
        writing = false;
        writer.join(5000);
        server.stop(0);
    }

    private void mirror(HttpExchange exchange) throws IOException {
        if ("PUT".equals(exchange.getRequestMethod())) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            mirroring = body.contains("true");
            mirrorChanges.add(mirroring);
            CountDownLatch hold = holdMirrorOff;
            if (!mirroring && hold != null) {
                mirrorOffAsked.countDown();
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        byte[] bytes = ("{\"shadow_mirror\":" + mirroring + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void configure(CanaryRouter... more) throws Exception {
        DumbSlave agent = j.createOnlineSlave();
        HttpCanaryRouter router = new HttpCanaryRouter("webhook", "http://127.0.0.1:" + server.getAddress().getPort() + "/router");
        router.setMirrorUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror");
        router.setCaptureAgent(agent.getNodeName());
        router.setCaptureFolder(captured.toString());
        List<CanaryRouter> routers = new java.util.ArrayList<>(List.of(router));
        routers.addAll(List.of(more));
        CanaryRouters.get().setRouters(routers);
    }

    private WorkflowJob job(String router) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("def r = shadowDeploy model: 'fraud', version: '2', router: '" + router + "',"
                + " duration: '3s', minRequests: 20, check: ['agreement >= 0.97', 'shadow_error_rate <= 0.01']\n"
                + "echo \"verdict=${r.verdict} agreement=${r.metrics.shadow_agreement}\"\n", true));
        return p;
    }

    @Test
    public void anAgreeingShadowIsPromoteReadyAndTheMirrorEndsOff() throws Exception {
        configure();
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, job("webhook").scheduleBuild2(0));
        j.assertLogContains("verdict=PROMOTE_READY agreement=1.0", b);
        assertEquals(List.of(true, false), mirrorChanges);
    }

    @Test
    public void aDisagreeingShadowIsRejectedAndTheMirrorEndsOff() throws Exception {
        agreeing = false;
        configure();
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, job("webhook").scheduleBuild2(0));
        j.assertLogContains("shadowDeploy REJECTED: fraud/2 (behaviour check failed on ", b);
        j.assertLogNotContains("\tat ", b);
        assertEquals(List.of(true, false), mirrorChanges);
    }

    /**
     * A stop while the run is driven leaves the rollback to the driving thread: no second drive is queued behind it for
     * the run's slot (shadowDeploy's stop used to look at the bare ID, not the slot its drive holds, and so queued one that
     * waited up to two minutes).
     */
    @Test
    public void aStopQueuesNoSecondDriveWhileTheDriveTurnsTheMirrorOff() throws Exception {
        configure();
        CountDownLatch hold = new CountDownLatch(1);
        holdMirrorOff = hold;
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("shadowDeploy model: 'fraud', version: '2', router: 'webhook', duration: '1h'\n",
                true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("shadow: mirror on", b);
        try {
            assertEquals("no drive waits before the stop", List.of(), SlotWaiters.now());
            b.doStop();
            assertTrue("the driving thread turns the mirror off", mirrorOffAsked.await(30, TimeUnit.SECONDS));
            assertEquals("drives waiting for the run's slot", List.of(), SlotWaiters.within(2000));
        } finally {
            hold.countDown();
        }
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        assertEquals(List.of(true, false), mirrorChanges);
    }

    /** As canaryDeploy: a router described in the Jenkinsfile is refused with one line, before anything is mirrored. */
    @Test
    public void aRouterDescribedInThePipelineIsRefusedWithOneLine() throws Exception {
        configure();
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("shadowDeploy model: 'fraud', version: '2', duration: '3s', router: nginx(config:"
                + " '/etc/passwd', upstream: 'x', stableServer: 'a:1', canaryServer: 'b:1', reloadCommand: 'touch /tmp/owned')\n",
                true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("shadowDeploy: router: must name a router, e.g. router: 'prod-fraud'; ", b);
        j.assertLogNotContains("\tat ", b);
        assertTrue("nothing was mirrored", mirrorChanges.isEmpty());
    }

    @Test
    public void aKServeRouterSaysShadowModeIsNotSupported() throws Exception {
        configure(new KServeCanaryRouter("kserve-fraud", "fraud"));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, job("kserve-fraud").scheduleBuild2(0));
        j.assertLogContains("kserve router 'kserve-fraud': shadow mode is not supported for a KServe router definition", b);
        j.assertLogNotContains("\tat ", b);
        assertTrue("nothing was mirrored", mirrorChanges.isEmpty());
    }

    @Test
    public void anUnknownMetricIsOneLineBeforeAnythingIsMirrored() throws Exception {
        configure();
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("shadowDeploy model: 'fraud', version: '2', router: 'webhook', duration: '3s',"
                + " check: ['agrement >= 0.97']\n", true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("shadowDeploy: check: ", b);
        j.assertLogNotContains("\tat ", b);
        assertTrue("nothing was mirrored", mirrorChanges.isEmpty());
    }

    @Test
    public void aShadowRunLeftOnWhenItsBuildEndedHasItsMirrorTurnedOffByTheCleanup() throws Exception {
        configure();
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, job("webhook").scheduleBuild2(0));
        // the step registered its run for the cleanup, which found it finished and left it alone
        CanaryCleanupAction action = b.getAction(CanaryCleanupAction.class);
        assertEquals(List.of("webhook"), List.copyOf(action.shadows().values()));
        assertEquals(List.of(true, false), mirrorChanges);

        // A run whose step is gone (terminated, killed, program not loaded): its drive stopped while collecting,
        // mirror on, as a kill -9 would leave it.
        CanaryCleanupAction.registerShadowOn(b, "left", "webhook");
        Path file = Canaries.shadowStateFile(b, "left");
        ShadowSetup setup = CanaryRouters.get().require("webhook").openShadow(b);
        ShadowPlan plan = new ShadowPlan("fraud", "3", null, Duration.ofMinutes(10), 0, 20,
                ShadowChecks.parse(List.of("agreement >= 0.97")), captured.toString(), Duration.ofSeconds(5));
        try {
            new ShadowRun(new ShadowStateStore(file), setup.mirror(), setup.capture(), StageLog.NONE, Clock.systemUTC(),
                    d -> {
                        throw new InterruptedException("killed");
                    }, Backoff.DEFAULT).start(plan);
            fail("the run was meant to stop while collecting");
        } catch (InterruptedException expected) {
            // the drive is gone
        }
        assertEquals(ShadowPhase.COLLECTING, new ShadowStateStore(file).load().phase());
        assertTrue("mirroring", mirroring);

        new CanaryCleanup().onCompleted(b, TaskListener.NULL);
        ShadowState state = new ShadowStateStore(file).load();
        for (long end = System.currentTimeMillis() + 30_000; !state.isDone() && System.currentTimeMillis() < end; ) {
            Thread.sleep(100);
            state = new ShadowStateStore(file).load();
        }
        assertTrue("finished: " + state.phase(), state.isDone());
        assertEquals(ShadowVerdict.ABORTED, state.verdict());
        assertFalse("mirror off", mirroring);
        assertEquals(List.of(true, false, true, false), mirrorChanges);
        // the capture is left alone, and the run is in the build's report next to the step's
        assertTrue(Files.size(captured.resolve("pairs-1.jsonl")) > 0);
        for (long end = System.currentTimeMillis() + 10_000; b.getAction(MlReportAction.class).getStages().size() < 2
                && System.currentTimeMillis() < end; ) {
            Thread.sleep(100);
        }
        assertEquals(2, b.getAction(MlReportAction.class).getStages().size());
        assertTrue(b.getAction(MlReportAction.class).getStages().get(1).getSummary().startsWith("shadowDeploy ABORTED: fraud/3"));
    }
}
