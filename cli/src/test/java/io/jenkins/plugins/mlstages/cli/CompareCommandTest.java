package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code mlstages compare} against two small scoring servers on the loopback that speak MLflow's protocol:
 * each answers {@code {"predictions": [score]}} computed from the row's feature {@code x}.
 */
public class CompareCommandTest {
    private static final Pattern X = Pattern.compile("\"x\":\\s*([-0-9.eE]+)");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<HttpServer> servers = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @After
    public void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A scoring server: POST /invocations with dataframe_records [{"x": v}] answers f(v); other paths 404. */
    private String server(UnaryOperator<Double> score) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/invocations", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher x = X.matcher(body);
            Double value = x.find() ? score.apply(Double.parseDouble(x.group(1))) : null;
            byte[] answer = (value == null ? "{\"error_code\": \"BAD_REQUEST\"}" : "{\"predictions\": [" + value + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(value == null ? 400 : 200, answer.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(answer);
            }
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Path probe(int rows) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            double x = i / (double) rows;
            lines.append("{\"x\": ").append(x).append(", \"y\": ").append(x >= 0.5 ? 1 : 0).append("}\n");
        }
        Path file = folder.getRoot().toPath().resolve("probe.jsonl");
        Files.writeString(file, lines);
        return file;
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("compare"));
        all.addAll(List.of(args));
        return Main.run(all.toArray(new String[0]), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    public void anEquivalentCandidatePassesAndAReversedOneFailsOnBehaviourAndAccuracy() throws Exception {
        String live = server(x -> x);
        String same = server(x -> Math.min(1, x + 0.01));
        String reversed = server(x -> 1 - x);
        Path probe = probe(200);
        Path report = folder.getRoot().toPath().resolve("compare.json");
        assertEquals(err.toString(), 0, run("--probe", probe.toString(), "--live-url", live, "--candidate-url", same,
                "--label", "y", "--check", "agreement >= 0.95", "--check", "prediction_psi <= 0.1",
                "--check", "accuracy_diff_lower >= -0.05", "--report", report.toString()));
        assertTrue(out.toString(), out.toString().contains("compare PASS"));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("ml-stages/compare-v1", json.get("schema").asText());
        assertEquals(200, json.at("/result/behaviour/pairs").asInt());
        assertEquals(1.0, json.at("/result/labelled/live_accuracy").asDouble(), 0);

        out.getBuffer().setLength(0);
        assertEquals(err.toString(), 1, run("--probe", probe.toString(), "--live-url", live, "--candidate-url", reversed,
                "--label", "y", "--check", "agreement >= 0.95", "--check", "accuracy_diff_lower >= -0.05"));
        String text = out.toString();
        assertTrue(text, text.contains("agreement 0.005 [>= 0.95] FAIL"));
        assertTrue(text, text.contains("accuracy_diff_lower"));
        assertTrue(text, text.contains("compare FAIL"));
    }

    @Test
    public void aCandidateAnswering4xxCountsAsShadowErrorsAndAnUnreachableLiveVersionIsExit3() throws Exception {
        String live = server(x -> x);
        String broken = server(x -> null);
        Path probe = probe(20);
        assertEquals(err.toString(), 1, run("--probe", probe.toString(), "--live-url", live, "--candidate-url", broken,
                "--check", "shadow_error_rate <= 0.01"));
        assertTrue(out.toString(), out.toString().contains("shadow_error_rate 1 [<= 0.01] FAIL"));
        assertEquals(3, run("--probe", probe.toString(), "--live-url", "http://127.0.0.1:9", "--candidate-url", live));
        assertTrue(err.toString(), err.toString().contains("answered none of the 20 probe rows"));
    }

    @Test
    public void aBadProbeLineOrRuleIsOneLineAndExit2() throws Exception {
        Path probe = folder.getRoot().toPath().resolve("bad.jsonl");
        Files.writeString(probe, "{\"x\": 1}\n[1, 2]\n");
        assertEquals(2, run("--probe", probe.toString(), "--live-url", "http://127.0.0.1:9", "--candidate-url", "http://127.0.0.1:9"));
        String line = err.toString().strip();
        assertFalse(line, line.contains("\n"));
        assertTrue(line, line.contains("bad.jsonl line 2: a row must be a JSON object"));
        err.getBuffer().setLength(0);
        assertEquals(2, run("--probe", probe.toString(), "--live-url", "http://127.0.0.1:9", "--candidate-url",
                "http://127.0.0.1:9", "--check", "agreement > 0.9"));
        assertTrue(err.toString(), err.toString().strip().startsWith("mlstages: --check: behaviour rule 'agreement > 0.9'"));
    }
}
