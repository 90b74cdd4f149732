package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jenkins.plugins.mlstages.data.CsvOptions;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.eval.EvaluateModel;
import io.jenkins.plugins.mlstages.eval.EvaluateRequest;
import io.jenkins.plugins.mlstages.eval.EvaluateResult;
import io.jenkins.plugins.mlstages.eval.EvaluateSummary;
import io.jenkins.plugins.mlstages.eval.EvaluationToRun;
import io.jenkins.plugins.mlstages.eval.Task;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.Status;
import io.jenkins.plugins.mlstages.eval.TableEvaluate;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlstages evaluate}: metrics of a model from its predictions file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute a model's metrics from a predictions file, with bootstrap intervals, slices and fairness.",
            "Exit 0 done (warnings allowed), 1 a DVC-tracked file changed with --dvc-check error, 2 bad usage or unreadable input, 3 registry error."})
final class EvaluateCommand extends StageCommand {
    @Option(names = "--predictions", paramLabel = "PATH",
            description = "predictions file (CSV, JSON lines or Parquet); or --table/--query with --spark-remote or --jdbc-url")
    Path predictions;

    @Mixin
    TableSourceOptions tables;

    @Option(names = "--task", required = true, paramLabel = "binary|multiclass|regression", description = "the model's task")
    String task;

    @Option(names = "--label", required = true, paramLabel = "COL", description = "column with the true label or value")
    String label;

    @Option(names = "--score", paramLabel = "COL",
            description = "probability of the positive class (binary), one per class in class order (multiclass), or the predicted value (regression)")
    List<String> scores = new ArrayList<>();

    @Option(names = "--prediction", paramLabel = "COL", description = "predicted label or value, instead of --score")
    String prediction;

    @Option(names = "--slice", paramLabel = "COL", description = "also compute the metrics per value of this column (repeatable)")
    List<String> slices = new ArrayList<>();

    @Option(names = "--min-slice-size", paramLabel = "N", defaultValue = "30", description = "smallest slice evaluated (default: ${DEFAULT-VALUE})")
    int minSliceSize;

    @Option(names = "--threshold", paramLabel = "T", description = "binary: positive when score >= T (default 0.5)")
    Double threshold;

    @Option(names = "--threshold-metric", paramLabel = "f1|accuracy", description = "binary: choose the threshold maximising this metric")
    String thresholdMetric;

    @Option(names = "--positive-label", paramLabel = "TEXT", description = "binary: the label of the positive class (default: 1/true/yes)")
    String positiveLabel;

    @Option(names = "--resamples", paramLabel = "N", defaultValue = "200", description = "bootstrap resamples; 0 for none (default: ${DEFAULT-VALUE})")
    int resamples;

