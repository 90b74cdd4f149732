package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jenkins.plugins.mlstages.deploy.CheckResult;
import io.jenkins.plugins.mlstages.deploy.CheckVerdict;

/**
 * A behaviour rule: one of {@link BehaviourSummary#METRICS} within inclusive bounds, judged on a
 * {@link BehaviourSummary} instead of a Prometheus query. Written without a name, the metric being its
 * name: {@code agreement >= 0.97}, {@code prediction_psi <= 0.1}, {@code 0 <= mean_abs_diff <= 0.05}
 * ({@link io.jenkins.plugins.mlstages.deploy.CheckSyntax}).
 *
 * @param metric the behaviour metric, also the check's name in results
 * @param min the value must be ≥ this; null for no lower bound
 * @param max the value must be ≤ this; null for no upper bound
 */
public record BehaviourCheck(String metric, Double min, Double max) implements Serializable {
    /** What a {@link CheckResult} of a behaviour rule carries in place of a query. */
    public static final String QUERY_PREFIX = "behaviour: ";
    /** Every metric a rule may name: {@link BehaviourSummary#METRICS}, then {@link LabelledSummary#METRICS} (labelled probes). */
    public static final List<String> METRICS = metrics();

    public BehaviourCheck {
        Objects.requireNonNull(metric, "metric");
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("'" + metric + "' is not a behaviour metric: use one of "
                    + String.join(", ", METRICS));
        }
        if (min == null && max == null) {
            throw new IllegalArgumentException("behaviour check '" + metric + "' needs a min or a max bound");
        }
        if (min != null && !Double.isFinite(min) || max != null && !Double.isFinite(max)) {
            throw new IllegalArgumentException("behaviour check '" + metric + "': bounds must be finite numbers");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("behaviour check '" + metric + "': min " + min + " is above max " + max);
        }
    }

    private static List<String> metrics() {
        List<String> names = new ArrayList<>(BehaviourSummary.METRICS);
        names.addAll(LabelledSummary.METRICS);
        return List.copyOf(names);
    }

    /** Whether {@code query} of a {@link CheckResult} marks a behaviour rule's result. */
    public static boolean isBehaviourQuery(String query) {
        return query != null && query.startsWith(QUERY_PREFIX);
    }

    /** Judges the summary's metric: PASS within the bounds, FAIL outside, INCONCLUSIVE when it has no value. */
    public CheckResult judge(BehaviourSummary summary) {
        return judge(summary == null ? Map.of() : summary.metrics(), summary == null ? 0 : summary.comparable(), false);
    }

    /**
     * Judges {@code metrics} ({@link ProbeResult#metrics()}, {@link BehaviourSummary#metrics()}).
     *
     * @param comparable pairs both versions answered usably, to say why a metric is missing
     * @param labelled whether labelled metrics could be present
     */
    public CheckResult judge(Map<String, Double> metrics, long comparable, boolean labelled) {
        Double value = metrics.get(metric);
        if (value == null) {
            String why;
            if (comparable == 0) {
                why = "no request was answered usably by both versions";
            } else if (LabelledSummary.METRICS.contains(metric)) {
                why = labelled ? metric + " is not defined here (ROC AUC needs scores and labels 0 and 1)"
                        : metric + " needs a probe with labels";
            } else {
                why = metric + " is not defined for label outputs";
            }
            return result(null, CheckVerdict.INCONCLUSIVE, why);
        }
        boolean within = (min == null || value >= min) && (max == null || value <= max);
        return result(value, within ? CheckVerdict.PASS : CheckVerdict.FAIL, null);
    }

    /** The rule could not be evaluated: no comparison ran (the probe failed, nothing was captured). */
    public CheckResult failed(String error) {
        return result(null, CheckVerdict.INCONCLUSIVE, error);
    }

    private CheckResult result(Double value, CheckVerdict verdict, String error) {
        return new CheckResult(metric, QUERY_PREFIX + metric, value, min, max, verdict, null, null, null, error);
    }
}
