package io.jenkins.plugins.mlstages.steps;

import io.jenkins.plugins.mlstages.canary.NginxCanaryRouter;
import io.jenkins.plugins.mlstages.canary.PrometheusAnalysisSource;
import io.jenkins.plugins.mlstages.canary.HttpCanaryRouter;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * canaryDeploy end to end: the engine's HTTP router against a webhook this test serves (it keeps the
 * weight and every change), Prometheus's HTTP API answered with the value the test chooses (a canary
 * must pass or fail on demand), and a real MLflow server for the aliases. The webhook and MLflow outlive
 * the Jenkins sessions, so a restart in the middle of a canary is seen from outside.
 */
public class CanaryDeployStepTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

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
        server.start();
        model = "canary-" + UUID.randomUUID().toString().substring(0, 8);
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

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String canary(String interval) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return "def r = canaryDeploy model: '" + model + "', version: '2', steps: '50,100', interval: '" + interval + "',"
                + " router: http(url: '" + base + "/router'),"
                + " analysis: ['error_rate: sum(rate(errors[1m])) <= 0.01'],"
                + " analysisSource: prometheus(url: '" + base + "')\n"
                + "echo \"verdict=${r.verdict} stable=${r.stableVersion}\"\n";
    }

    private static String alias(String model, String alias) {
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(MlflowServer.shared().url()).build())) {
            return registry.findVersionByAlias(model, alias).map(v -> v.version()).orElse(null);
        }
    }

    @Test
    public void passingAnalysesPromote() throws Throwable {
        sessions.then(j -> {
            MlStagesConfiguration.get().setRegistryUrl(MlflowServer.shared().url());
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s"), true));
            WorkflowRun b = j.assertBuildStatus(Result.SUCCESS, p.scheduleBuild2(0));
            j.assertLogContains("verdict=PROMOTED stable=1", b);
            j.assertLogContains("canaryDeploy PROMOTED: " + model + "/2", b);
            assertEquals(List.of(50, 100), weights);
            assertEquals("2", alias(model, "champion"));
            assertEquals("1", alias(model, "previous"));
            assertEquals("canary", b.getAction(MlReportAction.class).getStages().get(0).getStage());
        });
    }

    @Test
    public void aFailingAnalysisRollsBack() throws Throwable {
        errorRate = "0.5";
        sessions.then(j -> {
            MlStagesConfiguration.get().setRegistryUrl(MlflowServer.shared().url());
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1s"), true));
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("canaryDeploy ROLLED_BACK: " + model + "/2", b);
            j.assertLogNotContains("\tat ", b);
            assertEquals(0, weight);
            assertEquals("1", alias(model, "champion"));
        });
    }

    @Test
    public void abortingRollsBackWithoutWaitingForTheStep() throws Throwable {
        sessions.then(j -> {
            MlStagesConfiguration.get().setRegistryUrl(MlflowServer.shared().url());
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("1h"), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("router at 50 % canary", b);
            b.doStop();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            assertEquals(0, weight);
            assertEquals("1", alias(model, "champion"));
            assertTrue(b.getAction(MlReportAction.class).getStages().get(0).getSummary().startsWith("canaryDeploy ABORTED"));
        });
    }

    @Test
    public void aControllerRestartResumesTheCanary() throws Throwable {
        sessions.then(j -> {
            MlStagesConfiguration.get().setRegistryUrl(MlflowServer.shared().url());
            // setters do not save (the form and JCasC do): the resumed canary after the restart needs the URL
            MlStagesConfiguration.get().save();
            WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
            p.setDefinition(new CpsFlowDefinition(canary("3s"), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("router at 50 % canary", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("canary", WorkflowJob.class).getLastBuild();
            j.assertBuildStatus(Result.SUCCESS, j.waitForCompletion(b));
            j.assertLogContains("resuming the canary of " + model + " version 2 after a controller restart", b);
            j.assertLogContains("verdict=PROMOTED", b);
            // 50 % once before the restart and again (idempotently) after it, then 100 %
            assertEquals(100, weight);
            assertEquals(Integer.valueOf(50), weights.get(0));
            assertTrue(weights.toString(), weights.stream().allMatch(w -> w == 50 || w == 100));
            assertEquals("2", alias(model, "champion"));
        });
    }

    @Test
    public void configRoundTrip() throws Throwable {
        sessions.then(j -> {
            HttpCanaryRouter router = new HttpCanaryRouter("https://router.example.com/fraud");
            router.setCredentialsId("router-token");
            CanaryDeployStep step = new CanaryDeployStep("fraud-detector", "7", "10,50,100", "5m", router);
            step.setAnalysis(List.of("error_rate: sum(rate(errors[1m])) / sum(rate(requests[1m])) <= 0.01"));
            step.setAnalysisSource(new PrometheusAnalysisSource("http://prometheus:9090"));
            step.setAnalysesPerStep(2);
            step.setOnInconclusive("hold");
            CanaryDeployStep after = new org.jenkinsci.plugins.workflow.steps.StepConfigTester(j).configRoundTrip(step);
            j.assertEqualDataBoundBeans(step, after);

            CanaryDeployStep nginx = new CanaryDeployStep("fraud-detector", "7", "10,100", "30s",
                    new NginxCanaryRouter("/etc/nginx/conf.d/fraud-upstream.conf", "fraud", "127.0.0.1:8081", "127.0.0.1:8082"));
            nginx.setAnalysis(List.of("latency: histogram_quantile(0.99, sum(rate(latency_bucket[1m])) by (le)) <= 0.25"));
            nginx.setAnalysisSource(new PrometheusAnalysisSource("http://prometheus:9090"));
            j.assertEqualDataBoundBeans(nginx, new org.jenkinsci.plugins.workflow.steps.StepConfigTester(j).configRoundTrip(nginx));
        });
    }
}
