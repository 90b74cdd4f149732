package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The command line pointed at endpoints that are not what they should be, answering as a cloud metadata
 * service would (the webhook router's answer to a PUT, Prometheus, the registry's {@code /health}): whatever
 * they say appears nowhere, not on stdout or stderr, not in a report or the
 * canary's state; what came (status, content type, size) does, and so does an MLflow JSON error.
 */
public class UntrustedAnswersTest {
    private static final String METADATA = "{\"Code\":\"Success\",\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\","
            + "\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\",\"Token\":\"IQoJb3JpZ2luX2VjEXAMPLETOKEN\"}";
    private static final String HTML = "<!DOCTYPE html><html><head><title>Instance metadata</title></head>"
            + "<body>ami-0abcdef1234567890 i-0123456789abcdef0</body></html>";
    private static final String PLAIN = "ami-id\nhostname\niam/security-credentials/admin-role\ninstance-id\n";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final MockWebServer server = new MockWebServer();
    private final StringBuilder printed = new StringBuilder();
    private volatile int routerWeight;

    @Before
    public void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.startsWith("/router")) {
                    // a PUT answered 2xx has applied the split, whatever its body says
                    if ("PUT".equals(request.getMethod())) {
                        routerWeight = Integer.parseInt(request.getBody().utf8().replaceAll("\\D", ""));
                        return answer(200, "application/json", METADATA);
                    }
                    return answer(200, "application/json", "{\"canary_weight\":" + routerWeight + "}");
                }
                if (path.startsWith("/prometheus")) {
                    return answer(500, "text/html", HTML);
                }
                if (path.startsWith("/imds")) {
                    return answer(200, "text/plain", PLAIN);
                }
                if (path.startsWith("/denied")) {
                    return answer(403, "application/json", "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"alice may not"
                            + " read model fraud\"}");
                }
                if (path.endsWith("/model-versions/get")) {
                    return answer(200, "application/json", "{\"model_version\":{\"name\":\"fraud\",\"version\":\"2\",\"status\":\"READY\"}}");
                }
                if (path.endsWith("/registered-models/alias") && "GET".equals(request.getMethod())) {
                    return answer(404, "application/json", "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"no alias\"}");
                }
                return answer(200, "application/json", "{}");
            }
        });
        server.start();
    }

    @After
    public void stop() {
        server.close();
    }

    private static MockResponse answer(int code, String type, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", type).body(body).build();
    }

    private int run(String registryPath, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, Map.of("MLFLOW_TRACKING_URI", server.url(registryPath).toString()), new PrintWriter(out, true),
                new PrintWriter(err, true));
        printed.append(out).append(err);
        return exit;
    }

    /** Every stretch of 8 characters of {@code body} that has a letter in it. */
    private static void assertNothingOf(String body, String where, String text) {
        for (int i = 0; i + 8 <= body.length(); i++) {
            String piece = body.substring(i, i + 8);
            if (piece.chars().anyMatch(Character::isLetter)) {
                assertFalse("'" + piece + "' of the answer in " + where + ": " + text, text.contains(piece));
            }
        }
    }

    @Test
    public void whatAnUntrustedEndpointSaysAppearsNowhere() throws Exception {
        Path state = folder.getRoot().toPath().resolve("canary.state.json");
        Path report = folder.getRoot().toPath().resolve("canary.json");
        // Prometheus answers a page: the analysis is inconclusive, the canary rolls back
        assertEquals(ExitCode.FAILED, run("/mlflow", "canary", "--state", state.toString(), "--model", "fraud", "--version", "2",
                "--steps", "50,100", "--interval", "1s", "--analysis", "error_rate: errors <= 0.01", "--inconclusive-limit", "1",
                "--router", "http", "--router-url", server.url("/router").toString(),
                "--prometheus-url", server.url("/prometheus").toString(), "--report", report.toString()));
        assertEquals(ExitCode.INFRASTRUCTURE, run("/imds", "registry", "check"));
        assertEquals(ExitCode.INFRASTRUCTURE, run("/denied", "lineage", "--model", "fraud", "--version", "1"));

        String everything = printed + Files.readString(state) + Files.readString(report);
        for (String body : new String[] {METADATA, HTML, PLAIN}) {
            assertNothingOf(body, "the output, the state or the report", everything);
        }
        // what came is said
        assertTrue(everything, everything.contains("HTTP 500 (text/html, " + HTML.length() + " bytes)"));
        assertTrue(everything, everything.contains("/health answered text/plain, " + PLAIN.length() + " bytes instead of OK"));
        // and MLflow's own error, which is its answer to us
        assertTrue(everything, everything.contains("HTTP 403 PERMISSION_DENIED (application/json, ")
                && everything.contains("bytes): alice may not read model fraud"));
    }
}
