package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Hand-checked values (most from scikit-learn's own docstring examples) and the degenerate cases. */
public class BinaryMetricsTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;
    /** sklearn docstring example for roc_curve / average_precision_score / precision_recall_curve. */
    private static final int[] Y = {0, 0, 1, 1};
    private static final double[] S = {0.1, 0.4, 0.35, 0.8};

    @Test
    public void rocAucOfTheDocstringExample() {
        assertEquals(0.75, BinaryMetrics.rocAuc(Y, S), 0.0);
    }

    @Test
    public void rocCurveOfTheDocstringExample() {
        Curve roc = BinaryMetrics.rocCurve(Y, S);
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.x(), 0.0);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.y(), 0.0);
        assertArrayEquals(new double[] {INF, 0.8, 0.4, 0.35, 0.1}, roc.thresholds(), 0.0);
    }

    @Test
    public void precisionRecallCurveOfTheDocstringExample() {
        Curve pr = BinaryMetrics.precisionRecallCurve(Y, S);
        assertArrayEquals(new double[] {0.5, 2.0 / 3, 0.5, 1, 1}, pr.y(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5, 0.5, 0}, pr.x(), 0.0);
        assertArrayEquals(new double[] {0.1, 0.35, 0.4, 0.8, NAN}, pr.thresholds(), 0.0);
    }

    @Test
    public void averagePrecisionOfTheDocstringExample() {
        assertEquals(0.8333333333333333, BinaryMetrics.averagePrecision(Y, S), 1e-15);
        assertEquals(BinaryMetrics.averagePrecision(Y, S), BinaryMetrics.precisionRecallAuc(Y, S), 0.0);
        // trapezoid over (1,.5) (1,2/3) (.5,.5) (.5,1) (0,1): 0 + .5*(2/3+.5)/2 + 0 + .5*(1+1)/2
        assertEquals(0.5 * (2.0 / 3 + 0.5) / 2 + 0.5, BinaryMetrics.precisionRecallTrapezoidAuc(Y, S), 1e-15);
    }

    @Test
    public void tiedScoresCountOneHalf() {
        assertEquals(0.5, BinaryMetrics.rocAuc(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.5, 0.5}), 0.0);
        // one positive above all, one tied with one negative: (1 + 0.5 * ... ) pairs: (p1>n1,p1>n2,p2=n1 .5,p2>n2)
        assertEquals(3.5 / 4, BinaryMetrics.rocAuc(new int[] {1, 1, 0, 0}, new double[] {0.9, 0.5, 0.5, 0.1}), 0.0);
        // -0.0 and 0.0 are one threshold
        assertEquals(0.5, BinaryMetrics.rocAuc(new int[] {1, 0}, new double[] {-0.0, 0.0}), 0.0);
        assertEquals(2, BinaryMetrics.rocCurve(new int[] {1, 0}, new double[] {-0.0, 0.0}).size());
    }

    @Test
    public void perfectAndReversedSeparation() {
        int[] y = {0, 0, 1, 1};
        assertEquals(1.0, BinaryMetrics.rocAuc(y, new double[] {0.1, 0.2, 0.8, 0.9}), 0.0);
        assertEquals(0.0, BinaryMetrics.rocAuc(y, new double[] {0.9, 0.8, 0.2, 0.1}), 0.0);
        assertEquals(1.0, BinaryMetrics.averagePrecision(y, new double[] {0.1, 0.2, 0.8, 0.9}), 0.0);
    }

    @Test
    public void oneClassOnlyGivesNaNAucNotAnError() {
        double[] s = {0.1, 0.5, 0.7};
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(new int[] {0, 0, 0}, s)));
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(new int[] {1, 1, 1}, s)));
        // sklearn: average precision 0.0 without positives, 1.0 with positives only; PR trapezoid 0.5
        assertEquals(0.0, BinaryMetrics.averagePrecision(new int[] {0, 0, 0}, s), 0.0);
        assertEquals(1.0, BinaryMetrics.averagePrecision(new int[] {1, 1, 1}, s), 0.0);
        assertEquals(0.5, BinaryMetrics.precisionRecallTrapezoidAuc(new int[] {0, 0, 0}, s), 0.0);
        Curve roc = BinaryMetrics.rocCurve(new int[] {0, 0, 0}, s);
        for (double tpr : roc.y()) {
            assertTrue(Double.isNaN(tpr));
        }
        BinaryMetrics.Result r = BinaryMetrics.evaluate(new int[] {0, 0, 0}, s, 0.5);
        assertTrue(Double.isNaN(r.rocAuc()));
        assertEquals(0, r.positives());
        assertEquals(3, r.negatives());
        assertEquals(0.0, r.recall(), 0.0);
    }

    @Test
    public void thresholdIsInclusive() {
        ConfusionCounts c = BinaryMetrics.confusion(new int[] {1, 0, 1, 0}, new double[] {0.5, 0.5, 0.49, 0.1}, 0.5);
        assertEquals(new ConfusionCounts(1, 1, 1, 1), c);
        assertEquals(0.5, c.accuracy(), 0.0);
        assertEquals(0.5, c.precision(), 0.0);
        assertEquals(0.5, c.recall(), 0.0);
        assertEquals(0.5, c.f1(), 0.0);
    }

    @Test
    public void zeroPredictedPositivesGiveZeroPrecisionAndF1() {
        int[] y = {1, 0, 1};
        double[] s = {0.2, 0.1, 0.3};
        assertEquals(0.0, BinaryMetrics.precision(y, s, 0.5), 0.0);
        assertEquals(0.0, BinaryMetrics.recall(y, s, 0.5), 0.0);
        assertEquals(0.0, BinaryMetrics.f1(y, s, 0.5), 0.0);
        assertEquals(1.0 / 3, BinaryMetrics.accuracy(y, s, 0.5), 0.0);
        // nothing to find and nothing predicted: 0/0 everywhere is 0.0
        ConfusionCounts none = BinaryMetrics.confusion(new int[] {0, 0}, new double[] {0.1, 0.2}, 0.5);
        assertEquals(0.0, none.precision(), 0.0);
        assertEquals(0.0, none.f1(), 0.0);
        assertEquals(1.0, none.accuracy(), 0.0);
    }

    @Test
    public void allEqualScores() {
        int[] y = {0, 1, 1, 0, 0};
        double[] s = {0.5, 0.5, 0.5, 0.5, 0.5};
        BinaryMetrics.Result r = BinaryMetrics.evaluate(y, s, 0.5);
        assertEquals(0.5, r.rocAuc(), 0.0);
        assertEquals(0.4, r.precisionRecallAuc(), 1e-15); // one threshold: recall 1 at precision 2/5
        assertEquals(2, r.roc().size());
        assertEquals(0.4, r.precision(), 1e-15);
        assertEquals(0.5, r.bestF1().threshold(), 0.0);
    }

    @Test
    public void brierScoreOfTheDocstringExample() {
        assertEquals(0.0375, BinaryMetrics.brierScore(new int[] {0, 1, 1, 0}, new double[] {0.1, 0.9, 0.8, 0.3}), 1e-15);
    }

    @Test
    public void logLossAndItsClipping() {
        double expected = -(Math.log(0.8) + Math.log(0.7)) / 2;
        assertEquals(expected, BinaryMetrics.logLoss(new int[] {0, 1}, new double[] {0.2, 0.7}), 1e-15);
        // p = 0 for a positive is clipped to eps = 2.22e-16 (sklearn 1.9: float64 machine epsilon, not 1e-15)
        assertEquals(-Math.log(Math.ulp(1.0)), BinaryMetrics.logLoss(new int[] {1}, new double[] {0.0}), 1e-12);
        assertEquals(36.04365338911715, BinaryMetrics.logLoss(new int[] {0}, new double[] {1.0}), 1e-9);
        assertEquals(-Math.log(1 - Math.ulp(1.0)), BinaryMetrics.logLoss(new int[] {1}, new double[] {1.0}), 0.0);
    }

    @Test
    public void probabilityMetricsRejectScoresOutsideZeroOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.logLoss(new int[] {0, 1}, new double[] {0.5, 1.5}));
        assertTrue(e.getMessage(), e.getMessage().contains("index 1"));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.brierScore(new int[] {0}, new double[] {-0.1}));
        // evaluate() still gives the rank metrics and leaves the probability metrics NaN
        BinaryMetrics.Result r = BinaryMetrics.evaluate(new int[] {0, 1, 0, 1}, new double[] {-2, 3, 0.5, 1}, 0.0);
        assertFalse(r.scoresAreProbabilities());
        assertTrue(Double.isNaN(r.logLoss()));
        assertTrue(Double.isNaN(r.brierScore()));
        assertTrue(Double.isNaN(r.expectedCalibrationError()));
        assertNull(r.calibration());
        assertEquals(1.0, r.rocAuc(), 0.0); // positives 3 and 1 above negatives 0.5 and -2
    }

    @Test
    public void calibrationBinsFollowSearchsortedLeft() {
        // edges 0, .1, .2, .30000000000000004, ...: 0.1 falls in bin 0 (right-inclusive), 0.3 in bin 2, 0 in 0, 1 in 9
        int[] y = {0, 1, 1, 0, 1};
        double[] s = {0.0, 0.1, 0.3, 0.30000000000000004, 1.0};
        CalibrationCurve c = BinaryMetrics.calibrationCurve(y, s);
        assertArrayEquals(new int[] {0, 2, 9}, c.binIndex());
        assertArrayEquals(new long[] {2, 2, 1}, c.counts());
        assertArrayEquals(new double[] {0.5, 0.5, 1.0}, c.probTrue(), 0.0);
        assertArrayEquals(new double[] {0.05, (0.3 + 0.30000000000000004) / 2, 1.0}, c.probPred(), 1e-17);
        assertEquals(10, c.bins());
    }

    @Test
    public void expectedCalibrationErrorByHand() {
        // bin 0: acc 1, conf .05; bin 1: acc 0, conf .15; bin 9: acc 1, conf .95 (2 rows)
        int[] y = {1, 0, 1, 1};
        double[] s = {0.05, 0.15, 0.95, 0.95};
        double expected = (0.95 * 1 + 0.15 * 1 + 0.05 * 2) / 4;
        assertEquals(expected, BinaryMetrics.expectedCalibrationError(y, s), 1e-15);
        // perfectly calibrated bins
        assertEquals(0.0, BinaryMetrics.expectedCalibrationError(new int[] {0, 1}, new double[] {0.0, 1.0}), 0.0);
    }

    @Test
    public void bestThresholdByHand() {
        // thresholds .8 (tp1 fp0), .4 (tp1 fp1), .35 (tp2 fp1), .1 (tp2 fp2)
        BinaryMetrics.ThresholdChoice f1 = BinaryMetrics.bestThreshold(Y, S, BinaryMetrics.ThresholdMetric.F1);
        assertEquals(0.35, f1.threshold(), 0.0);
        assertEquals(0.8, f1.value(), 1e-15);
        assertEquals(new ConfusionCounts(1, 1, 0, 2), f1.counts());
        // accuracy 3/4 at .8 and at .35: the higher threshold wins
        BinaryMetrics.ThresholdChoice acc = BinaryMetrics.bestThreshold(Y, S, BinaryMetrics.ThresholdMetric.ACCURACY);
        assertEquals(0.8, acc.threshold(), 0.0);
        assertEquals(0.75, acc.value(), 0.0);
        assertEquals(BinaryMetrics.confusion(Y, S, 0.35), f1.counts());
    }

    @Test
    public void evaluateAgreesWithTheSingleFunctions() {
        BinaryMetrics.Result r = BinaryMetrics.evaluate(Y, S, BinaryMetrics.DEFAULT_THRESHOLD);
        assertEquals(4, r.exampleCount());
        assertEquals(BinaryMetrics.rocAuc(Y, S), r.rocAuc(), 0.0);
        assertEquals(BinaryMetrics.logLoss(Y, S), r.logLoss(), 0.0);
        assertEquals(BinaryMetrics.brierScore(Y, S), r.brierScore(), 0.0);
        assertEquals(BinaryMetrics.expectedCalibrationError(Y, S), r.expectedCalibrationError(), 0.0);
        assertEquals(BinaryMetrics.rocCurve(Y, S), r.roc());
        assertEquals(BinaryMetrics.precisionRecallCurve(Y, S), r.precisionRecall());
        assertEquals(BinaryMetrics.calibrationCurve(Y, S), r.calibration());
        assertEquals(new ConfusionCounts(2, 0, 1, 1), r.counts());
    }

    @Test
    public void predictedLabelsConfusion() {
        assertEquals(new ConfusionCounts(1, 2, 3, 4), BinaryMetrics.confusion(
                new int[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, new int[] {0, 1, 1, 0, 0, 0, 1, 1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.confusion(new int[] {0}, new int[] {2}));
    }

    @Test
    public void badInputIsRejectedWithTheIndex() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.rocAuc(new int[] {0, 1, 0}, new double[] {0.1, 0.2, Double.NaN}));
        assertEquals("score at index 2 is NaN: scores must be finite numbers", nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.evaluate(new int[] {0, 1}, new double[] {Double.NEGATIVE_INFINITY, 0.2}, 0.5));
        assertTrue(inf.getMessage(), inf.getMessage().contains("index 0 is -infinity"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.rocAuc(new int[0], new double[0]));
        assertEquals("no rows: labels and scores are empty", empty.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.accuracy(new int[] {0, 1}, new double[] {0.1}, 0.5));
        assertTrue(lengths.getMessage(), lengths.getMessage().contains("labels has 2 values but scores has 1"));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> BinaryMetrics.rocAuc(new int[] {0, 2}, new double[] {0.1, 0.2}));
        assertEquals("label at index 1 is 2: binary labels must be 0 or 1", label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.rocAuc(null, new double[] {0.1}));
        assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.accuracy(Y, S, Double.NaN));
    }

    @Test
    public void downsampleKeepsFirstAndLastAndAtMostMaxPoints() {
        int m = 1001;
        double[] x = new double[m];
        double[] y = new double[m];
        double[] t = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = i / 1000.0;
            y[i] = Math.sqrt(x[i]);
            t[i] = 1 - x[i];
        }
        Curve full = new Curve(x, y, t);
        Curve small = full.downsample(300);
        assertEquals(300, small.size());
        assertEquals(0.0, small.x()[0], 0.0);
        assertEquals(1.0, small.x()[299], 0.0);
        assertEquals(0.0, small.thresholds()[299], 0.0);
        for (int i = 1; i < small.size(); i++) {
            assertTrue(small.x()[i] > small.x()[i - 1]);
        }
        assertSame(full, full.downsample(5000));
        assertEquals(2, Curve.downsample(full, 2).size());
        assertThrows(IllegalArgumentException.class, () -> full.downsample(1));
        assertThrows(IllegalArgumentException.class, () -> new Curve(new double[2], new double[1], new double[2]));
    }
}
