package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.mlstages.deploy.CanaryPhase;
import io.jenkins.plugins.mlstages.deploy.CanaryPlan;
import io.jenkins.plugins.mlstages.deploy.CanaryResult;
import io.jenkins.plugins.mlstages.deploy.CanaryRun;
import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CanaryState;
import io.jenkins.plugins.mlstages.deploy.CanaryStateStore;
import io.jenkins.plugins.mlstages.deploy.CanaryVerdict;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourPlan;
import io.jenkins.plugins.mlstages.deploy.behaviour.OutputKind;
import io.jenkins.plugins.mlstages.deploy.HttpRouter;
import io.jenkins.plugins.mlstages.deploy.InconclusivePolicy;
import io.jenkins.plugins.mlstages.deploy.KServeConfig;
import io.jenkins.plugins.mlstages.deploy.KServeRouter;
import io.jenkins.plugins.mlstages.deploy.MetricSource;
import io.jenkins.plugins.mlstages.deploy.NginxRouter;
import io.jenkins.plugins.mlstages.deploy.NginxRouterConfig;
import io.jenkins.plugins.mlstages.deploy.PrometheusMetricSource;
import io.jenkins.plugins.mlstages.deploy.RegistryAliases;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlstages canary}: a progressive traffic shift with analysis at every step, promotion or
 * rollback, resumable from its state file (docs/canary.md).
 */
// No standard help options: --version names the model version here, as the CLI contract says.
@Command(name = "canary", sortOptions = false,
        description = {"Shift traffic to a new model version step by step, analyse Prometheus metrics at each step, and",
            "promote it (router 100 %%, alias champion) or roll it back. Every step is saved to --state first:",
            "after a crash, run the same command with --resume; --abort rolls back (once the driving process is stopped).",
            "Exit 0 promoted; 1 rolled back or aborted, including a rollback because the router or Prometheus failed",
            "while the canary progressed (the reason says why); 2 bad usage; 3 the rollback or promotion could not be",
            "completed (pending: --resume finishes it), the registry or the state file failed, or another process",
            "drives the canary."})
final class CanaryCommand extends StageCommand {
    static final String ROUTER_TOKEN = "MLSTAGES_ROUTER_TOKEN";
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

    @Option(names = "--state", required = true, paramLabel = "PATH", description = "the state file (required): written before every action")
    Path state;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--resume", description = "continue the canary in --state where it stopped")
        boolean resume;

