package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.report.Secrets;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Routers and Prometheus behind a server that echoes our request in its error answers: the
 * {@link DeployException} names the failure, never the token. An answer of a known error shape has its
 * message repeated, redacted; any other answer is not repeated at all.
 */
public class EchoedCredentialsTest {
    private static final String TOKEN = "deploy-echo-token-Zx9/8+q";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final MockWebServer server = new MockWebServer();
    private volatile int status;
    private volatile String bodyPrefix = "";

    @Before
    public void start() throws Exception {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String echo = "Authorization: " + request.getHeaders().get("Authorization");
                return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                        .body(bodyPrefix.replace("ECHO", echo.replace("/", "\\/"))).build();
            }
        });
        server.start();
    }

    @After
    public void stop() {
        server.close();
    }

    private DeployHttp http(String system) {
        return new DeployHttp(system, Optional.of(TOKEN), Duration.ofSeconds(5), Optional.empty(), DeployHttp.RETRIES, d -> { });
    }

    /** A structured error is repeated with the token redacted; nothing of another answer is repeated. */
    private static void assertNoToken(DeployException e, boolean structured) {
        assertEquals(e.getMessage(), structured, e.getMessage().contains("Authorization: " + Secrets.MARK));
        assertFalse(e.getMessage(), e.getMessage().contains("Zx9"));
        assertFalse(e.getMessage(), e.getMessage().contains("Bearer"));
    }

    @Test
    public void theWebhookRouter() {
        status = 401;
        bodyPrefix = "{\"error\":\"ECHO\"}";
        HttpRouter router = new HttpRouter(server.url("/weights"), http("http router"));
        assertNoToken(assertThrows(DeployException.class, () -> router.setCanaryWeight(10)), false);
        assertNoToken(assertThrows(DeployException.class, router::canaryWeight), false);
    }

    @Test
    public void prometheusRefusingOrFailing() {
        PrometheusMetricSource prometheus = new PrometheusMetricSource(server.url("/"), http("prometheus"));
        status = 400;
        bodyPrefix = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"ECHO\"}";
        assertNoToken(assertThrows(DeployException.class, () -> prometheus.query("up", Instant.EPOCH)), true);
        status = 500;
        bodyPrefix = "proxy error; ECHO";
        assertNoToken(assertThrows(DeployException.class, () -> prometheus.query("up", Instant.EPOCH)), false);
    }

    @Test
    public void theStateFileIsWrittenWithoutTheTokenAndStillLoads() throws Exception {
        Secrets.remember(Secrets.bearer(TOKEN));
        Path file = folder.getRoot().toPath().resolve("state.json");
        CanaryPlan plan = CanaryPlan.of("fraud", "2", List.of(50, 100), Duration.ofSeconds(30),
                List.of(CheckSyntax.parse("error_rate: errors <= 0.01")));
        CanaryStateStore store = new CanaryStateStore(file);
        store.save(CanaryController.start(plan, "1", null, "http router answering Bearer " + TOKEN, "prometheus", Instant.EPOCH));
        String saved = Files.readString(file);
        assertFalse(saved, saved.contains("Zx9"));
        CanaryState loaded = store.load();
        assertTrue(loaded.routerDescription(), loaded.routerDescription().endsWith("answering " + Secrets.MARK));
        assertEquals(plan, loaded.plan());
    }

    @Test
    public void theKubernetesApi() {
        status = 403;
        bodyPrefix = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"message\":\"ECHO\"}";
        KServeConfig config = KServeConfig.withToken(server.url("/").toString(), TOKEN, Optional.empty(), "models", "iris",
                Optional.empty(), Duration.ofSeconds(1));
        KServeRouter router = new KServeRouter(config, Duration.ofMillis(10), d -> { });
        assertNoToken(assertThrows(DeployException.class, router::canaryWeight), true);
    }
}
