package io.jenkins.plugins.mlstages.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Plural;

/**
 * Compares the profile of the new data with the reference's, column by column, with the test the
 * schema names or the one Evidently 0.7's {@code DataDriftPreset} picks: the column read as Evidently
 * reads it ({@link #kind}), then {@link DriftMethod#defaultFor} by that kind, the reference's size and
 * the distinct values; then turns the comparisons into findings, one per column and one for the dataset.
 * {@code EvidentlyDriftIT} checks the choice, the scores and the verdicts against Evidently 0.7.23.
 */
final class DriftCheck {
    private DriftCheck() {
    }

    static List<ColumnDrift> compare(DatasetProfile reference, DatasetProfile current, DataSchema schema) {
        return compare(reference, current, schema, true);
    }

    /**
     * @param textDrift false leaves out the columns read as text, unless the schema names their method
     */
    static List<ColumnDrift> compare(DatasetProfile reference, DatasetProfile current, DataSchema schema,
            boolean textDrift) {
        List<ColumnDrift> drifts = new ArrayList<>();
        for (ColumnProfile now : current.columns()) {
            Optional<ColumnProfile> then = reference.column(now.name());
            if (then.isEmpty() || now.finiteCount() == 0 || then.get().finiteCount() == 0) {
                continue;
            }
            ColumnRules rules = schema.columns().get(now.name());
            ColumnRules.DriftSetting setting = rules == null ? null : rules.drift();
            boolean chosen = setting != null && setting.method() != null;
            DriftMethod.Kind kind = kind(now);
            if (setting != null && setting.off() || !chosen && (kind == null || kind == DriftMethod.Kind.TEXT && !textDrift)) {
                continue;
            }
            drifts.add(compare(then.get(), now, kind, setting));
        }
        return drifts;
    }

    /** Evidently's {@code INTEGER_CARDINALITY_LIMIT}: an integer column with at most this many values is categorical. */
    static final int INTEGER_CARDINALITY_LIMIT = 10;

    /**
     * How Evidently 0.7 would read the column, from the <em>current</em> data as pandas' CSV reader types it
     * ({@code infer_column_type} in {@code evidently/core/datasets.py}); null for the columns it never tests:
     * <ul>
     *   <li>integer without missing values (pandas {@code int64}): categorical with at most 10 distinct
     *       values, else numerical; with a missing value, NaN or infinity (pandas {@code float64}): numerical;</li>
     *   <li>number: numerical; boolean and category: categorical;</li>
     *   <li>string: text when more than half of its values are distinct, else categorical;</li>
     *   <li>date and timestamp: null (Evidently never tests date-time columns).</li>
     * </ul>
     */
    static DriftMethod.Kind kind(ColumnProfile column) {
        switch (column.type()) {
            case INTEGER:
                boolean pandasInt = column.nulls() == 0 && column.nonFinite() == null;
                return pandasInt && distinctNumbers(column) <= INTEGER_CARDINALITY_LIMIT ? DriftMethod.Kind.CATEGORICAL
                        : DriftMethod.Kind.NUMERICAL;
            case NUMBER:
                return DriftMethod.Kind.NUMERICAL;
            case BOOLEAN:
            case CATEGORY:
                return DriftMethod.Kind.CATEGORICAL;
            case STRING:
                return column.distinct() > 0.5 * column.count() ? DriftMethod.Kind.TEXT : DriftMethod.Kind.CATEGORICAL;
            default:
                return null;
        }
    }

    /** Distinct numbers of a column (1 and 01 are one); more than the limit when its categories were not kept. */
    private static long distinctNumbers(ColumnProfile column) {
        if (column.categories() == null || Boolean.TRUE.equals(column.categoriesTruncated())) {
            return Math.max(column.distinct(), INTEGER_CARDINALITY_LIMIT + 1L);
        }
        return column.categories().keySet().stream().map(ColumnType::canonicalNumber).distinct().count();
    }

    private static ColumnDrift compare(ColumnProfile ref, ColumnProfile cur, DriftMethod.Kind kind,
            ColumnRules.DriftSetting setting) {
        // numbers on both sides: values are compared as numbers (1 and 1.0 are one value)
        boolean numbers = ref.type().isNumeric() && cur.type().isNumeric() && ref.sample() != null && cur.sample() != null;
        boolean numeric = kind == DriftMethod.Kind.NUMERICAL && numbers;
        DriftMethod.Kind readAs = kind == DriftMethod.Kind.NUMERICAL && !numbers ? DriftMethod.Kind.CATEGORICAL : kind;
        DriftMethod method = setting != null && setting.method() != null ? setting.method()
                : DriftMethod.defaultFor(readAs, ref.finiteCount(), distinctTogether(ref, cur, numbers));
        double threshold = setting != null && setting.threshold() != null ? setting.threshold() : method.defaultThreshold();
        DriftScore score = score(method, numbers, ref, cur);
        boolean drifted = method.drifted(score, threshold);
        boolean sampled = numeric && (ref.sampledFrom() > ref.sample().length || cur.sampledFrom() > cur.sample().length);
        return new ColumnDrift(cur.name(), method.reportName(), score.statistic(),
                Double.isNaN(score.pValue()) ? null : score.pValue(), threshold, drifted, ref.finiteCount(),
                cur.finiteCount(), sampled && (method == DriftMethod.KS || method == DriftMethod.WASSERSTEIN));
    }

