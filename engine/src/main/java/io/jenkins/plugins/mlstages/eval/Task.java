package io.jenkins.plugins.mlstages.eval;

import java.util.List;
import java.util.Locale;

/** What kind of model the predictions come from. */
public enum Task {
    BINARY("example_count", "accuracy_score", "precision_score", "recall_score", "f1_score", "true_negatives",
            "false_positives", "false_negatives", "true_positives", "positive_count", "negative_count", "roc_auc",
            "precision_recall_auc", "log_loss", "brier_score_loss", "expected_calibration_error"),
    MULTICLASS("example_count", "accuracy_score", "precision_score", "recall_score", "f1_score", "precision_macro",
            "precision_micro", "recall_macro", "recall_micro", "f1_macro", "f1_micro", "roc_auc", "roc_auc_macro",
            "roc_auc_weighted", "log_loss"),
    REGRESSION("example_count", "mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2_score",
            "mean_absolute_percentage_error", "max_error", "explained_variance_score", "sum_on_target", "mean_on_target");

    private final List<String> metricNames;

    Task(String... metricNames) {
        this.metricNames = List.of(metricNames);
    }

    /**
     * Every metric evaluate computes for this task given all its inputs (scores, labels). Some need
     * inputs an evaluation may lack (roc_auc needs scores): the gate knows them all, so that a rule
     * on one that was not computed says "no value for", not "unknown metric".
     */
    public List<String> metricNames() {
        return metricNames;
    }

    public static Task parse(String value) {
        for (Task task : values()) {
            if (task.name().equalsIgnoreCase(value.strip())) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task '" + value + "': use binary, multiclass or regression");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
