package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.Map;

import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.PrometheusMetricSource;
import io.jenkins.plugins.mlstages.deploy.ab.AbMetric;
import io.jenkins.plugins.mlstages.deploy.ab.AbPhase;
import io.jenkins.plugins.mlstages.deploy.ab.AbPlan;
import io.jenkins.plugins.mlstages.deploy.ab.AbResult;
import io.jenkins.plugins.mlstages.deploy.ab.AbState;
import io.jenkins.plugins.mlstages.deploy.ab.AbStateStore;
import io.jenkins.plugins.mlstages.deploy.ab.AbTestRun;
import io.jenkins.plugins.mlstages.deploy.ab.AbVerdict;
import io.jenkins.plugins.mlstages.deploy.ab.ArmSource;
import io.jenkins.plugins.mlstages.deploy.ab.NoWinnerAction;
import io.jenkins.plugins.mlstages.deploy.ab.OutcomeFileSource;
import io.jenkins.plugins.mlstages.deploy.ab.PrometheusArmSource;
import io.jenkins.plugins.mlstages.deploy.ab.PromoteRule;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mlstages ab-test}: a fixed split between the control and a candidate, per-arm conversion rates,
 * and a mixture sequential test (mSPRT) looked at after every analysis; promotion by rule, otherwise
 * rollback or stop (docs/abtest.md).
 */
@Command(name = "ab-test", sortOptions = false, resourceBundle = "io.jenkins.plugins.mlstages.cli.AbTestCommand",
        description = {"Send a fixed share of traffic to a candidate model version, count trials and conversions per arm",
            "(Prometheus counters, or labelled outcomes joined by request id), and test the difference with an mSPRT",
            "(always-valid p-value and interval: looking after every analysis does not inflate the error rate). Ends",
            "when the test decides, at --duration, or at --sample per arm. Promotes (router 100 %%) when",
            "--promote-when holds, else rolls back (router 0 %%) or, with --otherwise stop, leaves the split.",
            "Every step is saved to --state first: after a crash run it again with --resume; --abort rolls back.",
            "Exit 0 promoted; 1 rolled back, stopped or aborted (no winner, the control won, or the router failed while",
            "splitting); 2 bad usage; 3 the rollback could not be completed (pending: --resume finishes it), the state",
            "file failed, or another process drives the test."})
