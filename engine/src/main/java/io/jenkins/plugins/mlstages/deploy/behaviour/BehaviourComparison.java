package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jenkins.plugins.mlstages.data.DriftStatistics;

/**
 * Accumulates paired answers in bounded memory and summarises how the candidate behaves next to the live
 * version ({@link BehaviourSummary}). Not thread-safe: one reader of the pairs feeds it.
 *
 * <p>Exact over every pair: counts, error rates, agreement, mean and largest absolute score difference,
 * label counts (at most {@value #MAX_LABELS} distinct labels; more are counted as {@value #OTHER}).
 * Over a seeded uniform sample of at most {@code capacity} pairs (all of them below it): the score
 * distributions (PSI, KS, Jensen-Shannon, the histogram) and the latency quantiles. Memory is
 * {@code capacity × 4} doubles at most, whatever the number of pairs.
 *
 * <p>Which answers count: an answer is usable when it came with a 2xx status and carries an output
 * ({@link Answer#ok()}); with {@link OutputKind#SCORE} it must carry a score. Error rates are
 * unusable answers / pairs; agreement and the distributions use the pairs where both answers are usable.
 */
public final class BehaviourComparison {
    /** Pairs kept for the distributions and latency quantiles when the caller has no preference. */
    public static final int DEFAULT_CAPACITY = 100_000;
    /** The decision threshold on scores when the caller has no preference: a binary classifier's 0.5. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    /** Distinct labels counted one by one; more fall into {@link #OTHER}. */
    public static final int MAX_LABELS = 1000;
    public static final String OTHER = "(other)";
    /** Bins of the score histogram in {@link OutputDistribution}. */
    static final int HISTOGRAM_BINS = 10;
    /** Labels shown one by one in {@link OutputDistribution}. */
    static final int SHOWN_LABELS = 20;
    private static final long SEED = 20_261_207L;

    private final OutputKind configured;
    private final double threshold;
    private final Reservoir scores;
    private final Reservoir liveLatency;
    private final Reservoir candidateLatency;
    private final Map<String, Long> liveLabels = new HashMap<>();
    private final Map<String, Long> candidateLabels = new HashMap<>();
    private OutputKind kind;
    private long pairs;
    private long comparable;
    private long agreeing;
    private long liveErrors;
    private long candidateErrors;
    private double absDiffSum;
    private double absDiffComp;
    private double maxAbsDiff = Double.NaN;

    /** Output kind from the first pair both versions answered, threshold 0.5, {@link #DEFAULT_CAPACITY}. */
    public BehaviourComparison() {
        this(null, DEFAULT_THRESHOLD, DEFAULT_CAPACITY);
    }

