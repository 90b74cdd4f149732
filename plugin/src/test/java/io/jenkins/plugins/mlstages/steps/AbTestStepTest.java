package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlstages.canary.Canaries;
import io.jenkins.plugins.mlstages.canary.CanaryCleanup;
import io.jenkins.plugins.mlstages.canary.CanaryCleanupAction;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.CanarySetup;
import io.jenkins.plugins.mlstages.canary.HttpCanaryRouter;
import io.jenkins.plugins.mlstages.canary.PrometheusAnalysisSource;
import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.ab.AbMetric;
import io.jenkins.plugins.mlstages.deploy.ab.AbPhase;
import io.jenkins.plugins.mlstages.deploy.ab.AbPlan;
import io.jenkins.plugins.mlstages.deploy.ab.AbState;
import io.jenkins.plugins.mlstages.deploy.ab.AbStateStore;
import io.jenkins.plugins.mlstages.deploy.ab.AbTestRun;
import io.jenkins.plugins.mlstages.deploy.ab.AbVerdict;
import io.jenkins.plugins.mlstages.deploy.ab.NoWinnerAction;
import io.jenkins.plugins.mlstages.deploy.ab.PrometheusArmSource;
import io.jenkins.plugins.mlstages.deploy.ab.PromoteRule;
import io.jenkins.plugins.mlstages.deploy.PrometheusMetricSource;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * abTest end to end in Jenkins: the engine's HTTP router against a webhook this test serves (it keeps every
 * change), and a Prometheus this test serves whose four counters grow with time, the candidate converting at
 * {@link #candidateRate} and the control at 10 %.
 */
public class AbTestStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private HttpServer server;
    private final List<Integer> weights = new CopyOnWriteArrayList<>();
    private volatile int weight;
    private volatile double candidateRate = 0.4;
    private final long started = System.currentTimeMillis();
    /** When set, a request that sets the weight to 0 is held until it opens: the rollback is under way meanwhile. */
    private volatile CountDownLatch holdRollback;
    private final CountDownLatch rollbackAsked = new CountDownLatch(1);

    @Before
    public void startFakes() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/router", this::router);
        server.createContext("/api/v1/query", this::prometheus);
        server.start();
        CanaryRouters.get().setRouters(List.of(new HttpCanaryRouter("webhook", url("/router"))));
    }

    @After
    public void stopFakes() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void router(HttpExchange exchange) throws IOException {
        if ("PUT".equals(exchange.getRequestMethod())) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            weight = Integer.parseInt(body.replaceAll("[^0-9]", ""));
            weights.add(weight);
            CountDownLatch hold = holdRollback;
            if (weight == 0 && hold != null) {
                rollbackAsked.countDown();
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        send(exchange, "{\"canary_weight\":" + weight + "}");
    }

    /** Two requests per arm per 10 ms since the test began: ct/cc the control's trials and conversions, tt/tc the candidate's. */
    private void prometheus(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        }
        String query = "";
        for (String pair : raw.split("&")) {
            if (pair.startsWith("query=")) {
                query = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        long trials = (System.currentTimeMillis() - started) / 5;
        long value = switch (query) {
            case "ct", "tt" -> trials;
            case "cc" -> trials / 10;
            case "tc" -> Math.round(trials * candidateRate);
            default -> -1;
        };
        send(exchange, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[0,\""
                + value + "\"]}]}}");
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private WorkflowJob job(String more) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("def r = abTest model: 'churn', version: '2', router: 'webhook', duration: '6s',"
                + " interval: '1s', minSample: 100, analysisSource: prometheus(url: '" + url("") + "'), controlTrials: 'ct',"
                + " controlConversions: 'cc', candidateTrials: 'tt', candidateConversions: 'tc'" + more + "\n"
                + "echo \"verdict=${r.verdict} winner=${r.winner}\"\n", true));
        return p;
    }

    @Test
    public void aBetterCandidateIsPromoted() throws Exception {
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, job("").scheduleBuild2(0));
        j.assertLogContains("verdict=PROMOTED winner=candidate", b);
        assertEquals(List.of(50, 100), weights);
    }

    @Test
    public void noDifferenceRollsBackAndFails() throws Exception {
        candidateRate = 0.1;
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, job(", weight: 30").scheduleBuild2(0));
        j.assertLogContains("abTest ROLLED_BACK: churn/2, winner inconclusive", b);
        j.assertLogNotContains("\tat ", b);
        assertEquals(List.of(30, 0), weights);
    }

    /** A stop while the test is driven leaves the rollback to the driving thread: no second drive waits for the slot. */
    @Test
    public void aStopRollsBackOnTheDrivingThreadWithoutQueueingASecondDrive() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        holdRollback = hold;
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("abTest model: 'churn', version: '2', router: 'webhook', duration: '1h',"
                + " interval: '1h', analysisSource: prometheus(url: '" + url("") + "'), controlTrials: 'ct',"
                + " controlConversions: 'cc', candidateTrials: 'tt', candidateConversions: 'tc'\n", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("ab-test: candidate at 50 %", b);
        try {
            b.doStop();
            assertTrue("the driving thread rolls back", rollbackAsked.await(30, TimeUnit.SECONDS));
            assertEquals("drives waiting for the test's slot", List.of(), SlotWaiters.within(2000));
        } finally {
            hold.countDown();
        }
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        assertEquals(List.of(50, 0), weights);
    }

    @Test
    public void aBadSettingIsOneLineBeforeTheRouterIsTouched() throws Exception {
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, job(", promoteWhen: 'not-worse'").scheduleBuild2(0));
        j.assertLogContains("abTest: margin: ", b);
        j.assertLogNotContains("\tat ", b);
        assertTrue(weights.isEmpty());
    }

    @Test
    public void aTestLeftSplitWhenItsBuildEndedIsRolledBackByTheCleanup() throws Exception {
        WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, job("").scheduleBuild2(0));
        assertEquals(1, b.getAction(CanaryCleanupAction.class).abTests().size());
        weights.clear();
        // a test whose step is gone, its drive stopped while running at 40 %, as a kill -9 would leave it
        CanarySetup setup = new CanarySetup("webhook", null, new PrometheusAnalysisSource(url("")), null, null);
        CanaryCleanupAction.registerAbTestOn(b, "left", setup);
        Path file = Canaries.abStateFile(b, "left");
        AbPlan plan = new AbPlan("churn", "3", null, 40, Duration.ofMinutes(10), Duration.ofMinutes(1), 100, 0, 0.05, 0.05,
                PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.ROLLBACK, AbMetric.prometheus("ct", "cc", "tt", "tc"));
        try {
            new AbTestRun(new AbStateStore(file), CanaryRouters.get().require("webhook").open(b, d -> { }, Optional.empty()),
                    new PrometheusArmSource(new PrometheusMetricSource(url(""), Optional.empty(), Duration.ofSeconds(10)),
                            plan.metric()), StageLog.NONE, Clock.systemUTC(), d -> {
                                throw new InterruptedException("killed");
                            }, Backoff.DEFAULT).start(plan);
            fail("the test was meant to stop while running");
        } catch (InterruptedException expected) {
            // the drive is gone
        }
        assertEquals(AbPhase.RUNNING, new AbStateStore(file).load().phase());
        assertEquals(40, weight);

        new CanaryCleanup().onCompleted(b, TaskListener.NULL);
        AbState state = new AbStateStore(file).load();
        for (long end = System.currentTimeMillis() + 30_000; !state.isDone() && System.currentTimeMillis() < end; ) {
            Thread.sleep(100);
            state = new AbStateStore(file).load();
        }
        assertTrue("finished: " + state.phase(), state.isDone());
        assertEquals(AbVerdict.ABORTED, state.verdict());
        assertEquals(0, weight);
        assertEquals(List.of(40, 0), weights);
    }
}
