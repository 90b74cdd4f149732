package io.jenkins.plugins.mlstages.data;

import java.util.Locale;

/**
 * The per-column drift methods, named, thresholded and chosen as Evidently does.
 *
 * <p>Names, default thresholds and drift directions are those of Evidently's legacy stat-test
 * registry ({@code src/evidently/legacy/calculations/stattests/*.py}, snapshot a4aa4c2, 2026-05-02):
 * <table>
 *   <caption>Evidently stat tests mirrored here</caption>
 *   <tr><th>constant</th><th>name</th><th>kind</th><th>default threshold</th><th>drift when</th><th>Evidently file</th></tr>
 *   <tr><td>{@link #KS}</td><td>{@code ks}</td><td>p-value</td><td>0.05</td><td>p &le; threshold</td><td>ks_stattest.py</td></tr>
 *   <tr><td>{@link #CHI_SQUARE}</td><td>{@code chisquare}</td><td>p-value</td><td>0.05 (the {@code StatTest} default)</td><td>p &lt; threshold</td><td>chisquare_stattest.py</td></tr>
 *   <tr><td>{@link #WASSERSTEIN}</td><td>{@code wasserstein}</td><td>distance (normed)</td><td>0.1</td><td>score &ge; threshold</td><td>wasserstein_distance_norm.py</td></tr>
 *   <tr><td>{@link #PSI}</td><td>{@code psi}</td><td>distance</td><td>0.1</td><td>score &ge; threshold</td><td>psi.py</td></tr>
 *   <tr><td>{@link #JENSEN_SHANNON}</td><td>{@code jensenshannon}</td><td>distance</td><td>0.1</td><td>score &ge; threshold</td><td>jensenshannon.py</td></tr>
 * </table>
 * Note the comparison at the boundary differs between Evidently's tests (KS uses {@code <=}, chi-square
 * and the Z-test {@code <}, the distances {@code >=}); {@link #drifted(DriftScore, double)} keeps each one.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov-Smirnov test, {@link DriftStatistics#ks}. */
    KS("ks", "K-S p_value", true, 0.05),
    /** Wasserstein-1 distance divided by the reference standard deviation, {@link DriftStatistics#wassersteinNormed}. */
    WASSERSTEIN("wasserstein", "Wasserstein distance (normed)", false, 0.1),
    /** Population stability index, {@link DriftStatistics#psi}. */
    PSI("psi", "PSI", false, 0.1),
    /** Pearson chi-square goodness-of-fit of the current counts to the reference proportions, {@link DriftStatistics#chiSquare}. */
    CHI_SQUARE("chisquare", "chi-square p_value", true, 0.05),
    /** Jensen-Shannon distance (natural log), {@link DriftStatistics#jensenShannon(long[], long[])}. */
    JENSEN_SHANNON("jensenshannon", "Jensen-Shannon distance", false, 0.1);

    private final String reportName;
    private final String displayName;
    private final boolean pValue;
    private final double defaultThreshold;

    DriftMethod(String reportName, String displayName, boolean pValue, double defaultThreshold) {
        this.reportName = reportName;
        this.displayName = displayName;
        this.pValue = pValue;
        this.defaultThreshold = defaultThreshold;
    }

    /** The Evidently stat-test name used in reports and configuration: {@code ks}, {@code wasserstein}, ... */
    public String reportName() {
        return reportName;
    }

    /** Evidently's display name of the stat test, e.g. {@code "K-S p_value"}. */
    public String displayName() {
        return displayName;
    }

    /** Whether the method yields a p-value (drift when it is small) rather than a distance (drift when it is large). */
    public boolean hasPValue() {
        return pValue;
    }

    /** Evidently's default threshold: 0.05 for the p-value tests, 0.1 for the distances. */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** The number compared with the threshold: the p-value for p-value methods, the statistic otherwise. */
    public double score(DriftScore result) {
        return pValue ? result.pValue() : result.statistic();
    }

    /**
     * Whether a result means drift at the given threshold, with Evidently's exact comparison:
     * KS {@code p <= threshold}, chi-square {@code p < threshold}, distances {@code score >= threshold}.
     * A NaN score is never drift.
     */
    public boolean drifted(DriftScore result, double threshold) {
        double score = score(result);
        switch (this) {
            case KS:
                return score <= threshold;
            case CHI_SQUARE:
                return score < threshold;
            default:
                return score >= threshold;
        }
    }

    /**
     * The comparison of {@link #drifted}, for showing the rule: drift when {@code score comparison threshold},
     * {@code <=} (KS), {@code <} (chi-square) or {@code >=} (the distances).
     */
    public String comparison() {
        switch (this) {
            case KS:
                return "<=";
            case CHI_SQUARE:
                return "<";
            default:
                return ">=";
        }
    }

    /**
     * Evidently's default choice of method ({@code _get_default_stattest} in
     * {@code src/evidently/legacy/calculations/stattests/registry.py}):
     * <ul>
     *   <li>reference &le; 1000 rows: numeric with more than 5 distinct values &rarr; {@link #KS};
     *       numeric with at most 5 distinct values, or categorical &rarr; {@link #CHI_SQUARE};</li>
     *   <li>reference &gt; 1000 rows: numeric with more than 5 distinct values &rarr; {@link #WASSERSTEIN};
     *       numeric with at most 5 distinct values, or categorical &rarr; {@link #JENSEN_SHANNON}.</li>
     * </ul>
     * One deliberate difference: for reference &le; 1000 rows and at most 2 distinct values Evidently
     * picks its two-proportion Z-test ({@code z}, {@code z_stattest.py}); this project has no Z-test and
     * uses {@link #CHI_SQUARE} there as well (a goodness-of-fit test of the current proportions against
     * the reference ones, so its p-value differs from the Z-test's two-sample one).
     *
     * @param numeric        whether the column is numeric (Evidently's {@code ColumnType.Numerical})
     * @param referenceRows  non-null rows in the reference
     * @param distinctValues distinct non-null values in reference and current together (Evidently counts
     *                       {@code pd.concat([reference, current]).nunique()})
     */
    public static DriftMethod defaultFor(boolean numeric, long referenceRows, long distinctValues) {
        boolean manyValues = numeric && distinctValues > 5;
        if (referenceRows <= 1000) {
            return manyValues ? KS : CHI_SQUARE;
        }
        return manyValues ? WASSERSTEIN : JENSEN_SHANNON;
    }

    /**
     * Parses a method name: the report name ({@code ks}, {@code wasserstein}, {@code psi}, {@code chisquare},
     * {@code jensenshannon}) or the constant name, ignoring case, {@code _}, {@code -} and spaces
     * (so {@code chi_square} and {@code Jensen-Shannon} work too).
     */
    public static DriftMethod parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("drift method missing: use ks, wasserstein, psi, chisquare or jensenshannon");
        }
        String key = value.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
        for (DriftMethod method : values()) {
            if (method.reportName.equals(key) || method.name().toLowerCase(Locale.ROOT).replace("_", "").equals(key)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown drift method '" + value
                + "': use ks, wasserstein, psi, chisquare or jensenshannon");
    }
}