    /**
     * @param kind how to compare outputs; null to take {@link OutputKind#SCORE} when the first pair both
     *        versions answered usably has a score on both sides, else {@link OutputKind#LABEL}
     * @param threshold with scores, the decision is {@code score >= threshold}; agreement compares decisions
     * @param capacity pairs kept for distributions and latency quantiles (≥ 1)
     */
    public BehaviourComparison(OutputKind kind, double threshold, int capacity) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("the decision threshold must be a finite number, was " + threshold);
        }
        this.configured = kind;
        this.kind = kind;
        this.threshold = threshold;
        this.scores = new Reservoir(capacity, 2, SEED);
        this.liveLatency = new Reservoir(capacity, 1, SEED + 1);
        this.candidateLatency = new Reservoir(capacity, 1, SEED + 2);
    }

    public void add(PairedAnswer pair) {
        pairs++;
        Answer live = pair.live();
        Answer candidate = pair.candidate();
        if (live.latencyMs() >= 0) {
            liveLatency.add(live.latencyMs());
        }
        if (candidate.latencyMs() >= 0) {
            candidateLatency.add(candidate.latencyMs());
        }
        if (kind == null && live.ok() && candidate.ok()) {
            kind = live.score() != null && candidate.score() != null ? OutputKind.SCORE : OutputKind.LABEL;
        }
        boolean liveOk = usable(live);
        boolean candidateOk = usable(candidate);
        liveErrors += liveOk ? 0 : 1;
        candidateErrors += candidateOk ? 0 : 1;
        if (!liveOk || !candidateOk) {
            return;
        }
        comparable++;
        if (kind == OutputKind.SCORE) {
            double a = live.score();
            double b = candidate.score();
            agreeing += (a >= threshold) == (b >= threshold) ? 1 : 0;
            double diff = Math.abs(a - b);
            double y = diff - absDiffComp;
            double s = absDiffSum + y;
            absDiffComp = (s - absDiffSum) - y;
            absDiffSum = s;
            maxAbsDiff = Double.isNaN(maxAbsDiff) ? diff : Math.max(maxAbsDiff, diff);
            scores.add(a, b);
        } else {
            String a = label(live);
            String b = label(candidate);
            agreeing += a.equals(b) ? 1 : 0;
            count(liveLabels, a);
            count(candidateLabels, b);
        }
    }

    /** The figures so far; the comparison may go on afterwards. */
    public BehaviourSummary summary() {
        Double agreement = comparable == 0 ? null : agreeing / (double) comparable;
        Double psi = null;
        Double ks = null;
        Double ksP = null;
        Double js = null;
        Double mean = null;
        Double max = null;
        OutputDistribution distribution = null;
        if (comparable > 0 && kind == OutputKind.SCORE) {
            double[] live = scores.column(0);
            double[] candidate = scores.column(1);
            double[] sortedLive = live.clone();
            java.util.Arrays.sort(sortedLive);
            double[] edges = DriftStatistics.psiBinEdges(sortedLive);
            long[] liveCounts = DriftStatistics.binCounts(edges, live);
            long[] candidateCounts = DriftStatistics.binCounts(edges, candidate);
            psi = DriftStatistics.psi(liveCounts, candidateCounts);
            js = DriftStatistics.jensenShannon(liveCounts, candidateCounts);
            var score = DriftStatistics.ks(live, candidate);
            ks = score.statistic();
            ksP = score.pValue();
            mean = absDiffSum / comparable;
            max = maxAbsDiff;
            distribution = histogram(live, candidate);
        } else if (comparable > 0) {
            psi = DriftStatistics.psi(liveLabels, candidateLabels);
            js = DriftStatistics.jensenShannon(liveLabels, candidateLabels);
            distribution = labelHistogram();
        }
        return new BehaviourSummary(pairs, comparable, scores.size() == comparable || kind != OutputKind.SCORE ? null
                : (long) scores.size(), kind, kind == OutputKind.SCORE ? threshold : null, agreement, psi, ks, ksP, js,
                mean, max, pairs == 0 ? null : liveErrors / (double) pairs,
                pairs == 0 ? null : candidateErrors / (double) pairs, quantile(liveLatency, 0.5), quantile(liveLatency, 0.99),
                quantile(candidateLatency, 0.5), quantile(candidateLatency, 0.99), distribution);
    }

    public long pairs() {
        return pairs;
    }

    private boolean usable(Answer answer) {
        if (!answer.ok()) {
            return false;
        }
        // before the kind is known (no pair answered by both yet), an answer with an output is usable
        return kind != OutputKind.SCORE || answer.score() != null;
    }

    /** The label of a usable answer: its label, else its score as text ({@code 1.0} reads {@code 1}). */
    public static String label(Answer answer) {
        if (answer.label() != null) {
            return answer.label();
        }
        double score = answer.score();
        if (score == Math.rint(score) && Math.abs(score) < 1e15) {
            return Long.toString((long) score);
        }
        return BigDecimal.valueOf(score).stripTrailingZeros().toPlainString();
    }

    private static void count(Map<String, Long> counts, String label) {
        String key = counts.containsKey(label) || counts.size() < MAX_LABELS ? label : OTHER;
        counts.merge(key, 1L, Long::sum);
    }

    /** {@code numpy.quantile(latencies, q)} (linear) over the sampled latencies; null when there are none. */
    private static Double quantile(Reservoir latencies, double q) {
        return latencies.size() == 0 ? null : DriftStatistics.quantile(latencies.sorted(0), q);
    }

    private static OutputDistribution histogram(double[] live, double[] candidate) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] values : new double[][] {live, candidate}) {
            for (double v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        int bins = hi > lo ? HISTOGRAM_BINS : 1;
        double width = (hi - lo) / bins;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            names.add(String.format(Locale.ROOT, "%.4g", lo + i * width));
        }
        return new OutputDistribution(OutputKind.SCORE, names, bin(live, lo, width, bins), bin(candidate, lo, width, bins));
    }

    private static List<Long> bin(double[] values, double lo, double width, int bins) {
        long[] counts = new long[bins];
        for (double v : values) {
            int i = bins == 1 ? 0 : (int) Math.min(bins - 1, Math.floor((v - lo) / width));
            counts[i]++;
        }
        List<Long> list = new ArrayList<>();
        for (long c : counts) {
            list.add(c);
        }
        return list;
    }

    private OutputDistribution labelHistogram() {
        Map<String, Long> total = new HashMap<>(liveLabels);
        candidateLabels.forEach((k, v) -> total.merge(k, v, Long::sum));
        List<String> labels = new ArrayList<>(total.keySet());
        labels.sort(Comparator.<String, Long>comparing(total::get).reversed().thenComparing(Comparator.naturalOrder()));
        Map<String, long[]> shown = new LinkedHashMap<>();
        for (String label : labels) {
            String key = shown.size() < SHOWN_LABELS || shown.containsKey(label) ? label : OTHER;
            long[] counts = shown.computeIfAbsent(key, k -> new long[2]);
            counts[0] += liveLabels.getOrDefault(label, 0L);
            counts[1] += candidateLabels.getOrDefault(label, 0L);
        }
        List<Long> live = new ArrayList<>();
        List<Long> candidate = new ArrayList<>();
        shown.values().forEach(c -> {
            live.add(c[0]);
            candidate.add(c[1]);
        });
        return new OutputDistribution(OutputKind.LABEL, new ArrayList<>(shown.keySet()), live, candidate);
    }
}
