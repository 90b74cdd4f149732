package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.time.Duration;
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
import io.jenkins.plugins.mlstages.deploy.InconclusivePolicy;
import io.jenkins.plugins.mlstages.deploy.MetricSource;
import io.jenkins.plugins.mlstages.deploy.PrometheusMetricSource;
import io.jenkins.plugins.mlstages.deploy.RegistryAliases;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mlstages canary}: a progressive traffic shift with analysis at every step, promotion or
 * rollback, resumable from its state file (docs/canary.md).
 */
// No standard help options: --version names the model version here, as the CLI contract says.
@Command(name = "canary", sortOptions = false, resourceBundle = "io.jenkins.plugins.mlstages.cli.CanaryCommand",
        description = {"Shift traffic to a new model version step by step, analyse Prometheus metrics at each step, and",
            "promote it (router 100 %%, alias champion) or roll it back. Every step is saved to --state first:",
            "after a crash, run the same command with --resume; --abort rolls back (once the driving process is stopped).",
            "Exit 0 promoted; 1 rolled back or aborted, including a rollback because the router or Prometheus failed",
            "while the canary progressed (the reason says why); 2 bad usage; 3 the rollback or promotion could not be",
            "completed (pending: --resume finishes it), the registry or the state file failed, or another process",
            "drives the canary."})
final class CanaryCommand extends StageCommand {
    static final String ROUTER_TOKEN = TrafficRouterOptions.ROUTER_TOKEN;
    static final String PROMETHEUS_TOKEN = "MLSTAGES_PROMETHEUS_TOKEN";

    /** The option of each canary setting (named as in the Jenkinsfile): an error names the option it comes from. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("model", "--model"),
            Map.entry("version", "--version"), Map.entry("steps", "--steps"), Map.entry("interval", "--interval"),
            Map.entry("analysis", "--analysis"), Map.entry("stableQuery", "--stable-query"),
            Map.entry("analysesPerStep", "--analyses-per-step"), Map.entry("failureLimit", "--failure-limit"),
            Map.entry("inconclusiveLimit", "--inconclusive-limit"), Map.entry("onInconclusive", "--on-inconclusive"),
            Map.entry("holdTimeout", "--hold-timeout"), Map.entry("championAlias", "--champion-alias"),
            Map.entry("previousAlias", "--previous-alias"),
            Map.entry(CanarySettingException.ALIASES, "--champion-alias/--previous-alias"), Map.entry("router", "--router"),
            Map.entry("probe", "--probe"), Map.entry("probeStableUrl", "--probe-stable-url"),
            Map.entry("probeCanaryUrl", "--probe-canary-url"), Map.entry("probeThreshold", "--probe-threshold"),
            Map.entry("probeTimeout", "--probe-timeout"));

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    DeploymentStateOptions run;

    @Option(names = "--model", paramLabel = "NAME", description = "registered model")
    String model;

    @Option(names = "--version", paramLabel = "V", description = "the model version to deploy (the canary)")
    String version;

    @Option(names = "--steps", paramLabel = "W,W,...", split = ",", description = "canary weights in %%, rising, ending at 100 (e.g. 10,50,100)")
    List<Integer> steps;

    @Option(names = "--interval", paramLabel = "DURATION", description = "how long each step lasts, e.g. 30s, 5m")
    String interval;

    @Option(names = "--analysis", paramLabel = "'NAME: QUERY <= MAX'",
            description = {"a check: 'NAME: QUERY <= MAX', 'NAME: QUERY >= MIN' or 'NAME: MIN <= QUERY <= MAX' (repeatable);",
                "or a behaviour rule without a name, judged on --probe: 'agreement >= 0.97', 'prediction_psi <= 0.1'"})
    List<String> analyses = new ArrayList<>();

    @Mixin
    ProbeOptions probe;

    @Option(names = "--stable-query", paramLabel = "'NAME: QUERY'",
            description = "the stable version's value for check NAME: its bounds then apply to canary - stable (repeatable)")
    List<String> stableQueries = new ArrayList<>();

    @Option(names = "--analyses-per-step", paramLabel = "N", defaultValue = "1", description = "analyses during each step (default: ${DEFAULT-VALUE})")
    int analysesPerStep;

    @Option(names = "--failure-limit", paramLabel = "N", defaultValue = "1",
            description = "failed analyses (no pass between) that roll back (default: ${DEFAULT-VALUE})")
    int failureLimit;

    @Option(names = "--inconclusive-limit", paramLabel = "N", defaultValue = "2",
            description = "analyses without data (no pass between) before --on-inconclusive (default: ${DEFAULT-VALUE})")
    int inconclusiveLimit;

    @Option(names = "--on-inconclusive", paramLabel = "rollback|hold", defaultValue = "rollback",
            description = "roll back, or hold the weight and keep analysing until --hold-timeout (default: ${DEFAULT-VALUE})")
    String onInconclusive;

    @Option(names = "--hold-timeout", paramLabel = "DURATION", description = "with hold: roll back after holding this long (default: 10 intervals)")
    String holdTimeout;

    @Option(names = "--champion-alias", paramLabel = "ALIAS", defaultValue = CanaryPlan.DEFAULT_CHAMPION_ALIAS,
            description = "the alias promotion moves to the new version (default: ${DEFAULT-VALUE})")
    String championAlias;

    @Option(names = "--previous-alias", paramLabel = "ALIAS", defaultValue = CanaryPlan.DEFAULT_PREVIOUS_ALIAS,
            description = "the alias promotion gives the former champion (default: ${DEFAULT-VALUE})")
    String previousAlias;

    @Mixin
    TrafficRouterOptions router;

    @Option(names = "--prometheus-url", paramLabel = "URL", description = "Prometheus for the analyses (bearer token from $" + PROMETHEUS_TOKEN + ")")
    String prometheusUrl;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here when the canary ends")
    Path report;

    CanaryCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        try {
            return canary();
        } catch (CanarySettingException e) {
            String option = OPTIONS.get(e.setting());
            throw option == null ? e : new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private Integer canary() throws Exception {
        checkOutputs(run.state(), report);
        Map<String, String> env = main.environment();
        CanaryStateStore store = new CanaryStateStore(run.state());
        store.checkFile();
        CanaryPlan plan = null;
        boolean needsMetrics;
        if (run.continuing()) {
            CanaryState saved = store.load();
            run.checkSameRun("canary", saved.plan().model(), saved.plan().version(), model, version);
            checkSamePlan(saved.plan());
            // behaviour rules alone need no Prometheus
            needsMetrics = run.resume() && saved.phase() == CanaryPhase.PROGRESSING && !saved.plan().checks().isEmpty();
        } else {
            plan = plan();
            needsMetrics = !plan.checks().isEmpty();
        }
        TrafficRouter trafficRouter = router.router(env, registry.timeout());
        MetricSource metrics = metrics(env, needsMetrics);
        CanaryResult result;
        try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
            CanaryRun canary = new CanaryRun(store, trafficRouter, metrics, new RegistryAliases(client), main.log());
            if (run.resume()) {
                result = canary.resume();
            } else if (run.abort()) {
                result = canary.abort("aborted by request (mlstages canary --abort)");
            } else {
                result = canary.start(plan);
            }
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        out("canary " + result.verdict() + ": " + result.model() + "/" + result.version() + " (" + result.reason() + "); aliases "
                + result.aliases() + (report == null ? "" : "; report: " + report));
        return result.verdict() == CanaryVerdict.PROMOTED ? ExitCode.PASSED : ExitCode.FAILED;
    }

    /** Every plan option given with --resume or --abort says what the state file says (the checks are not compared). */
    private void checkSamePlan(CanaryPlan saved) {
        run.checkSameOption(spec, "--steps", () -> steps, saved.steps());
        run.checkSameOption(spec, "--interval", () -> duration("--interval", interval), saved.interval());
        run.checkSameOption(spec, "--analyses-per-step", () -> analysesPerStep, saved.analysesPerStep());
        run.checkSameOption(spec, "--failure-limit", () -> failureLimit, saved.failureLimit());
        run.checkSameOption(spec, "--inconclusive-limit", () -> inconclusiveLimit, saved.inconclusiveLimit());
        run.checkSameOption(spec, "--on-inconclusive", () -> InconclusivePolicy.parse(onInconclusive), saved.onInconclusive());
        if (saved.onInconclusive() == InconclusivePolicy.HOLD) { // a rollback plan keeps no hold timeout
            run.checkSameOption(spec, "--hold-timeout", () -> duration("--hold-timeout", holdTimeout), saved.holdTimeout());
        }
        run.checkSameOption(spec, "--champion-alias", () -> championAlias, saved.championAlias());
        run.checkSameOption(spec, "--previous-alias", () -> previousAlias, saved.previousAlias());
    }

