package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

import io.jenkins.plugins.mlstages.deploy.ShadowChecks;
import io.jenkins.plugins.mlstages.deploy.ShadowPhase;
import io.jenkins.plugins.mlstages.deploy.ShadowPlan;
import io.jenkins.plugins.mlstages.deploy.ShadowState;
import io.jenkins.plugins.mlstages.deploy.ShadowStateStore;
import io.jenkins.plugins.mlstages.deploy.ShadowVerdict;

public class ShadowCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String[] shadow(String... more) {
        List<String> args = new ArrayList<>(List.of("shadow", "--state", folder.getRoot().toPath().resolve("s.json").toString(),
                "--model", "fraud", "--version", "2", "--duration", "1m", "--capture-folder", folder.getRoot().toString(),
                "--router", "nginx", "--nginx-mirror-config", folder.getRoot().toPath().resolve("m.conf").toString(),
                "--capture-server", "127.0.0.1:9100"));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** Bad usage is one line naming the option, exit 2, and nothing is written: no state, no mirror file. */
    private void assertUsage(String expected, String... args) {
        err.getBuffer().setLength(0);
        assertEquals(err.toString(), 2, run(args));
        String line = err.toString().strip();
        assertFalse(line, line.contains("\n"));
        assertTrue(line, line.startsWith("mlstages: " + expected));
        assertFalse(Files.exists(folder.getRoot().toPath().resolve("s.json")));
        assertFalse(Files.exists(folder.getRoot().toPath().resolve("m.conf")));
    }

    /**
     * A --resume or --abort that gives another duration, capture folder or request count is refused naming the option
     * (it used to be ignored silently) and changes nothing; the same command run again with --resume is accepted.
     */
    @Test
    public void aResumeOrAbortWithAnotherPlanIsRefused() throws Exception {
        Path state = folder.getRoot().toPath().resolve("s.json");
        ShadowPlan plan = new ShadowPlan("fraud", "2", null, Duration.ofMinutes(1), 0, 100, ShadowChecks.parse(List.of("agreement >= 0.97")),
                folder.getRoot().toPath().toAbsolutePath().normalize().toString(), Duration.ofSeconds(5));
        new ShadowStateStore(state).save(new ShadowState(ShadowState.SCHEMA, plan, ShadowPhase.DONE, false, true, null, null, null,
                ShadowVerdict.REJECTED, "too few requests", null, null, null, null, "nginx mirror", Instant.parse("2026-03-01T12:00:00Z"),
                List.of()));
        String saved = Files.readString(state);
        String[][] cases = {
            {"--resume", "--duration", "1h", "--duration PT1H is not what " + state + " was started with (PT1M): --resume and --abort"
                + " keep the saved plan; leave --duration out or give the same"},
            {"--abort", "--capture-folder", folder.getRoot().toPath().resolve("other").toString(), "--capture-folder "
                + folder.getRoot().toPath().resolve("other") + " is not what "},
            {"--resume", "--min-requests", "10", "--min-requests 10 is not what "},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of(shadow("--check", "agreement >= 0.97", c[0])));
            if (args.contains(c[1])) {
                args.set(args.indexOf(c[1]) + 1, c[2]);
            } else {
                args.addAll(List.of(c[1], c[2]));
            }
            err.getBuffer().setLength(0);
            assertEquals(err.toString(), 2, run(args.toArray(new String[0])));
            String line = err.toString().strip();
            assertFalse(line, line.contains("\n"));
            assertTrue(line, line.startsWith("mlstages: " + c[3]));
            assertEquals(saved, Files.readString(state));
        }
        err.getBuffer().setLength(0);
        assertEquals(err.toString(), 1, run(shadow("--check", "agreement >= 0.97", "--resume")));
        assertTrue(out.toString(), out.toString().contains("shadow REJECTED"));
    }

    @Test
    public void anUnknownMetricNamesTheCheckOption() {
        assertUsage("--check: ", shadow("--check", "agrement >= 0.97"));
        assertTrue(err.toString(), err.toString().contains("agrement"));
    }

    @Test
    public void aShadowRunNeedsACheck() {
        assertUsage("a shadow run needs at least one --check", shadow());
    }

    @Test
    public void kserveMirrorsThroughAnIstioVirtualService() {
        List<String> args = new ArrayList<>(List.of(shadow("--check", "agreement >= 0.97")));
        args.set(args.indexOf("nginx"), "kserve");
        assertUsage("--router kserve mirrors through an Istio VirtualService in front of the InferenceService: give"
                + " --virtual-service, --istio-stable and --mirror-destination", args.toArray(new String[0]));
        args.addAll(List.of("--virtual-service", "iris", "--istio-stable", "iris-predictor.models.svc.cluster.local"));
        assertUsage("missing --mirror-destination with --router kserve", args.toArray(new String[0]));
        args.set(args.indexOf("kserve"), "istio");
        assertUsage("missing --mirror-destination with --router istio", args.toArray(new String[0]));
    }

    @Test
    public void minRequestsAboveTheRequestCountIsRefused() {
        assertUsage("--min-requests: ", shadow("--check", "agreement >= 0.97", "--requests", "50", "--min-requests", "100"));
    }

    @Test
    public void aCaptureThatCannotListenIsAnInfrastructureFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Path out = folder.newFolder("capture").toPath();
            assertEquals(err.toString(), 3, run("shadow-capture", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--live",
                    "http://127.0.0.1:1", "--shadow", "http://127.0.0.1:2", "--out", out.toString()));
            assertTrue(err.toString(), err.toString().startsWith("mlstages: shadow-capture cannot listen on 127.0.0.1:"));
        }
    }

    @Test
    public void aCaptureNeedsHttpUrlsAndAPort() {
        assertEquals(2, run("shadow-capture", "--listen", "localhost", "--live", "http://a", "--shadow", "http://b", "--out", "x"));
        assertTrue(err.toString(), err.toString().startsWith("mlstages: --listen: write HOST:PORT"));
    }
}
