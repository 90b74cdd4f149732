package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.report.ReportPage;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Every command that talks to a server, against one that echoes our request headers in its 401, 403
 * and 500 answers (as plain text, as JSON with escaped slashes, as HTML with the header also
 * percent-encoded): no form of a credential — token, password, {@code user:password}, its base64, the
 * {@code Bearer}/{@code Basic} header values — appears in stdout, stderr, any report, the canary's state
 * file, or the page {@code mlstages report} makes of those reports. A real MLflow will not echo on demand.
 */
public class EchoedCredentialsTest {
    private static final String TOKEN = "tok-E2E-9f8e7d6c5b/4a+Q=";
    private static final String USER = "alice";
    private static final String PASSWORD = "pw-E2E-1a2b3c4d\"x";
    private static final String ROUTER_TOKEN = "router-E2E-77aa88bb99cc";
    private static final String PROMETHEUS_TOKEN = "prom-E2E-55dd66ee77ff";
    private static final int[] STATUSES = {401, 403, 500};

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final MockWebServer server = new MockWebServer();
    /** Which requests fail with which status (0: answer normally). */
    private volatile Function<RecordedRequest, Integer> fault = r -> 0;
    private volatile int routerWeight;
    private final List<String> leaks = new ArrayList<>();
    private final List<Path> written = new ArrayList<>();
    private int runs;

