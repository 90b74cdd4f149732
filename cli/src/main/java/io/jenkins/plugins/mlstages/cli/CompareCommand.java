package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.jenkins.plugins.mlstages.deploy.CheckResult;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.CheckVerdict;
import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.Durations;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;
import io.jenkins.plugins.mlstages.deploy.behaviour.CompareReport;
import io.jenkins.plugins.mlstages.deploy.behaviour.MlflowEndpoint;
import io.jenkins.plugins.mlstages.deploy.behaviour.OutputKind;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeFile;
import io.jenkins.plugins.mlstages.deploy.behaviour.ProbeResult;
import io.jenkins.plugins.mlstages.deploy.behaviour.ReplayProbe;
import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlstages compare}: a replay probe. Every row of a JSON lines file goes to the live version and to
 * the candidate (MLflow scoring protocol), and behaviour rules judge the comparison (docs/canary.md).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a probe of requests to two model versions and compare their predictions (docs/canary.md).",
            "Exit 0 every rule passed, 1 a rule failed or was inconclusive, 2 bad usage or probe, 3 the live version never answered."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--probe", required = true, paramLabel = "FILE.jsonl",
            description = "one model input per line, a JSON object of feature to value")
    Path probe;

    @Option(names = "--live-url", required = true, paramLabel = "URL",
            description = "the live version's scoring server (POST URL/invocations), e.g. http://127.0.0.1:5001")
    String liveUrl;

    @Option(names = "--candidate-url", required = true, paramLabel = "URL", description = "the candidate's scoring server")
    String candidateUrl;

    @Option(names = "--label", paramLabel = "FIELD",
            description = "the probe's field holding the true label: adds accuracy (and ROC AUC) of both and their paired interval")
    String label;

    @Option(names = "--output", paramLabel = "auto|score|label", defaultValue = "auto",
            description = "compare outputs as scores or labels (default: ${DEFAULT-VALUE}: scores when both answer numbers)")
    String output;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5",
            description = "with scores, the decision is score >= T (default: ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "how long one request may take (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--check", paramLabel = "RULE",
            description = "a behaviour rule, e.g. 'agreement >= 0.97', 'prediction_psi <= 0.1' (repeatable)")
    List<String> checks = new ArrayList<>();

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the comparison and the rules' results here")
    Path report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StageCommand.checkOutputs(report);
        OutputKind kind = StageCommand.option("--output", () -> outputKind(output));
        Duration perRequest = StageCommand.option("--timeout", () -> Durations.parse(timeout));
        List<BehaviourCheck> rules = new ArrayList<>();
        for (String check : checks) {
            rules.add(StageCommand.option("--check", () -> CheckSyntax.parseBehaviour(check)));
        }
        ReplayProbe replay = StageCommand.option("--threshold", () -> new ReplayProbe(ProbeFile.read(probe, label), kind, threshold));
        ProbeResult result;
        try (MlflowEndpoint live = StageCommand.option("--live-url", () -> new MlflowEndpoint(liveUrl, perRequest));
                MlflowEndpoint candidate = StageCommand.option("--candidate-url", () -> new MlflowEndpoint(candidateUrl, perRequest))) {
            result = replay.run(live, candidate);
        }
        if (result.behaviour().liveErrorRate() != null && result.behaviour().liveErrorRate() == 1.0) {
            throw new DeployException("the live version " + result.live() + " answered none of the "
                    + result.behaviour().pairs() + " probe rows usably: no comparison is possible");
        }
        List<CheckResult> judged = result.judge(rules);
        CheckVerdict verdict = judged.isEmpty() ? CheckVerdict.PASS : verdictOf(judged);
        if (report != null) {
            ReportWriter.write(report, new CompareReport(result, judged, verdict));
        }
        out("compare: " + result.behaviour().pairs() + " probe rows, live " + result.live() + ", candidate " + result.candidate());
        for (Map.Entry<String, Double> metric : result.metrics().entrySet()) {
            out("  " + metric.getKey() + " " + String.format(Locale.ROOT, "%.6g", metric.getValue()));
        }
        for (CheckResult check : judged) {
            out(check.line());
        }
        out("compare " + verdict + (report == null ? "" : "; report: " + report));
        return verdict == CheckVerdict.PASS ? ExitCode.PASSED : ExitCode.FAILED;
    }

    private static CheckVerdict verdictOf(List<CheckResult> results) {
        CheckVerdict verdict = CheckVerdict.PASS;
        for (CheckResult result : results) {
            if (result.verdict() == CheckVerdict.FAIL) {
                return CheckVerdict.FAIL;
            }
            if (result.verdict() == CheckVerdict.INCONCLUSIVE) {
                verdict = CheckVerdict.INCONCLUSIVE;
            }
        }
        return verdict;
    }

    static OutputKind outputKind(String text) {
        switch (text == null ? "" : text.strip().toLowerCase(Locale.ROOT)) {
            case "auto":
                return null;
            case "score":
                return OutputKind.SCORE;
            case "label":
                return OutputKind.LABEL;
            default:
                throw new IllegalArgumentException("'" + text + "' is not auto, score or label");
        }
    }

    private void out(String line) {
        spec.commandLine().getOut().println(Printable.escape(line));
        spec.commandLine().getOut().flush();
    }
}
