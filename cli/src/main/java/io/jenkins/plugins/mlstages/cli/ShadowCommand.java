package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CaptureFolder;
import io.jenkins.plugins.mlstages.deploy.HttpMirror;
import io.jenkins.plugins.mlstages.deploy.NginxMirror;
import io.jenkins.plugins.mlstages.deploy.ShadowChecks;
import io.jenkins.plugins.mlstages.deploy.ShadowMirror;
import io.jenkins.plugins.mlstages.deploy.ShadowPlan;
import io.jenkins.plugins.mlstages.deploy.ShadowResult;
import io.jenkins.plugins.mlstages.deploy.ShadowRun;
import io.jenkins.plugins.mlstages.deploy.ShadowState;
import io.jenkins.plugins.mlstages.deploy.ShadowStateStore;
import io.jenkins.plugins.mlstages.deploy.ShadowVerdict;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mlstages shadow}: mirror live traffic to a candidate for a while, compare its answers with the
 * live model's on the same requests (what {@code mlstages shadow-capture} recorded), and end
 * promote-ready or rejected. Users only ever get the live model's answers (docs/shadow.md).
 */
@Command(name = "shadow", sortOptions = false, resourceBundle = "io.jenkins.plugins.mlstages.cli.ShadowCommand",
        description = {"Send a copy of live traffic to a candidate model version (its answers are discarded), compare its",
            "predictions with the live model's on the same requests, and judge behaviour checks such as",
            "'agreement >= 0.97'. Needs `mlstages shadow-capture` next to the router. Every step is saved to --state",
            "first: after a crash, run it again with --resume; --abort stops the mirror.",
            "Exit 0 promote-ready; 1 rejected (a check failed or had no value, too few requests, the mirror failed) or",
            "aborted; 2 bad usage; 3 the mirror could not be turned off (pending: --resume finishes it), the state file",
            "or the capture folder failed, or another process drives the run."})
final class ShadowCommand extends StageCommand {
    private static final Map<String, String> OPTIONS = Map.of("model", "--model", "version", "--version", "duration",
            "--duration", "requests", "--requests", "minRequests", "--min-requests", "check", "--check", "captureFolder",
            "--capture-folder", "router", "--router");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    DeploymentStateOptions run;

    @Option(names = "--model", paramLabel = "NAME", description = "registered model")
    String model;

    @Option(names = "--version", paramLabel = "V", description = "the candidate version (the shadow)")
    String version;

    @Option(names = "--stable-version", paramLabel = "V", description = "the live version, for the report")
    String stableVersion;

