package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** fairlearn's definitions on data small enough to check by hand. */
public class FairnessTest {
    // group a: labels 1 1 0 0, predictions 1 0 1 0 -> selection .5, TPR .5, FPR .5
    // group b: labels 1 0 0 0, predictions 1 1 0 0 -> selection .5, TPR 1, FPR 1/3
    private static final int[] Y = {1, 1, 0, 0, 1, 0, 0, 0};
    private static final int[] P = {1, 0, 1, 0, 1, 1, 0, 0};
    private static final String[] G = {"a", "a", "a", "a", "b", "b", "b", "b"};

    @Test
    public void betweenGroupsByHand() {
        Fairness.Report r = Fairness.evaluate(Y, P, G, Fairness.Method.BETWEEN_GROUPS);
        List<Fairness.GroupRates> groups = r.groups();
        assertEquals("a", groups.get(0).group());
        assertEquals(0.5, groups.get(0).selectionRate(), 0.0);
        assertEquals(0.5, groups.get(0).truePositiveRate(), 0.0);
        assertEquals(0.5, groups.get(0).falsePositiveRate(), 0.0);
        assertEquals(4, groups.get(0).count());
        assertEquals("b", groups.get(1).group());
        assertEquals(1.0, groups.get(1).truePositiveRate(), 0.0);
        assertEquals(1.0 / 3, groups.get(1).falsePositiveRate(), 0.0);
        assertEquals(0.0, r.demographicParityDifference(), 0.0);
        assertEquals(1.0, r.demographicParityRatio(), 0.0);
        assertEquals(0.5, r.equalizedOddsDifference(), 0.0); // max(TPR 1 - .5, FPR .5 - 1/3)
        assertEquals(0.5, r.equalizedOddsRatio(), 0.0); // min(.5 / 1, (1/3) / .5)
        assertEquals(0.5, r.equalOpportunityDifference(), 0.0);
        assertEquals(0.5, r.equalOpportunityRatio(), 0.0);
        assertEquals(0.5, r.overall().selectionRate(), 0.0);
    }

    @Test
    public void toOverallByHand() {
        // overall TPR 2/3, FPR 2/5
        Fairness.Report r = Fairness.evaluate(Y, P, G, Fairness.Method.TO_OVERALL);
        assertEquals(2.0 / 3, r.overall().truePositiveRate(), 1e-15);
        assertEquals(Math.max(Math.abs(0.5 - 2.0 / 3), Math.abs(1 - 2.0 / 3)), r.equalOpportunityDifference(), 1e-15);
        assertEquals(Math.min(0.5 / (2.0 / 3), 1 / (1 / (2.0 / 3))), r.equalOpportunityRatio(), 1e-15);
        double fprDiff = Math.max(Math.abs(0.5 - 0.4), Math.abs(1.0 / 3 - 0.4));
        assertEquals(Math.max(r.equalOpportunityDifference(), fprDiff), r.equalizedOddsDifference(), 1e-15);
    }

    @Test
    public void groupWithoutPositivesHasZeroTprAndNobodySelectedGivesNaNRatio() {
        int[] y = {0, 0, 1, 0};
        int[] p = {0, 0, 0, 0};
        String[] g = {"x", "x", "y", "y"};
        Fairness.Report r = Fairness.evaluate(y, p, g, Fairness.Method.BETWEEN_GROUPS);
        assertEquals(0.0, r.groups().get(0).truePositiveRate(), 0.0); // confusion_matrix(normalize='true') + nan_to_num
        assertEquals(0.0, r.demographicParityDifference(), 0.0);
        assertTrue(Double.isNaN(r.demographicParityRatio())); // 0 / 0
        assertTrue(Double.isNaN(r.equalizedOddsRatio()));
        assertEquals(0.0, r.equalizedOddsDifference(), 0.0);
    }

    @Test
    public void scoresAreThresholdedInclusively() {
        double[] s = {0.9, 0.1, 0.5, 0.2, 0.7, 0.6, 0.3, 0.4};
        assertEquals(Fairness.evaluate(Y, P, G, Fairness.Method.BETWEEN_GROUPS),
                Fairness.evaluate(Y, s, 0.5, G, Fairness.Method.BETWEEN_GROUPS));
    }

    @Test
    public void badInput() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> Fairness.evaluate(new int[] {0, 1}, new int[] {0, 1}, new String[] {"a", null},
                        Fairness.Method.BETWEEN_GROUPS));
        assertTrue(nul.getMessage(), nul.getMessage().contains("index 1"));
        assertThrows(IllegalArgumentException.class, () -> Fairness.evaluate(new int[] {0, 1}, new int[] {0, 1},
                new String[] {"a"}, Fairness.Method.BETWEEN_GROUPS));
        assertThrows(IllegalArgumentException.class, () -> Fairness.evaluate(new int[0], new int[0], new String[0],
                Fairness.Method.BETWEEN_GROUPS));
        assertThrows(IllegalArgumentException.class, () -> Fairness.evaluate(new int[] {0}, new double[] {Double.NaN},
                0.5, new String[] {"a"}, Fairness.Method.BETWEEN_GROUPS));
    }
}