    private static DriftScore score(DriftMethod method, boolean numbers, ColumnProfile ref, ColumnProfile cur) {
        boolean byValue = numbers && ref.categories() != null && cur.categories() != null;
        if (method.isText()) {
            if (ref.categories() == null || cur.categories() == null) {
                throw new IllegalArgumentException("column '" + cur.name() + "': drift method " + method.reportName()
                        + " needs a text column; use ks, wasserstein, chisquare, jensenshannon or psi");
            }
            DriftScore text = TextDrift.score(categories(ref, false), categories(cur, false));
            return method == DriftMethod.ABS_TEXT ? DriftScore.distance(text.statistic()) : text;
        }
        if (method == DriftMethod.Z) {
            if (ref.categories() == null || cur.categories() == null) {
                throw new IllegalArgumentException("column '" + cur.name() + "': drift method z needs a column with at most "
                        + ColumnProfiler.SMALL_CARDINALITY + " distinct values; use ks or wasserstein");
            }
            return DriftStatistics.zTest(categories(ref, numbers), categories(cur, numbers),
                    numbers ? Comparator.comparingDouble(DriftCheck::numberOrInfinity) : Comparator.naturalOrder());
        }
        if (numbers) {
            switch (method) {
                case KS:
                    return DriftStatistics.ksSorted(ref.sample(), cur.sample());
                case WASSERSTEIN:
                    return new DriftScore(DriftStatistics.wassersteinNormedSorted(ref.sample(), cur.sample()), Double.NaN);
                case PSI:
                    return new DriftScore(DriftStatistics.psi(ref.psiCounts(), cur.referenceBinCounts()), Double.NaN);
                case JENSEN_SHANNON:
                    if (byValue) {
                        return new DriftScore(DriftStatistics.jensenShannon(categories(ref, true), categories(cur, true)),
                                Double.NaN);
                    }
                    return new DriftScore(DriftStatistics.jensenShannon(ref.psiCounts(), cur.referenceBinCounts()), Double.NaN);
                case CHI_SQUARE:
                    if (byValue) {
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

    /** A category key as a number for ordering; {@link #OTHER} sorts last. */
    private static double numberOrInfinity(String key) {
        Double number = ColumnType.parseDouble(key);
        return number == null ? Double.POSITIVE_INFINITY : number;
    }

    /** Distinct values of both sides together, as Evidently counts them; an estimate past the category limit. */
    private static long distinctTogether(ColumnProfile ref, ColumnProfile cur, boolean byValue) {
        if (ref.categories() != null && cur.categories() != null && !Boolean.TRUE.equals(ref.categoriesTruncated())
                && !Boolean.TRUE.equals(cur.categoriesTruncated())) {
            java.util.Set<String> union = new java.util.HashSet<>(categories(ref, byValue).keySet());
            union.addAll(categories(cur, byValue).keySet());
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
        boolean bool = column.type() == ColumnType.BOOLEAN;
        for (Map.Entry<String, Long> entry : column.categories().entrySet()) {
            if (ColumnType.isNonFiniteNumber(entry.getKey())) {
                continue; // NaN and infinities are dropped, as Evidently drops them
            }
            // pandas reads True, TRUE and true as one bool value
            String key = byValue ? ColumnType.canonicalNumber(entry.getKey())
                    : bool ? entry.getKey().toLowerCase(Locale.ROOT) : entry.getKey();
            counts.merge(key, entry.getValue(), Long::sum);
            kept += entry.getValue();
        }
        if (kept < column.finiteCount()) {
            counts.merge(OTHER, column.finiteCount() - kept, Long::sum);
        }
        return counts;
    }

    /** When the method calls it drift, with Evidently's comparisons. */
    private static String ruleText(DriftMethod method, double threshold) {
        switch (method) {
            case KS:
                return "p ≤ " + threshold;
            case CHI_SQUARE:
            case Z:
                return "p < " + threshold;
            case PERC_TEXT:
                return "AUC above the random classifier's " + threshold + " quantile";
            case ABS_TEXT:
                return "AUC > " + threshold;
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
