package io.jenkins.plugins.mlstages.steps;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import hudson.EnvVars;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.mlstages.canary.CanaryRouter;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.HttpCanaryRouter;
import io.jenkins.plugins.mlstages.canary.NginxCanaryRouter;
import io.jenkins.plugins.mlstages.canary.PrometheusAnalysisSource;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.NewModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.ui.MlReportAction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * blueGreenDeploy end to end, on the fakes of {@link CanaryDeployStepTest} (green is its "canary" scoring server, which
 * answers 1 - x): the engine's HTTP router against a webhook this test serves (it keeps the
 * weight and every change), Prometheus's HTTP API answered with the value the test chooses (a canary
 * must pass or fail on demand), and a real MLflow server for the aliases. The webhook and MLflow outlive
 * the Jenkins sessions, so a restart in the middle of a canary is seen from outside.
 */
public class BlueGreenDeployStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private HttpServer server;
    private final List<Integer> weights = new CopyOnWriteArrayList<>();
    private volatile int weight;
    private volatile String errorRate = "0.001";
    private String model;

    @Before
    public void startFakes() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/router", this::router);
        server.createContext("/api/v1/query", this::prometheus);
        // two scoring servers of the MLflow protocol for behaviour rules: the stable answers x, the canary 1 - x
        server.createContext("/stable/invocations", exchange -> score(exchange, false));
        server.createContext("/canary/invocations", exchange -> score(exchange, true));
        server.start();
        model = "blue-green-" + UUID.randomUUID().toString().substring(0, 8);
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(MlflowServer.shared().url()).build())) {
            String runId = registry.createRun(registry.getOrCreateExperiment("plugin-canary").experimentId(), "train",
                    Map.of()).runId();
            registry.createRegisteredModel(model, null, Map.of());
            registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model"));
            registry.createModelVersion(NewModelVersion.fromRun(model, runId, "model"));
            registry.awaitReady(model, "2", Duration.ofMinutes(1), Duration.ofMillis(200));
            registry.setAlias(model, "champion", "1");
        }
    }

    @After
    public void stopFakes() {
        server.stop(0);
    }

    private void router(HttpExchange exchange) throws IOException {
        if ("PUT".equals(exchange.getRequestMethod())) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"canary_weight\"\\s*:\\s*(\\d+)").matcher(body);
            if (!m.find()) {
                answer(exchange, 400, "{\"error\":\"no canary_weight\"}");
                return;
            }
            weight = Integer.parseInt(m.group(1));
            weights.add(weight);
        }
        answer(exchange, 200, "{\"canary_weight\":" + weight + "}");
    }

    private void prometheus(HttpExchange exchange) throws IOException {
        answer(exchange, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[" + System.currentTimeMillis() / 1000 + ",\"" + errorRate + "\"]}]}}");
    }

    private static void score(HttpExchange exchange, boolean reversed) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher x = Pattern.compile("\"x\"\\s*:\\s*([0-9.]+)").matcher(body);
        double value = x.find() ? Double.parseDouble(x.group(1)) : 0;
        answer(exchange, 200, "{\"predictions\": [" + (reversed ? 1 - value : value) + "]}");
    }

    /** A probe of 50 rows with x from 0 to 0.98, as a Pipeline writes it into the workspace. */
    private static String probeFile() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("{\\\"x\\\": ").append(i / 50.0).append("}\\n");
        }
        return "writeFile file: 'probe.jsonl', text: \"" + text + "\"\n";
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The webhook of this test as the administrator's router 'webhook', and the registry. */
    private void configure(CanaryRouter... more) {
        MlStagesConfiguration.get().setRegistryUrl(MlflowServer.shared().url());
        List<CanaryRouter> routers = new java.util.ArrayList<>(List.of(new HttpCanaryRouter("webhook", base() + "/router")));
        routers.addAll(List.of(more));
        CanaryRouters.get().setRouters(routers);
        // setters do not save (configure and JCasC do): saved here, so that a restarted controller has them
        MlStagesConfiguration.get().save();
        CanaryRouters.get().save();
    }

    private String canary(String interval) {
        return canary(interval, "router: 'webhook'");
    }

    private String canary(String interval, String routerAndMore) {
        return "def r = canaryDeploy model: '" + model + "', version: '2', steps: '50,100', interval: '" + interval + "',"
                + " " + routerAndMore + ","
                + " analysis: ['error_rate: sum(rate(errors[1m])) <= 0.01'],"
                + " analysisSource: prometheus(url: '" + base() + "')\n"
                + "echo \"verdict=${r.verdict} stable=${r.stableVersion}\"\n";
    }

    private static String alias(String model, String alias) {
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(MlflowServer.shared().url()).build())) {
            return registry.findVersionByAlias(model, alias).map(v -> v.version()).orElse(null);
        }
    }

    /** Two smoke requests as a Pipeline writes them into the workspace: green answers 1 - x. */
    private static String smokeFile(String expected) {
        return "writeFile file: 'smoke.jsonl', text: '{\"request\": {\"x\": 0.2}, \"expected\": " + expected
                + ", \"tolerance\": 0.01}\\n{\"request\": {\"x\": 0.5}, \"expected\": 0.5, \"tolerance\": 0.01}\\n'\n";
    }

    private WorkflowRun deploy(JenkinsRuleLike j, String expected) throws Exception {
        HttpCanaryRouter probed = new HttpCanaryRouter("probed", base() + "/router");
        probed.setProbeStableUrl(base() + "/stable");
        probed.setProbeCanaryUrl(base() + "/canary");
        configure(probed);
        WorkflowJob p = j.rule().createProject(WorkflowJob.class, "blue-green");
        p.setDefinition(new CpsFlowDefinition("node {\n" + smokeFile(expected)
                + "def r = blueGreenDeploy model: '" + model + "', version: '2', smoke: 'smoke.jsonl', window: '2s',"
                + " analyses: 2, router: 'probed', analysis: ['error_rate: sum(rate(errors[1m])) <= 0.01'],"
                + " analysisSource: prometheus(url: '" + base() + "')\n"
                + "echo \"verdict=${r.verdict}\"\n}\n", true));
        return p.scheduleBuild2(0).get();
    }

    /** The session's rule, so that {@link #deploy} can be shared by the tests. */
    private interface JenkinsRuleLike {
        org.jvnet.hudson.test.JenkinsRule rule();
    }

    @Test
    public void aGoodGreenIsSwitchedToAtOnceAndPromoted() throws Throwable {
        sessions.then(j -> {
            WorkflowRun b = deploy(() -> j, "0.8");
            j.assertBuildStatusSuccess(b);
            j.assertLogContains("verdict=PROMOTED", b);
            j.assertLogContains("smoke checks: PASS (2 of 2 passed)", b);
            assertEquals("all traffic at once, never a step between", List.of(100), weights);
            assertEquals("2", alias(model, "champion"));
            assertEquals("1", alias(model, "previous"));
            assertTrue(b.getAction(MlReportAction.class) != null);
        });
    }

    @Test
    public void aGreenFailingTheSmokeChecksNeverGetsTraffic() throws Throwable {
        sessions.then(j -> {
            WorkflowRun b = deploy(() -> j, "0.3");
            j.assertBuildStatus(Result.FAILURE, b);
            j.assertLogContains("smoke checks failed: smoke line 1", b);
            assertEquals("blue keeps all traffic", List.of(0), weights);
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void aFailingWindowSwitchesBack() throws Throwable {
        errorRate = "0.5";
        sessions.then(j -> {
            WorkflowRun b = deploy(() -> j, "0.8");
            j.assertBuildStatus(Result.FAILURE, b);
            j.assertLogContains("verdict=ROLLED_BACK", b);
            assertEquals(List.of(100, 0), weights);
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void withoutASmokeFileOrWindowTheStepSaysSoInOneLine() throws Throwable {
        sessions.then(j -> {
            configure();
            WorkflowJob p = j.createProject(WorkflowJob.class, "blue-green");
            p.setDefinition(new CpsFlowDefinition("blueGreenDeploy model: '" + model + "', version: '2', window: '1m',"
                    + " router: 'webhook'\n", true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("blueGreenDeploy needs smoke", b);
            j.assertLogNotContains("\tat ", b);
            assertTrue("nothing was routed", weights.isEmpty());
        });
    }
}
