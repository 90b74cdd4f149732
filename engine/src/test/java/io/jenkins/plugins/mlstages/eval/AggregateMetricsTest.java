package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.Test;

/**
 * The metrics from aggregates, as a table source gives them (TableEvaluate), equal the metrics from the rows: the
 * scores grouped by value with their class counts, the sums of the per-row terms and the calibration bins.
 */
public class AggregateMetricsTest {

    @Test
    public void binaryMetricsFromGroupsAndSumsEqualTheRows() {
        Random random = new Random(7);
        int n = 5_000;
        int[] labels = new int[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = Math.round(random.nextDouble() * 200) / 200.0; // ties, as stored scores have
            labels[i] = random.nextDouble() < 0.2 + 0.6 * scores[i] ? 1 : 0;
        }
        scores[3] = -0.0; // one threshold with 0.0, as NumPy's
        double threshold = 0.35;
        BinaryMetrics.Result rows = BinaryMetrics.evaluate(labels, scores, threshold);

        TreeMap<Double, long[]> groups = new TreeMap<>(java.util.Comparator.reverseOrder());
        double logLoss = 0;
        double brier = 0;
        double[] edges = BinaryMetrics.calibrationBinEdges();
        long[] binCounts = new long[edges.length - 1];
        double[] binScores = new double[edges.length - 1];
        double[] binLabels = new double[edges.length - 1];
        long tn = 0, fp = 0, fn = 0, tp = 0;
        for (int i = 0; i < n; i++) {
            double s = scores[i] + 0.0;
            int y = labels[i];
            groups.computeIfAbsent(s, k -> new long[2])[y == 1 ? 0 : 1]++;
            logLoss += -Math.log(BinaryMetrics.clip(y == 1 ? s : 1 - s));
            brier += ((1 - y) - (1 - s)) * ((1 - y) - (1 - s)) + (y - s) * (y - s);
            int b = BinaryMetrics.calibrationBin(s, edges);
            binCounts[b]++;
            binScores[b] += s;
            binLabels[b] += y;
            if (s >= threshold) {
                if (y == 1) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (y == 1) {
                fn++;
            } else {
                tn++;
            }
        }
        double[] descending = new double[groups.size()];
        long[] positives = new long[groups.size()];
        long[] negatives = new long[groups.size()];
        int g = 0;
        for (Map.Entry<Double, long[]> e : groups.entrySet()) {
            descending[g] = e.getKey();
            positives[g] = e.getValue()[0];
            negatives[g] = e.getValue()[1];
            g++;
        }
        BinaryMetrics.Result aggregates = BinaryMetrics.fromAggregates(descending, positives, negatives,
                new ConfusionCounts(tn, fp, fn, tp), threshold,
                new BinaryMetrics.ProbabilitySums(logLoss, brier, binCounts, binScores, binLabels));

        assertEquals(rows.counts(), aggregates.counts());
        assertEquals(rows.rocAuc(), aggregates.rocAuc(), 0);
        assertEquals(rows.precisionRecallAuc(), aggregates.precisionRecallAuc(), 1e-15);
        assertEquals(rows.logLoss(), aggregates.logLoss(), 1e-12);
        assertEquals(rows.brierScore(), aggregates.brierScore(), 1e-12);
        assertEquals(rows.expectedCalibrationError(), aggregates.expectedCalibrationError(), 1e-12);
        assertArrayEquals(rows.calibration().probTrue(), aggregates.calibration().probTrue(), 1e-12);
        assertArrayEquals(rows.roc().x(), aggregates.roc().x(), 0);
        assertArrayEquals(rows.roc().y(), aggregates.roc().y(), 0);
        assertArrayEquals(rows.precisionRecall().y(), aggregates.precisionRecall().y(), 0);
        assertEquals(rows.bestF1().threshold(), aggregates.bestF1().threshold(), 0);
        assertEquals(rows.bestAccuracy().threshold(), aggregates.bestAccuracy().threshold(), 0);
    }

    @Test
    public void theRocAucOfBillionsOfRowsDoesNotOverflow() {
        // 8e9 rows, as a warehouse table holds: twice the area, 2.4e19, is past a long
        long b = 1_000_000_000L;
        BinaryMetrics.Result r = BinaryMetrics.fromAggregates(new double[] {0.9, 0.1}, new long[] {3 * b, b},
                new long[] {b, 3 * b}, new ConfusionCounts(3 * b, b, b, 3 * b), 0.5, null);
        // pairs ranked right 3e9·3e9, tied 3e9·1e9 + 1e9·3e9 counting one half, over 4e9·4e9
        assertEquals(0.75, r.rocAuc(), 1e-15);
    }

    @Test
    public void groupsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.fromAggregates(new double[] {0.2, 0.5},
                new long[] {1, 1}, new long[] {1, 1}, new ConfusionCounts(1, 1, 1, 1), 0.5, null));
    }

    @Test
    public void regressionMetricsFromSumsEqualTheRows() {
        Random random = new Random(11);
        int n = 3_000;
        double[] t = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = random.nextGaussian() * 3 + 10;
            p[i] = t[i] + random.nextGaussian();
        }
        t[5] = 0; // MAPE's floor
        RegressionMetrics.Result rows = RegressionMetrics.evaluate(t, p);
        double abs = 0, sq = 0, pct = 0, max = 0, sum = 0, err = 0;
        for (int i = 0; i < n; i++) {
            double d = t[i] - p[i];
            abs += Math.abs(d);
            sq += d * d;
            pct += Math.abs(d) / Math.max(Math.abs(t[i]), RegressionMetrics.percentageErrorFloor());
            max = Math.max(max, Math.abs(d));
            sum += t[i];
            err += d;
        }
        double meanT = sum / n;
        double meanE = err / n;
        double devT = 0, devE = 0;
        for (int i = 0; i < n; i++) {
            devT += (t[i] - meanT) * (t[i] - meanT);
            devE += (t[i] - p[i] - meanE) * (t[i] - p[i] - meanE);
        }
        RegressionMetrics.Result sums = RegressionMetrics.fromSums(n, abs, sq, pct, max, sum, devT, devE);
        assertEquals(rows.exampleCount(), sums.exampleCount());
        assertEquals(rows.meanAbsoluteError(), sums.meanAbsoluteError(), 1e-12);
        assertEquals(rows.meanSquaredError(), sums.meanSquaredError(), 1e-12);
        assertEquals(rows.rootMeanSquaredError(), sums.rootMeanSquaredError(), 1e-12);
        assertEquals(rows.r2(), sums.r2(), 1e-12);
        assertEquals(rows.meanAbsolutePercentageError() / 1e15, sums.meanAbsolutePercentageError() / 1e15, 1e-12);
        assertEquals(rows.maxError(), sums.maxError(), 0);
        assertEquals(rows.explainedVariance(), sums.explainedVariance(), 1e-12);
        assertEquals(rows.sumOnTarget(), sums.sumOnTarget(), 1e-9);
        // perfect predictions: R² and explained variance exactly 1, as scikit-learn's force_finite
        assertEquals(1.0, RegressionMetrics.fromSums(3, 0, 0, 0, 0, 6, 2, 0).r2(), 0);
        assertEquals(1.0, RegressionMetrics.fromSums(3, 0, 0, 0, 0, 6, 2, 0).explainedVariance(), 0);
    }
}
