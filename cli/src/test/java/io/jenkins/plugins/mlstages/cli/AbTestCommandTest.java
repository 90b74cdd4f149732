package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.NginxRouter;
import io.jenkins.plugins.mlstages.deploy.NginxRouterConfig;
import io.jenkins.plugins.mlstages.deploy.ab.AbMetric;
import io.jenkins.plugins.mlstages.deploy.ab.AbPlan;
import io.jenkins.plugins.mlstages.deploy.ab.AbStateStore;
import io.jenkins.plugins.mlstages.deploy.ab.AbTestRun;
import io.jenkins.plugins.mlstages.deploy.ab.ArmCounts;
import io.jenkins.plugins.mlstages.deploy.ab.ArmSource;
import io.jenkins.plugins.mlstages.deploy.ab.NoWinnerAction;
import io.jenkins.plugins.mlstages.deploy.ab.PromoteRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code mlstages ab-test} end to end with the nginx router's file (test and reload commands {@code true}: no
 * nginx needed) and labelled outcomes joined by request id; the statistics are tested on the virtual clock in
 * the engine (AbTestRunTest).
 */
public class AbTestCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path file(String name) {
        return folder.getRoot().toPath().resolve(name);
    }

    private List<String> router() {
        return List.of("--router", "nginx", "--nginx-config", file("upstream.conf").toString(), "--nginx-upstream", "model",
                "--stable-server", "127.0.0.1:8001", "--canary-server", "127.0.0.1:8002", "--nginx-test-command", "true",
                "--nginx-reload-command", "true");
    }

    private String[] abTest(String... more) {
        List<String> args = new ArrayList<>(List.of("ab-test", "--state", file("s.json").toString(), "--model", "churn", "--version",
                "2", "--control-version", "1"));
        args.addAll(router());
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** {@code n} outcomes per arm, the candidate's converting at {@code candidate}, the control's at {@code control}. */
    private Path outcomes(int n, double control, double candidate) throws Exception {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("request_id,arm,converted\n");
        for (int i = 0; i < n; i++) {
            csv.append("c").append(i).append(",control,").append(random.nextDouble() < control ? 1 : 0).append('\n');
            csv.append("t").append(i).append(",candidate,").append(random.nextDouble() < candidate ? 1 : 0).append('\n');
        }
        Path file = file("outcomes.csv");
        Files.writeString(file, csv);
        return file;
    }

    private String upstream() throws Exception {
        return Files.readString(file("upstream.conf"));
    }

    @Test
    public void aClearWinnerIsPromotedWithItsReport() throws Exception {
        Path outcomes = outcomes(600, 0.10, 0.30);
        assertEquals(err.toString(), 0, run(abTest("--duration", "5s", "--interval", "200ms", "--outcomes", outcomes.toString(),
                "--report", file("ab.json").toString())));
        assertTrue(out.toString(), out.toString().startsWith("ab-test PROMOTED: churn/2, winner candidate (candidate wins"));
        assertTrue(upstream(), upstream().contains("server 127.0.0.1:8001 down;") && upstream().contains("# canary 100 %"));
        JsonNode report = new ObjectMapper().readTree(file("ab.json").toFile());
        assertEquals("ab-test", report.get("stage").asText());
        assertEquals("PASSED", report.get("status").asText());
        assertEquals("candidate", report.get("winner").asText());
        assertEquals(600, report.get("counts").get("candidate_trials").asLong());
        assertTrue(report.get("interval").get(0).asDouble() > 0);
        assertEquals("deployment", report.get("lineage").get(1).get("type").asText());
        assertEquals("candidate", report.get("lineage").get(1).get("attributes").get("winner").asText());
    }

    @Test
    public void noDifferenceRollsBackThenResumeOnlyReports() throws Exception {
        Path outcomes = outcomes(300, 0.2, 0.2);
        assertEquals(err.toString(), 1, run(abTest("--duration", "400ms", "--interval", "200ms", "--outcomes", outcomes.toString())));
        assertTrue(out.toString(), out.toString().startsWith("ab-test ROLLED_BACK: churn/2, winner inconclusive"));
        assertTrue(upstream(), upstream().contains("server 127.0.0.1:8002 down;"));
        List<String> resume = new ArrayList<>(List.of("ab-test", "--state", file("s.json").toString(), "--resume"));
        resume.addAll(router());
        assertEquals(err.toString(), 1, run(resume.toArray(new String[0])));
    }

    @Test
    public void abortRollsBackAStoppedTest() throws Exception {
        Path outcomes = outcomes(300, 0.2, 0.2);
        assertEquals(err.toString(), 1, run(abTest("--duration", "200ms", "--interval", "200ms", "--weight", "20", "--otherwise", "stop",
                "--outcomes", outcomes.toString())));
        assertTrue(out.toString(), out.toString().startsWith("ab-test STOPPED"));
        assertTrue(upstream(), upstream().contains("# canary 20 %"));
        List<String> abort = new ArrayList<>(List.of("ab-test", "--state", file("s.json").toString(), "--abort"));
        abort.addAll(router());
        assertEquals(err.toString(), 1, run(abort.toArray(new String[0])));
        assertTrue(out.toString(), out.toString().contains("ab-test ABORTED"));
        assertTrue(upstream(), upstream().contains("server 127.0.0.1:8002 down;"));
    }

    /**
     * The plan is fixed once the test has looked at data: a --resume or --abort that gives another alpha, duration or
     * outcomes file is refused naming the option (it used to be ignored silently), and changes nothing; the same
     * command run again with --resume is accepted.
     */
    @Test
    public void aResumeOrAbortWithAnotherPlanIsRefused() throws Exception {
        Path outcomes = outcomes(300, 0.2, 0.2);
        assertEquals(err.toString(), 1, run(abTest("--duration", "200ms", "--interval", "200ms", "--weight", "20", "--otherwise", "stop",
                "--outcomes", outcomes.toString())));
        String saved = Files.readString(file("s.json"));
        err.getBuffer().setLength(0);
        assertEquals(2, run(abTest("--duration", "200ms", "--interval", "200ms", "--weight", "20", "--otherwise", "stop", "--outcomes",
                outcomes.toString(), "--alpha", "0.2", "--abort")));
        String line = err.toString().strip();
        assertEquals("mlstages: --alpha 0.2 is not what " + file("s.json") + " was started with (0.05): --resume and --abort keep the"
                + " saved plan; leave --alpha out or give the same", line);
        err.getBuffer().setLength(0);
        assertEquals(2, run(abTest("--duration", "1h", "--outcomes", outcomes.toString(), "--resume")));
        assertTrue(err.toString(), err.toString().strip().startsWith("mlstages: --duration PT1H is not what "));
        err.getBuffer().setLength(0);
        assertEquals(2, run(abTest("--outcomes", file("other.csv").toString(), "--abort")));
        assertTrue(err.toString(), err.toString().strip().startsWith("mlstages: --outcomes " + file("other.csv") + " is not what "));
        assertEquals(saved, Files.readString(file("s.json")));
        assertTrue(upstream(), upstream().contains("# canary 20 %"));
        err.getBuffer().setLength(0);
        assertEquals(err.toString(), 1, run(abTest("--duration", "200ms", "--interval", "200ms", "--weight", "20", "--otherwise", "stop",
                "--outcomes", outcomes.toString(), "--abort")));
        assertTrue(out.toString(), out.toString().contains("ab-test ABORTED"));
    }

    /** A Prometheus test killed while running: --abort rolls it back without --prometheus-url (it counts nothing). */
    @Test
    public void abortNeedsNoPrometheus() throws Exception {
        NginxRouter router = new NginxRouter(new NginxRouterConfig(file("upstream.conf"), "model", "127.0.0.1:8001", "127.0.0.1:8002",
                List.of("true"), List.of("true"), Duration.ofSeconds(10)));
        AbPlan plan = new AbPlan("churn", "2", null, 30, Duration.ofHours(1), Duration.ofMinutes(1), 100, 0, 0.05, 0.05,
                PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.ROLLBACK, AbMetric.prometheus("a", "b", "c", "d"));
        ArmSource counts = new ArmSource() {
            @Override
            public ArmCounts counts(Instant at) {
                return ArmCounts.ZERO;
            }

            @Override
            public ArmCounts baseline(Instant at) {
                return ArmCounts.ZERO;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        try {
            new AbTestRun(new AbStateStore(file("s.json")), router, counts, null, Clock.systemUTC(), d -> {
                throw new InterruptedException("killed");
            }, Backoff.DEFAULT).start(plan);
            fail("meant to stop while running");
        } catch (InterruptedException expected) {
            // the driver is gone, the split stays
        }
        assertTrue(upstream(), upstream().contains("# canary 30 %"));
        List<String> abort = new ArrayList<>(List.of("ab-test", "--state", file("s.json").toString(), "--abort"));
        abort.addAll(router());
        assertEquals(err.toString(), 1, run(abort.toArray(new String[0])));
        assertTrue(out.toString(), out.toString().startsWith("ab-test ABORTED: churn/2, winner inconclusive"));
        assertTrue(upstream(), upstream().contains("server 127.0.0.1:8002 down;"));
    }

    /** Bad usage is one line naming the option, exit 2, and nothing is written: no state, no router file. */
    private void assertUsage(String expected, String... args) {
        assertEquals(err.toString(), 2, run(args));
        String line = err.toString().strip();
        assertFalse(line, line.contains("\n"));
        assertTrue(line, line.startsWith("mlstages: " + expected));
        assertFalse(Files.exists(file("s.json")));
        assertFalse(Files.exists(file("upstream.conf")));
    }

    @Test
    public void badUsageNamesTheOption() throws Exception {
        String o = outcomes(10, 0.1, 0.1).toString();
        assertUsage("--weight: ", abTest("--duration", "1m", "--outcomes", o, "--weight", "100"));
        err.getBuffer().setLength(0);
        assertUsage("--alpha: ", abTest("--duration", "1m", "--outcomes", o, "--alpha", "1.5"));
        err.getBuffer().setLength(0);
        assertUsage("--min-sample: ", abTest("--duration", "1m", "--outcomes", o, "--min-sample", "5"));
        err.getBuffer().setLength(0);
        assertUsage("--margin: ", abTest("--duration", "1m", "--outcomes", o, "--promote-when", "not-worse"));
        err.getBuffer().setLength(0);
        assertUsage("--promote-when must be candidate-wins or not-worse", abTest("--duration", "1m", "--outcomes", o, "--promote-when",
                "better"));
        err.getBuffer().setLength(0);
        assertUsage("give the counts", abTest("--duration", "1m"));
        err.getBuffer().setLength(0);
        assertUsage("--outcomes and the Prometheus queries", abTest("--duration", "1m", "--outcomes", o, "--control-trials", "x"));
        err.getBuffer().setLength(0);
        assertUsage("--outcomes: ", abTest("--duration", "1m", "--outcomes", file("labels.xlsx").toString()));
        err.getBuffer().setLength(0);
        assertUsage("--assignments: ", abTest("--duration", "1m", "--outcomes", o, "--assignments", file("access.log").toString()));
        err.getBuffer().setLength(0);
        // a directory used to split the traffic for the whole duration, counting nothing
        Files.createDirectory(file("labels.csv"));
        assertUsage("--outcomes: " + file("labels.csv") + ": ", abTest("--duration", "1m", "--outcomes", file("labels.csv").toString()));
        err.getBuffer().setLength(0);
        assertUsage("missing --prometheus-url", abTest("--duration", "1m", "--control-trials", "a", "--control-conversions", "b",
                "--candidate-trials", "c", "--candidate-conversions", "d"));
    }
}
