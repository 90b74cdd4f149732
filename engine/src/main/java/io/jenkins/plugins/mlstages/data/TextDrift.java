package io.jenkins.plugins.mlstages.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Text drift as Evidently 0.7 frames it (a domain classifier that tries to tell the current texts from
 * the reference ones; its ROC AUC is the drift score), with this project's own deterministic classifier.
 * Evidently's (TF-IDF, English stop words, an L1 SGD classifier, a shuffled split and numpy's global
 * random generator) cannot be reproduced bit for bit in Java; this one is plain and exactly repeatable:
 * <ol>
 *   <li><b>Documents.</b> Each side's distinct texts with their counts (the column's categories, up to the
 *       first {@link ColumnProfiler#MAX_CATEGORIES} distinct values). Texts are taken in the order of a fixed
 *       hash (SplitMix64's finaliser of {@code String.hashCode}, then the text), each repeated as often as it
 *       occurs, and alternately put into the training half (even positions) and the test half (odd
 *       positions) of their side: a split that does not depend on the content, like Evidently's shuffle.</li>
 *   <li><b>Tokens.</b> Lower-cased runs of letters and digits of two characters or more (scikit-learn's
 *       default token pattern, without stop words).</li>
 *   <li><b>Classifier.</b> Multinomial naive Bayes with Laplace smoothing, trained on the training halves:
 *       a token's weight is {@code ln((c_cur + 1) / (T_cur + V)) - ln((c_ref + 1) / (T_ref + V))}, a text's
 *       score the sum of its tokens' weights (tokens unseen in training count 0).</li>
 *   <li><b>Score.</b> The ROC AUC of those scores on the test halves (Mann-Whitney, ties counted half).</li>
 *   <li><b>Decision</b>, Evidently's two rules: above 1000 reference rows ({@code abs_text_content_drift}),
 *       drift when AUC &gt; 0.55; otherwise ({@code perc_text_content_drift}), drift when the AUC is above the
 *       0.95 quantile of a random classifier's AUC. Evidently estimates that quantile from 1000 seeded random
 *       classifiers; here it is the normal approximation of the Mann-Whitney null distribution,
 *       {@code 0.5 + z σ} with {@code σ² = (n0 + n1 + 1) / (12 n0 n1)}, and the p-value is
 *       {@code P(AUC_random >= AUC) = 1 - Φ((AUC - 0.5) / σ)}.</li>
 * </ol>
 * With fewer than two texts on a side there is no test half: AUC 0.5, p-value 1 (no drift).
 */
final class TextDrift {
    private TextDrift() {
    }

    /** The domain classifier's AUC and, for {@code perc_text_content_drift}, its p-value against a random classifier. */
    static DriftScore score(Map<String, Long> reference, Map<String, Long> current) {
        Side ref = Side.of(reference);
        Side cur = Side.of(current);
        long testRef = ref.testTotal();
        long testCur = cur.testTotal();
        if (testRef == 0 || testCur == 0) {
            return new DriftScore(0.5, 1.0);
        }
        Map<String, long[]> tokenCounts = new HashMap<>();
        long[] totals = new long[2];
        ref.train(tokenCounts, totals, 0);
        cur.train(tokenCounts, totals, 1);
        int vocabulary = tokenCounts.size();
        Map<String, Double> weights = new HashMap<>();
        tokenCounts.forEach((token, c) -> weights.put(token, Math.log((c[1] + 1.0) / (totals[1] + vocabulary))
                - Math.log((c[0] + 1.0) / (totals[0] + vocabulary))));
        List<Scored> scored = new ArrayList<>();
        ref.scoreTests(weights, scored, false);
        cur.scoreTests(weights, scored, true);
        double auc = auc(scored, testRef, testCur);
        double sigma = Math.sqrt((testRef + testCur + 1.0) / (12.0 * testRef * testCur));
        double p = 1 - NormalDistribution.of(0, 1).cumulativeProbability((auc - 0.5) / sigma);
        return new DriftScore(auc, p);
    }

    /** A distinct text of the test half, its score, how often it occurs there, and its side. */
    private record Scored(double score, long weight, boolean current) {
    }

    /** Mann-Whitney AUC: P(score_cur > score_ref) + P(equal) / 2, over weighted distinct texts. */
    private static double auc(List<Scored> scored, long refTotal, long curTotal) {
        scored.sort((a, b) -> Double.compare(a.score(), b.score()));
        double wins = 0;
        long refBelow = 0;
        int i = 0;
        while (i < scored.size()) {
            int j = i;
            long refTied = 0;
            long curTied = 0;
            while (j < scored.size() && scored.get(j).score() == scored.get(i).score()) {
                if (scored.get(j).current()) {
                    curTied += scored.get(j).weight();
                } else {
                    refTied += scored.get(j).weight();
                }
                j++;
            }
            wins += curTied * (refBelow + refTied / 2.0);
            refBelow += refTied;
            i = j;
        }
        return wins / ((double) refTotal * curTotal);
    }

    /** Lower-cased runs of letters and digits, two characters or more. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean word = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                if (i - start >= 2) {
                    tokens.add(lower.substring(start, i));
                }
                start = -1;
            }
        }
        return tokens;
    }

    /** One side's distinct texts in sorted order, each split into its training and test occurrences. */
    private record Side(String[] texts, long[] train, long[] test) {
        static Side of(Map<String, Long> counts) {
            // In an order unrelated to the content: alternating in sorted order would put near-identical
            // neighbours into the two halves, the test half would resemble its own side's training half,
            // and the AUC of stable text would be biased upwards (twice the false alarms, measured).
            String[] texts = counts.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() > 0)
                    .map(Map.Entry::getKey)
                    .sorted(Comparator.comparingLong((String t) -> mix(t.hashCode())).thenComparing(Comparator.naturalOrder()))
                    .toArray(String[]::new);
            long[] train = new long[texts.length];
            long[] test = new long[texts.length];
            long position = 0;
            for (int i = 0; i < texts.length; i++) {
                long n = counts.get(texts[i]);
                // even positions position .. position + n - 1 train, odd ones test
                train[i] = (n + (position % 2 == 0 ? 1 : 0)) / 2;
                test[i] = n - train[i];
                position += n;
            }
            return new Side(texts, train, test);
        }

        /** SplitMix64's finaliser: String.hashCode (fixed by the language) spread over 64 bits. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        long testTotal() {
            return Arrays.stream(test).sum();
        }

        void train(Map<String, long[]> tokenCounts, long[] totals, int side) {
            for (int i = 0; i < texts.length; i++) {
                if (train[i] == 0) {
                    continue;
                }
                for (String token : tokens(texts[i])) {
                    tokenCounts.computeIfAbsent(token, t -> new long[2])[side] += train[i];
                    totals[side] += train[i];
                }
            }
        }

        void scoreTests(Map<String, Double> weights, List<Scored> scored, boolean current) {
            for (int i = 0; i < texts.length; i++) {
                if (test[i] == 0) {
                    continue;
                }
                double score = 0;
                for (String token : tokens(texts[i])) {
                    score += weights.getOrDefault(token, 0.0);
                }
                scored.add(new Scored(score, test[i], current));
            }
        }
    }
}
