package io.jenkins.plugins.mlstages.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Severity;

/**
 * The one change of meaning a metric name has had, and how a reader of older metrics gets MLflow's
 * meaning back. Until this release, multiclass {@code roc_auc} was the macro one-vs-rest AUC, with the
 * weighted one under {@code roc_auc_weighted}; MLflow's {@code roc_auc} is the weighted one, so it is
 * now too, with the macro value under {@code roc_auc_macro}.
 *
 * <p>The old meaning is told by the metric set itself, not by a marker: only ml-stages before this
 * release wrote {@code roc_auc_weighted} without {@code roc_auc_macro} and with a different {@code roc_auc}
 * (MLflow writes neither; this release both, {@code roc_auc} equal to {@code roc_auc_weighted}, and leaves
 * out {@code roc_auc_macro} only when it is undefined). That works alike for a champion report and for the metrics of a champion's MLflow run,
 * including runs logged before any marker could exist.
 */
public final class MetricSemantics {
    /** The check of the finding that says metrics were translated. */
    public static final String LEGACY_ROC_AUC = "gate.legacy_roc_auc";

    static final String ROC_AUC = "roc_auc";
    static final String ROC_AUC_MACRO = "roc_auc_macro";
    static final String ROC_AUC_WEIGHTED = "roc_auc_weighted";

    private MetricSemantics() {
    }

    /** Whether {@code metrics} were written under the old meaning of multiclass {@code roc_auc} (macro). */
    public static boolean legacyRocAuc(Map<String, Double> metrics) {
        // Double.equals: NaN equals NaN, so an undefined pair is current too.
        return metrics.containsKey(ROC_AUC_WEIGHTED) && !metrics.containsKey(ROC_AUC_MACRO)
                && !Objects.equals(metrics.get(ROC_AUC), metrics.get(ROC_AUC_WEIGHTED));
    }

    /**
     * {@code metrics} under MLflow's meaning: for old metrics, {@code roc_auc} takes the weighted value and
     * the old {@code roc_auc} becomes {@code roc_auc_macro}; other metrics are returned unchanged (a copy).
     */
    public static Map<String, Double> current(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>(metrics);
        if (legacyRocAuc(metrics)) {
            Double macro = out.remove(ROC_AUC);
            out.put(ROC_AUC, metrics.get(ROC_AUC_WEIGHTED));
            if (macro != null) {
                out.put(ROC_AUC_MACRO, macro);
            }
        }
        return out;
    }

    /**
     * The finding that says whose metrics were written under the old meaning and were read as MLflow's,
     * or empty when {@code metrics} are current.
     *
     * @param whose e.g. {@code "the champion (run 4f2...)"}
     */
    public static Optional<Finding> legacyFinding(String whose, Map<String, Double> metrics) {
        if (!legacyRocAuc(metrics)) {
            return Optional.empty();
        }
        Double macro = metrics.get(ROC_AUC);
        double weighted = metrics.get(ROC_AUC_WEIGHTED);
        String was = macro == null ? "no roc_auc" : "roc_auc " + format(macro) + " (macro one-vs-rest)";
        return Optional.of(new Finding(LEGACY_ROC_AUC, ROC_AUC, Severity.INFO, true, whose
                + " was evaluated by an earlier ml-stages whose multiclass roc_auc meant the macro average; "
                + "compared by MLflow's meaning instead: roc_auc = its roc_auc_weighted " + format(weighted)
                + ", roc_auc_macro = its old " + was, was, "roc_auc " + format(weighted) + " (weighted one-vs-rest)"));
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
