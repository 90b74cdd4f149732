package io.jenkins.plugins.mlstages.eval;

import java.util.List;
import java.util.Locale;

import io.jenkins.plugins.mlstages.report.Plural;

/** The one-line summary of an evaluation that the CLI prints and the Jenkins step logs. */
public final class EvaluateSummary {
    /** The metrics a summary line shows when present: each task's headline metrics. */
    public static final List<String> HEADLINE_METRICS =
            List.of("roc_auc", "f1_score", "accuracy_score", "root_mean_squared_error", "r2_score");

    private EvaluateSummary() {
    }

    /** {@code 1000 rows, roc_auc 0.9100 [0.8800, 0.9300], f1_score 0.8400}: rows and headline metrics with intervals. */
    public static String line(EvaluateResult result) {
        StringBuilder line = new StringBuilder(Plural.of(result.rows(), "row"));
        for (String name : HEADLINE_METRICS) {
            Double value = result.metrics().get(name);
            if (value != null) {
                line.append(", ").append(name).append(' ').append(String.format(Locale.ROOT, "%.4f", value));
                EvaluateResult.IntervalView ci = result.intervals() == null ? null : result.intervals().get(name);
                if (ci != null) {
                    line.append(String.format(Locale.ROOT, " [%.4f, %.4f]", ci.lower(), ci.upper()));
                }
            }
        }
        return line.toString();
    }
}
