package io.jenkins.plugins.mlstages.agent;

import io.jenkins.plugins.mlstages.support.StageOutcome;
import io.jenkins.plugins.mlstages.steps.EvaluateModelStep;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlstages.data.CsvOptions;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.eval.EvaluateModel;
import io.jenkins.plugins.mlstages.eval.EvaluateRequest;
import io.jenkins.plugins.mlstages.eval.EvaluateResult;
import io.jenkins.plugins.mlstages.eval.EvaluateSummary;
import io.jenkins.plugins.mlstages.eval.Task;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs the evaluateModel stage on the agent, where the predictions are. Every field is a plain value;
 * paths are resolved against the workspace on the agent. Nothing here talks to the registry: the
 * controller logs the metrics, so credentials never travel to the agent. Bad input comes back as a
 * one-line {@link StageOutcome#error}.
 */
public final class EvaluateModelCallable extends MasterToSlaveFileCallable<StageOutcome> {
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
    private final String report;

    public EvaluateModelCallable(EvaluateModelStep step) {
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
        this.report = step.getReport();
    }

    @Override
    public StageOutcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path base = workspace.toPath();
        CollectedLog log = new CollectedLog();
        try {
            EvaluateRequest request = new EvaluateRequest(
                    base.resolve(predictions),
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
            EvaluateResult result = new EvaluateModel(log).run(request);
            if (report != null) {
                ReportWriter.write(base.resolve(report), result);
            }
            return StageOutcome.ran(result, log, false, EvaluateSummary.line(result));
        } catch (DataFormatException | IllegalArgumentException e) {
            return StageOutcome.badInput(e.getMessage(), log);
        }
    }
}
