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
 *   <tr><td>{@link #Z}</td><td>{@code z}</td><td>p-value</td><td>0.05</td><td>p &lt; threshold</td><td>z_stattest.py</td></tr>
 *   <tr><td>{@link #PERC_TEXT}</td><td>{@code perc_text_content_drift}</td><td>domain classifier ROC AUC</td><td>0.95</td><td>AUC above the random classifier's 0.95 quantile</td><td>text_content_drift.py</td></tr>
 *   <tr><td>{@link #ABS_TEXT}</td><td>{@code abs_text_content_drift}</td><td>domain classifier ROC AUC</td><td>0.55</td><td>AUC &gt; threshold</td><td>text_content_drift_abs.py</td></tr>
 * </table>
 * The two text methods keep Evidently's names, statistic (a domain classifier's ROC AUC) and decision
 * rules, but the classifier is this project's own deterministic one ({@link TextDrift}), so their values
 * differ from Evidently's.
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
    JENSEN_SHANNON("jensenshannon", "Jensen-Shannon distance", false, 0.1),
    /** Two-sample proportions Z-test (pooled, two-sided), {@link DriftStatistics#zTest}. */
    Z("z", "Z-test p_value", true, 0.05),
    /**
     * Text, reference &le; 1000 rows: the domain classifier's AUC against the random classifier's
     * {@code threshold} quantile ({@link TextDrift}); its p-value is {@code P(AUC_random >= AUC)}.
     */
    PERC_TEXT("perc_text_content_drift", "Percentile text content drift", true, 0.95),
    /** Text, reference &gt; 1000 rows: drift when the domain classifier's AUC exceeds the threshold ({@link TextDrift}). */
    ABS_TEXT("abs_text_content_drift", "Absolute text content drift", false, 0.55);

    /** How Evidently reads a column for drift (its {@code ColumnType}): what decides the default test. */
    public enum Kind {
        NUMERICAL, CATEGORICAL, TEXT
    }

    private static final String NAMES = "ks, wasserstein, psi, chisquare, jensenshannon, z, perc_text_content_drift "
            + "or abs_text_content_drift";

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
     * KS {@code p <= threshold}, chi-square and Z {@code p < threshold}, distances {@code score >= threshold},
     * absolute text AUC {@code > threshold}, percentile text {@code p < 1 - threshold} (the AUC is above the
     * random classifier's {@code threshold} quantile).
     * A NaN score is never drift.
     */
    public boolean drifted(DriftScore result, double threshold) {
        double score = score(result);
        switch (this) {
            case KS:
                return score <= threshold;
            case CHI_SQUARE:
            case Z:
                return score < threshold;
            case PERC_TEXT:
                return score < comparedWith(threshold);
            case ABS_TEXT:
                return score > threshold;
            default:
                return score >= threshold;
        }
    }

    /**
     * The comparison of {@link #drifted}, for showing the rule: drift when
     * {@code score comparison comparedWith(threshold)}: {@code <=} (KS), {@code <} (chi-square, Z, and the
     * percentile text test's p-value), {@code >} (absolute text AUC) or {@code >=} (the distances).
     */
    public String comparison() {
        switch (this) {
            case KS:
                return "<=";
            case CHI_SQUARE:
            case Z:
            case PERC_TEXT:
                return "<";
            case ABS_TEXT:
                return ">";
            default:
                return ">=";
        }
    }

    /**
     * What the score is compared with at a threshold: the threshold itself, except for the percentile text
     * test, whose p-value is compared with {@code 1 - threshold} (the threshold is the quantile of a random classifier's AUC).
     */
    public double comparedWith(double threshold) {
        return this == PERC_TEXT ? 1 - threshold : threshold;
    }

    /**
     * Evidently 0.7's default choice of method ({@code _get_default_stattest} in
     * {@code evidently/legacy/calculations/stattests/registry.py}):
     * <table>
     *   <caption>default test by kind and reference size</caption>
     *   <tr><th>kind</th><th>reference &le; 1000</th><th>reference &gt; 1000</th></tr>
     *   <tr><td>text</td><td>{@link #PERC_TEXT}</td><td>{@link #ABS_TEXT}</td></tr>
     *   <tr><td>any other, &le; 2 distinct values</td><td>{@link #Z}</td><td>{@link #JENSEN_SHANNON}</td></tr>
     *   <tr><td>numerical, 3 to 5 distinct values</td><td>{@link #CHI_SQUARE}</td><td>{@link #JENSEN_SHANNON}</td></tr>
     *   <tr><td>numerical, &gt; 5 distinct values</td><td>{@link #KS}</td><td>{@link #WASSERSTEIN}</td></tr>
     *   <tr><td>categorical, &gt; 2 distinct values</td><td>{@link #CHI_SQUARE}</td><td>{@link #JENSEN_SHANNON}</td></tr>
     * </table>
     *
     * @param kind           how the column is read ({@link DriftCheck#kind})
     * @param referenceRows  reference values left after dropping missing values, NaN and infinities
     * @param distinctValues distinct such values in reference and current together (Evidently counts
     *                       {@code pd.concat([reference, current]).nunique()})
     */
    public static DriftMethod defaultFor(Kind kind, long referenceRows, long distinctValues) {
        boolean small = referenceRows <= 1000;
        if (kind == Kind.TEXT) {
            return small ? PERC_TEXT : ABS_TEXT;
        }
        if (!small) {
            return kind == Kind.NUMERICAL && distinctValues > 5 ? WASSERSTEIN : JENSEN_SHANNON;
        }
        if (distinctValues <= 2) {
            return Z;
        }
        return kind == Kind.NUMERICAL && distinctValues > 5 ? KS : CHI_SQUARE;
    }

    /** Whether the method reads the column's values as documents ({@link TextDrift}). */
    public boolean isText() {
        return this == PERC_TEXT || this == ABS_TEXT;
    }

    /**
     * Parses a method name: the report name ({@code ks}, {@code wasserstein}, {@code psi}, {@code chisquare},
     * {@code jensenshannon}, {@code z}, {@code perc_text_content_drift}, {@code abs_text_content_drift}) or the constant name, ignoring case, {@code _}, {@code -} and spaces
     * (so {@code chi_square} and {@code Jensen-Shannon} work too).
     */
    public static DriftMethod parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("drift method missing: use " + NAMES);
        }
        String key = value.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
        for (DriftMethod method : values()) {
            if (method.reportName.replace("_", "").equals(key) || method.name().toLowerCase(Locale.ROOT).replace("_", "").equals(key)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown drift method '" + value
                + "': use " + NAMES);
    }
}
