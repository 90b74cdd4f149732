package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.eval.Bootstrap;
import io.jenkins.plugins.mlstages.eval.ConfidenceInterval;

/**
 * With a labelled probe: how right each version was on the rows both answered usably, and the paired
 * bootstrap interval of candidate − live on the same rows ({@link Bootstrap}, as the gate's
 * {@code paired(metric)}): {@value #RESAMPLES} resamples, level 0.95, seed {@value #SEED}.
 *
 * @param rows labelled rows both versions answered usably
 * @param liveAccuracy share of those rows whose live decision equals the label (scores: {@code 1} when
 *        {@code score >= threshold}, else {@code 0})
 * @param shadowAccuracy the same for the candidate
 * @param accuracyDiff candidate − live accuracy, with its paired interval
 * @param liveRocAuc scores with labels 0 and 1 only: the live version's ROC AUC; null otherwise
 * @param shadowRocAuc the candidate's ROC AUC
 * @param rocAucDiff candidate − live ROC AUC, with its paired interval
 */
@JsonPropertyOrder({"rows", "live_accuracy", "shadow_accuracy", "accuracy_diff", "live_roc_auc", "shadow_roc_auc", "roc_auc_diff"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelledSummary(int rows, Double liveAccuracy, Double shadowAccuracy, ConfidenceInterval accuracyDiff,
        Double liveRocAuc, Double shadowRocAuc, ConfidenceInterval rocAucDiff) implements Serializable {
    public static final int RESAMPLES = 1000;
    public static final long SEED = 20_261_207L;

    /** The names {@link #metrics()} uses: behaviour rules may name these too. */
    public static final List<String> METRICS = List.of("live_accuracy", "shadow_accuracy", "accuracy_diff",
            "accuracy_diff_lower", "accuracy_diff_upper", "live_roc_auc", "shadow_roc_auc", "roc_auc_diff",
            "roc_auc_diff_lower", "roc_auc_diff_upper");

    /** {@code accuracy_diff} is the point estimate, {@code _lower} and {@code _upper} the interval's bounds. */
    @JsonIgnore
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "live_accuracy", liveAccuracy);
        put(metrics, "shadow_accuracy", shadowAccuracy);
        interval(metrics, "accuracy_diff", accuracyDiff);
        put(metrics, "live_roc_auc", liveRocAuc);
        put(metrics, "shadow_roc_auc", shadowRocAuc);
        interval(metrics, "roc_auc_diff", rocAucDiff);
        return Collections.unmodifiableMap(metrics);
    }

    /**
     * @param labels the true labels of the rows both versions answered
     * @param live the live version's decisions (as labels) on those rows
     * @param candidate the candidate's decisions
     * @param liveScores with scores and labels 0/1: the live scores; null otherwise
     * @param candidateScores the candidate's scores; null otherwise
     */
    static LabelledSummary of(List<String> labels, List<String> live, List<String> candidate, double[] liveScores,
            double[] candidateScores) {
        int n = labels.size();
        if (n == 0) {
            return new LabelledSummary(0, null, null, null, null, null, null);
        }
        int[] a = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = labels.get(i).equals(live.get(i)) ? 1 : 0;
            b[i] = labels.get(i).equals(candidate.get(i)) ? 1 : 0;
        }
        ConfidenceInterval accuracy = Bootstrap.ci(n, counts -> {
            long diff = 0;
            for (int i = 0; i < n; i++) {
                diff += (long) counts[i] * (b[i] - a[i]);
            }
            return diff / (double) n;
        }, RESAMPLES, Bootstrap.DEFAULT_LEVEL, SEED, 1);
        Double liveAuc = null;
        Double candidateAuc = null;
        ConfidenceInterval auc = null;
        int[] binary = binary(labels);
        if (liveScores != null && binary != null) {
            var liveMetric = Bootstrap.rocAuc(binary, liveScores);
            var candidateMetric = Bootstrap.rocAuc(binary, candidateScores);
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            liveAuc = liveMetric.apply(ones);
            candidateAuc = candidateMetric.apply(ones);
            auc = Bootstrap.ci(n, counts -> candidateMetric.apply(counts) - liveMetric.apply(counts), RESAMPLES,
                    Bootstrap.DEFAULT_LEVEL, SEED, 1);
        }
        return new LabelledSummary(n, mean(a), mean(b), accuracy, liveAuc, candidateAuc, auc);
    }

    /** Labels 0 and 1, both present; null otherwise (no ROC AUC). */
    private static int[] binary(List<String> labels) {
        int[] out = new int[labels.size()];
        boolean zero = false;
        boolean one = false;
        for (int i = 0; i < out.length; i++) {
            String label = labels.get(i);
            if (!label.equals("0") && !label.equals("1")) {
                return null;
            }
            out[i] = label.equals("1") ? 1 : 0;
            zero |= out[i] == 0;
            one |= out[i] == 1;
        }
        return zero && one ? out : null;
    }

    private static double mean(int[] values) {
        long sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum / (double) values.length;
    }

    private static void interval(Map<String, Double> metrics, String name, ConfidenceInterval ci) {
        if (ci != null) {
            put(metrics, name, ci.estimate());
            put(metrics, name + "_lower", ci.lower());
            put(metrics, name + "_upper", ci.upper());
        }
    }

    private static void put(Map<String, Double> metrics, String name, Double value) {
        if (value != null && !value.isNaN()) {
            metrics.put(name, value);
        }
    }
}
