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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

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
