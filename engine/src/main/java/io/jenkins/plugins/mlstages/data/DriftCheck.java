package io.jenkins.plugins.mlstages.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Plural;

/**
 * Compares the profile of the new data with the reference's, column by column, with the test the
 * schema names or Evidently's default for the column's type and the reference's size; then turns
 * the comparisons into findings, one per column and one for the dataset.
 */
final class DriftCheck {
    private DriftCheck() {
    }

    static List<ColumnDrift> compare(DatasetProfile reference, DatasetProfile current, DataSchema schema) {
        List<ColumnDrift> drifts = new ArrayList<>();
        for (ColumnProfile now : current.columns()) {
            Optional<ColumnProfile> then = reference.column(now.name());
            if (then.isEmpty() || now.count() == 0 || then.get().count() == 0) {
                continue;
            }
            ColumnRules rules = schema.columns().get(now.name());
            ColumnRules.DriftSetting setting = rules == null ? null : rules.drift();
            boolean chosen = setting != null && setting.method() != null;
            if (setting != null && setting.off() || !chosen && !comparedByDefault(now.type())) {
                continue;
            }
            drifts.add(compare(then.get(), now, setting));
        }
        return drifts;
    }

    /**
     * Numeric and categorical columns are compared unless the schema says otherwise; free text, dates
     * and timestamps only when the schema names a method (as Evidently leaves them out by default).
     */
    private static boolean comparedByDefault(ColumnType type) {
        return type.isNumeric() || type == ColumnType.CATEGORY || type == ColumnType.BOOLEAN;
    }

    private static ColumnDrift compare(ColumnProfile ref, ColumnProfile cur, ColumnRules.DriftSetting setting) {
        boolean numeric = ref.type().isNumeric() && cur.type().isNumeric() && ref.sample() != null && cur.sample() != null;
        DriftMethod method = setting != null && setting.method() != null ? setting.method()
                : DriftMethod.defaultFor(numeric, ref.count(), distinctTogether(ref, cur));
        double threshold = setting != null && setting.threshold() != null ? setting.threshold() : method.defaultThreshold();
        DriftScore score = score(method, numeric, ref, cur);
        boolean drifted = method.drifted(score, threshold);
        boolean sampled = numeric && (ref.sampledFrom() > ref.sample().length || cur.sampledFrom() > cur.sample().length);
        return new ColumnDrift(cur.name(), method.reportName(), score.statistic(),
                Double.isNaN(score.pValue()) ? null : score.pValue(), threshold, drifted, ref.count(), cur.count(),
                sampled && (method == DriftMethod.KS || method == DriftMethod.WASSERSTEIN));
    }

    private static DriftScore score(DriftMethod method, boolean numeric, ColumnProfile ref, ColumnProfile cur) {
        if (numeric) {
            switch (method) {
                case KS:
                    return DriftStatistics.ksSorted(ref.sample(), cur.sample());
                case WASSERSTEIN:
                    return new DriftScore(DriftStatistics.wassersteinNormedSorted(ref.sample(), cur.sample()), Double.NaN);
                case PSI:
                    return new DriftScore(DriftStatistics.psi(ref.psiCounts(), cur.referenceBinCounts()), Double.NaN);
                case JENSEN_SHANNON:
                    if (ref.categories() != null && cur.categories() != null) {
                        return new DriftScore(DriftStatistics.jensenShannon(categories(ref, true), categories(cur, true)),
                                Double.NaN);
                    }
                    return new DriftScore(DriftStatistics.jensenShannon(ref.psiCounts(), cur.referenceBinCounts()), Double.NaN);
                case CHI_SQUARE:
                    if (ref.categories() != null && cur.categories() != null) {
                        return DriftStatistics.chiSquare(categories(ref, true), categories(cur, true));
                    }
                    return DriftStatistics.chiSquare(bins(ref.psiCounts()), bins(cur.referenceBinCounts()));
                default:
                    throw new IllegalStateException("unhandled drift method " + method);
            }
        }
        if (method == DriftMethod.KS || method == DriftMethod.WASSERSTEIN) {
            throw new IllegalArgumentException("column '" + cur.name() + "': drift method " + method.reportName()
                    + " needs a numeric column; use chisquare, jensenshannon or psi");
        }
        Map<String, Long> refCats = categories(ref, false);
        Map<String, Long> curCats = categories(cur, false);
        switch (method) {
            case CHI_SQUARE:
                return DriftStatistics.chiSquare(refCats, curCats);
            case JENSEN_SHANNON:
                return new DriftScore(DriftStatistics.jensenShannon(refCats, curCats), Double.NaN);
            case PSI:
                List<String> keys = new ArrayList<>(refCats.keySet());
                curCats.keySet().stream().filter(k -> !refCats.containsKey(k)).forEach(keys::add);
                long[] r = new long[keys.size()];
                long[] c = new long[keys.size()];
                for (int i = 0; i < keys.size(); i++) {
                    r[i] = refCats.getOrDefault(keys.get(i), 0L);
                    c[i] = curCats.getOrDefault(keys.get(i), 0L);
                }
                return new DriftScore(DriftStatistics.psi(r, c), Double.NaN);
            default:
                throw new IllegalStateException("unhandled drift method " + method);
        }
    }

