package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** {@link PrometheusMetricSource}'s request and its handling of answers a real Prometheus gives only on a bad day. */
public class PrometheusMetricSourceTest {
    private static final Instant AT = Instant.parse("2026-11-27T12:00:00.250Z");
    private MockWebServer server;
    private PrometheusMetricSource source;

    @Before
    public void start() throws IOException {
        server = new MockWebServer();
        server.start();
        source = new PrometheusMetricSource(server.url("/prom/"), new DeployHttp("prometheus", Optional.of("prom-token"),
                Duration.ofSeconds(2), Optional.empty(), DeployHttp.RETRIES, d -> { }));
    }

    @After
    public void stop() {
        server.close();
    }

    private void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build());
    }

    private static String vector(String... values) {
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            result.append(i == 0 ? "" : ",").append("{\"metric\":{\"pod\":\"p").append(i).append("\"},\"value\":[1795780800.25,\"")
                    .append(values[i]).append("\"]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}";
    }

    @Test
    public void sendsTheQueryAndTimeWithTheToken() throws Exception {
        answer(200, vector("0.0125"));
        assertEquals(0.0125, source.query("sum(rate(x[1m]))", AT).getAsDouble(), 0);
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("/prom/api/v1/query", request.getUrl().encodedPath());
        assertEquals("sum(rate(x[1m]))", request.getUrl().queryParameter("query"));
        assertEquals("1795780800.25", request.getUrl().queryParameter("time"));
        assertEquals("Bearer prom-token", request.getHeaders().get("Authorization"));
    }

    @Test
    public void unixSeconds() {
        assertEquals("1795780800", PrometheusMetricSource.unixSeconds(Instant.parse("2026-11-27T12:00:00Z")));
        assertEquals("1795780800.000000001", PrometheusMetricSource.unixSeconds(Instant.parse("2026-11-27T12:00:00.000000001Z")));
    }

    @Test
    public void scalarsNaNAndInfinities() {
        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1795780800.25,\"42\"]}}");
        answer(200, vector("NaN"));
        answer(200, vector("+Inf"));
        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertEquals(42, source.query("q", AT).getAsDouble(), 0);
        assertFalse(source.query("q", AT).isPresent());
        assertEquals(Double.POSITIVE_INFINITY, source.query("q", AT).getAsDouble(), 0);
        assertFalse(source.query("q", AT).isPresent());
    }

    @Test
    public void aRangeVectorIsRefused() {
        answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        try {
            source.query("x[5m]", AT);
            fail();
        } catch (DeployException e) {
            assertEquals("prometheus query 'x[5m]' returned a matrix; it must give a scalar or an instant vector of one series",
                    e.getMessage());
        }
    }

    @Test
    public void twoSeriesAreAnErrorNamingTheQuery() {
        answer(200, vector("1", "2"));
        try {
            source.query("rate(x[1m])", AT);
            fail();
        } catch (DeployException e) {
            assertEquals("prometheus query 'rate(x[1m])' returned 2 series (e.g. {\"pod\":\"p0\"}, {\"pod\":\"p1\"});"
                    + " it must give one number: aggregate it, e.g. with sum(...)", e.getMessage());
        }
    }

    @Test
    public void anExecutionErrorIsReportedWithItsType() {
        answer(422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many matching not allowed\"}");
        try {
            source.query("a / b", AT);
            fail();
        } catch (DeployException e) {
            assertEquals("prometheus refused the query 'a / b': HTTP 422 (application/json, 86 bytes): execution:"
                    + " many-to-many matching not allowed", e.getMessage());
        }
        assertEquals("not retried", 1, server.getRequestCount());
    }

    @Test
    public void retries503ThenAnswers() {
        answer(503, "Service Unavailable");
        answer(200, vector("3"));
        assertEquals(3, source.query("q", AT).getAsDouble(), 0);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    public void persistent503IsAnErrorWithoutTheQueryString() {
        for (int i = 0; i < 4; i++) {
            answer(503, "Service Unavailable");
        }
        try {
            source.query("secretish{a=\"b\"}", AT);
            fail();
        } catch (DeployException e) {
            assertEquals("prometheus query 'secretish{a=\"b\"}' failed: " + server.url("/prom/api/v1/query")
                    + " answered HTTP 503 (application/json, 19 bytes)", e.getMessage());
        }
        assertEquals(4, server.getRequestCount());
    }

    @Test
    public void aProxyPageIsAnError() {
        answer(200, "<html>login</html>");
        try {
            source.query("q", AT);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().endsWith("answered HTTP 200 (application/json, 18 bytes),"
                    + " not a Prometheus query result"));
        }
    }
}