    private CanaryPlan plan() {
        require(model, "--model");
        require(version, "--version");
        require(steps, "--steps");
        require(interval, "--interval");
        if (analyses.isEmpty()) {
            throw new IllegalArgumentException("a canary needs at least one --analysis check, e.g. --analysis "
                    + "'error_rate: sum(rate(errors[1m])) / sum(rate(requests[1m])) <= 0.01'");
        }
        Duration step = duration("--interval", interval);
        CheckSyntax.Checks checks = CheckSyntax.parseAll(analyses, stableQueries);
        return new CanaryPlan(model, version, steps, step, analysesPerStep, checks.queries(),
                failureLimit, inconclusiveLimit, InconclusivePolicy.parse(onInconclusive),
                holdTimeout == null ? null : duration("--hold-timeout", holdTimeout), championAlias, previousAlias,
                probe.behaviour(checks.behaviour(), "--analysis"));
    }

    private MetricSource metrics(Map<String, String> env, boolean needed) {
        return metrics(prometheusUrl, env, needed, registry.timeout(), "the canary");
    }

    /** Prometheus at {@code --prometheus-url} (token from the environment); none when not needed and not given. */
    static MetricSource metrics(String prometheusUrl, Map<String, String> env, boolean needed, Duration timeout, String what) {
        if (prometheusUrl != null) {
            return new PrometheusMetricSource(prometheusUrl, TrafficRouterOptions.token(env, PROMETHEUS_TOKEN), timeout);
        }
        if (needed) {
            throw new IllegalArgumentException("--prometheus-url is needed to analyse " + what);
        }
        return MetricSource.NONE;
    }

    private void require(Object value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + option);
        }
    }
}
