package io.jenkins.plugins.mlstages.deploy.ab;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

import io.jenkins.plugins.mlstages.deploy.DeployException;
import io.jenkins.plugins.mlstages.deploy.MetricSource;

/**
 * Per-arm counts from four Prometheus instant queries, each the running total of a counter, e.g.
 * {@code sum(predictions_total{version="2"})} and {@code sum(conversions_total{version="2"})}. Their
 * values when the split is confirmed are the baseline. A query without data counts 0 (a counter not
 * yet incremented); a fractional value (a rate() or increase() query) is refused: the test needs counts.
 */
public final class PrometheusArmSource implements ArmSource {
    private final MetricSource metrics;
    private final AbMetric metric;

    public PrometheusArmSource(MetricSource metrics, AbMetric metric) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (!metric.isPrometheus()) {
            throw new IllegalArgumentException("not a Prometheus metric: " + metric.kind());
        }
        this.metric = metric;
    }

    @Override
    public ArmCounts counts(Instant at) {
        return new ArmCounts(count(metric.controlTrials(), at), count(metric.controlConversions(), at),
                count(metric.candidateTrials(), at), count(metric.candidateConversions(), at));
    }

    @Override
    public ArmCounts baseline(Instant at) {
        return counts(at);
    }

    private long count(String query, Instant at) {
        OptionalDouble value = metrics.query(query, at);
        if (value.isEmpty()) {
            return 0;
        }
        double v = value.getAsDouble();
        if (!Double.isFinite(v) || v < 0 || Math.abs(v - Math.rint(v)) > 1e-6) {
            throw new DeployException("query '" + query + "' gave " + v + ", not a count: use the running total of a counter "
                    + "(e.g. sum(requests_total{...})), not rate() or increase()");
        }
        return Math.round(v);
    }

    @Override
    public String describe() {
        return metrics.describe();
    }
}
