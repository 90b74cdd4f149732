package io.jenkins.plugins.mlstages.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Seeded percentile bootstrap confidence intervals for any metric, plus fast resample kernels for the
 * binary metrics (ROC AUC, and accuracy/precision/recall/F1 at a threshold). {@link #intervals} takes
 * {@link ResampleKernel}s, which compute several metrics per pass ({@link MetricKernels} has one for every
 * metric evaluateModel reports).
 *
 * <p>Resampling: resample {@code r} (0-based) draws n row indices with replacement, uniformly
 * ({@link #index}), from the r-th generator split off {@code new SplittableRandom(seed)} ({@link #generators});
 * only the multiplicities are kept ({@link #draw}). The result depends on the seed
 * alone, not on the number of threads. The interval is the percentile interval: the
 * {@code (1 - level) / 2} and {@code 1 - (1 - level) / 2} quantiles of the resampled values, interpolated
 * linearly between order statistics as {@code numpy.quantile(..., method='linear')}.
 *
 * <p>This is not NumPy's generator, so intervals cannot equal a Python bootstrap's draw for draw; the tests
 * check determinism, that the interval holds the point estimate, and equality with a naive Java bootstrap
 * that copies each resample and recomputes the metric from scratch.
 */
public final class Bootstrap {
    /** Resamples used when the caller has no preference. */
    public static final int DEFAULT_RESAMPLES = 200;
    /**
     * The most resamples a request may ask for: every metric keeps one value per resample, and intervals
     * are stable long before this (a larger number is a typo, and 2e9 would exhaust the heap).
     */
    public static final int MAX_RESAMPLES = 10_000;
    /** Confidence level used when the caller has no preference. */
    public static final double DEFAULT_LEVEL = 0.95;
    /** Indices drawn (or counts gathered) per block in the inner loops. */
    private static final int BLOCK = 2048;

    private Bootstrap() {
    }

    /** {@link #ci(int, ResampleMetric, int, double, long, int)} on all available processors. */
    public static ConfidenceInterval ci(int n, ResampleMetric metric, int resamples, double level, long seed) {
        return ci(n, metric, resamples, level, seed, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The percentile bootstrap interval of {@code metric} over {@code n} rows.
     *
     * @param n rows (at least 1)
     * @param metric the metric of a resample, given as multiplicities
     * @param resamples resamples to draw (at least 1)
     * @param level confidence level, strictly between 0 and 1
     * @param seed seed of the resampling
     * @param threads worker threads (at least 1; more than {@code resamples} are not started)
     */
    public static ConfidenceInterval ci(int n, ResampleMetric metric, int resamples, double level, long seed,
            int threads) {
        EvalInputs.notNull(metric, "metric");
        return cis(n, new ResampleMetric[] {metric}, resamples, level, seed, threads)[0];
    }

    /**
     * Intervals of several metrics from the same resamples (one draw per resample serves every metric): the
     * cheap way to get, say, AUC and F1 together, and the way to bootstrap a difference between two models
     * on the same rows (a metric returning {@code candidate.apply(counts) - champion.apply(counts)}).
     * {@code cis(...)[m]} equals {@code ci(n, metrics[m], ...)} for the same seed.
     */
    public static ConfidenceInterval[] cis(int n, ResampleMetric[] metrics, int resamples, double level, long seed,
            int threads) {
        if (n < 1) {
            throw new IllegalArgumentException("no rows to resample (n = " + n + ")");
        }
        EvalInputs.notNull(metrics, "metrics");
        for (int m = 0; m < metrics.length; m++) {
            EvalInputs.notNull(metrics[m], "metric " + m);
        }
        validate(n, resamples, level, threads);
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        double[][] values = resampledValues(n, metrics, resamples, seed, threads);
        ConfidenceInterval[] intervals = new ConfidenceInterval[metrics.length];
        for (int m = 0; m < metrics.length; m++) {
            intervals[m] = interval(metrics[m].apply(ones), values[m], level, seed);
        }
        return intervals;
    }

    /** The metric on each of {@code resamples} resamples, in resample order (deterministic for a seed). */
    public static double[] resampledValues(int n, ResampleMetric metric, int resamples, long seed, int threads) {
        return resampledValues(n, new ResampleMetric[] {metric}, resamples, seed, threads)[0];
    }

    /** {@code values[m][r]}: metric {@code m} on resample {@code r}. */
    static double[][] resampledValues(int n, ResampleMetric[] metrics, int resamples, long seed, int threads) {
        List<ResampleKernel> kernels = new ArrayList<>();
        for (int m = 0; m < metrics.length; m++) {
            kernels.add(ResampleKernel.of(String.valueOf(m), metrics[m]));
        }
        return resampledValues(n, kernels, resamples, seed, threads);
    }

    /**
     * Intervals of every metric of {@code kernels}, by name, from the same resamples (the same draws as
     * {@link #cis} for the same seed). Memory: one {@code int[n]} of counts per thread plus what the kernels
     * hold, and one value per metric and resample; time: one call of each kernel per resample.
     */
    public static Map<String, ConfidenceInterval> intervals(int n, List<ResampleKernel> kernels, int resamples,
            double level, long seed, int threads) {
        EvalInputs.notNull(kernels, "kernels");
        validate(n, resamples, level, threads);
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        double[][] values = resampledValues(n, kernels, resamples, seed, threads);
        Map<String, ConfidenceInterval> intervals = new LinkedHashMap<>();
        int m = 0;
        for (ResampleKernel kernel : kernels) {
            double[] estimates = new double[kernel.names().size()];
            kernel.apply(ones, estimates);
            for (int j = 0; j < estimates.length; j++, m++) {
                intervals.put(kernel.names().get(j), interval(estimates[j], values[m], level, seed));
            }
        }
        return intervals;
    }

    private static void validate(int n, int resamples, double level, int threads) {
        if (n < 1) {
            throw new IllegalArgumentException("no rows to resample (n = " + n + ")");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples is " + resamples + ": need at least 1");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level is " + level + ": must be strictly between 0 and 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ": need at least 1");
        }
    }

    /** {@code values[m][r]}: metric {@code m} (numbered across the kernels, in order) on resample {@code r}. */
    static double[][] resampledValues(int n, List<ResampleKernel> kernels, int resamples, long seed, int threads) {
        int total = 0;
        for (ResampleKernel kernel : kernels) {
            total += kernel.names().size();
        }
        int metricCount = total;
        SplittableRandom[] generators = generators(seed, resamples);
        double[][] values = new double[metricCount][resamples];
        int workers = Math.max(1, Math.min(threads, resamples));
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work = () -> {
            try {
                int[] counts = new int[n];
                double[][] out = new double[kernels.size()][];
                for (int k = 0; k < out.length; k++) {
                    out[k] = new double[kernels.get(k).names().size()];
                }
                for (int r = next.getAndIncrement(); r < resamples && failure.get() == null;
                        r = next.getAndIncrement()) {
                    draw(generators[r], counts);
                    int m = 0;
                    for (int k = 0; k < out.length; k++) {
                        kernels.get(k).apply(counts, out[k]);
                        for (double v : out[k]) {
                            values[m++][r] = v;
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
        };
        if (workers == 1) {
            work.run();
        } else {
            Thread[] pool = new Thread[workers - 1];
            for (int t = 0; t < pool.length; t++) {
                pool[t] = new Thread(work, "bootstrap-" + t);
                pool[t].setDaemon(true);
                pool[t].start();
            }
            work.run();
            for (Thread thread : pool) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                    next.set(resamples);
                }
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        } else if (t != null) {
            throw new IllegalStateException("bootstrap interrupted", t);
        }
        return values;
    }

    /** The generators of resamples {@code 0 .. resamples-1}: successive {@code split()}s of {@code new SplittableRandom(seed)}. */
    public static SplittableRandom[] generators(long seed, int resamples) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] generators = new SplittableRandom[resamples];
        for (int r = 0; r < resamples; r++) {
            generators[r] = root.split();
        }
        return generators;
    }

    /**
     * One resample: zeroes {@code counts}, then draws {@code counts.length} row indices with
     * {@link #index(SplittableRandom, int)} and counts them. (The indices are drawn in blocks and counted
     * after each block, which lets the increments overlap in memory; the sequence is the same.)
     */
    public static void draw(SplittableRandom rnd, int[] counts) {
        int n = counts.length;
        Arrays.fill(counts, 0);
        int[] block = new int[Math.min(n, BLOCK)];
        for (int done = 0; done < n; done += block.length) {
            int m = Math.min(block.length, n - done);
            for (int j = 0; j < m; j++) {
                block[j] = index(rnd, n);
            }
            for (int j = 0; j < m; j++) {
                counts[block[j]]++;
            }
        }
    }

    /**
     * A uniform index in {@code [0, n)}: Lemire's multiply-shift on {@code rnd.nextInt()} taken as unsigned
     * ({@code (u * n) >>> 32}), redrawing when the low half of the product is below {@code 2^32 mod n}, which
     * makes it exactly uniform without a division in the common case.
     */
    public static int index(SplittableRandom rnd, int n) {
        long m = (rnd.nextInt() & 0xffffffffL) * n;
        long low = m & 0xffffffffL;
        if (low < n) {
            long t = (0x100000000L - n) % n;
            while (low < t) {
                m = (rnd.nextInt() & 0xffffffffL) * n;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /** The row indices of a resample, ascending with repeats (to copy arrays for a metric without a kernel). */
    public static int[] indices(int[] counts) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        int[] indices = new int[Math.toIntExact(total)];
        int k = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int c = counts[i]; c > 0; c--) {
                indices[k++] = i;
            }
        }
        return indices;
    }

    /** The interval from resampled values (NaN values are counted as undefined and left out). */
    static ConfidenceInterval interval(double estimate, double[] values, double level, long seed) {
        double[] valid = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int undefined = values.length - valid.length;
        double alpha = (1 - level) / 2;
        double lower = valid.length == 0 ? Double.NaN : quantile(valid, alpha);
        double upper = valid.length == 0 ? Double.NaN : quantile(valid, 1 - alpha);
        return new ConfidenceInterval(estimate, lower, upper, level, values.length, undefined, seed);
    }

    /**
     * {@code numpy.quantile(sorted, q, method='linear')} of ascending values: virtual index {@code (m - 1) q},
     * interpolated with NumPy's {@code _lerp} ({@code b - (b - a)(1 - t)} when {@code t >= 0.5}).
     */
    static double quantile(double[] sorted, double q) {
        int m = sorted.length;
        double h = (m - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= m - 1) {
            return sorted[m - 1];
        }
        if (lo < 0) {
            return sorted[0];
        }
        double t = h - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    // ------------------------------------------------------------------------------------------------
    // Kernels

    /**
     * ROC AUC of a resample ({@link BinaryMetrics#rocAuc} of the resampled rows) without re-sorting: the
     * rows are sorted once (radix index sort), and a resample only re-weights the sorted order, so each
     * evaluation is one pass gathering the counts in score order: {@code sum_g wn_g (2 P_before + wp_g) /
     * (2 P N)} over tie groups {@code g}, exact in integers. NaN when the resample holds one class only.
     */
    public static ResampleMetric rocAuc(int[] labels, double[] scores) {
        BinaryMetrics.check(labels, scores);
        return new WeightedAuc(labels, scores);
    }

    /**
     * A threshold metric of a resample ({@code metric} applied to the weighted confusion matrix at
     * {@code threshold}, e.g. {@code ConfusionCounts::f1}), one sequential pass per resample.
     */
    public static ResampleMetric atThreshold(int[] labels, double[] scores, double threshold,
            ToDoubleFunction<ConfusionCounts> metric) {
        BinaryMetrics.check(labels, scores);
        EvalInputs.threshold(threshold);
        EvalInputs.notNull(metric, "metric");
        byte[] cell = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            cell[i] = (byte) (labels[i] * 2 + (scores[i] >= threshold ? 1 : 0));
        }
        return counts -> metric.applyAsDouble(ConfusionCounts.weighted(cell, counts));
    }

    /** See {@link #rocAuc(int[], double[])}. */
    static final class WeightedAuc implements ResampleMetric {
        private static final int POSITIVE = 1;
        private static final int LAST_OF_GROUP = 2;
        /** Row indices in descending score order. */
        private final int[] order;
        /** Per sorted position: {@link #POSITIVE} when the row is positive, {@link #LAST_OF_GROUP} at the end of a tie group. */
        private final byte[] flags;

        WeightedAuc(int[] labels, double[] scores) {
            RadixArgsort.Sorted sorted = RadixArgsort.descending(scores);
            int n = labels.length;
            order = sorted.index();
            long[] keys = sorted.keys();
            flags = new byte[n];
            for (int k = 0; k < n; k++) {
                boolean last = k == n - 1 || keys[k + 1] != keys[k];
                flags[k] = (byte) (labels[order[k]] * POSITIVE + (last ? LAST_OF_GROUP : 0));
            }
        }

        @Override
        public double apply(int[] counts) {
            return pass(counts, null);
        }

        /**
         * One pass over the sorted rows: returns the ROC AUC and, when {@code ap} is given, stores the average
         * precision in {@code ap[0]} ({@code sum_g (wp_g / P) * TP_g / (TP_g + FP_g)} over tie groups in
         * descending score order, as {@code average_precision_score} of the resampled rows; 0.0 without
         * positives, as scikit-learn).
         */
        double pass(int[] counts, double[] ap) {
            int n = order.length;
            int[] block = new int[Math.min(n, BLOCK)];
            long before = 0;
            long negatives = 0;
            long twiceArea = 0;
            long wp = 0;
            long wn = 0;
            boolean precision = ap != null;
            double apSum = 0;
            for (int start = 0; start < n; start += block.length) {
                int m = Math.min(block.length, n - start);
                // gather first: a loop of independent loads keeps many cache misses in flight
                for (int j = 0; j < m; j++) {
                    block[j] = counts[order[start + j]];
                }
                for (int j = 0; j < m; j++) {
                    long c = block[j];
                    int f = flags[start + j];
                    long cp = c & -(f & POSITIVE);
                    wp += cp;
                    wn += c - cp;
                    if ((f & LAST_OF_GROUP) != 0) {
                        twiceArea += wn * (2 * before + wp);
                        before += wp;
                        negatives += wn;
                        if (precision && wp != 0) {
                            apSum += wp * ((double) before / (before + negatives));
                        }
                        wp = 0;
                        wn = 0;
                    }
                }
            }
            if (precision) {
                ap[0] = before == 0 ? 0.0 : Math.max(0.0, apSum / before);
            }
            if (before == 0 || negatives == 0) {
                return Double.NaN;
            }
            return twiceArea / (2.0 * before * (double) negatives);
        }
    }
}
