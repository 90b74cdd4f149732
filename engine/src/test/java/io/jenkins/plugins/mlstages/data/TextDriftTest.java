package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.Test;

/** {@link TextDrift}: tokens, the domain classifier's AUC, and the calibration of the percentile rule. */
public class TextDriftTest {

    @Test
    public void tokensAreLowerCasedWordsOfTwoCharactersOrMore() {
        assertEquals(List.of("the", "café", "42", "is", "open"), TextDrift.tokens("The café #42 is a-OPEN!"));
        assertEquals(List.of(), TextDrift.tokens("a b c ."));
    }

    @Test
    public void clearlyDifferentTextsGiveAnAucNearOne() {
        DriftScore score = TextDrift.score(texts(new SplittableRandom(1), 300, 0.0), texts(new SplittableRandom(2), 300, 0.6));
        assertTrue(score.toString(), score.statistic() > 0.9);
        assertTrue(DriftMethod.PERC_TEXT.drifted(score, 0.95));
        assertTrue(DriftMethod.ABS_TEXT.drifted(DriftScore.distance(score.statistic()), 0.55));
    }

    @Test
    public void theSameTextsGiveAnAucOfOneHalf() {
        Map<String, Long> texts = texts(new SplittableRandom(3), 200, 0.0);
        DriftScore score = TextDrift.score(texts, texts);
        assertEquals(0.5, score.statistic(), 0.03);
        assertFalse(DriftMethod.PERC_TEXT.drifted(score, 0.95));
    }

    @Test
    public void oneTextPerSideIsNoDrift() {
        assertEquals(new DriftScore(0.5, 1.0), TextDrift.score(Map.of("hello world", 1L), Map.of("other words", 1L)));
    }

    @Test
    public void thePercentileRuleCallsAboutFivePercentOfStableColumnsDrifted() {
        SplittableRandom random = new SplittableRandom(11);
        int drifted = 0;
        int trials = 300;
        for (int t = 0; t < trials; t++) {
            DriftScore score = TextDrift.score(texts(random, 400, 0.0), texts(random, 350, 0.0));
            if (DriftMethod.PERC_TEXT.drifted(score, 0.95)) {
                drifted++;
            }
        }
        double share = drifted / (double) trials; // 5.7 %; 10.7 % with a split in sorted order
        assertTrue("false positive share " + share, share >= 0.01 && share <= 0.09);
    }

    @Test
    public void repeatedTextsAreSplitBetweenTrainingAndTest() {
        // one text a thousand times on each side: all scores tie, AUC exactly 0.5
        DriftScore score = TextDrift.score(Map.of("same words here", 1000L), Map.of("same words here", 800L));
        assertEquals(0.5, score.statistic(), 0.0);
    }

    /** Distinct made-up sentences; {@code shift} is the share of words from a second vocabulary. */
    static Map<String, Long> texts(SplittableRandom random, int count, double shift) {
        Map<String, Long> texts = new HashMap<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int words = 8 + random.nextInt(7);
            for (int w = 0; w < words; w++) {
                text.append(random.nextDouble() < shift ? "zq" + random.nextInt(100)
                        : "wx" + (int) Math.floor(Math.pow(300, random.nextDouble()))).append(' ');
            }
            texts.merge(text.toString().strip(), 1L, Long::sum);
        }
        return texts;
    }
}
