package io.jenkins.plugins.mlstages.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Group fairness of a binary classifier over one sensitive column, with fairlearn's definitions
 * ({@code fairlearn/metrics/_fairness_metrics.py}, {@code _base_metrics.py} and
 * {@code _disaggregated_result.py}, fairlearn ebf8fa7; fairlearn is not a dependency, the integration test
 * recomputes them in NumPy):
 *
 * <ul>
 *   <li>selection rate of a group: share of its rows predicted 1 ({@code selection_rate}, {@code pos_label=1});</li>
 *   <li>true-positive rate {@code tp / (tp + fn)} and false-positive rate {@code fp / (fp + tn)} of a group, from
 *       {@code sklearn.metrics.confusion_matrix(normalize="true")}, whose {@code nan_to_num} turns 0/0 into 0.0:
 *       a group without positives has TPR 0, one without negatives FPR 0;</li>
 *   <li>{@code demographic_parity_difference} = max − min selection rate over groups ({@code method='between_groups'});
 *       {@code demographic_parity_ratio} = min / max (NaN when every selection rate is 0);</li>
 *   <li>{@code equalized_odds_difference} ({@code agg='worst_case'}) = the larger of the TPR difference and the
 *       FPR difference; {@code equalized_odds_ratio} = the smaller of the TPR ratio and the FPR ratio;
 *       {@code equal_opportunity_difference}/{@code _ratio} = the TPR difference/ratio.</li>
 * </ul>
 *
 * <p>The {@code to_overall} variants ({@link Method#TO_OVERALL}) compare each group with the value on all rows:
 * difference = {@code max |group - overall|}; ratio = {@code min} over groups of {@code group / overall},
 * inverted when above 1, NaN ratios (0/0) skipped as pandas' {@code min} does.
 * Groups are ordered by name ({@link String#compareTo}), as pandas' {@code groupby} sorts them.
 */
public final class Fairness {
    private Fairness() {
    }

    /** fairlearn's {@code method=} argument. */
    public enum Method {
        /** Between the extreme groups (fairlearn's default). */
        BETWEEN_GROUPS,
        /** Between each group and the whole data. */
        TO_OVERALL
    }

    /**
     * One group's rates.
     *
     * @param group the sensitive value
     * @param counts its confusion matrix
     * @param selectionRate share predicted 1
     * @param truePositiveRate {@code tp / (tp + fn)}, 0 without positives
     * @param falsePositiveRate {@code fp / (fp + tn)}, 0 without negatives
     */
    public record GroupRates(String group, ConfusionCounts counts, double selectionRate, double truePositiveRate,
            double falsePositiveRate) {

        /** Rows in the group. */
        public long count() {
            return counts.total();
        }

        static GroupRates of(String group, ConfusionCounts c) {
            return new GroupRates(group, c, c.selectionRate(), c.recall(), c.falsePositiveRate());
        }
    }

    /**
     * Fairness of a classifier on one sensitive column.
     *
     * @param method how groups were compared
     * @param groups per-group rates, ordered by name
     * @param overall the rates on all rows
     * @param demographicParityDifference {@code demographic_parity_difference}
     * @param demographicParityRatio {@code demographic_parity_ratio}
     * @param equalizedOddsDifference {@code equalized_odds_difference} (worst case)
     * @param equalizedOddsRatio {@code equalized_odds_ratio} (worst case)
     * @param equalOpportunityDifference {@code equal_opportunity_difference}
     * @param equalOpportunityRatio {@code equal_opportunity_ratio}
     */
    public record Report(Method method, List<GroupRates> groups, GroupRates overall,
            double demographicParityDifference, double demographicParityRatio, double equalizedOddsDifference,
            double equalizedOddsRatio, double equalOpportunityDifference, double equalOpportunityRatio) {
    }

    /** {@link #evaluate(int[], int[], String[], Method)} with predictions {@code score >= threshold}. */
    public static Report evaluate(int[] labels, double[] scores, double threshold, String[] groups, Method method) {
        BinaryMetrics.check(labels, scores);
        EvalInputs.threshold(threshold);
        int[] predicted = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            predicted[i] = scores[i] >= threshold ? 1 : 0;
        }
        return evaluate(labels, predicted, groups, method);
    }

    /**
     * Per-group rates and the fairlearn disparity metrics for 0/1 labels and predictions.
     *
     * @throws IllegalArgumentException for empty or mismatched input, labels or predictions other than 0/1, or a
     *     null group value (map missing values to a name of their own first)
     */
    public static Report evaluate(int[] labels, int[] predicted, String[] groups, Method method) {
        ConfusionCounts overallCounts = BinaryMetrics.confusion(labels, predicted);
        EvalInputs.notNull(groups, "groups");
        EvalInputs.notNull(method, "method");
        EvalInputs.rows("labels", labels.length, "groups", groups.length);
        TreeMap<String, long[]> cells = new TreeMap<>();
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == null) {
                throw new IllegalArgumentException("group at index " + i + " is null: give missing values a name");
            }
            cells.computeIfAbsent(groups[i], g -> new long[4])[labels[i] * 2 + predicted[i]]++;
        }
        return report(cells, overallCounts, method);
    }

    /**
     * The report from each group's cells ({@code [tn, fp, fn, tp]}, groups in name order) and the overall
     * counts: what {@link #evaluate} computes once the rows are counted, and what a bootstrap resample
     * computes from its weighted counts.
     */
    static Report report(TreeMap<String, long[]> cells, ConfusionCounts overallCounts, Method method) {
        List<GroupRates> rates = new ArrayList<>(cells.size());
        cells.forEach((g, c) -> rates.add(GroupRates.of(g, new ConfusionCounts(c[0], c[1], c[2], c[3]))));
        GroupRates overall = GroupRates.of("(all)", overallCounts);
        double[] sel = new double[rates.size()];
        double[] tpr = new double[rates.size()];
        double[] fpr = new double[rates.size()];
        for (int j = 0; j < rates.size(); j++) {
            sel[j] = rates.get(j).selectionRate();
            tpr[j] = rates.get(j).truePositiveRate();
            fpr[j] = rates.get(j).falsePositiveRate();
        }
        double dpd = difference(sel, overall.selectionRate(), method);
        double dpr = ratio(sel, overall.selectionRate(), method);
        double tprDiff = difference(tpr, overall.truePositiveRate(), method);
        double fprDiff = difference(fpr, overall.falsePositiveRate(), method);
        double tprRatio = ratio(tpr, overall.truePositiveRate(), method);
        double fprRatio = ratio(fpr, overall.falsePositiveRate(), method);
        return new Report(method, Collections.unmodifiableList(rates), overall, dpd, dpr,
                pythonMax(tprDiff, fprDiff), pythonMin(tprRatio, fprRatio), tprDiff, tprRatio);
    }

    /** fairlearn's {@code difference}: {@code (by_group - subtrahend).abs().max()}, NaN skipped. */
    static double difference(double[] byGroup, double overall, Method method) {
        double subtrahend = method == Method.TO_OVERALL ? overall : nanMin(byGroup);
        double max = Double.NaN;
        for (double v : byGroup) {
            double d = Math.abs(v - subtrahend);
            if (!Double.isNaN(d) && (Double.isNaN(max) || d > max)) {
                max = d;
            }
        }
        return max;
    }

    /** fairlearn's {@code ratio}: {@code group_min / group_max}, or the minimum of the sub-one ratios to overall. */
    static double ratio(double[] byGroup, double overall, Method method) {
        if (method == Method.BETWEEN_GROUPS) {
            return nanMin(byGroup) / nanMax(byGroup);
        }
        double min = Double.NaN;
        for (double v : byGroup) {
            double r = v / overall;
            if (r > 1) {
                r = 1 / r;
            }
            if (!Double.isNaN(r) && (Double.isNaN(min) || r < min)) {
                min = r;
            }
        }
        return min;
    }

    private static double nanMin(double[] values) {
        double min = Double.NaN;
        for (double v : values) {
            if (!Double.isNaN(v) && (Double.isNaN(min) || v < min)) {
                min = v;
            }
        }
        return min;
    }

    private static double nanMax(double[] values) {
        double max = Double.NaN;
        for (double v : values) {
            if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
                max = v;
            }
        }
        return max;
    }

    /**
     * Python's builtin {@code max([a, b])} (fairlearn applies it to the [tpr, fpr] Series): keeps {@code a}
     * unless {@code b > a}, so a NaN first value wins and a NaN second value loses.
     */
    private static double pythonMax(double a, double b) {
        return b > a ? b : a;
    }

    /** Python's builtin {@code min([a, b])}: keeps {@code a} unless {@code b < a}. */
    private static double pythonMin(double a, double b) {
        return b < a ? b : a;
    }
}
