package io.jenkins.plugins.mlstages.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.ShadowCapture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlstages shadow-capture}: the mirror's target next to the router. Runs until stopped
 * (SIGTERM or SIGINT); never on the Jenkins controller, as it receives production traffic.
 */
@Command(name = "shadow-capture", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Receive the mirrored copies of live requests (nginx mirror), answer them at once, send each to the",
            "live and to the shadow model, and record both answers as JSON lines in --out for `mlstages shadow`.",
            "Runs until stopped. Exit 2 bad usage; 3 it cannot listen or write."})
final class ShadowCaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "where the mirror sends the copies")
    String listen;

    @Option(names = "--live", required = true, paramLabel = "URL", description = "the live model's server, e.g. http://127.0.0.1:8001")
    String live;

    @Option(names = "--shadow", required = true, paramLabel = "URL", description = "the candidate model's server")
    String shadow;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the JSON lines go")
    Path out;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "256", description = "copies waiting at most; more are dropped (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "copies sent at once (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--call-timeout", paramLabel = "DURATION", defaultValue = "5s", description = "per model call (default: ${DEFAULT-VALUE})")
    String callTimeout;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576", description = "larger request bodies are not captured (default: ${DEFAULT-VALUE})")
    int maxBody;

    @Option(names = "--max-bytes", paramLabel = "BYTES", defaultValue = "1073741824",
            description = "disk the JSON lines may take; the oldest file goes first (default: ${DEFAULT-VALUE})")
    long maxBytes;

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen: write HOST:PORT, was '" + listen + "'");
        }
        ShadowCapture.Settings settings = new ShadowCapture.Settings(new InetSocketAddress(listen.substring(0, colon), port),
                url("--live", live), url("--shadow", shadow), out, queue, workers, StageCommand.option("--call-timeout",
                        () -> Durations.parse(callTimeout)), maxBody, 1 << 16, maxBytes);
        CountDownLatch stopped = new CountDownLatch(1);
        ShadowCapture started;
        try {
            started = ShadowCapture.start(settings);
        } catch (java.io.IOException e) {
            throw new DeployException("shadow-capture cannot listen on " + listen + " or write to " + out + ": " + e.getMessage(), e);
        }
        try (ShadowCapture capture = started) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                capture.close();
                stopped.countDown();
            }));
            spec.commandLine().getErr().println("shadow-capture: listening on " + listen.substring(0, colon) + ":" + capture.port()
                    + "; live " + live + ", shadow " + shadow + "; recording in " + out);
            spec.commandLine().getErr().flush();
            stopped.await();
        }
        return ExitCode.PASSED;
    }

    private static URI url(String option, String text) {
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(option + " must be an http:// or https:// URL, was '" + text + "'");
        }
        return uri;
    }
}
