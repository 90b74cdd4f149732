package io.jenkins.plugins.mlstages.report;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean": the known word closest to a misspelt one, when one is close enough to be meant. */
public final class Spelling {
    private Spelling() {
    }

    /**
     * The candidate at the smallest edit distance from {@code word} (insertions, deletions,
     * substitutions and swaps of neighbours count one each), if it is at most 1 for words of up to 4
     * characters and 2 for longer ones; the first of equals, in the candidates' order. Empty for the
     * word itself.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        int limit = word.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = limit + 1;
        for (String candidate : candidates) {
            if (candidate.equals(word) || Math.abs(candidate.length() - word.length()) > limit) {
                continue;
            }
            int d = distance(word, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
