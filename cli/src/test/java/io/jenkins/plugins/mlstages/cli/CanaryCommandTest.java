package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.deploy.CanaryController;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;

/** {@code mlstages canary} usage errors: exit 2, one line naming the option, nothing touched. */
public class CanaryCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("canary"));
        all.addAll(List.of(args));
        // Never contacted: every case fails before the registry is opened.
        all.add("--registry-url=http://127.0.0.1:9");
        return Main.run(all.toArray(new String[0]), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String error() {
        String text = err.toString().strip();
        assertFalse("more than one line: " + text, text.contains("\n"));
        return text;
    }

    private String[] valid(String state, String... more) {
        List<String> args = new ArrayList<>(List.of("--state", state, "--model", "fraud", "--version", "2", "--steps", "10,50,100",
                "--interval", "30s", "--analysis", "error_rate: errors <= 0.01", "--router", "http",
                "--router-url", "http://127.0.0.1:9/weights", "--prometheus-url", "http://127.0.0.1:9"));
        // Pairs of option and value: replace the option's value, or add it.
        for (int i = 0; i < more.length; i += 2) {
            int at = args.indexOf(more[i]);
            if (at >= 0) {
                args.set(at + 1, more[i + 1]);
            } else {
                args.addAll(List.of(more[i], more[i + 1]));
            }
        }
        return args.toArray(new String[0]);
    }

    @Test
    public void theStateFileIsRequired() {
        assertEquals(2, run("--model", "m", "--version", "2"));
        assertEquals("mlstages: Missing required option: '--state=PATH' (see 'mlstages canary --help')", error());
    }

    @Test
    public void badPlansNameTheirOption() throws Exception {
        String state = folder.getRoot().toPath().resolve("state.json").toString();
        assertEquals(2, run("--state", state, "--version", "2"));
        assertEquals("mlstages: missing --model", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--steps", "10,fifty")));
        assertTrue(error(), error().startsWith("mlstages: Invalid value for option '--steps'"));
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--interval", "30")));
        assertEquals("mlstages: --interval: '30' is not a duration: use e.g. 30s, 5m, 1m30s, 500ms or PT30S", error());
        // Option, value, the one line expected: every plan error starts with the option it comes from.
        String[][] cases = {
            {"--model", " ", "--model: the canary needs a model name"},
            {"--version", " ", "--version: the canary needs a model version"},
            {"--steps", "50,10,100", "--steps: step weights must strictly increase, got [50, 10, 100]"},
            {"--steps", "10,50", "--steps: the last step must be 100 (the promotion), got [10, 50]"},
            {"--interval", "0s", "--interval: the step interval must be positive and at most 24 h, was 0 ms"},
            {"--interval", "25h", "--interval: the step interval must be positive and at most 24 h, was 25 h"},
            {"--interval", "9999999999999999h", "--interval: '9999999999999999h' is too long: a duration is at most 365 days"},
            {"--analyses-per-step", "0", "--analyses-per-step: analyses per step must be between 1 and 100, was 0"},
            {"--analyses-per-step", "2000000000", "--analyses-per-step: analyses per step must be between 1 and 100, was 2000000000"},
            {"--failure-limit", "0", "--failure-limit: the failure limit must be between 1 and 100, was 0"},
            {"--failure-limit", "101", "--failure-limit: the failure limit must be between 1 and 100, was 101"},
            {"--inconclusive-limit", "0", "--inconclusive-limit: the inconclusive limit must be between 1 and 100, was 0"},
            {"--on-inconclusive", "wait", "--on-inconclusive: unknown inconclusive policy 'wait': use rollback or hold"},
            {"--hold-timeout", "0s", "--hold-timeout: the hold timeout must be positive and at most 240 h, was 0 ms"},
            {"--hold-timeout", "PT241H", "--hold-timeout: the hold timeout must be positive and at most 240 h, was 241 h"},
            {"--champion-alias", "best model", "--champion-alias: canary refused: alias 'best model' may only contain"
                + " letters, digits, '_' and '-'"},
            {"--previous-alias", "v3", "--previous-alias: canary refused: alias 'v3' is reserved by MLflow (v<number> names"
                + " a version)"},
            {"--previous-alias", "champion", "--champion-alias/--previous-alias: the champion and previous aliases must"
                + " differ, both are 'champion'"},
            {"--analysis", "latency: p95 < 0.3", "--analysis: analysis check 'latency': bounds are inclusive, use <= or >="
                + " (write 'NAME: QUERY <= MAX', 'NAME: QUERY >= MIN' or 'NAME: MIN <= QUERY <= MAX')"},
            {"--analysis", "latency: 0.5 <= p95 <= 0.3", "--analysis: analysis check 'latency': min 0.5 is above max 0.3"},
            {"--stable-query", "latency: stable_p95", "--stable-query: stable query for 'latency', which is not the name of"
                + " an analysis check"},
            {"--stable-query", "latency", "--stable-query: stable query 'latency': write 'NAME: QUERY' with the name of an"
                + " analysis check"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            String[] args = c[0].equals("--hold-timeout") ? valid(state, "--on-inconclusive", "hold", c[0], c[1])
                    : valid(state, c[0], c[1]);
            assertEquals(String.join(" ", c), 2, run(args));
            assertEquals("mlstages: " + c[2], error());
            assertTrue(error(), error().contains(c[0]));
        }
        err.getBuffer().setLength(0);
        List<String> twice = new ArrayList<>(List.of(valid(state)));
        twice.addAll(List.of("--analysis", "error_rate: errors <= 0.02"));
        assertEquals(2, run(twice.toArray(new String[0])));
        assertEquals("mlstages: --analysis: two analysis checks are named 'error_rate'", error());
        assertFalse(Files.exists(Path.of(state)));
    }

    /** Behaviour rules and their probe: every misuse is one line naming the option, before anything is touched. */
    @Test
    public void behaviourRulesAndTheProbeNameTheirOption() throws Exception {
        String state = folder.getRoot().toPath().resolve("state.json").toString();
        Path probe = folder.getRoot().toPath().resolve("probe.jsonl");
        Files.writeString(probe, "{\"x\": 1}\nnot json\n");
        String[][] cases = {
            {"mlstages: --analysis 'agreement ...' is a behaviour rule: it needs --probe FILE.jsonl, --probe-stable-url and"
                + " --probe-canary-url", "--analysis", "agreement >= 0.97"},
            {"mlstages: --probe: no behaviour rule to judge it; add e.g. --analysis 'agreement >= 0.97'",
                "--probe", probe.toString()},
            {"mlstages: --probe-canary-url: behaviour rules need the scoring URL of both versions (probeCanaryUrl)",
                "--analysis", "agreement >= 0.97", "--probe", probe.toString(), "--probe-stable-url", "http://127.0.0.1:9"},
            {"mlstages: probe " + probe + " line 2: not JSON", "--analysis", "agreement >= 0.97", "--probe", probe.toString(),
                "--probe-stable-url", "http://127.0.0.1:9", "--probe-canary-url", "http://127.0.0.1:8"},
            {"mlstages: --analysis: analysis check 'agreemnt >= 0.97' has no name and is not a behaviour rule", "--analysis",
                "agreemnt >= 0.97"},
        };
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(List.of(valid(state)));
            for (int i = 1; i < c.length; i += 2) {
                args.addAll(List.of(c[i], c[i + 1]));
            }
            assertEquals(c[0], 2, run(args.toArray(new String[0])));
            assertTrue(error() + "\nexpected: " + c[0], error().startsWith(c[0]));
        }
        assertFalse(Files.exists(Path.of(state)));
    }

    /** A state file that cannot keep the state (a device, a directory) is refused before anything is touched. */
    @Test
    public void aStateFileThatCannotKeepTheStateIsRefused() throws Exception {
        assertEquals(2, run(valid("/dev/null")));
        assertEquals("mlstages: /dev/null: is a character device, not a regular file", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(folder.getRoot().toString())));
        assertEquals("mlstages: " + folder.getRoot() + ": cannot write: is a directory", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--state", "/dev/null", "--resume"));
        assertTrue(error(), error().contains("/dev/null"));
    }

    @Test
    public void resumeWithOtherRouterOptionsIsRefusedNamingBothRouters() throws Exception {
        Path state = folder.getRoot().toPath().resolve("state.json");
        CanaryPlan plan = CanaryPlan.of("fraud", "2", List.of(10, 50, 100), Duration.ofSeconds(30),
                List.of(CheckSyntax.parse("error_rate: errors <= 0.01")));
        Path upstream = folder.getRoot().toPath().resolve("nginx/upstream.conf");
        String started = "nginx upstream 'fraud' in " + upstream;
        new CanaryStateStore(state).save(CanaryController.start(plan, "1", null, started, "prometheus",
                Instant.parse("2026-03-01T12:00:00Z")));
        String before = Files.readString(state);
        String[] http = {"--state", state.toString(), "--resume", "--router", "http", "--router-url",
            "http://127.0.0.1:9/weights", "--prometheus-url", "http://127.0.0.1:9"};
        assertEquals(2, run(http));
        assertEquals("mlstages: --router: " + state + " was started with " + started + ", not with http router"
                + " http://127.0.0.1:9/weights: resume or abort it with the router options it was started with", error());
        err.getBuffer().setLength(0);
        http[2] = "--abort";
        assertEquals(2, run(http));
        assertTrue(error(), error().startsWith("mlstages: --router: " + state + " was started with " + started + ", not with"));
        assertEquals(before, Files.readString(state));
        assertFalse(Files.exists(upstream));
    }

    /**
     * Other steps, interval or champion alias with --resume or --abort are refused naming the option (they used to be
     * ignored silently) and change nothing; the same command run again with --resume gets past the check.
     */
    private String[] continuing(String flag, Path state, String... more) {
        List<String> args = new ArrayList<>(List.of(valid(state.toString(), more)));
        args.add(flag);
        return args.toArray(new String[0]);
    }

    @Test
    public void aResumeOrAbortWithAnotherPlanIsRefused() throws Exception {
        Path state = folder.getRoot().toPath().resolve("state.json");
        CanaryPlan plan = CanaryPlan.of("fraud", "2", List.of(10, 50, 100), Duration.ofSeconds(30),
                List.of(CheckSyntax.parse("error_rate: errors <= 0.01")));
        new CanaryStateStore(state).save(CanaryController.start(plan, "1", null, "http router http://127.0.0.1:9/weights", "prometheus",
                Instant.parse("2026-03-01T12:00:00Z")));
        String before = Files.readString(state);
        assertEquals(2, run(continuing("--resume", state, "--steps", "20,100")));
        assertEquals("mlstages: --steps [20, 100] is not what " + state + " was started with ([10, 50, 100]): --resume and --abort"
                + " keep the saved plan; leave --steps out or give the same", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(continuing("--abort", state, "--interval", "1m")));
        assertTrue(error(), error().startsWith("mlstages: --interval PT1M is not what " + state));
        err.getBuffer().setLength(0);
        assertEquals(2, run(continuing("--resume", state, "--champion-alias", "prod")));
        assertTrue(error(), error().startsWith("mlstages: --champion-alias prod is not what " + state));
        err.getBuffer().setLength(0);
        assertEquals(2, run(continuing("--resume", state, "--on-inconclusive", "hold")));
        assertTrue(error(), error().startsWith("mlstages: --on-inconclusive hold is not what " + state));
        assertEquals(before, Files.readString(state));
        // the same plan (30s written as 30000ms) passes the check: the router at port 9 is then what fails
        err.getBuffer().setLength(0);
        int code = run(continuing("--abort", state, "--interval", "30000ms", "--hold-timeout", "1h"));
        assertTrue(err.toString(), code != 2 && !err.toString().contains("is not what"));
    }

    @Test
    public void routerOptionsAreCheckedPerRouter() {
        String state = folder.getRoot().toPath().resolve("state.json").toString();
        assertEquals(2, run(valid(state, "--router", "nginx")));
        assertEquals("mlstages: missing --nginx-config with --router nginx", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--router", "linkerd")));
        assertEquals("mlstages: --router must be nginx, kserve, istio or http, was 'linkerd'", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--router", "istio")));
        assertEquals("mlstages: missing --virtual-service with --router istio", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--router", "istio", "--virtual-service", "iris", "--istio-stable", "v1.models.svc")));
        assertEquals("mlstages: missing --istio-canary with --router istio", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--router", "istio", "--virtual-service", "iris", "--istio-stable", "v1.models.svc",
                "--istio-canary", "v2/a/b")));
        assertEquals("mlstages: --istio-canary must be HOST or HOST/SUBSET, was 'v2/a/b'", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--router", "kserve")));
        assertEquals("mlstages: missing --inference-service with --router kserve", error());
    }

    @Test
    public void resumeAndAbortNeedAStateFileAndAreExclusive() throws Exception {
        String state = folder.getRoot().toPath().resolve("none.json").toString();
        assertEquals(2, run("--state", state, "--resume", "--router", "http", "--router-url", "http://127.0.0.1:9/w"));
        assertEquals("mlstages: " + state + ": does not exist", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--state", state, "--resume", "--abort"));
        assertTrue(error(), error().contains("mutually exclusive"));
        err.getBuffer().setLength(0);
        Path torn = folder.newFile("torn.json").toPath();
        Files.writeString(torn, "{\"schema\": \"ml-stages/canary-state-v1\", \"pha");
        assertEquals(2, run("--state", torn.toString(), "--abort", "--router", "http", "--router-url", "http://127.0.0.1:9/w"));
        assertTrue(error(), error().startsWith("mlstages: " + torn + ": not a readable canary state: "));
    }

    @Test
    public void helpNamesTheExitCodes() {
        assertEquals(0, Main.run(new String[] {"canary", "--help"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help, help.contains("Exit 0 promoted; 1 rolled back or aborted, including a rollback because the router or"
                + " Prometheus failed while the canary progressed (the reason says why); 2 bad usage; 3 the rollback or"
                + " promotion could not be completed (pending: --resume finishes it), the registry or the state file failed,"
                + " or another process drives the canary."));
        assertTrue(out.toString(), out.toString().contains("--stable-query"));
    }
}
