package io.jenkins.plugins.mlstages.report;

/** A count and its noun as a person writes them: {@code 1 rule}, {@code 2 rules}, {@code 0 rules}. */
public final class Plural {
    private Plural() {
    }

    /** {@code n} and {@code noun}, with an {@code s} unless {@code n} is 1. */
    public static String of(long n, String noun) {
        return of(n, noun, noun + "s");
    }

    /** {@code n} and {@code singular} when it is 1, else {@code plural} ({@code analysis}, {@code analyses}). */
    public static String of(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