final class AbTestCommand extends StageCommand {
    static final String PROMETHEUS_TOKEN = CanaryCommand.PROMETHEUS_TOKEN;

    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("model", "--model"), Map.entry("version", "--version"),
            Map.entry("weight", "--weight"), Map.entry("duration", "--duration"), Map.entry("interval", "--interval"),
            Map.entry("minSample", "--min-sample"), Map.entry("sample", "--sample"), Map.entry("margin", "--margin"),
            Map.entry("alpha", "--alpha"), Map.entry("mixingSd", "--mixing-sd"),
            Map.entry("router", "--router"), Map.entry("controlTrials", "--control-trials"),
            Map.entry("controlConversions", "--control-conversions"), Map.entry("candidateTrials", "--candidate-trials"),
            Map.entry("candidateConversions", "--candidate-conversions"), Map.entry("outcomes", "--outcomes"), Map.entry("assignments", "--assignments"),
            Map.entry("idField", "--id-field"), Map.entry("armField", "--arm-field"), Map.entry("outcomeField", "--outcome-field"),
            Map.entry("controlArm", "--control-arm"), Map.entry("candidateArm", "--candidate-arm"), Map.entry("metric", "--outcomes"));

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    DeploymentStateOptions run;

    @Option(names = "--model", paramLabel = "NAME", description = "registered model")
    String model;

    @Option(names = "--version", paramLabel = "V", description = "the candidate version")
    String version;

    @Option(names = "--control-version", paramLabel = "V", description = "the version users have now (the control), for the report")
    String controlVersion;

    @Option(names = "--weight", paramLabel = "PERCENT", defaultValue = "50",
            description = "the candidate's share of traffic during the test, 1-99 (default: ${DEFAULT-VALUE})")
    int weight;

    @Option(names = "--duration", paramLabel = "DURATION", description = "how long the test runs at most, e.g. 2h")
    String duration;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "time between analyses (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--min-sample", paramLabel = "N", defaultValue = "" + AbPlan.DEFAULT_MIN_SAMPLE,
            description = "no decision before both arms have N trials (at least " + AbPlan.LEAST_MIN_SAMPLE
                    + "; default: ${DEFAULT-VALUE})")
    long minSample;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "0",
            description = "end the test once both arms have N trials (default: the whole --duration)")
    long sample;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "" + AbPlan.DEFAULT_ALPHA,
            description = "false-winner rate guaranteed at any number of looks (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--mixing-sd", paramLabel = "TAU", defaultValue = "" + AbPlan.DEFAULT_MIXING_SD,
            description = "the mSPRT's mixing standard deviation, in rate difference (default: ${DEFAULT-VALUE}; docs/abtest.md)")
    double mixingSd;

    @Option(names = "--promote-when", paramLabel = "candidate-wins|not-worse", defaultValue = "candidate-wins",
            description = "promote when the candidate wins, or when it is at most --margin worse (default: ${DEFAULT-VALUE})")
    String promoteWhen;

    @Option(names = "--margin", paramLabel = "M", defaultValue = "0",
            description = "not-worse: how much lower the candidate's rate may be, e.g. 0.01")
    double margin;

    @Option(names = "--otherwise", paramLabel = "rollback|stop", defaultValue = "rollback",
            description = "when the rule does not hold: router back to 0 %%, or leave the split (default: ${DEFAULT-VALUE})")
    String otherwise;

    @Option(names = "--prometheus-url", paramLabel = "URL", description = "Prometheus (bearer token from $" + PROMETHEUS_TOKEN + ")")
    String prometheusUrl;

    @Option(names = "--control-trials", paramLabel = "QUERY", description = "running total of the control's trials, e.g. "
            + "'sum(predictions_total{version=\"1\"})'")
    String controlTrials;

    @Option(names = "--control-conversions", paramLabel = "QUERY", description = "running total of the control's conversions")
    String controlConversions;

    @Option(names = "--candidate-trials", paramLabel = "QUERY", description = "running total of the candidate's trials")
    String candidateTrials;

    @Option(names = "--candidate-conversions", paramLabel = "QUERY", description = "running total of the candidate's conversions")
    String candidateConversions;

    @Option(names = "--outcomes", paramLabel = "FILE", description = "labelled outcomes (.csv, .jsonl, .parquet), read at every analysis")
    Path outcomes;

    @Option(names = "--assignments", paramLabel = "FILE",
            description = "the arm of each id (e.g. the router's access log); default: the arm is in --outcomes")
    Path assignments;

    @Option(names = "--id-field", paramLabel = "NAME", defaultValue = "request_id",
            description = "the join key (default: ${DEFAULT-VALUE})")
    String idField;

    @Option(names = "--arm-field", paramLabel = "NAME", defaultValue = "arm", description = "the arm's field (default: ${DEFAULT-VALUE})")
    String armField;

    @Option(names = "--outcome-field", paramLabel = "NAME", defaultValue = "converted",
            description = "the outcome's field, 1/0 or true/false (default: ${DEFAULT-VALUE})")
    String outcomeField;

    @Option(names = "--control-arm", paramLabel = "VALUE",
            description = "the arm field's value for the control (default: control; with --assignments and nginx: --stable-server)")
    String controlArm;

    @Option(names = "--candidate-arm", paramLabel = "VALUE",
            description = "the arm field's value for the candidate (default: candidate; with --assignments and nginx: --canary-server)")
    String candidateArm;

    @Mixin
    TrafficRouterOptions router;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here when the test ends")
    Path report;

    AbTestCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        try {
            return abTest();
        } catch (CanarySettingException e) {
            String option = OPTIONS.get(e.setting());
            throw option == null ? e : new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private Integer abTest() throws Exception {
        checkOutputs(run.state(), report);
        AbStateStore store = new AbStateStore(run.state());
        store.checkFile();
        AbPlan plan;
        boolean counting = true;
        if (run.continuing()) {
            AbState saved = store.load();
            run.checkSameRun("A/B test", saved.plan().model(), saved.plan().version(), model, version);
            plan = saved.plan();
            checkSamePlan(plan);
            // an abort, or a promotion or rollback already decided, counts nothing: no --prometheus-url needed
            counting = run.resume() && (saved.phase() == AbPhase.STARTING || saved.phase() == AbPhase.RUNNING);
        } else {
            plan = plan();
        }
        Map<String, String> env = main.environment();
        AbTestRun test = new AbTestRun(store, router.router(env, registry.timeout()), counting ? source(plan.metric(), env)
                : ArmSource.NONE, main.log());
        AbResult result;
        if (run.resume()) {
            result = test.resume();
        } else if (run.abort()) {
            result = test.abort("aborted by request (mlstages ab-test --abort)");
        } else {
            result = test.start(plan);
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        out("ab-test " + result.verdict() + ": " + result.model() + "/" + result.version() + ", winner " + result.winner() + " ("
                + result.reason() + ")" + (report == null ? "" : "; report: " + report));
        return result.verdict() == AbVerdict.PROMOTED ? ExitCode.PASSED : ExitCode.FAILED;
    }

    /** Every plan option given with --resume or --abort says what the state file says. */
    private void checkSamePlan(AbPlan saved) {
        AbMetric m = saved.metric();
        run.checkSameOption(spec, "--control-version", () -> controlVersion, saved.controlVersion());
        run.checkSameOption(spec, "--weight", () -> weight, saved.weight());
        run.checkSameOption(spec, "--duration", () -> duration("--duration", duration), saved.duration());
        run.checkSameOption(spec, "--interval", () -> duration("--interval", interval), saved.interval());
        run.checkSameOption(spec, "--min-sample", () -> minSample, saved.minSample());
        run.checkSameOption(spec, "--sample", () -> sample, saved.sample());
        run.checkSameOption(spec, "--alpha", () -> alpha, saved.alpha());
        run.checkSameOption(spec, "--mixing-sd", () -> mixingSd, saved.mixingSd());
        run.checkSameOption(spec, "--promote-when", () -> parse("--promote-when", () -> PromoteRule.parse(promoteWhen)),
                saved.promoteWhen());
        run.checkSameOption(spec, "--margin", () -> margin, saved.margin());
        run.checkSameOption(spec, "--otherwise", () -> parse("--otherwise", () -> NoWinnerAction.parse(otherwise)), saved.otherwise());
        run.checkSameOption(spec, "--control-trials", () -> controlTrials, m.controlTrials());
        run.checkSameOption(spec, "--control-conversions", () -> controlConversions, m.controlConversions());
        run.checkSameOption(spec, "--candidate-trials", () -> candidateTrials, m.candidateTrials());
        run.checkSameOption(spec, "--candidate-conversions", () -> candidateConversions, m.candidateConversions());
        run.checkSameOption(spec, "--outcomes", () -> outcomes.toAbsolutePath().normalize().toString(), m.outcomes());
        run.checkSameOption(spec, "--assignments", () -> assignments.toAbsolutePath().normalize().toString(), m.assignments());
        run.checkSameOption(spec, "--id-field", () -> idField, m.idField());
        run.checkSameOption(spec, "--arm-field", () -> armField, m.armField());
        run.checkSameOption(spec, "--outcome-field", () -> outcomeField, m.outcomeField());
        run.checkSameOption(spec, "--control-arm", () -> controlArm, m.controlArm());
        run.checkSameOption(spec, "--candidate-arm", () -> candidateArm, m.candidateArm());
    }

    private AbPlan plan() {
        require(model, "--model");
        require(version, "--version");
        require(duration, "--duration");
        AbMetric metric = metric();
        PromoteRule rule = parse("--promote-when", () -> PromoteRule.parse(promoteWhen));
        NoWinnerAction action = parse("--otherwise", () -> NoWinnerAction.parse(otherwise));
        return new AbPlan(model, version, controlVersion, weight, duration("--duration", duration), duration("--interval", interval),
                minSample, sample, alpha, mixingSd, rule, margin, action, metric);
    }

    private AbMetric metric() {
        boolean queries = controlTrials != null || controlConversions != null || candidateTrials != null || candidateConversions != null;
        if (queries == (outcomes != null)) {
            throw new IllegalArgumentException(queries ? "--outcomes and the Prometheus queries (--control-trials, ...) exclude each other"
                    : "give the counts: --control-trials, --control-conversions, --candidate-trials and --candidate-conversions "
                            + "(Prometheus), or --outcomes");
        }
        if (queries) {
            return AbMetric.prometheus(controlTrials, controlConversions, candidateTrials, candidateConversions);
        }
        readableIfPresent("--outcomes", outcomes);
        readableIfPresent("--assignments", assignments);
        boolean byUpstream = assignments != null && "nginx".equals(router.router);
        String control = controlArm != null ? controlArm : byUpstream ? router.stableServer : "control";
        String candidate = candidateArm != null ? candidateArm : byUpstream ? router.canaryServer : "candidate";
        return AbMetric.outcomes(outcomes.toAbsolutePath().normalize().toString(),
                assignments == null ? null : assignments.toAbsolutePath().normalize().toString(), idField, armField, outcomeField,
                control, candidate);
    }

    private ArmSource source(AbMetric metric, Map<String, String> env) {
        if (!metric.isPrometheus()) {
            return new OutcomeFileSource(metric);
        }
        require(prometheusUrl, "--prometheus-url");
        return new PrometheusArmSource(new PrometheusMetricSource(prometheusUrl, TrafficRouterOptions.token(env, PROMETHEUS_TOKEN),
                registry.timeout()), metric);
    }

    /** A file that does not exist yet counts nothing (labels arrive later); one that is not a readable file is refused now. */
    private static void readableIfPresent(String option, Path file) {
        if (file != null && java.nio.file.Files.exists(file)) {
            try {
                io.jenkins.plugins.mlstages.report.InputFiles.requireReadable(file);
            } catch (io.jenkins.plugins.mlstages.report.UnusableFileException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
    }

    private static <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + e.getMessage(), e);
        }
    }

    private static void require(Object value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + option);
        }
    }
}
