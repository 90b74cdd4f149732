package io.jenkins.plugins.mlstages.eval;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The result of {@link EvaluateModel}: metrics under MLflow's names, their bootstrap intervals, per-slice
 * metrics, fairness, curves for the report, and the shared vocabulary around them.
 *
 * @param paired intervals of (candidate − champion) on the same rows, by metric
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "task", "rows", "threshold",
    "intervals", "paired", "slices", "fairness", "confusion_matrix", "classes", "curves"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluateResult(Status status, List<Finding> findings, Map<String, Double> metrics,
        List<LineageNode> lineage, String task, long rows, Double threshold, Map<String, IntervalView> intervals,
        Map<String, IntervalView> paired, List<SliceMetrics> slices, FairnessView fairness, long[][] confusionMatrix,
        List<String> classes, Curves curves) implements StageReport, Serializable {
    public static final String STAGE = "evaluate";

    @Override
    @JsonProperty("stage")
    public String stage() {
        return STAGE;
    }

    /** A percentile bootstrap interval. */
    public record IntervalView(double estimate, double lower, double upper, double level, int resamples, int undefined)
            implements Serializable {
        static IntervalView of(ConfidenceInterval ci) {
            return new IntervalView(ci.estimate(), ci.lower(), ci.upper(), ci.level(), ci.resamples(), ci.undefined());
        }
    }

    /**
     * The metrics of one slice ({@code column=value}); {@code evaluated} is false for slices under the
     * minimum size, which have no metrics.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SliceMetrics(String key, String column, String value, long rows, boolean evaluated,
            Map<String, Double> metrics) implements Serializable {
    }

    /** Fairness over one sensitive column (fairlearn's definitions, between groups). */
    public record FairnessView(String column, Map<String, Double> metrics, List<GroupView> groups) implements Serializable {
    }

    /** One group's rates. */
    public record GroupView(String group, long rows, double selectionRate, double truePositiveRate,
            double falsePositiveRate) implements Serializable {
    }

    /**
     * Curves for the report, downsampled: binary ROC, precision-recall and calibration; multiclass the
     * one-vs-rest view of each class ({@code per_class}), its metrics beside its curves as in MLflow's
     * {@code per_class_metrics} table and per-class ROC and precision-recall plots.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Curves(CurveView roc, CurveView precisionRecall, CurveView calibration, List<ClassView> perClass)
            implements Serializable {
    }

    /**
     * One class against the rest (multiclass): {@code metrics} under MLflow's per-class names
     * ({@code true_negatives}, {@code false_positives}, {@code false_negatives}, {@code true_positives},
     * {@code example_count}, {@code accuracy_score}, {@code recall_score}, {@code precision_score},
     * {@code f1_score}, and with probabilities {@code roc_auc} and {@code precision_recall_auc}) plus
     * {@code support} (rows of the class); the curves only with probabilities, for at most
     * {@link EvaluateModel#MAX_CLASSES_FOR_CURVES} classes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassView(String positiveClass, long support, Map<String, Double> metrics, CurveView roc,
            CurveView precisionRecall) implements Serializable {
    }

    /** Points of a curve: x, y and (where it has them) thresholds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CurveView(String x, String y, double[] xs, double[] ys, double[] thresholds) implements Serializable {
    }
}
