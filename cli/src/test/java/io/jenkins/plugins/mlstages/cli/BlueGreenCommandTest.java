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

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code mlstages blue-green} usage errors: exit 2, one line naming the option or the smoke file's line, nothing touched. */
public class BlueGreenCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path state;
    private Path smoke;

    @Before
    public void files() throws Exception {
        state = folder.getRoot().toPath().resolve("state.json");
        smoke = folder.newFile("smoke.jsonl").toPath();
        Files.writeString(smoke, "{\"request\": {\"amount\": 1}, \"expected\": \"legit\"}\n");
    }

    private int run(String... args) {
        err.getBuffer().setLength(0);
        List<String> all = new ArrayList<>(List.of("blue-green"));
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

    private String[] valid(String... more) {
        List<String> args = new ArrayList<>(List.of("--state", state.toString(), "--model", "fraud", "--version", "2",
                "--smoke", smoke.toString(), "--probe-canary-url", "http://127.0.0.1:9", "--window", "1m",
                "--router", "http", "--router-url", "http://127.0.0.1:9/weights"));
        for (int i = 0; i < more.length; i += 2) {
            int at = args.indexOf(more[i]);
            if (at >= 0) {
                if (more[i + 1] == null) {
                    args.remove(at + 1);
                    args.remove(at);
                } else {
                    args.set(at + 1, more[i + 1]);
                }
            } else {
                args.addAll(List.of(more[i], more[i + 1]));
            }
        }
        return args.toArray(new String[0]);
    }

    @Test
    public void missingSettingsNameTheirOption() {
        assertEquals(2, run(valid("--smoke", null)));
        assertEquals("mlstages: missing --smoke", error());
        assertEquals(2, run(valid("--window", null)));
        assertEquals("mlstages: missing --window", error());
        assertEquals(2, run(valid("--probe-canary-url", null)));
        assertEquals("mlstages: missing --probe-canary-url (green's scoring server, for the smoke checks)", error());
        assertEquals(2, run(valid("--window", "25h")));
        assertTrue(error(), error().startsWith("mlstages: --window: the step interval must be positive and at most"));
        assertEquals(2, run(valid("--analyses", "0")));
        assertTrue(error(), error().startsWith("mlstages: --analyses: "));
        assertEquals(2, run(valid("--probe-canary-url", "http://user:pw@green:1")));
        assertEquals("mlstages: --probe-canary-url: a scoring URL must not hold credentials (user:password@)", error());
        assertFalse("nothing written", Files.exists(state));
    }

    @Test
    public void aBadSmokeFileIsRefusedNamingItsLineBeforeAnythingMoves() throws Exception {
        Files.writeString(smoke, "{\"request\": {\"amount\": 1}, \"expected\": \"legit\"}\n{\"request\": {\"amount\": 2},"
                + " \"expected\": \"legit\", \"tolerance\": 0.1}\n");
        assertEquals(2, run(valid()));
        assertEquals("mlstages: --smoke: smoke file " + smoke + " line 2: with \"tolerance\", \"expected\" must be a number"
                + " (the expected score)", error());
        Files.writeString(smoke, "{\"request\": {\"amount\": 1}, \"expect\": 1}\n");
        assertEquals(2, run(valid()));
        assertEquals("mlstages: --smoke: smoke file " + smoke + " line 1: unknown field 'expect' (request, expected, tolerance)", error());
        Files.writeString(smoke, "\n");
        assertEquals(2, run(valid()));
        assertEquals("mlstages: --smoke: smoke file " + smoke + ": no requests", error());
        assertFalse("nothing written", Files.exists(state));
    }

    @Test
    public void resumeRefusesACanarysStateFile() throws Exception {
        // a canary state file, as mlstages canary writes it: started, nothing applied
        io.jenkins.plugins.mlstages.deploy.CanaryPlan plan = io.jenkins.plugins.mlstages.deploy.CanaryPlan.of("fraud", "2",
                List.of(10, 100), java.time.Duration.ofMinutes(1), List.of());
        new io.jenkins.plugins.mlstages.deploy.CanaryStateStore(state).save(io.jenkins.plugins.mlstages.deploy.CanaryController
                .start(plan, "1", null, "http router http://127.0.0.1:9/weights", "none", java.time.Instant.now()));
        assertEquals(2, run("--state", state.toString(), "--resume", "--router", "http", "--router-url", "http://127.0.0.1:9/weights"));
        assertEquals("mlstages: " + state.toAbsolutePath() + " holds a canary, not a blue/green deployment: use mlstages canary", error());
    }

    /** Another window or champion alias with --resume or --abort is refused naming it, not silently ignored. */
    @Test
    public void aResumeOrAbortWithAnotherPlanIsRefused() throws Exception {
        io.jenkins.plugins.mlstages.deploy.CanaryPlan plan = io.jenkins.plugins.mlstages.deploy.CanaryPlan.blueGreen("fraud", "2",
                new io.jenkins.plugins.mlstages.deploy.SmokePlan(smoke.toAbsolutePath().toString(), "http://127.0.0.1:9",
                        java.time.Duration.ofSeconds(5)), java.time.Duration.ofMinutes(1), 1, List.of(), 1, 2, "champion", "previous", null);
        new io.jenkins.plugins.mlstages.deploy.CanaryStateStore(state).save(io.jenkins.plugins.mlstages.deploy.CanaryController
                .start(plan, "1", null, "http router http://127.0.0.1:9/weights", "none", java.time.Instant.now()));
        String saved = Files.readString(state);
        assertEquals(2, run("--state", state.toString(), "--resume", "--window", "1h", "--router", "http", "--router-url",
                "http://127.0.0.1:9/weights"));
        assertEquals("mlstages: --window PT1H is not what " + state + " was started with (PT1M): --resume and --abort keep the saved"
                + " plan; leave --window out or give the same", error());
        assertEquals(2, run("--state", state.toString(), "--abort", "--champion-alias", "prod", "--router", "http", "--router-url",
                "http://127.0.0.1:9/weights"));
        assertTrue(error(), error().startsWith("mlstages: --champion-alias prod is not what "));
        assertEquals(saved, Files.readString(state));
    }

    @Test
    public void helpNamesBlueAndGreenAndTheExitCodes() {
        assertEquals(0, Main.run(new String[] {"blue-green", "--help"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help, help.contains("--stable-server=HOST:PORT nginx: blue's (the current version's) server"));
        assertTrue(help, help.contains("--canary-server=HOST:PORT nginx: green's (the new version's) server"));
        assertTrue(help, help.contains("--abort switch the deployment in --state back: router 100 % blue"));
        assertTrue(help, help.contains("Exit 0 promoted; 1 rolled back"));
    }
}
