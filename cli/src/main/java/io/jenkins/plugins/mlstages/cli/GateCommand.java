package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


import io.jenkins.plugins.mlstages.gate.FirstModelPolicy;
import io.jenkins.plugins.mlstages.gate.ModelGate;
import io.jenkins.plugins.mlstages.gate.ModelGateRequest;
import io.jenkins.plugins.mlstages.gate.ModelGateResult;
import io.jenkins.plugins.mlstages.gate.RuleOutcome;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlstages gate}: rules over a candidate's metrics and the champion's, each explained in one line. */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge a candidate model by rules over its metrics and the champion's (docs/gate.md).",
            "Exit 0 passed (warnings allowed), 1 an error rule failed, 2 bad rule or report, 3 registry error."})
final class GateCommand extends StageCommand {
    @Option(names = "--metrics", required = true, paramLabel = "REPORT.json", description = "the candidate's report from mlstages evaluate")
    Path metrics;

    @Option(names = "--rule", required = true, paramLabel = "EXPR", description = "a rule, e.g. 'roc_auc >= 0.85' (repeatable)")
    List<String> rules = new ArrayList<>();

    @Option(names = "--model", paramLabel = "NAME", description = "registered model whose champion alias to compare with")
    String model;

    @Option(names = "--champion-alias", paramLabel = "ALIAS", defaultValue = "champion", description = "alias of the champion (default: ${DEFAULT-VALUE})")
    String championAlias;

    @Option(names = "--champion-metrics", paramLabel = "REPORT.json", description = "the champion's evaluate report, instead of the registry")
    Path championMetrics;

    @Option(names = "--first-model", paramLabel = "pass|fail|absolute-only", defaultValue = "absolute-only",
            description = "without a champion, rules that read it pass, fail, or are skipped (default: ${DEFAULT-VALUE})")
    String firstModel;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here")
    Path report;

    GateCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        checkOutputs(report);
        FirstModelPolicy policy = option("--first-model", () -> FirstModelPolicy.parse(firstModel));
        ModelGateRequest request = new ModelGateRequest(ReportFiles.read(metrics), metrics.toString(), rules, model, championAlias,
                championMetrics == null ? null : ReportFiles.read(championMetrics), policy);
        ModelGateResult result;
        // The explanations go to stdout below; the stage's log would only repeat them.
        if (model != null) {
            try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
                result = new ModelGate(StageLog.NONE, client).run(request);
            }
        } else {
            result = new ModelGate(StageLog.NONE, null).run(request);
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        for (RuleOutcome outcome : result.rules()) {
            out(outcome.explanation());
        }
        out("gate " + result.status() + ": " + Plural.of(result.rules().size(), "rule")
                + (result.champion() == null ? ", no champion" : result.champion().version() == null ? ", champion from report"
                        : ", champion " + result.champion().model() + "/" + result.champion().version())
                + (report == null ? "" : "; report: " + report));
        return result.status() == Status.FAILED ? ExitCode.FAILED : ExitCode.PASSED;
    }
}
