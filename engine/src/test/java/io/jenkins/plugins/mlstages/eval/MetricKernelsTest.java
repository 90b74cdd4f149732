package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.Test;

/**
 * Each bootstrap kernel, on resamples drawn as the stage draws them, equals the metric functions of
 * {@link BinaryMetrics}, {@link MulticlassMetrics} and {@link RegressionMetrics} on the resampled rows copied
 * out (the naive bootstrap), and on all rows (every count 1) equals the metric itself. (BootstrapOracleIT
 * checks the same against scikit-learn.)
 */
public class MetricKernelsTest {
    private static final int N = 300;
    private static final int RESAMPLES = 25;

    private static void close(String what, double expected, double actual) {
        if (Double.isNaN(expected)) {
            assertTrue(what + " is " + actual + ", expected NaN", Double.isNaN(actual));
        } else {
            assertEquals(what, expected, actual, 1e-12 * Math.max(1, Math.abs(expected)));
        }
    }

    /** The counts of every resample, the first all ones (the estimate). */
    private static int[][] resamples() {
        int[][] all = new int[RESAMPLES + 1][N];
        java.util.Arrays.fill(all[0], 1);
        SplittableRandom[] generators = Bootstrap.generators(3, RESAMPLES);
        for (int r = 0; r < RESAMPLES; r++) {
            Bootstrap.draw(generators[r], all[r + 1]);
        }
        return all;
    }

    private static double[] run(ResampleKernel kernel, int[] counts) {
        double[] out = new double[kernel.names().size()];
        kernel.apply(counts, out);
        return out;
    }

