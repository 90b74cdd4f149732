package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Hand-checked values (scikit-learn docstring examples where there is one) and degenerate cases. */
public class MulticlassMetricsTest {
    /** sklearn's precision_score / recall_score / f1_score docstring example. */
    private static final int[] Y = {0, 1, 2, 0, 1, 2};
    private static final int[] P = {0, 2, 1, 0, 0, 1};

    @Test
    public void averagesOfTheDocstringExample() {
        MulticlassMetrics.Result r = MulticlassMetrics.evaluate(Y, P, 3);
        assertEquals(0.2222222222222222, r.precisionMacro(), 1e-15);
        assertEquals(0.3333333333333333, r.precisionMicro(), 1e-15);
        assertEquals(0.2222222222222222, r.precisionWeighted(), 1e-15);
        assertEquals(0.3333333333333333, r.recallMacro(), 1e-15);
        assertEquals(0.3333333333333333, r.recallMicro(), 1e-15);
        assertEquals(0.3333333333333333, r.recallWeighted(), 1e-15);
        assertEquals(0.26666666666666666, r.f1Macro(), 1e-15);
        assertEquals(0.3333333333333333, r.f1Micro(), 1e-15);
        assertEquals(0.26666666666666666, r.f1Weighted(), 1e-15);
        assertEquals(1.0 / 3, r.accuracy(), 0.0);
        assertArrayEquals(new long[] {2, 0, 0}, r.confusionMatrix()[0]);
        assertArrayEquals(new long[] {1, 0, 1}, r.confusionMatrix()[1]);
        assertArrayEquals(new long[] {0, 2, 0}, r.confusionMatrix()[2]);
        assertTrue(Double.isNaN(r.rocAucMacro()));
        assertTrue(Double.isNaN(r.logLoss()));
        assertEquals(r.f1Macro(), MulticlassMetrics.f1(Y, P, 3, MulticlassMetrics.Average.MACRO), 0.0);
        assertEquals(r.recallWeighted(), MulticlassMetrics.recall(Y, P, 3, MulticlassMetrics.Average.WEIGHTED), 0.0);
        assertEquals(r.precisionMicro(), MulticlassMetrics.precision(Y, P, 3, MulticlassMetrics.Average.MICRO), 0.0);
    }

    @Test
    public void classesAbsentFromLabelsAndPredictionsAreNotAveraged() {
        // k = 4 but class 3 never occurs: sklearn's labels=None averages over {0, 1, 2} only
        MulticlassMetrics.Result r = MulticlassMetrics.evaluate(Y, P, 4);
        assertEquals(0.2222222222222222, r.precisionMacro(), 1e-15);
        assertArrayEquals(new int[] {0, 1, 2}, r.perClass().classes());
        // class 2 predicted but never true: its recall is 0/0 = 0 and weight 0
        int[] y = {0, 0, 1, 1};
        int[] p = {0, 2, 1, 1};
        MulticlassMetrics.PerClass pc = MulticlassMetrics.perClass(y, p, 3);
        assertArrayEquals(new double[] {1, 1, 0}, pc.precision(), 0.0);
        assertArrayEquals(new double[] {0.5, 1, 0}, pc.recall(), 0.0);
        assertArrayEquals(new long[] {2, 2, 0}, pc.support());
        assertEquals(0.75, MulticlassMetrics.recall(y, p, 3, MulticlassMetrics.Average.WEIGHTED), 0.0);
        assertEquals(0.5, MulticlassMetrics.recall(y, p, 3, MulticlassMetrics.Average.MACRO), 0.0);
    }

    @Test
    public void logLossOfTheDocstringExample() {
        // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) with ham = 0
        double v = MulticlassMetrics.logLoss(new int[] {1, 0, 0, 1},
                new double[][] {{.1, .9}, {.9, .1}, {.8, .2}, {.35, .65}});
        assertEquals(0.21616187468057912, v, 1e-15);
        // clipping: a zero probability for the true class costs -log(eps)
        assertEquals(-Math.log(Math.ulp(1.0)), MulticlassMetrics.logLoss(new int[] {2},
                new double[][] {{0.5, 0.5, 0.0}}), 1e-12);
    }