        @Option(names = "--abort",
                description = "roll the canary in --state back: router 100 %% stable, aliases as before (stop its driver first)")
        boolean abort;
    }

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

    @Option(names = "--probe", paramLabel = "FILE.jsonl",
            description = "behaviour rules: requests (JSON lines) sent to both versions at each analysis")
    Path probe;

    @Option(names = "--probe-stable-url", paramLabel = "URL", description = "behaviour rules: the stable version's scoring server")
    String probeStableUrl;

    @Option(names = "--probe-canary-url", paramLabel = "URL", description = "behaviour rules: the canary version's scoring server")
    String probeCanaryUrl;

    @Option(names = "--probe-label", paramLabel = "FIELD", description = "behaviour rules: the probe's label field (accuracy rules)")
    String probeLabel;

    @Option(names = "--probe-output", paramLabel = "auto|score|label", defaultValue = "auto",
            description = "behaviour rules: compare outputs as scores or labels (default: ${DEFAULT-VALUE})")
    String probeOutput;

    @Option(names = "--probe-threshold", paramLabel = "T", defaultValue = "0.5",
            description = "behaviour rules: with scores, the decision is score >= T (default: ${DEFAULT-VALUE})")
    double probeThreshold;

    @Option(names = "--probe-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "behaviour rules: how long one probe request may take (default: ${DEFAULT-VALUE})")
    String probeTimeout;

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

    @Option(names = "--router", paramLabel = "nginx|kserve|http", description = "what splits the traffic")
    String router;

    @Option(names = "--nginx-config", paramLabel = "PATH", description = "nginx: the upstream file the router owns")
    Path nginxConfig;

    @Option(names = "--nginx-upstream", paramLabel = "NAME", description = "nginx: the upstream's name")
    String nginxUpstream;

    @Option(names = "--stable-server", paramLabel = "HOST:PORT", description = "nginx: the stable version's server")
    String stableServer;

    @Option(names = "--canary-server", paramLabel = "HOST:PORT", description = "nginx: the canary version's server")
    String canaryServer;

    @Option(names = "--nginx-test-command", paramLabel = "CMD", description = "nginx: checks the configuration (default: nginx -t)")
    String nginxTestCommand;

    @Option(names = "--nginx-reload-command", paramLabel = "CMD", description = "nginx: applies it (default: nginx -s reload)")
    String nginxReloadCommand;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "kserve: kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
    Path kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", description = "kserve: the InferenceService's namespace (default: the context's)")
    String namespace;

    @Option(names = "--inference-service", paramLabel = "NAME", description = "kserve: the InferenceService")
    String inferenceService;

    @Option(names = "--canary-storage-uri", paramLabel = "URI", description = "kserve: the canary model's storageUri")
    String canaryStorageUri;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "kserve: how long a split may take to be reported (default: ${DEFAULT-VALUE})")
    String readyTimeout;

    @Option(names = "--router-url", paramLabel = "URL", description = "http: the webhook (bearer token from $" + ROUTER_TOKEN + ")")
    String routerUrl;

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
        checkOutputs(state, report);
        Map<String, String> env = main.environment();
        CanaryStateStore store = new CanaryStateStore(state);
        store.checkFile();
        CanaryPlan plan = null;
        boolean needsMetrics;
        if (mode.resume || mode.abort) {
            CanaryState saved = store.load();
            checkSameCanary(saved.plan());
            // behaviour rules alone need no Prometheus
            needsMetrics = mode.resume && saved.phase() == CanaryPhase.PROGRESSING && !saved.plan().checks().isEmpty();
        } else {
            plan = plan();
            needsMetrics = !plan.checks().isEmpty();
        }
        TrafficRouter trafficRouter = router(env);
        MetricSource metrics = metrics(env, needsMetrics);
        CanaryResult result;
        try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
            CanaryRun run = new CanaryRun(store, trafficRouter, metrics, new RegistryAliases(client), main.log());
            if (mode.resume) {
                result = run.resume();
            } else if (mode.abort) {
                result = run.abort("aborted by request (mlstages canary --abort)");
            } else {
                result = run.start(plan);
            }
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        out("canary " + result.verdict() + ": " + result.model() + "/" + result.version() + " (" + result.reason() + "); aliases "
                + result.aliases() + (report == null ? "" : "; report: " + report));
        return result.verdict() == CanaryVerdict.PROMOTED ? ExitCode.PASSED : ExitCode.FAILED;
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
                behaviour(checks.behaviour()));
    }

    /** The behaviour rules with their probe, the probe read once now so that a bad one is refused before any traffic moves. */
    private BehaviourPlan behaviour(List<BehaviourCheck> rules) {
        if (rules.isEmpty()) {
            if (probe != null) {
                throw new IllegalArgumentException("--probe: no behaviour rule to judge it; add e.g. --analysis 'agreement >= 0.97'");
            }
            return null;
        }
        if (probe == null) {
            throw new IllegalArgumentException("--analysis '" + rules.get(0).metric() + " ...' is a behaviour rule: it needs "
                    + "--probe FILE.jsonl, --probe-stable-url and --probe-canary-url");
        }
        OutputKind output = option("--probe-output", () -> CompareCommand.outputKind(probeOutput));
        BehaviourPlan plan = new BehaviourPlan(rules, probe.toAbsolutePath().toString(), probeLabel, probeStableUrl,
                probeCanaryUrl, output, probeThreshold, duration("--probe-timeout", probeTimeout));
        plan.replay();
        return plan;
    }

    /** --resume and --abort take the plan from the state file; a --model or --version given must be the same. */
    private void checkSameCanary(CanaryPlan saved) {
        if (model != null && !model.equals(saved.model()) || version != null && !version.equals(saved.version())) {
            throw new IllegalArgumentException(state + " holds the canary of " + saved.model() + " version " + saved.version()
                    + ", not of " + (model == null ? saved.model() : model) + " version " + (version == null ? saved.version() : version));
        }
    }

    private TrafficRouter router(Map<String, String> env) {
        require(router, "--router");
        switch (router) {
            case "nginx": {
                require(nginxConfig, "--nginx-config");
                require(nginxUpstream, "--nginx-upstream");
                require(stableServer, "--stable-server");
                require(canaryServer, "--canary-server");
                NginxRouterConfig config = NginxRouterConfig.of(nginxConfig, nginxUpstream, stableServer, canaryServer);
                return new NginxRouter(new NginxRouterConfig(config.configFile(), config.upstream(), config.stableServer(),
                        config.canaryServer(), command("--nginx-test-command", nginxTestCommand, config.testCommand()),
                        command("--nginx-reload-command", nginxReloadCommand, config.reloadCommand()), config.commandTimeout()));
            }
            case "kserve":
                require(inferenceService, "--inference-service");
                return new KServeRouter(KServeConfig.resolve(Optional.ofNullable(kubeconfig), namespace, inferenceService,
                        Optional.ofNullable(canaryStorageUri), duration("--ready-timeout", readyTimeout)));
            case "http":
                require(routerUrl, "--router-url");
                return new HttpRouter(routerUrl, token(env, ROUTER_TOKEN), registry.timeout());
            default:
                throw new IllegalArgumentException("--router must be nginx, kserve or http, was '" + router + "'");
        }
    }

    private MetricSource metrics(Map<String, String> env, boolean needed) {
        if (prometheusUrl != null) {
            return new PrometheusMetricSource(prometheusUrl, token(env, PROMETHEUS_TOKEN), registry.timeout());
        }
        if (needed) {
            throw new IllegalArgumentException("--prometheus-url is needed to analyse the canary");
        }
        return MetricSource.NONE;
    }

    private static List<String> command(String option, String text, List<String> fallback) {
        if (text == null) {
            return fallback;
        }
        List<String> words = Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
        return words;
    }

    private static Optional<String> token(Map<String, String> env, String variable) {
        String token = env.get(variable);
        return token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip());
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private void require(Object value, String option) {
        if (value == null) {
            String why = option.equals("--router") || option.startsWith("--model") || option.startsWith("--version")
                    || option.startsWith("--steps") || option.startsWith("--interval") ? ""
                    : " with --router " + router;
            throw new IllegalArgumentException("missing " + option + why);
        }
    }
}