    @Test
    public void binaryKernelsEqualTheMetricsOnTheResampledRows() {
        SplittableRandom rnd = new SplittableRandom(1);
        int[] labels = new int[N];
        double[] scores = new double[N];
        int[] predicted = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = rnd.nextDouble() < 0.35 ? 1 : 0;
            scores[i] = Math.min(1, Math.max(0, Math.round((0.4 + 0.2 * labels[i] + 0.3 * rnd.nextGaussian()) * 20) / 20.0));
            predicted[i] = scores[i] >= 0.5 ? 1 : 0;
        }
        ResampleKernel ranking = MetricKernels.binaryRanking(labels, scores);
        ResampleKernel rows = MetricKernels.binaryRows(labels, predicted, scores);
        assertEquals(List.of("roc_auc", "precision_recall_auc"), ranking.names());
        for (int[] counts : resamples()) {
            int[] idx = Bootstrap.indices(counts);
            int[] y = new int[idx.length];
            double[] s = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                y[j] = labels[idx[j]];
                s[j] = scores[idx[j]];
            }
            BinaryMetrics.Result r = BinaryMetrics.evaluate(y, s, 0.5);
            double[] a = run(ranking, counts);
            close("roc_auc", r.rocAuc(), a[0]);
            close("precision_recall_auc", r.precisionRecallAuc(), a[1]);
            double[] b = run(rows, counts);
            double[] expected = {r.accuracy(), r.precision(), r.recall(), r.f1(), r.counts().tn(), r.counts().fp(),
                r.counts().fn(), r.counts().tp(), r.counts().positives(), r.counts().negatives(), r.logLoss(),
                r.brierScore(), r.expectedCalibrationError()};
            for (int m = 0; m < expected.length; m++) {
                close(rows.names().get(m), expected[m], b[m]);
            }
        }
    }

    @Test
    public void multiclassKernelsEqualTheMetricsOnTheResampledRows() {
        SplittableRandom rnd = new SplittableRandom(2);
        int k = 4;
        int[] labels = new int[N];
        double[][] probabilities = new double[N][k];
        for (int i = 0; i < N; i++) {
            // class 3 is rare, so some resamples lack it: the macro AUC is NaN there, the weighted one is not
            labels[i] = i % 150 == 0 ? 3 : rnd.nextInt(3);
            double sum = 0;
            for (int c = 0; c < k; c++) {
                probabilities[i][c] = Math.exp(rnd.nextGaussian() + (c == labels[i] ? 1 : 0));
                sum += probabilities[i][c];
            }
            for (int c = 0; c < k; c++) {
                probabilities[i][c] /= sum;
            }
        }
        int[] predicted = MulticlassMetrics.argmax(probabilities);
        ResampleKernel rows = MetricKernels.multiclassRows(labels, predicted, k, probabilities);
        ResampleKernel auc = MetricKernels.multiclassAuc(labels, probabilities, k);
        for (int[] counts : resamples()) {
            int[] idx = Bootstrap.indices(counts);
            int[] y = new int[idx.length];
            double[][] p = new double[idx.length][];
            for (int j = 0; j < idx.length; j++) {
                y[j] = labels[idx[j]];
                p[j] = probabilities[idx[j]];
            }
            MulticlassMetrics.Result r = MulticlassMetrics.evaluate(y, p);
            double[] expected = {r.accuracy(), r.precisionWeighted(), r.recallWeighted(), r.f1Weighted(),
                r.precisionMacro(), r.precisionMicro(), r.recallMacro(), r.recallMicro(), r.f1Macro(), r.f1Micro(),
                r.logLoss()};
            double[] a = run(rows, counts);
            for (int m = 0; m < expected.length; m++) {
                close(rows.names().get(m), expected[m], a[m]);
            }
            double[] b = run(auc, counts);
            close("roc_auc", r.rocAucWeighted(), b[0]);
            close("roc_auc_macro", r.rocAucMacro(), b[1]);
            close("roc_auc_weighted", r.rocAucWeighted(), b[2]);
        }
    }

    @Test
    public void regressionKernelEqualsTheMetricsOnTheResampledRows() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] truth = new double[N];
        double[] predicted = new double[N];
        for (int i = 0; i < N; i++) {
            truth[i] = i % 50 == 0 ? 0.0 : rnd.nextGaussian() * 10; // zeros exercise MAPE's epsilon
            predicted[i] = truth[i] + rnd.nextGaussian() * 3;
        }
        ResampleKernel kernel = MetricKernels.regression(truth, predicted);
        for (int[] counts : resamples()) {
            int[] idx = Bootstrap.indices(counts);
            double[] t = new double[idx.length];
            double[] p = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                t[j] = truth[idx[j]];
                p[j] = predicted[idx[j]];
            }
            RegressionMetrics.Result r = RegressionMetrics.evaluate(t, p);
            double[] expected = {r.meanAbsoluteError(), r.meanSquaredError(), r.rootMeanSquaredError(), r.r2(),
                r.meanAbsolutePercentageError(), r.maxError(), r.explainedVariance(), r.sumOnTarget(), r.meanOnTarget()};
            double[] a = run(kernel, counts);
            for (int m = 0; m < expected.length; m++) {
                close(kernel.names().get(m), expected[m], a[m]);
            }
        }
    }

    @Test
    public void fairnessKernelEqualsFairnessOnTheResampledRows() {
        SplittableRandom rnd = new SplittableRandom(4);
        int[] labels = new int[N];
        int[] predicted = new int[N];
        String[] groups = new String[N];
        for (int i = 0; i < N; i++) {
            labels[i] = rnd.nextDouble() < 0.4 ? 1 : 0;
            predicted[i] = rnd.nextDouble() < 0.7 ? labels[i] : 1 - labels[i];
            groups[i] = i % 150 == 0 ? "rare" : rnd.nextBoolean() ? "a" : "b"; // "rare" is missing from some resamples
        }
        ResampleKernel kernel = MetricKernels.fairness(labels, predicted, groups);
        for (int[] counts : resamples()) {
            int[] idx = Bootstrap.indices(counts);
            int[] y = new int[idx.length];
            int[] p = new int[idx.length];
            String[] g = new String[idx.length];
            for (int j = 0; j < idx.length; j++) {
                y[j] = labels[idx[j]];
                p[j] = predicted[idx[j]];
                g[j] = groups[idx[j]];
            }
            Fairness.Report r = Fairness.evaluate(y, p, g, Fairness.Method.BETWEEN_GROUPS);
            double[] expected = {r.demographicParityDifference(), r.demographicParityRatio(), r.equalizedOddsDifference(),
                r.equalizedOddsRatio(), r.equalOpportunityDifference()};
            double[] a = run(kernel, counts);
            for (int m = 0; m < expected.length; m++) {
                close(kernel.names().get(m), expected[m], a[m]);
            }
        }
    }

    @Test
    public void aDifferenceKernelIsCandidateMinusChampionAndNeedsTheSameMetrics() {
        double[] truth = {1, 2, 3, 4, 5};
        ResampleKernel candidate = MetricKernels.regression(truth, new double[] {1, 2, 3, 4, 6});
        ResampleKernel champion = MetricKernels.regression(truth, new double[] {2, 2, 3, 4, 6});
        int[] counts = {2, 0, 1, 1, 1};
        double[] difference = run(MetricKernels.difference(candidate, champion), counts);
        double[] mine = run(candidate, counts);
        double[] theirs = run(champion, counts);
        for (int m = 0; m < difference.length; m++) {
            assertEquals(mine[m] - theirs[m], difference[m], 0);
        }
        assertEquals(-0.4, difference[0], 1e-15); // MAE 0.2 - 0.6
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricKernels.difference(candidate, MetricKernels.binaryRanking(new int[] {0, 1}, new double[] {0.1, 0.9})));
        assertTrue(e.getMessage(), e.getMessage().startsWith("kernels of different metrics"));
    }
}