    /** Distinct values of both sides together, as Evidently counts them; an estimate past the category limit. */
    private static long distinctTogether(ColumnProfile ref, ColumnProfile cur) {
        if (ref.categories() != null && cur.categories() != null && !Boolean.TRUE.equals(ref.categoriesTruncated())
                && !Boolean.TRUE.equals(cur.categoriesTruncated())) {
            java.util.Set<String> union = new java.util.HashSet<>(ref.categories().keySet());
            union.addAll(cur.categories().keySet());
            return union.size();
        }
        return Math.max(ref.distinct(), cur.distinct());
    }

    /** Text that no kept category matched, when a column had more distinct values than are kept. */
    static final String OTHER = "(other)";

    /**
     * A column's category counts for a test. Numbers are keyed by value, so that 1, 1.0 and 1.00 are
     * one category; values beyond the kept ones are counted together as {@link #OTHER}.
     */
    private static Map<String, Long> categories(ColumnProfile column, boolean byValue) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long kept = 0;
        for (Map.Entry<String, Long> entry : column.categories().entrySet()) {
            String key = byValue ? ColumnType.canonicalNumber(entry.getKey()) : entry.getKey();
            counts.merge(key, entry.getValue(), Long::sum);
            kept += entry.getValue();
        }
        if (kept < column.count()) {
            counts.merge(OTHER, column.count() - kept, Long::sum);
        }
        return counts;
    }

    /** When the method calls it drift, with Evidently's comparisons. */
    private static String ruleText(DriftMethod method, double threshold) {
        switch (method) {
            case KS:
                return "p ≤ " + threshold;
            case CHI_SQUARE:
                return "p < " + threshold;
            default:
                return "≥ " + threshold;
        }
    }

    private static Map<String, Long> bins(long[] counts) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            map.put("bin" + i, counts[i]);
        }
        return map;
    }

    static List<Finding> findings(List<ColumnDrift> drifts, DataSchema.DriftSettings settings) {
        List<Finding> findings = new ArrayList<>();
        for (ColumnDrift drift : drifts) {
            String value = drift.pValue() != null
                    ? String.format(Locale.ROOT, "p = %.4g (statistic %.4g)", drift.pValue(), drift.statistic())
                    : String.format(Locale.ROOT, "%.4g", drift.statistic());
            String rule = ruleText(DriftMethod.parse(drift.method()), drift.threshold());
            findings.add(new Finding("drift." + drift.method(), drift.column(), settings.columnSeverity(), !drift.drifted(),
                    drift.column() + ": " + drift.method() + " " + value + (drift.drifted() ? ", drifted (" : ", no drift (")
                            + "drift when " + rule + ")" + (drift.sampled() ? " [on a sample]" : ""),
                    value, "drift when " + rule));
        }
        if (!drifts.isEmpty()) {
            long drifted = drifts.stream().filter(ColumnDrift::drifted).count();
            double share = (double) drifted / drifts.size();
            boolean datasetDrift = share >= settings.driftShare();
            findings.add(new Finding("drift.dataset", null, settings.severity(), !datasetDrift,
                    drifted + " of " + Plural.of(drifts.size(), "column") + " drifted (" + ColumnValidator.percent(share) + ")"
                            + (datasetDrift ? ": dataset drift" : ": no dataset drift") + ", the limit is "
                            + ColumnValidator.percent(settings.driftShare()),
                    String.format(Locale.ROOT, "%.4g", share), "< " + settings.driftShare()));
        }
        return findings;
    }
}
