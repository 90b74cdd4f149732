package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.deploy.CanaryPhase;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.deploy.CanaryRun;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryState;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.CanaryVerdict;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.MetricSource;
import io.jenkins.plugins.mlstages.deploy.RegistryAliases;
import io.jenkins.plugins.mlstages.deploy.SmokePlan;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mlstages blue-green}: smoke checks against the new (green) version, all traffic switched to it at once, an
 * analysis window, then promotion or an instant switch back to blue; resumable from its state file (docs/bluegreen.md).
 * The canary's driver runs it ({@link CanaryPlan#blueGreen}), so state, resume, abort and exit codes are the canary's.
 */
// No standard help options: --version names the model version here, as the CLI contract says.
@Command(name = "blue-green", sortOptions = false, resourceBundle = "io.jenkins.plugins.mlstages.cli.BlueGreenCommand",
        description = {"Deploy a model version blue/green: send the --smoke requests to the new (green) version and check",
            "its answers, switch all traffic to it at once, analyse it for --window, then promote it (alias champion) or",
            "switch all traffic back to the current (blue) version. Every step is saved to --state first: after a crash,",
            "run the same command with --resume; --abort switches back (once the driving process is stopped).",
            "Exit 0 promoted; 1 rolled back (smoke checks or the window failed, the router failed) or aborted; 2 bad usage;",
            "3 the switch back or the promotion could not be completed (pending: --resume finishes it), the registry or",
            "the state file failed, or another process drives the deployment."})
