package io.jenkins.plugins.mlstages.data;

/**
 * The result of one drift statistic for one column.
 *
 * @param statistic the test statistic or distance (KS D, chi-square statistic, normed Wasserstein
 *                  distance, PSI, Jensen-Shannon distance)
 * @param pValue    the p-value for the methods that have one (KS, chi-square), {@code NaN} otherwise
 */
public record DriftScore(double statistic, double pValue) {

    /** A score for a distance method: no p-value. */
    public static DriftScore distance(double value) {
        return new DriftScore(value, Double.NaN);
    }

    /** Whether this score carries a p-value. */
    public boolean hasPValue() {
        return !Double.isNaN(pValue);
    }
}
