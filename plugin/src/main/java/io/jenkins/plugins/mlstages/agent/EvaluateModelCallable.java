package io.jenkins.plugins.mlstages.agent;

import io.jenkins.plugins.mlstages.support.StageOutcome;
import io.jenkins.plugins.mlstages.support.TableSecrets;
import io.jenkins.plugins.mlstages.support.TableSource;
import io.jenkins.plugins.mlstages.eval.TableEvaluate;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.time.Duration;
import java.util.HashMap;
import io.jenkins.plugins.mlstages.steps.EvaluateModelStep;
import io.jenkins.plugins.mlstages.data.CsvOptions;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.eval.EvaluateModel;
import io.jenkins.plugins.mlstages.eval.EvaluateRequest;
import io.jenkins.plugins.mlstages.eval.EvaluateResult;
import io.jenkins.plugins.mlstages.eval.EvaluateSummary;
import io.jenkins.plugins.mlstages.eval.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;

/**
 * Runs the evaluateModel stage on the agent, where the predictions are. Every field is a plain value;
 * paths are resolved against the workspace on the agent. Nothing here talks to the registry: the
 * controller logs the metrics, so credentials never travel to the agent. Bad input comes back as a
 * one-line {@link StageOutcome#error}. With a table source (docs/tables.md) the agent pushes the work down to it
 * ({@link TableEvaluate}); its secrets travel with this callable only and go to that location only.
 */
public final class EvaluateModelCallable extends StageCallable<EvaluateResult> {
    private static final long serialVersionUID = 1L;

    private final String predictions;
    private final String task;
    private final String label;
    private final ArrayList<String> score;
    private final String prediction;
    private final ArrayList<String> slice;
    private final int minSliceSize;
    private final Double threshold;
    private final String thresholdMetric;
    private final String positiveLabel;
    private final int resamples;
    private final double level;
    private final long seed;
    private final String championScore;
    private final String championPredictions;
    private final String sensitive;
    private final String format;
    private final DvcPolicy dvcPolicy;
    /** The table source: where, its secrets, and the table or query; all null for a predictions file. */
    @CheckForNull
    private final String location;
    @CheckForNull
    private final HashMap<String, String> secrets;
    @CheckForNull
    private final TableSource tables;

    /** The longest one query may run, as the CLI's default {@code --query-timeout}. */
    private static final Duration QUERY_TIMEOUT = Duration.ofHours(1);

    /** The predictions from the step's file. */
    public EvaluateModelCallable(EvaluateModelStep step) {
        this(step, null);
    }

    /** The predictions from the step's table or query at {@code source}, when not null. */
    public EvaluateModelCallable(EvaluateModelStep step, @CheckForNull TableSecrets source) {
        super(step.getReport());
        this.location = source == null ? null : source.location();
        this.secrets = source == null ? null : new HashMap<>(source.secrets());
        this.tables = source == null ? null : step.source();
        this.predictions = step.getPredictions();
        this.task = step.getTask();
        this.label = step.getLabel();
        this.score = new ArrayList<>(step.getScore());
        this.prediction = step.getPrediction();
        this.slice = new ArrayList<>(step.getSlice());
        this.minSliceSize = step.getMinSliceSize();
        this.threshold = step.getThreshold();
        this.thresholdMetric = step.getThresholdMetric();
        this.positiveLabel = step.getPositiveLabel();
        this.resamples = step.getResamples();
        this.level = step.getLevel();
        this.seed = step.getSeed();
        this.championScore = step.getChampionScore();
        this.championPredictions = step.getChampionPredictions();
        this.sensitive = step.getSensitive();
        this.format = step.getFormat();
        this.dvcPolicy = DvcPolicy.parseOption(step.getDvcCheck(), "dvcCheck");
    }

    @Override
    protected EvaluateResult run(Path base, CollectedLog log)
            throws IOException, DataFormatException, InterruptedException, TableSourceException {
        EvaluateRequest request = new EvaluateRequest(
                predictions == null ? null : base.resolve(predictions),
                DataFormat.parseOption(format, "format"),
                CsvOptions.defaults(),
                Task.parse(task),
                label,
                score,
                prediction,
                slice,
                minSliceSize,
                threshold,
                thresholdMetric == null ? null : thresholdMetric.toLowerCase(Locale.ROOT),
                positiveLabel,
                resamples,
                level,
                seed,
                championScore,
                sensitive,
                EvaluateRequest.DEFAULT_CURVE_POINTS,
                championPredictions == null ? null : base.resolve(championPredictions));
        if (location == null) {
            return new EvaluateModel(log, dvcPolicy).run(request);
        }
        try (SqlEngine engine = SqlEngines.openWith(location, secrets)) {
            return new TableEvaluate(engine, log, QUERY_TIMEOUT).run(request, tables.data(), tables.dataOption());
        }
    }

    @Override
    public String toString() {
        return "EvaluateModelCallable[" + (location == null ? predictions : SqlEngines.withoutSecrets(location)) + "]";
    }

    @Override
    protected StageOutcome outcome(EvaluateResult result, CollectedLog log) throws IOException {
        return StageOutcome.ran(result, log, false, EvaluateSummary.line(result));
    }
}
