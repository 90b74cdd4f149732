package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** scikit-learn's docstring examples and the constant / zero / single-row cases. */
public class RegressionMetricsTest {
    private static final double[] T = {3, -0.5, 2, 7};
    private static final double[] P = {2.5, 0.0, 2, 8};

    @Test
    public void docstringExamples() {
        assertEquals(0.5, RegressionMetrics.meanAbsoluteError(T, P), 0.0);
        assertEquals(0.375, RegressionMetrics.meanSquaredError(T, P), 0.0);
        assertEquals(Math.sqrt(0.375), RegressionMetrics.rootMeanSquaredError(T, P), 0.0);
        assertEquals(0.9486081370449679, RegressionMetrics.r2Score(T, P), 1e-15);
        assertEquals(0.9571734475374732, RegressionMetrics.explainedVarianceScore(T, P), 1e-15);
        assertEquals(0.32738095238095233, RegressionMetrics.meanAbsolutePercentageError(T, P), 1e-15);
        assertEquals(1.0, RegressionMetrics.maxError(new double[] {3, 2, 7, 1}, new double[] {4, 2, 7, 1}), 0.0);
    }

    @Test
    public void mapeDividesByEpsilonWhenYTrueIsZero() {
        // sklearn docstring: y_true [1, 0, 2.4, 7], y_pred [1.2, 0.1, 2.4, 8] -> 112589990684262.48
        double v = RegressionMetrics.meanAbsolutePercentageError(new double[] {1, 0, 2.4, 7},
                new double[] {1.2, 0.1, 2.4, 8});
        assertEquals(112589990684262.48, v, 1e-9 * v);
        assertTrue(Double.isFinite(v));
    }

    @Test
    public void constantYTrueFollowsForceFinite() {
        double[] t = {2.5, 2.5, 2.5};
        assertEquals(0.0, RegressionMetrics.r2Score(t, new double[] {2, 3, 2.5}), 0.0);
        assertEquals(1.0, RegressionMetrics.r2Score(t, t.clone()), 0.0);
        assertEquals(0.0, RegressionMetrics.explainedVarianceScore(t, new double[] {2, 3, 2.5}), 0.0);
        // a constant offset has zero error variance: explained variance 1, r2 0
        assertEquals(1.0, RegressionMetrics.explainedVarianceScore(t, new double[] {3.5, 3.5, 3.5}), 0.0);
        assertEquals(0.0, RegressionMetrics.r2Score(t, new double[] {3.5, 3.5, 3.5}), 0.0);
    }

    @Test
    public void singleRow() {
        assertTrue(Double.isNaN(RegressionMetrics.r2Score(new double[] {3}, new double[] {2})));
        RegressionMetrics.Result r = RegressionMetrics.evaluate(new double[] {3}, new double[] {2});
        assertEquals(1.0, r.meanAbsoluteError(), 0.0);
        assertEquals(1.0, r.explainedVariance(), 0.0); // numerator 0 -> 1.0 (sklearn does the same)
        assertEquals(1, r.exampleCount());
        assertEquals(3.0, r.sumOnTarget(), 0.0);
    }

    @Test
    public void evaluateAgreesWithTheSingleFunctions() {
        RegressionMetrics.Result r = RegressionMetrics.evaluate(T, P);
        assertEquals(RegressionMetrics.meanAbsoluteError(T, P), r.meanAbsoluteError(), 0.0);
        assertEquals(RegressionMetrics.meanSquaredError(T, P), r.meanSquaredError(), 0.0);
        assertEquals(RegressionMetrics.rootMeanSquaredError(T, P), r.rootMeanSquaredError(), 0.0);
        assertEquals(RegressionMetrics.r2Score(T, P), r.r2(), 0.0);
        assertEquals(RegressionMetrics.meanAbsolutePercentageError(T, P), r.meanAbsolutePercentageError(), 0.0);
        assertEquals(RegressionMetrics.maxError(T, P), r.maxError(), 0.0);
        assertEquals(RegressionMetrics.explainedVarianceScore(T, P), r.explainedVariance(), 0.0);
        assertEquals(11.5, r.sumOnTarget(), 0.0);
        assertEquals(11.5 / 4, r.meanOnTarget(), 0.0);
    }

    @Test
    public void badInputIsRejectedWithTheIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.evaluate(new double[] {1, 2}, new double[] {1, Double.POSITIVE_INFINITY}));
        assertEquals("predicted value at index 1 is +infinity: predicted values must be finite numbers", e.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.meanAbsoluteError(new double[] {Double.NaN}, new double[] {1}));
        assertTrue(nan.getMessage(), nan.getMessage().startsWith("true value at index 0 is NaN"));
        assertThrows(IllegalArgumentException.class, () -> RegressionMetrics.r2Score(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> RegressionMetrics.r2Score(new double[2], new double[3]));
    }
}
