package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How the candidate behaved next to the live version on the same requests ({@link BehaviourComparison}).
 * The live version is the reference of every distribution statistic. A figure that cannot be computed
 * (no pair both versions answered, KS with labels) is null and absent from {@link #metrics()}, so a
 * check on it is inconclusive rather than passed.
 *
 * @param pairs requests answered (or failed) by both versions
 * @param comparable pairs both versions answered usably: the base of agreement and of the distributions
 * @param sampled with more pairs than the comparison keeps, the size of the uniform sample the distribution
 *        statistics were computed on; null when they used every comparable pair
 * @param kind how outputs were compared; null before any comparable pair
 * @param threshold with scores, the decision threshold of {@code agreement}
 * @param agreement share of comparable pairs with the same decision: the same label, or with scores both on
 *        the same side of the threshold ({@code score >= threshold})
 * @param predictionPsi PSI of the candidate's outputs against the live version's (scores: 10 bins at the live
 *        version's deciles; labels: one bin per label), {@code DriftStatistics.psi}
 * @param predictionKs scores only: the two-sample Kolmogorov-Smirnov statistic D (the largest distance of the
 *        two empirical CDFs, 0..1)
 * @param predictionKsPvalue scores only: its p-value ({@code scipy.stats.ks_2samp})
 * @param predictionJs Jensen-Shannon distance (natural log) over the same bins as the PSI
 * @param meanAbsDiff scores only: mean of {@code |candidate − live|} over comparable pairs
 * @param maxAbsDiff scores only: the largest {@code |candidate − live|}
 * @param liveErrorRate share of pairs whose live answer was unusable (transport failure, non-2xx, no output)
 * @param shadowErrorRate share of pairs whose candidate answer was unusable
 * @param liveLatencyP50Ms median latency of the live version's answers, ms ({@code numpy.quantile}, linear)
 * @param liveLatencyP99Ms 99th percentile of the live version's latency, ms
 * @param shadowLatencyP50Ms median latency of the candidate's answers, ms
 * @param shadowLatencyP99Ms 99th percentile of the candidate's latency, ms
 * @param distribution both versions' outputs over the same bins, for the report page
 */
@JsonPropertyOrder({"pairs", "comparable", "sampled", "kind", "threshold", "agreement", "prediction_psi", "prediction_ks",
    "prediction_ks_pvalue", "prediction_js", "mean_abs_diff", "max_abs_diff", "live_error_rate", "shadow_error_rate",
    "live_latency_p50_ms", "live_latency_p99_ms", "shadow_latency_p50_ms", "shadow_latency_p99_ms", "distribution"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BehaviourSummary(long pairs, long comparable, Long sampled, OutputKind kind, Double threshold, Double agreement,
        Double predictionPsi, Double predictionKs, Double predictionKsPvalue, Double predictionJs, Double meanAbsDiff,
        Double maxAbsDiff, Double liveErrorRate, Double shadowErrorRate, Double liveLatencyP50Ms, Double liveLatencyP99Ms,
        Double shadowLatencyP50Ms, Double shadowLatencyP99Ms, OutputDistribution distribution) implements Serializable {

    /** The names {@link #metrics()} uses, in its order; the behaviour rules of the check grammar name these. */
    public static final List<String> METRICS = List.of("agreement", "prediction_psi", "prediction_ks",
            "prediction_ks_pvalue", "prediction_js", "mean_abs_diff", "max_abs_diff", "shadow_error_rate",
            "live_error_rate", "shadow_latency_p50_ms", "shadow_latency_p99_ms", "live_latency_p50_ms",
            "live_latency_p99_ms", "pairs");

    /**
     * The figures by the names behaviour rules use ({@link #METRICS}); a figure that is null is absent.
     * {@code prediction_ks} is the KS <em>statistic</em> D (a distance: bound it with {@code <=}), its
     * p-value is {@code prediction_ks_pvalue}; {@code pairs} counts every pair, usable or not.
     */
    @JsonIgnore
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "agreement", agreement);
        put(metrics, "prediction_psi", predictionPsi);
        put(metrics, "prediction_ks", predictionKs);
        put(metrics, "prediction_ks_pvalue", predictionKsPvalue);
        put(metrics, "prediction_js", predictionJs);
        put(metrics, "mean_abs_diff", meanAbsDiff);
        put(metrics, "max_abs_diff", maxAbsDiff);
        put(metrics, "shadow_error_rate", shadowErrorRate);
        put(metrics, "live_error_rate", liveErrorRate);
        put(metrics, "shadow_latency_p50_ms", shadowLatencyP50Ms);
        put(metrics, "shadow_latency_p99_ms", shadowLatencyP99Ms);
        put(metrics, "live_latency_p50_ms", liveLatencyP50Ms);
        put(metrics, "live_latency_p99_ms", liveLatencyP99Ms);
        metrics.put("pairs", (double) pairs);
        return Collections.unmodifiableMap(metrics);
    }

    private static void put(Map<String, Double> metrics, String name, Double value) {
        if (value != null && !value.isNaN()) {
            metrics.put(name, value);
        }
    }
}
