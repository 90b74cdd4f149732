package io.jenkins.plugins.mlstages.steps;


import io.jenkins.plugins.mlstages.canary.CanaryRouter;
import io.jenkins.plugins.mlstages.canary.CanaryRouters;
import io.jenkins.plugins.mlstages.canary.HttpCanaryRouter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.MlflowServer;
import io.jenkins.plugins.mlstages.registry.NewModelVersion;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
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
import org.junit.After;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * The fakes of the deployment steps' end-to-end tests ({@code canaryDeploy}, {@code blueGreenDeploy}): the engine's HTTP
 * router against a webhook this fixture serves (it keeps the weight and every change), Prometheus's HTTP API answered
 * with the value the test chooses, two scoring servers of the MLflow protocol (the stable answers x, the canary or green
 * 1 - x), and a real MLflow server for the aliases. The webhook and MLflow outlive the Jenkins sessions, so a restart in
 * the middle of a deployment is seen from outside.
 */
public abstract class DeployStepFixture {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    HttpServer server;
    final List<Integer> weights = new CopyOnWriteArrayList<>();
    volatile int weight;
    volatile String errorRate = "0.001";
    String model;

    @Before
    public void startFakes() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/router", this::router);
        server.createContext("/api/v1/query", this::prometheus);
        // two scoring servers of the MLflow protocol for behaviour rules: the stable answers x, the canary 1 - x
        server.createContext("/stable/invocations", exchange -> score(exchange, false));
        server.createContext("/canary/invocations", exchange -> score(exchange, true));
        server.start();
        model = modelPrefix() + UUID.randomUUID().toString().substring(0, 8);
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
    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The webhook of this test as the administrator's router 'webhook', and the registry. */
    void configure(CanaryRouter... more) {
        MlStagesConfiguration.get().setRegistryUrl(MlflowServer.shared().url());
        List<CanaryRouter> routers = new java.util.ArrayList<>(List.of(new HttpCanaryRouter("webhook", base() + "/router")));
        routers.addAll(List.of(more));
        CanaryRouters.get().setRouters(routers);
        // setters do not save (configure and JCasC do): saved here, so that a restarted controller has them
        MlStagesConfiguration.get().save();
        CanaryRouters.get().save();
    }

    static String alias(String model, String alias) {
        try (MlflowRegistry registry = new MlflowRegistry(RegistryConfig.builder(MlflowServer.shared().url()).build())) {
            return registry.findVersionByAlias(model, alias).map(v -> v.version()).orElse(null);
        }
    }

    /** The registered model's name before its random suffix. */
    abstract String modelPrefix();
}
