package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.util.Random;
import org.junit.Test;

public class ScoreRankingTest {

    @Test
    public void countingGivesTheTableSortingGives() {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            int rows = 1 + random.nextInt(20_000);
            int grid = 1 + random.nextInt(2_000); // ties, as rounded probabilities have
            int[] labels = new int[rows];
            double[] scores = new double[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = random.nextInt(3); // class 2 is the positive one below, 0 and 1 the rest
                scores[i] = random.nextInt(grid) / (double) grid - 0.5;
                if (scores[i] == 0.0 && random.nextBoolean()) {
                    scores[i] = -0.0; // one threshold with 0.0
                }
            }
            ScoreRanking counted = ScoreRanking.byCounting(labels, 2, scores);
            assertNotNull(counted);
            assertSame(ScoreRanking.bySorting(labels, 2, scores), counted);
            assertEquals(ScoreRanking.bySorting(labels, 2, scores).rocAuc(), ScoreRanking.rocAuc(labels, 2, scores), 0.0);
        }
    }

    @Test
    public void manyDistinctScoresAreSorted() {
        Random random = new Random(11);
        int rows = ScoreRanking.MAX_HASHED_DISTINCT + 1_000;
        int[] labels = new int[rows];
        double[] scores = new double[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(2);
            scores[i] = random.nextDouble();
        }
        assertNull(ScoreRanking.byCounting(labels, 1, scores));
        assertSame(ScoreRanking.bySorting(labels, 1, scores), ScoreRanking.of(labels, 1, scores));
    }

    @Test
    public void noRowsIsAnEmptyTable() {
        ScoreRanking empty = ScoreRanking.of(new int[0], 1, new double[0]);
        assertEquals(0, empty.size());
        assertEquals(0, empty.positives + empty.negatives);
    }

    private static void assertSame(ScoreRanking expected, ScoreRanking actual) {
        assertArrayEquals(expected.thresholds, actual.thresholds, 0.0);
        for (double t : actual.thresholds) {
            assertEquals(0, Double.doubleToRawLongBits(t) >>> 63 == 1 && t == 0.0 ? 1 : 0); // no -0.0
        }
        assertArrayEquals(expected.tps, actual.tps);
        assertArrayEquals(expected.fps, actual.fps);
        assertEquals(expected.positives, actual.positives);
        assertEquals(expected.negatives, actual.negatives);
    }
}
