package io.jenkins.plugins.mlstages.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Behaviour checks: {@code METRIC <= MAX}, {@code METRIC >= MIN} or {@code MIN <= METRIC <= MAX} on a
 * metric of the shadow comparison (no Prometheus query), e.g. {@code agreement >= 0.97},
 * {@code prediction_psi <= 0.1}, {@code shadow_error_rate <= 0.01}. Bounds are inclusive, as for the
 * canary's analysis checks, whose grammar ({@link CheckSyntax}) and judgement ({@link AnalysisCheck})
 * these reuse: the check's name and query are both the metric's name.
 */
public final class ShadowChecks {
    /** The metrics a check may name. */
    public static final Set<String> METRICS = Set.of("agreement", "prediction_psi", "prediction_js", "prediction_ks",
            "mean_abs_diff", "max_abs_diff", "shadow_error_rate", "live_error_rate", "shadow_latency_p50_ms",
            "shadow_latency_p99_ms", "live_latency_p50_ms", "live_latency_p99_ms", "paired_requests");

    private ShadowChecks() {
    }

    /** @throws CanarySettingException (setting {@code check}) naming the entry and what is wrong */
    public static List<AnalysisCheck> parse(List<String> texts) {
        List<AnalysisCheck> checks = new ArrayList<>();
        for (String text : texts) {
            AnalysisCheck parsed;
            try {
                parsed = CheckSyntax.parse("behaviour: " + (text == null ? "" : text));
            } catch (CanarySettingException e) {
                throw new CanarySettingException("check", "behaviour check '" + text
                        + "': write 'METRIC <= MAX', 'METRIC >= MIN' or 'MIN <= METRIC <= MAX', e.g. 'agreement >= 0.97'", e);
            }
            String metric = parsed.query().strip();
            if (!METRICS.contains(metric)) {
                throw new CanarySettingException("check", "behaviour check '" + text + "': unknown metric '" + metric
                        + "'; known: " + String.join(", ", METRICS.stream().sorted().toList()));
            }
            if (checks.stream().anyMatch(c -> c.name().equals(metric))) {
                throw new CanarySettingException("check", "two behaviour checks on '" + metric + "': write one with both bounds");
            }
            checks.add(AnalysisCheck.absolute(metric, metric, parsed.min(), parsed.max()));
        }
        return checks;
    }

    /** Each check judged on the comparison's value of its metric; a metric without a value is inconclusive. */
    public static List<CheckResult> judge(List<AnalysisCheck> checks, Map<String, Double> metrics) {
        List<CheckResult> results = new ArrayList<>();
        for (AnalysisCheck check : checks) {
            Double value = metrics.get(check.query());
            results.add(value == null || value.isNaN() ? check.failed("no value: no paired answers to compare")
                    : check.judge(OptionalDouble.of(value), OptionalDouble.empty()));
        }
        return results;
    }
}
