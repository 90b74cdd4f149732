package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

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
        assertEquals(2, run(valid(state, "--steps", "50,10,100")));
        assertEquals("mlstages: step weights must strictly increase, got [50, 10, 100]", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--steps", "10,fifty")));
        assertTrue(error(), error().startsWith("mlstages: Invalid value for option '--steps'"));
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--interval", "30")));
        assertEquals("mlstages: --interval: '30' is not a duration: use e.g. 30s, 5m, 1m30s, 500ms or PT30S", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--analysis", "latency: p95 < 0.3")));
        assertEquals("mlstages: analysis check 'latency': bounds are inclusive, use <= or >= (write 'NAME: QUERY <= MAX', "
                + "'NAME: QUERY >= MIN' or 'NAME: MIN <= QUERY <= MAX')", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--stable-query", "latency: stable_p95")));
        assertEquals("mlstages: stable query for 'latency', which is not the name of an analysis check", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--on-inconclusive", "wait")));
        assertEquals("mlstages: unknown inconclusive policy 'wait': use rollback or hold", error());
        assertFalse(Files.exists(Path.of(state)));
    }

    @Test
    public void routerOptionsAreCheckedPerRouter() {
        String state = folder.getRoot().toPath().resolve("state.json").toString();
        assertEquals(2, run(valid(state, "--router", "nginx")));
        assertEquals("mlstages: missing --nginx-config with --router nginx", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--router", "istio")));
        assertEquals("mlstages: --router must be nginx, kserve or http, was 'istio'", error());
        err.getBuffer().setLength(0);
        assertEquals(2, run(valid(state, "--router", "kserve")));
        assertEquals("mlstages: missing --inference-service with --router kserve", error());
    }

    @Test
    public void resumeAndAbortNeedAStateFileAndAreExclusive() throws Exception {
        String state = folder.getRoot().toPath().resolve("none.json").toString();
        assertEquals(2, run("--state", state, "--resume", "--router", "http", "--router-url", "http://127.0.0.1:9/w"));
        assertEquals("mlstages: " + state + ": no such file", error());
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
        assertTrue(out.toString(), out.toString().contains("Exit 0 promoted, 1 rolled back or aborted, 2 bad usage, 3 router"));
        assertTrue(out.toString(), out.toString().contains("--stable-query"));
    }
}