    @Test
    public void oneVsRestAucByHand() {
        int[] y = {0, 1, 2, 0};
        double[][] p = {{0.7, 0.2, 0.1}, {0.2, 0.5, 0.3}, {0.3, 0.3, 0.4}, {0.2, 0.6, 0.2}};
        // class 0: positives .7,.2 vs negatives .2,.3 -> (1 + 1 + .5 + 0) / 4 = .625
        // class 1: positive .5 vs .2,.3,.6 -> 2/3; class 2: positive .4 vs .1,.3,.2 -> 1
        double[] per = MulticlassMetrics.rocAucPerClass(y, p);
        assertArrayEquals(new double[] {0.625, 2.0 / 3, 1.0}, per, 1e-15);
        assertEquals((0.625 + 2.0 / 3 + 1.0) / 3,
                MulticlassMetrics.rocAucOvr(y, p, MulticlassMetrics.Average.MACRO), 1e-15);
        assertEquals((0.625 * 2 + 2.0 / 3 + 1.0) / 4,
                MulticlassMetrics.rocAucOvr(y, p, MulticlassMetrics.Average.WEIGHTED), 1e-15);
        assertArrayEquals(new int[] {0, 1, 2, 1}, MulticlassMetrics.argmax(p));
    }

    @Test
    public void aClassAbsentFromTheLabelsMakesMacroAucNaNButNotWeighted() {
        int[] y = {0, 1, 0, 1};
        double[][] p = {{0.6, 0.3, 0.1}, {0.2, 0.7, 0.1}, {0.5, 0.2, 0.3}, {0.1, 0.5, 0.4}};
        MulticlassMetrics.Result r = MulticlassMetrics.evaluate(y, p);
        assertTrue(Double.isNaN(r.rocAucPerClass()[2]));
        assertTrue(Double.isNaN(r.rocAucMacro()));
        assertEquals(1.0, r.rocAucWeighted(), 0.0);
        assertTrue(r.probabilitiesSumToOne());
    }

    @Test
    public void argmaxTakesTheFirstMaximum() {
        assertArrayEquals(new int[] {0, 1, 2}, MulticlassMetrics.argmax(
                new double[][] {{0.4, 0.4, 0.2}, {0.1, 0.45, 0.45}, {0.2, 0.3, 0.5}}));
    }

    @Test
    public void rowsNotSummingToOne() {
        int[] y = {0, 1, 2};
        double[][] p = {{0.5, 0.3, 0.1}, {0.2, 0.7, 0.1}, {0.3, 0.3, 0.4}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.rocAucOvr(y, p, MulticlassMetrics.Average.MACRO));
        assertTrue(e.getMessage(), e.getMessage().contains("row 0"));
        MulticlassMetrics.Result r = MulticlassMetrics.evaluate(y, p);
        assertFalse(r.probabilitiesSumToOne());
        assertTrue(Double.isNaN(r.rocAucWeighted()));
        // log loss is still defined (sklearn 1.9 only warns, and does not renormalise)
        assertEquals(-(Math.log(0.5) + Math.log(0.7) + Math.log(0.4)) / 3, r.logLoss(), 1e-15);
        assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.rocAucOvr(y, new double[][] {{0.5, 0.5, 0}, {0, 1, 0}, {0, 0, 1}},
                        MulticlassMetrics.Average.MICRO));
    }

    @Test
    public void badInputIsRejectedWithTheIndex() {
        double[][] p = {{0.5, 0.5}, {0.2, 0.8}};
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.evaluate(new int[] {0, 2}, p));
        assertEquals("label at index 1 is 2: classes must be in 0..1", label.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.evaluate(new int[] {0, 1}, new double[][] {{0.5, 0.5}, {Double.NaN, 0.8}}));
        assertTrue(nan.getMessage(), nan.getMessage().contains("row 1, class 0 is NaN"));
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.evaluate(new int[] {0, 1}, new double[][] {{0.5, 0.5}, {1.0}}));
        assertTrue(ragged.getMessage(), ragged.getMessage().contains("row 1 has 1 values, expected 2"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> MulticlassMetrics.evaluate(new int[0], new double[0][]));
        assertTrue(empty.getMessage(), empty.getMessage().startsWith("no rows"));
        assertThrows(IllegalArgumentException.class, () -> MulticlassMetrics.logLoss(new int[] {0},
                new double[][] {{1.2, -0.2}}));
        assertThrows(IllegalArgumentException.class, () -> MulticlassMetrics.evaluate(new int[] {0}, new int[] {3}, 3));
        assertThrows(IllegalArgumentException.class, () -> MulticlassMetrics.evaluate(new int[] {0}, new int[] {0}, 1));
    }
}
