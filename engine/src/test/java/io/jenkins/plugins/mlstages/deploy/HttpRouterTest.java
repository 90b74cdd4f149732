package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * {@link HttpRouter} against a real HTTP server implementing the webhook contract, and against
 * MockWebServer for the faults (503, a reset connection, a stalled answer).
 */
public class HttpRouterTest {
    private static final String TOKEN = "s3cret-router-token";

    private HttpServer contract;
    private volatile int weight = 0;
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private MockWebServer faults;

    @Before
    public void startContractServer() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        contract = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        contract.createContext("/router/model", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "GET" -> answer(exchange, 200, "{\"canary_weight\":" + weight + "}");
                case "PUT" -> {
                    JsonNode body = mapper.readTree(exchange.getRequestBody());
                    JsonNode value = body.get("canary_weight");
                    if (value == null || !value.isInt() || body.size() != 1) {
                        answer(exchange, 400, "{\"error\":\"expected {\\\"canary_weight\\\": n}\"}");
                        return;
                    }
                    weight = value.asInt();
                    answer(exchange, 200, "{\"canary_weight\":" + weight + "}");
                }
                default -> answer(exchange, 405, "");
            }
        });
        contract.start();
    }

    @After
    public void stop() throws IOException {
        contract.stop(0);
        if (faults != null) {
            faults.close();
        }
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String contractUrl() {
        return "http://127.0.0.1:" + contract.getAddress().getPort() + "/router/model";
    }

    /** A router against MockWebServer that does not sleep between its retries. */
    private HttpRouter faultyRouter(Duration timeout) throws IOException {
        faults = new MockWebServer();
        faults.start();
        return new HttpRouter(faults.url("/router").newBuilder().addQueryParameter("key", "in-the-query").build(),
                new DeployHttp("http router", Optional.of(TOKEN), timeout, Optional.empty(), DeployHttp.RETRIES, d -> { }));
    }

    @Test
    public void setsAndReadsTheWeightThroughTheContract() throws Exception {
        HttpRouter router = new HttpRouter(contractUrl(), Optional.of(TOKEN), Duration.ofSeconds(5));
        assertEquals(0, router.canaryWeight());
        for (int percent : new int[] {10, 50, 100, 0}) {
            router.setCanaryWeight(percent);
            assertEquals(percent, weight);
            assertEquals(percent, router.canaryWeight());
        }
        assertTrue(seen.toString(), seen.contains("PUT application/json; charset=utf-8"));
        assertEquals("http router " + contractUrl(), router.describe());
    }

    @Test
    public void aRefusedTokenIsAnErrorThatDoesNotShowIt() throws Exception {
        HttpRouter router = new HttpRouter(contractUrl(), Optional.of("wrong-token"), Duration.ofSeconds(5));
        try {
            router.setCanaryWeight(10);
            fail();
        } catch (DeployException e) {
            assertEquals("http router set canary weight 10 % failed: PUT " + contractUrl()
                    + " answered HTTP 401 (application/json, 24 bytes)", e.getMessage());
            assertFalse(e.getMessage().contains("wrong-token"));
        }
        assertEquals("the weight did not move", 0, weight);
        try {
            new HttpRouter(contractUrl(), Optional.empty(), Duration.ofSeconds(5)).canaryWeight();
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("answered HTTP 401"));
        }
    }

    @Test
    public void retriesA503ThenSucceeds() throws Exception {
        HttpRouter router = faultyRouter(Duration.ofSeconds(5));
        faults.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        faults.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        faults.enqueue(new MockResponse.Builder().code(204).build());
        router.setCanaryWeight(25);
        assertEquals(3, faults.getRequestCount());
        RecordedRequest last = null;
        for (int i = 0; i < 3; i++) {
            last = faults.takeRequest(1, TimeUnit.SECONDS);
            assertEquals("PUT", last.getMethod());
            assertEquals("{\"canary_weight\":25}", last.getBody().utf8());
            assertEquals("Bearer " + TOKEN, last.getHeaders().get("Authorization"));
        }
    }

    @Test
    public void givesUpAfterFourAnswers5xxAndNamesTheUrlWithoutItsQuery() throws Exception {
        HttpRouter router = faultyRouter(Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            faults.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build());
        }
        try {
            router.canaryWeight();
            fail();
        } catch (DeployException e) {
            HttpUrl plain = faults.url("/router");
            assertEquals("http router read canary weight failed: GET " + plain + " answered HTTP 502 (24 bytes without a content type)",
                    e.getMessage());
            assertFalse(e.getMessage().contains("in-the-query"));
        }
        assertEquals(4, faults.getRequestCount());
    }

    @Test
    public void retriesAResetConnection() throws Exception {
        HttpRouter router = faultyRouter(Duration.ofSeconds(5));
        faults.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, true, true)).build());
        faults.enqueue(new MockResponse.Builder().code(200).body("{\"canary_weight\": 50}").build());
        assertEquals(50, router.canaryWeight());
        assertEquals(2, faults.getRequestCount());
    }

    @Test
    public void aStalledServerTimesOut() throws Exception {
        HttpRouter router = faultyRouter(Duration.ofMillis(300));
        for (int i = 0; i < 4; i++) {
            faults.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        }
        long start = System.nanoTime();
        try {
            router.setCanaryWeight(10);
            fail();
        } catch (DeployException e) {
            assertEquals("http router set canary weight 10 % failed: no answer from " + faults.url("/router")
                    + " (timed out) after 4 attempts", e.getMessage());
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    public void anUnreachableRouterIsAnInfrastructureError() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpRouter router = new HttpRouter(HttpRouter.parse("http://127.0.0.1:" + port + "/w"),
                new DeployHttp("http router", Optional.empty(), Duration.ofSeconds(2), Optional.empty(), DeployHttp.RETRIES, d -> { }));
        try {
            router.canaryWeight();
            fail();
        } catch (DeployException e) {
            assertEquals("http router read canary weight failed: no answer from http://127.0.0.1:" + port
                    + "/w (connection refused) after 4 attempts", e.getMessage());
        }
    }

    @Test
    public void anAnswerOutsideTheContractIsAnError() throws Exception {
        HttpRouter router = faultyRouter(Duration.ofSeconds(5));
        faults.enqueue(new MockResponse.Builder().code(200).body("{\"canary_weight\": 150}").build());
        faults.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        faults.enqueue(new MockResponse.Builder().code(200).body("{\"canary_weight\": 10}").build());
        try {
            router.canaryWeight();
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().endsWith("answered no canary_weight from 0 to 100: a canary_weight that is"
                    + " out of range (22 bytes without a content type)"));
        }
        try {
            router.canaryWeight();
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().endsWith("not a JSON object (2 bytes without a content type)"));
        }
        try {
            router.setCanaryWeight(50);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().endsWith("answered canary_weight 10 instead"));
        }
    }

    @Test
    public void refusesABadUrlOrWeight() throws Exception {
        try {
            new HttpRouter("ftp://example.org/x", Optional.empty(), Duration.ofSeconds(1));
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("http:// or https://"));
        }
        try {
            new HttpRouter(contractUrl(), Optional.empty(), Duration.ofSeconds(1)).setCanaryWeight(-1);
            fail();
        } catch (IllegalArgumentException expected) {
            assertEquals(0, weight);
        }
    }
}
