package io.jenkins.plugins.mlstages.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What rules are evaluated against: the candidate's metrics and their confidence intervals, its
 * metrics per slice, the champion's metrics (absent while there is no champion), the paired-bootstrap
 * intervals of candidate − champion, and the names of every metric the evaluation knows. Immutable;
 * maps keep the order they were given in (slices are reported in that order).
 *
 * <p>The known metrics are the names given to {@link Builder#knownMetrics} (typically every metric of
 * the task) and every name present in the context. A known metric without a value (not computed,
 * e.g. {@code roc_auc} without scores) makes the rules that read it fail with an explanation; a name
 * outside them is an error.
 */
public final class GateContext {
    private final Map<String, Double> metrics;
    private final Map<String, Interval> intervals;
    private final Map<String, Map<String, Double>> slices;
    private final Map<String, Double> champion;
    private final Map<String, Interval> paired;
    private final Set<String> knownMetrics;

    private GateContext(Builder b) {
        this.metrics = copy(b.metrics);
        this.intervals = copy(b.intervals);
        Map<String, Map<String, Double>> sliceCopy = new LinkedHashMap<>();
        b.slices.forEach((key, values) -> sliceCopy.put(key, copy(values)));
        this.slices = Collections.unmodifiableMap(sliceCopy);
        this.champion = b.champion == null ? null : copy(b.champion);
        this.paired = copy(b.paired);
        Set<String> known = new TreeSet<>();
        if (b.knownMetrics != null) {
            known.addAll(b.knownMetrics);
        }
        known.addAll(metrics.keySet());
        known.addAll(intervals.keySet());
        slices.values().forEach(values -> known.addAll(values.keySet()));
        if (champion != null) {
            known.addAll(champion.keySet());
        }
        known.addAll(paired.keySet());
        this.knownMetrics = Collections.unmodifiableSet(known);
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "metric name"),
                Objects.requireNonNull(v, () -> "value of '" + k + "'")));
        return Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The candidate's metrics under MLflow names; NaN for a metric undefined on this data. */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /** The candidate's confidence intervals, read by {@code metric.lower} and {@code metric.upper}. */
    public Map<String, Interval> intervals() {
        return intervals;
    }

    /** Metrics per slice, keyed {@code COLUMN=VALUE} as in {@code slice[region=EU]}. */
    public Map<String, Map<String, Double>> slices() {
        return slices;
    }

    /** The champion's metrics; empty while there is no champion (the first model). */
    public Optional<Map<String, Double>> champion() {
        return Optional.ofNullable(champion);
    }

    /** Paired-bootstrap intervals of candidate − champion on the same rows, read by {@code paired(metric)}. */
    public Map<String, Interval> paired() {
        return paired;
    }

    /** Every metric name rules may use, sorted: those given as known and those present. */
    public Set<String> knownMetrics() {
        return knownMetrics;
    }

    /** Collects a context; every map is copied when built. */
    public static final class Builder {
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, Interval> intervals = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        private Map<String, Double> champion;
        private final Map<String, Interval> paired = new LinkedHashMap<>();
        private Set<String> knownMetrics;

        private Builder() {
        }

        public Builder metrics(Map<String, Double> values) {
            metrics.putAll(values);
            return this;
        }

        public Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        public Builder intervals(Map<String, Interval> values) {
            intervals.putAll(values);
            return this;
        }

        public Builder interval(String metric, double lower, double upper) {
            intervals.put(metric, new Interval(lower, upper));
            return this;
        }

        public Builder slices(Map<String, Map<String, Double>> values) {
            slices.putAll(values);
            return this;
        }

        /** @param key {@code COLUMN=VALUE} */
        public Builder slice(String key, Map<String, Double> values) {
            slices.put(key, values);
            return this;
        }

        /** The champion's metrics; not calling this (or passing an empty Optional) means no champion. */
        public Builder champion(Optional<Map<String, Double>> values) {
            champion = values.map(LinkedHashMap::new).orElse(null);
            return this;
        }

        public Builder champion(Map<String, Double> values) {
            return champion(Optional.of(values));
        }

        public Builder paired(Map<String, Interval> values) {
            paired.putAll(values);
            return this;
        }

        public Builder paired(String metric, double lower, double upper) {
            paired.put(metric, new Interval(lower, upper));
            return this;
        }

        /**
         * The metric names rules may use besides those present in the context, typically every metric
         * of the task, so that a metric not computed this time fails its rule instead of being unknown.
         */
        public Builder knownMetrics(Set<String> names) {
            knownMetrics = new TreeSet<>(names);
            return this;
        }

        public GateContext build() {
            return new GateContext(this);
        }
    }
}