final class BlueGreenCommand extends StageCommand {
    /** The option of each engine setting: an error names the option it comes from. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("model", "--model"),
            Map.entry("version", "--version"), Map.entry("interval", "--window"), Map.entry("analysesPerStep", "--analyses"),
            Map.entry("analysis", "--analysis"), Map.entry("stableQuery", "--stable-query"),
            Map.entry("failureLimit", "--failure-limit"), Map.entry("inconclusiveLimit", "--inconclusive-limit"),
            Map.entry("championAlias", "--champion-alias"), Map.entry("previousAlias", "--previous-alias"),
            Map.entry(CanarySettingException.ALIASES, "--champion-alias/--previous-alias"), Map.entry("router", "--router"),
            Map.entry("smoke", "--smoke"), Map.entry("probe", "--probe"), Map.entry("probeStableUrl", "--probe-stable-url"),
            Map.entry("probeCanaryUrl", "--probe-canary-url"), Map.entry("probeThreshold", "--probe-threshold"),
            Map.entry("probeTimeout", "--probe-timeout"));

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    DeploymentStateOptions run;

    @Option(names = "--model", paramLabel = "NAME", description = "registered model")
    String model;

    @Option(names = "--version", paramLabel = "V", description = "the model version to deploy (green)")
    String version;

    @Option(names = "--smoke", paramLabel = "FILE.jsonl",
            description = "smoke checks: requests with their expected output, sent to green before the switch (docs/bluegreen.md)")
    Path smoke;

    @Option(names = "--window", paramLabel = "DURATION", description = "the analysis window after the switch, e.g. 10m")
    String window;

    @Option(names = "--analyses", paramLabel = "N", defaultValue = "1",
            description = "analyses spread over the window, the last at its end (default: ${DEFAULT-VALUE})")
    int analyses;

    @Option(names = "--analysis", paramLabel = "'NAME: QUERY <= MAX'",
            description = {"a check in the window: 'NAME: QUERY <= MAX', 'NAME: QUERY >= MIN' or 'NAME: MIN <= QUERY <= MAX'",
                "(repeatable); or a behaviour rule, judged on --probe at the smoke checks and in the window: 'agreement >= 0.97'"})
    List<String> analysisChecks = new ArrayList<>();

    @Mixin
    ProbeOptions probe;

    @Option(names = "--stable-query", paramLabel = "'NAME: QUERY'",
            description = "blue's value for check NAME: its bounds then apply to green - blue (repeatable)")
    List<String> stableQueries = new ArrayList<>();

    @Option(names = "--failure-limit", paramLabel = "N", defaultValue = "1",
            description = "failed analyses (no pass between) that switch back (default: ${DEFAULT-VALUE})")
    int failureLimit;

    @Option(names = "--inconclusive-limit", paramLabel = "N", defaultValue = "2",
            description = "analyses without data (no pass between) that switch back (default: ${DEFAULT-VALUE})")
    int inconclusiveLimit;

    @Option(names = "--champion-alias", paramLabel = "ALIAS", defaultValue = CanaryPlan.DEFAULT_CHAMPION_ALIAS,
            description = "the alias promotion moves to green (default: ${DEFAULT-VALUE})")
    String championAlias;

    @Option(names = "--previous-alias", paramLabel = "ALIAS", defaultValue = CanaryPlan.DEFAULT_PREVIOUS_ALIAS,
            description = "the alias promotion gives blue (default: ${DEFAULT-VALUE})")
    String previousAlias;

    @Mixin
    TrafficRouterOptions router;

    @Option(names = "--prometheus-url", paramLabel = "URL",
            description = "Prometheus for the window's checks (bearer token from $" + CanaryCommand.PROMETHEUS_TOKEN + ")")
    String prometheusUrl;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here when the deployment ends")
    Path report;

    BlueGreenCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        try {
            return blueGreen();
        } catch (CanarySettingException e) {
            String option = OPTIONS.get(e.setting());
            throw option == null ? e : new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private Integer blueGreen() throws Exception {
        checkOutputs(run.state(), report);
        Map<String, String> env = main.environment();
        CanaryStateStore store = new CanaryStateStore(run.state());
        store.checkFile();
        CanaryPlan plan = null;
        boolean needsMetrics;
        if (run.continuing()) {
            CanaryState saved = store.load();
            if (!saved.plan().isBlueGreen()) {
                throw new IllegalArgumentException(run.state() + " holds a canary, not a blue/green deployment: use mlstages canary");
            }
            run.checkSameRun("blue/green deployment", saved.plan().model(), saved.plan().version(), model, version);
            checkSamePlan(saved.plan());
            needsMetrics = run.resume() && (saved.phase() == CanaryPhase.SMOKE || saved.phase() == CanaryPhase.PROGRESSING)
                    && !saved.plan().checks().isEmpty();
        } else {
            plan = plan();
            needsMetrics = !plan.checks().isEmpty();
        }
        TrafficRouter trafficRouter = router.router(env, registry.timeout());
        MetricSource metrics = CanaryCommand.metrics(prometheusUrl, env, needsMetrics, registry.timeout(), "the window");
        CanaryResult result;
        try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
            CanaryRun deployment = new CanaryRun(store, trafficRouter, metrics, new RegistryAliases(client), main.log());
            if (run.resume()) {
                result = deployment.resume();
            } else if (run.abort()) {
                result = deployment.abort("aborted by request (mlstages blue-green --abort)");
            } else {
                result = deployment.start(plan);
            }
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        out("blue-green " + result.verdict() + ": " + result.model() + "/" + result.version() + " (" + result.reason()
                + "); aliases " + result.aliases() + (report == null ? "" : "; report: " + report));
        return result.verdict() == CanaryVerdict.PROMOTED ? ExitCode.PASSED : ExitCode.FAILED;
    }

    /** Every plan option given with --resume or --abort says what the state file says (the checks are not compared). */
    private void checkSamePlan(CanaryPlan saved) {
        run.checkSameOption(spec, "--smoke", () -> smoke.toAbsolutePath().toString(), saved.smoke().file());
        run.checkSameOption(spec, "--probe-canary-url", () -> probe.probeCanaryUrl, saved.smoke().greenUrl());
        run.checkSameOption(spec, "--window", () -> duration("--window", window), saved.interval());
        run.checkSameOption(spec, "--analyses", () -> analyses, saved.analysesPerStep());
        run.checkSameOption(spec, "--failure-limit", () -> failureLimit, saved.failureLimit());
        run.checkSameOption(spec, "--inconclusive-limit", () -> inconclusiveLimit, saved.inconclusiveLimit());
        run.checkSameOption(spec, "--champion-alias", () -> championAlias, saved.championAlias());
        run.checkSameOption(spec, "--previous-alias", () -> previousAlias, saved.previousAlias());
    }

    private CanaryPlan plan() {
        require(model, "--model");
        require(version, "--version");
        require(smoke, "--smoke");
        require(window, "--window");
        require(probe.probeCanaryUrl, "--probe-canary-url (green's scoring server, for the smoke checks)");
        CheckSyntax.Checks checks = CheckSyntax.parseAll(analysisChecks, stableQueries);
        SmokePlan smokePlan = new SmokePlan(smoke.toAbsolutePath().toString(), probe.probeCanaryUrl,
                duration("--probe-timeout", probe.probeTimeout));
        // read once now, so that a bad smoke file is refused before anything moves
        option("--smoke", smokePlan::read);
        return CanaryPlan.blueGreen(model, version, smokePlan, duration("--window", window), analyses, checks.queries(),
                failureLimit, inconclusiveLimit, championAlias, previousAlias, probe.behaviour(checks.behaviour(), "--analysis"));
    }

    private static void require(Object value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + option);
        }
    }
}