    @Option(names = "--level", paramLabel = "L", defaultValue = "0.95", description = "confidence level (default: ${DEFAULT-VALUE})")
    double level;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "bootstrap seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--champion-score", paramLabel = "COL", description = "binary: the champion's score on the same rows (paired bootstrap)")
    String championScore;

    @Option(names = "--champion-predictions", paramLabel = "PATH",
            description = "binary: a second file with --champion-score for the same rows in the same order")
    Path championPredictions;

    @Option(names = "--sensitive", paramLabel = "COL", description = "binary: compare groups of this column for fairness")
    String sensitive;

    @Option(names = "--format", paramLabel = "csv|jsonl|parquet", description = "format of --predictions (default: from the file name)")
    String format;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here")
    Path report;

    @Option(names = "--run-id", paramLabel = "ID", description = "log the metrics, and the report as an artifact, to this MLflow run")
    String runId;

    @Option(names = "--model-id", paramLabel = "ID",
            description = "with --run-id: the MLflow 3 logged model evaluated, whose page then shows the metrics (default: the run's only logged model)")
    String modelId;

    @Option(names = "--dvc-check", paramLabel = "warning|error|off", defaultValue = "warning",
            description = "a --predictions file that DVC tracks but that is not the one dvc.lock / *.dvc records: a WARNING finding,"
            + " an ERROR (FAILED, exit 1), or off (not compared, not read again) (default: ${DEFAULT-VALUE}; docs/dvc.md)")
    String dvcCheck;

    EvaluateCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        checkOutputs(report);
        if (modelId != null && runId == null) {
            throw new IllegalArgumentException("--model-id goes with --run-id");
        }
        DataFormat dataFormat = DataFormat.parseOption(format, "--format");
        DvcPolicy dvcPolicy = DvcPolicy.parseOption(dvcCheck, "--dvc-check");
        tables.check("--predictions", predictions != null, false, main.environment());
        tables.queryTimeout();
        if (tables.referenceChosen()) {
            throw new IllegalArgumentException("--reference-table and --reference-query are for validate-data");
        }
        if (tables.chosen() && (championPredictions != null || format != null)) {
            throw new IllegalArgumentException((format != null ? "--format" : "--champion-predictions")
                    + " is for a --predictions file, not a table source");
        }
        EvaluateRequest request = new EvaluateRequest(predictions, dataFormat, CsvOptions.defaults(), option("--task", () -> Task.parse(task)), label,
                scores, prediction, slices, minSliceSize, threshold,
                thresholdMetric == null ? null : thresholdMetric.toLowerCase(Locale.ROOT), positiveLabel, resamples, level,
                seed, championScore, sensitive, EvaluateRequest.DEFAULT_CURVE_POINTS, championPredictions);
        if (runId == null) {
            EvaluateResult result = evaluate(request, dvcPolicy);
            writeReport(result);
            summarise(result);
            return exitCode(result);
        }
        try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
            // where the metrics go is settled first: a bad --model-id fails before anything is written
            EvaluationToRun.Target target = EvaluationToRun.target(client, runId, modelId);
            if (target.note() != null) {
                main.log().info("evaluate: " + target.note());
            }
            EvaluateResult result = evaluate(request, dvcPolicy);
            writeReport(result);
            EvaluationToRun.Logged logged = EvaluationToRun.log(client, target, ReportWriter.mapper().writeValueAsString(result));
            if (logged.modelId() != null && logged.onModel() < logged.metrics()) {
                main.log().info("evaluate: " + Plural.of(logged.metrics() - logged.onModel(), "metric")
                        + " logged to the run only (not finite, or already on logged model " + logged.modelId() + " from this run)");
            }
            summarise(result);
            return exitCode(result);
        }
    }

    /** The predictions file read here, or the table's aggregates computed where it lives (docs/tables.md). */
    private EvaluateResult evaluate(EvaluateRequest request, DvcPolicy dvcPolicy) throws Exception {
        if (!tables.chosen()) {
            return new EvaluateModel(main.log(), dvcPolicy).run(request);
        }
        try (SqlEngine engine = SqlEngines.open(tables.location(main.environment()), main.environment());
                CancelOnExit stopped = new CancelOnExit(engine)) {
            return new TableEvaluate(engine, main.log(), tables.queryTimeout()).run(request, tables.data(),
                    tables.data().table() != null ? "--table" : "--query");
        }
    }

    /** 0 done; 1 only when a check is an ERROR, which evaluate has only with {@code --dvc-check error}. */
    private static int exitCode(EvaluateResult result) {
        return result.status() == Status.FAILED ? ExitCode.FAILED : ExitCode.PASSED;
    }

    private void writeReport(EvaluateResult result) throws java.io.IOException {
        if (report != null) {
            ReportWriter.write(report, result);
        }
    }

    private void summarise(EvaluateResult result) {
        for (Finding finding : result.findings()) {
            if (!finding.passed() && finding.severity() != io.jenkins.plugins.mlstages.report.Severity.INFO) {
                out(finding.line());
            }
        }
        StringBuilder line = new StringBuilder("evaluate ").append(result.status()).append(": ")
                .append(EvaluateSummary.line(result));
        if (report != null) {
            line.append("; report: ").append(report);
        }
        out(line.toString());
    }

}