    @Option(names = "--duration", paramLabel = "DURATION", description = "how long to mirror at most, e.g. 10m")
    String duration;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "0",
            description = "stop once N requests were captured (default: the whole --duration)")
    int requests;

    @Option(names = "--min-requests", paramLabel = "N", defaultValue = "100",
            description = "fewer captured requests is no evidence: rejected (default: ${DEFAULT-VALUE})")
    int minRequests;

    @Option(names = "--check", paramLabel = "'METRIC <= MAX'",
            description = "a behaviour check, e.g. 'agreement >= 0.97', 'prediction_psi <= 0.1', 'shadow_error_rate <= 0.01' (repeatable)")
    List<String> checks = new ArrayList<>();

    @Option(names = "--capture-folder", paramLabel = "DIR", description = "where shadow-capture writes (its --out), as seen from here")
    Path captureFolder;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "how often the capture folder is read while collecting (default: ${DEFAULT-VALUE})")
    String pollInterval;

    @Option(names = "--router", paramLabel = "nginx|istio|kserve|http",
            description = "what mirrors the traffic (kserve: through an Istio VirtualService in front of it, as istio)")
    String router;

    @Mixin
    KubernetesOptions kubernetes;

    @Mixin
    IstioOptions istio;

    @Option(names = "--nginx-mirror-config", paramLabel = "PATH", description = "nginx: the mirror file, included in the server block")
    Path nginxMirrorConfig;

    @Option(names = "--capture-server", paramLabel = "HOST:PORT", description = "nginx: where shadow-capture listens")
    String captureServer;

    @Option(names = "--nginx-test-command", paramLabel = "CMD", description = "nginx: checks the configuration (default: nginx -t)")
    String nginxTestCommand;

    @Option(names = "--nginx-reload-command", paramLabel = "CMD", description = "nginx: applies it (default: nginx -s reload)")
    String nginxReloadCommand;

    @Option(names = "--router-url", paramLabel = "URL", description = "http: the mirror webhook (bearer token from $" + TrafficRouterOptions.ROUTER_TOKEN + ")")
    String routerUrl;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here when the run ends")
    Path report;

    ShadowCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        try {
            return shadow();
        } catch (CanarySettingException e) {
            String option = OPTIONS.get(e.setting());
            throw option == null ? e : new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private Integer shadow() throws Exception {
        checkOutputs(run.state(), report);
        ShadowStateStore store = new ShadowStateStore(run.state());
        store.checkFile();
        ShadowPlan plan;
        if (run.continuing()) {
            ShadowState saved = store.load();
            plan = saved.plan();
            run.checkSameRun("shadow run", plan.model(), plan.version(), model, version);
            checkSamePlan(plan);
        } else {
            plan = plan();
        }
        ShadowRun shadow = new ShadowRun(store, mirror(), new CaptureFolder(Path.of(plan.captureFolder())), main.log());
        ShadowResult result;
        if (run.resume()) {
            result = shadow.resume();
        } else if (run.abort()) {
            result = shadow.abort("aborted by request (mlstages shadow --abort)");
        } else {
            result = shadow.start(plan);
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        out("shadow " + result.verdict() + ": " + result.model() + "/" + result.version() + " (" + result.reason() + ")"
                + (report == null ? "" : "; report: " + report));
        return result.verdict() == ShadowVerdict.PROMOTE_READY ? ExitCode.PASSED : ExitCode.FAILED;
    }

    /** Every plan option given with --resume or --abort says what the state file says (the checks are not compared). */
    private void checkSamePlan(ShadowPlan saved) {
        run.checkSameOption(spec, "--stable-version", () -> stableVersion, saved.stableVersion());
        run.checkSameOption(spec, "--duration", () -> duration("--duration", duration), saved.duration());
        run.checkSameOption(spec, "--requests", () -> requests, saved.requests());
        run.checkSameOption(spec, "--min-requests", () -> minRequests, saved.minRequests());
        run.checkSameOption(spec, "--capture-folder", () -> captureFolder.toAbsolutePath().normalize().toString(), saved.captureFolder());
        run.checkSameOption(spec, "--poll-interval", () -> duration("--poll-interval", pollInterval), saved.pollInterval());
    }

    private ShadowPlan plan() {
        require(model, "--model");
        require(version, "--version");
        require(duration, "--duration");
        require(captureFolder, "--capture-folder");
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("a shadow run needs at least one --check, e.g. --check 'agreement >= 0.97'");
        }
        return new ShadowPlan(model, version, stableVersion, duration("--duration", duration), requests, minRequests,
                ShadowChecks.parse(checks), captureFolder.toAbsolutePath().normalize().toString(),
                duration("--poll-interval", pollInterval));
    }

    private ShadowMirror mirror() {
        require(router, "--router");
        switch (router) {
            case "nginx": {
                require(nginxMirrorConfig, "--nginx-mirror-config");
                require(captureServer, "--capture-server");
                return new NginxMirror(nginxMirrorConfig, captureServer, TrafficRouterOptions.command("--nginx-test-command", nginxTestCommand,
                        List.of("nginx", "-t")), TrafficRouterOptions.command("--nginx-reload-command", nginxReloadCommand, List.of("nginx", "-s", "reload")),
                        Duration.ofSeconds(30));
            }
            case "http":
                require(routerUrl, "--router-url");
                return new HttpMirror(routerUrl, TrafficRouterOptions.token(main.environment(), TrafficRouterOptions.ROUTER_TOKEN),
                        registry.timeout());
            case "kserve":
            case "istio":
                // an InferenceService has no mirror of its own: the VirtualService in front of it mirrors
                if (istio.virtualService == null && router.equals("kserve")) {
                    throw new IllegalArgumentException("--router kserve mirrors through an Istio VirtualService in front of the"
                            + " InferenceService: give --virtual-service, --istio-stable and --mirror-destination (docs/shadow.md)");
                }
                return istio.router(kubernetes, router, true, Sleeper.SYSTEM);
            default:
                throw new IllegalArgumentException("--router must be nginx, istio, kserve or http, was '" + router + "'");
        }
    }

    private void require(Object value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + option + (option.startsWith("--nginx") || option.equals("--capture-server")
                    || option.equals("--router-url") ? " with --router " + router : ""));
        }
    }
}