    @Before
    public void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                int status = fault.apply(request);
                return status == 0 ? normal(request) : echo(status, request);
            }
        });
        server.start();
    }

    @After
    public void stop() {
        server.close();
    }

    // ---- the server -------------------------------------------------------------------------------

    /** The request's headers in the answer, each status in another of the ways servers and proxies write them. */
    private static MockResponse echo(int status, RecordedRequest request) {
        StringBuilder headers = new StringBuilder();
        for (String name : request.getHeaders().names()) {
            headers.append(name).append(": ").append(request.getHeaders().get(name)).append('\n');
        }
        String authorization = String.valueOf(request.getHeaders().get("Authorization"));
        MockResponse.Builder answer = new MockResponse.Builder().code(status);
        switch (status) {
            case 401:
                return answer.setHeader("Content-Type", "text/plain").body("Unauthorized. You sent:\n" + headers).build();
            case 403:
                String json = headers.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/").replace("\n", "\\n");
                return answer.setHeader("Content-Type", "application/json")
                        .body("{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"denied; request was: " + json + "\","
                                + "\"status\":\"error\",\"errorType\":\"forbidden\",\"error\":\"" + json + "\"}").build();
            default:
                return answer.setHeader("Content-Type", "text/html").setHeader("Retry-After", "3600")
                        .body("<h1>Internal error</h1><pre>" + ReportPage.escape(headers.toString()) + "</pre><a href=\"/retry?auth="
                                + URLEncoder.encode(authorization, StandardCharsets.UTF_8) + "\">retry</a>").build();
        }
    }

    /** Just enough MLflow, webhook router and Prometheus for a canary of fraud version 2 without a champion. */
    private MockResponse normal(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.startsWith("/router")) {
            if ("PUT".equals(request.getMethod())) {
                routerWeight = Integer.parseInt(request.getBody().utf8().replaceAll("\\D", ""));
            }
            return json(200, "{\"canary_weight\":" + routerWeight + "}");
        }
        if (path.startsWith("/prometheus")) {
            return json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                    + "\"value\":[0,\"0.001\"]}]}}");
        }
        if (path.endsWith("/model-versions/get")) {
            return json(200, "{\"model_version\":{\"name\":\"fraud\",\"version\":\"2\",\"status\":\"READY\"}}");
        }
        if (path.endsWith("/registered-models/alias") && "GET".equals(request.getMethod())) {
            return json(404, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"no alias\"}");
        }
        return json(200, "{}");
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static boolean isMlflow(RecordedRequest request) {
        return request.getUrl().encodedPath().startsWith("/mlflow");
    }

    // ---- running and looking -----------------------------------------------------------------------

    private Map<String, String> env(boolean basic) {
        Map<String, String> env = new HashMap<>();
        env.put("MLFLOW_TRACKING_URI", server.url("/mlflow").toString());
        if (basic) {
            env.put("MLFLOW_TRACKING_USERNAME", USER);
            env.put("MLFLOW_TRACKING_PASSWORD", PASSWORD);
        } else {
            env.put("MLFLOW_TRACKING_TOKEN", TOKEN);
        }
        env.put(CanaryCommand.ROUTER_TOKEN, ROUTER_TOKEN);
        env.put(CanaryCommand.PROMETHEUS_TOKEN, PROMETHEUS_TOKEN);
        return env;
    }

    /** Runs the command line; records what it printed that shows a credential; returns the exit code. */
    private int run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        runs++;
        String command = String.join(" ", args);
        look(command + " (stdout)", out.toString());
        look(command + " (stderr)", err.toString());
        return exit;
    }

    private Path file(String name) {
        Path path = folder.getRoot().toPath().resolve(name);
        written.add(path);
        return path;
    }

    /** Every form of every credential, and any eight characters in a row of one (a message cut short keeps a piece). */
    private void look(String where, String text) {
        String pair = USER + ":" + PASSWORD;
        String base64 = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        List<String> forms = List.of(TOKEN, "Bearer " + TOKEN, PASSWORD, pair, base64, "Basic " + base64, ROUTER_TOKEN,
                "Bearer " + ROUTER_TOKEN, PROMETHEUS_TOKEN, "Bearer " + PROMETHEUS_TOKEN);
        for (String form : forms) {
            for (String shown : List.of(form, form.replace("/", "\\/"), URLEncoder.encode(form, StandardCharsets.UTF_8))) {
                boolean found = text.contains(shown);
                for (int i = 0; !found && i + 8 <= shown.length(); i += 4) {
                    found = text.contains(shown.substring(i, i + 8));
                }
                if (found) {
                    leaks.add(where + " shows " + form);
                    return;
                }
            }
        }
    }

    private void lookAtFiles() throws IOException {
        for (Path path : written) {
            if (Files.exists(path)) {
                look(path.getFileName().toString(), Files.readString(path));
            }
        }
    }

    private Path predictions() throws IOException {
        Path csv = folder.getRoot().toPath().resolve("predictions.csv");
        StringBuilder rows = new StringBuilder("y,s\n");
        for (int i = 0; i < 200; i++) {
            rows.append(i % 2).append(',').append((i % 2) * 0.6 + (i % 7) / 20.0).append('\n');
        }
        Files.writeString(csv, rows);
        return csv;
    }

    // ---- the commands ------------------------------------------------------------------------------

    @Test
    public void noCommandShowsACredentialWhateverTheServerEchoes() throws Exception {
        Path csv = predictions();
        Path evaluation = folder.getRoot().toPath().resolve("evaluation.json");
        assertEquals(0, run(env(false), "evaluate", "--predictions", csv.toString(), "--task", "binary", "--label", "y",
                "--score", "s", "--resamples", "0", "--report", evaluation.toString()));

        for (int i = 0; i < 2 * STATUSES.length; i++) {
            int status = STATUSES[i % STATUSES.length];
            boolean basic = i >= STATUSES.length;
            Map<String, String> env = env(basic);
            fault = r -> isMlflow(r) ? status : 0;
            String tag = status + (basic ? "-basic" : "-bearer");
            List<String[]> commands = List.of(
                    new String[] {"registry", "check"},
                    new String[] {"register", "--model", "fraud", "--source", "s3://bucket/model", "--report",
                        file("register-" + tag + ".json").toString()},
                    new String[] {"gate", "--metrics", evaluation.toString(), "--rule", "roc_auc >= 0.5", "--model", "fraud",
                        "--report", file("gate-" + tag + ".json").toString()},
                    new String[] {"lineage", "--model", "fraud", "--version", "1", "--report", file("lineage-" + tag + ".json").toString()},
                    new String[] {"evaluate", "--predictions", csv.toString(), "--task", "binary", "--label", "y", "--score", "s",
                        "--resamples", "0", "--run-id", "r1", "--report", file("evaluate-" + tag + ".json").toString()},
                    new String[] {"validate-data", "--data", csv.toString(), "--run-id", "r1", "--report",
                        file("validate-" + tag + ".json").toString()},
                    new String[] {"report", "--in", evaluation.toString(), "--html", file("page-" + tag + ".html").toString(),
                        "--run-id", "r1", "--report", file("merged-" + tag + ".json").toString()});
            for (String[] command : commands) {
                assertEquals(String.join(" ", command) + " against " + tag, ExitCode.INFRASTRUCTURE, run(env, command));
            }
        }

        List<Path> canaryReports = new ArrayList<>();
        // Prometheus echoes: the analyses fail, the canary rolls back and says why
        for (int status : STATUSES) {
            fault = r -> r.getUrl().encodedPath().startsWith("/prometheus") ? status : 0;
            Path report = file("canary-prometheus-" + status + ".json");
            assertEquals(ExitCode.FAILED, run(env(status == 403), canary("prometheus-" + status, report)));
            canaryReports.add(report);
        }
        // the router echoes: the canary cannot take the first step (after the router's retries) and rolls back
        fault = r -> r.getUrl().encodedPath().startsWith("/router")
                && "PUT".equals(r.getMethod()) && !r.getBody().utf8().contains("\"canary_weight\":0") ? 401 : 0;
        Path routerReport = file("canary-router.json");
        assertEquals(ExitCode.FAILED, run(env(false), canary("router", routerReport)));
        canaryReports.add(routerReport);
        // the registry echoes when promotion moves the alias: the canary stops pending, and its state says why
        fault = r -> isMlflow(r) && "POST".equals(r.getMethod()) ? 403 : 0;
        assertEquals(ExitCode.INFRASTRUCTURE, run(env(true), canary("aliases", file("canary-aliases.json"))));

        // the page of all those reports
        List<String> args = new ArrayList<>(List.of("report", "--html", file("all.html").toString(), "--report",
                file("all.json").toString(), "--in", evaluation.toString()));
        canaryReports.forEach(r -> args.addAll(List.of("--in", r.toString())));
        fault = r -> 0;
        assertEquals(ExitCode.PASSED, run(env(false), args.toArray(new String[0])));

        lookAtFiles();
        // evaluate; 7 commands with 3 statuses and 2 kinds of credentials; 5 canaries; the page
        assertEquals(1 + 7 * 6 + 5 + 1, runs);
        assertEquals(List.of(), leaks);
        // and the failures were reported, not swallowed: the servers' text is there, redacted
        String page = Files.readString(folder.getRoot().toPath().resolve("all.html"));
        assertTrue(page.length() > 1000);
        // plain text and HTML are said to have come, never repeated; a known error shape is, redacted
        String state = Files.readString(folder.getRoot().toPath().resolve("canary-prometheus-401.json.state"));
        assertTrue(state, state.contains("answered HTTP 401 (text/plain, "));
        assertFalse(state, state.contains("You sent"));
        String structured = Files.readString(folder.getRoot().toPath().resolve("canary-prometheus-403.json.state"));
        assertTrue(structured, structured.contains("denied; request was: "));
        assertTrue(structured, structured.contains("Authorization: ****"));
        try (Stream<Path> files = Files.list(folder.getRoot().toPath())) {
            assertNotEquals(0, files.filter(p -> p.toString().endsWith(".state")).count());
        }
    }

    @Test
    public void aShortPasswordIsRedactedInTheFormItIsSentIn() {
        // under Secrets.MIN_LENGTH characters the password itself is left alone, but never the header it travels in
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", server.url("/mlflow").toString(),
                "MLFLOW_TRACKING_USERNAME", "bob", "MLFLOW_TRACKING_PASSWORD", "pw");
        String base64 = Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8));
        for (int status : STATUSES) {
            fault = r -> status;
            StringWriter err = new StringWriter();
            assertEquals(ExitCode.INFRASTRUCTURE, Main.run(new String[] {"registry", "check"}, env, new PrintWriter(new StringWriter()),
                    new PrintWriter(err, true)));
            // only the 403's JSON error is repeated (and redacted); the 401's text and the 500's page are not
            assertEquals(err.toString(), status == 403, err.toString().contains("****"));
            assertFalse(err.toString(), err.toString().contains(base64.substring(0, 8)));
        }
    }

    /** A canary of fraud version 2 over the webhook router, one analysis per step, whose state file is {@code report}.state. */
    private String[] canary(String name, Path report) {
        Path state = report.resolveSibling(report.getFileName() + ".state");
        written.add(state);
        return new String[] {"canary", "--state", state.toString(), "--model", "fraud", "--version", "2", "--steps", "50,100",
            "--interval", "1s", "--analysis", "error_rate: errors <= 0.01", "--inconclusive-limit", "1",
            "--router", "http", "--router-url", server.url("/router/" + name).toString(),
            "--prometheus-url", server.url("/prometheus").toString(), "--report", report.toString()};
    }
}
