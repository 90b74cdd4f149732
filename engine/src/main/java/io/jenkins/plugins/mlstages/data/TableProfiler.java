package io.jenkins.plugins.mlstages.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.table.SqlColumn;
import io.jenkins.plugins.mlstages.table.SqlDialect;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlResult;
import io.jenkins.plugins.mlstages.table.SqlText;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import io.jenkins.plugins.mlstages.table.TimedQuery;

/**
 * The profile of a table, pushed down: the database computes aggregates in a few queries and only they come back,
 * then they are put into the same {@link ColumnProfile}s and {@link ColumnValidator} findings the file readers give
 * (docs/tables.md). The queries, each one scan:
 * <ol>
 *   <li>the columns and their types ({@code LIMIT 0});</li>
 *   <li>per column: values, nulls, NaN/infinities, min, max, mean, variance, distinct values, and each rule's
 *       violating rows;</li>
 *   <li>per numeric column: a grid of {@code m = min(values, sample size)} quantiles at ranks {@code (i + 0.5)/m}
 *       (exactly the sorted values when they fit), the 20-bin histogram and the counts in the reference's bins;</li>
 *   <li>per column kept as categories: its {@value ColumnProfiler#MAX_CATEGORIES} most frequent values;</li>
 *   <li>when a rule fails: a few offending values per rule.</li>
 * </ol>
 */
final class TableProfiler {
    private static final String[] QUANTILE_NAMES = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};
    private static final double[] QUANTILE_RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    private final SqlEngine engine;
    private final SqlText sql;
    private final StageLog log;
    private final Duration timeout;

    TableProfiler(SqlEngine engine, StageLog log, Duration timeout) {
        this.engine = engine;
        this.sql = new SqlText(engine.dialect());
        this.log = log;
        this.timeout = timeout;
    }

    /** What one profile gave: the profile, the validators with their counts, the column names in order. */
    record Profiled(DatasetProfile profile, List<String> columns, List<ColumnValidator> validators) {
    }

    /**
     * @param reference the reference profile whose bin edges the numbers are counted into; null without one
     * @param optionName the option that named the source, for messages
     */
    Profiled profile(TableQuery what, String optionName, DataSchema schema, DatasetProfile reference, int sampleSize,
            int maxErrors, String label) throws TableSourceException, InterruptedException {
        String source = sql.source(what, optionName);
        SqlResult shape = run("SELECT * FROM " + source + sql.limit(0), label + ": columns");
        List<Col> cols = new ArrayList<>();
        for (SqlColumn column : shape.columns()) {
            ColumnRules rules = schema.columns().get(column.name());
            cols.add(new Col(column, rules, rules == null ? null : new ColumnValidator(rules, maxErrors)));
        }
        if (cols.isEmpty()) {
            throw new TableSourceException(optionName + ": the source has no columns", false);
        }

        // 2. counts, moments, distinct values, rule violations
        Select counts = new Select();
        int rowsSlot = counts.add("COUNT(*)");
        for (Col c : cols) {
            String x = sql.identifier(c.name());
            c.count = counts.add("COUNT(" + x + ")");
            if (c.source.type().isNumeric()) {
                String f = sql.finite(x);
                if (c.source.type() == ColumnType.NUMBER) {
                    c.nonFinite = counts.add(sql.countIf(sql.nonFinite(x)));
                }
                c.min = counts.add("MIN(" + f + ")");
                c.max = counts.add("MAX(" + f + ")");
                c.mean = counts.add("AVG(" + f + ")");
                c.variance = counts.add(sql.variance(f));
            }
            boolean exactDistinct = c.rules != null && c.rules.unique() != null && c.rules.unique().value();
            c.distinct = counts.add(sql.distinct(x, exactDistinct));
            c.distinctExact = exactDistinct || sql.distinctIsExact();
            if (c.validator != null) {
                for (Violation v : violations(c)) {
                    v.slot = counts.add(v.check == ColumnValidator.Check.UNIQUE ? "COUNT(" + x + ") - " + sql.distinct(x, true)
                            : sql.countIf(v.condition));
                    c.violations.add(v);
                }
                c.compared = c.comparedExpression == null ? -1 : counts.add(sql.countIf(c.comparedExpression));
            }
        }
        List<Object> row = single(run(counts.sql(source), label + ": counts and rules of " + Plural.of(cols.size(), "column")));
        long rows = asLong(row.get(rowsSlot));
        for (Col c : cols) {
            c.values = asLong(row.get(c.count));
            c.nonFiniteValues = c.nonFinite < 0 ? 0 : asLong(row.get(c.nonFinite));
            c.distinctValues = asLong(row.get(c.distinct));
            for (Violation v : c.violations) {
                v.count = asLong(row.get(v.slot));
            }
            if (c.compared >= 0) {
                c.validator.addCompared(asLong(row.get(c.compared)));
            }
            c.type = type(c);
            c.numeric = c.type.isNumeric() && c.source.type().isNumeric() && c.values - c.nonFiniteValues > 0;
            if (c.numeric) {
                c.minValue = asDouble(row.get(c.min));
                c.maxValue = asDouble(row.get(c.max));
                c.meanValue = asDouble(row.get(c.mean));
                Double variance = asDouble(row.get(c.variance));
                c.stdValue = variance == null ? 0.0 : Math.sqrt(Math.max(0, variance));
            }
        }

        // 3. the quantile grid, the histogram and the reference's bins of each numeric column
        Select grids = new Select();
        for (Col c : cols) {
            if (!c.numeric) {
                continue;
            }
            // Without NaN or infinities in the column (known from the counts) the column is compared as it is: the
            // CASE that keeps them out would be evaluated once per row and edge.
            String f = c.nonFiniteValues == 0 ? sql.identifier(c.name()) : sql.finite(sql.identifier(c.name()));
            long finite = c.values - c.nonFiniteValues;
            int cap = engine.dialect() == SqlDialect.SPARK ? Math.min(sampleSize, SqlText.SPARK_MAX_GRID) : sampleSize;
            c.gridSize = (int) Math.min(finite, cap);
            c.grid = grids.add(sql.quantileGrid(f, c.gridSize));
            c.histogramEdges = histogramEdges(c.minValue, c.maxValue);
            c.histogramSlots = new int[c.histogramEdges.length - 2];
            for (int i = 1; i < c.histogramEdges.length - 1; i++) {
                c.histogramSlots[i - 1] = grids.add(sql.countIf(f + " <= " + sql.number(c.histogramEdges[i])));
            }
            double[] edges = reference == null ? null : reference.column(c.name()).map(ColumnProfile::psiEdges).orElse(null);
            if (edges != null) {
                c.referenceEdges = edges;
                c.referenceSlots = new int[edges.length];
                for (int i = 0; i < edges.length; i++) {
                    c.referenceSlots[i] = grids.add(sql.countIf(f + " <= " + sql.number(edges[i])));
                }
            }
        }
        if (grids.size() > 0) {
            List<Object> g = single(run(grids.sql(source), label + ": quantiles and bins of "
                    + Plural.of(cols.stream().filter(c -> c.numeric).count(), "numeric column")));
            for (Col c : cols) {
                if (!c.numeric) {
                    continue;
                }
                c.sample = doubles(g.get(c.grid));
                Arrays.sort(c.sample);
                long finite = c.values - c.nonFiniteValues;
                c.histogramCounts = binsFromCumulative(g, c.histogramSlots, finite);
                if (c.referenceSlots != null) {
                    c.referenceCounts = binsFromCumulative(g, c.referenceSlots, finite);
                }
            }
        }

        // 4. category counts of the columns kept as categories
        List<Col> categorical = cols.stream().filter(c -> c.values > 0 && (c.numeric
                ? c.distinctValues <= ColumnProfiler.SMALL_CARDINALITY
                : true)).toList();
        if (!categorical.isEmpty()) {
            StringBuilder union = new StringBuilder();
            for (int i = 0; i < categorical.size(); i++) {
                String x = sql.identifier(categorical.get(i).name());
                union.append(i == 0 ? "" : "\nUNION ALL\n").append("(SELECT ").append(i).append(" AS mlstages_column, ")
                        .append(sql.text(x)).append(" AS mlstages_value, COUNT(*) AS mlstages_count FROM ").append(source)
                        .append(" WHERE ").append(x).append(" IS NOT NULL GROUP BY ").append(x)
                        .append(" ORDER BY mlstages_count DESC, mlstages_value").append(sql.limit(ColumnProfiler.MAX_CATEGORIES + 1))
                        .append(")");
            }
            SqlResult result = run("SELECT * FROM (" + union + ") AS mlstages_categories", label + ": category counts of "
                    + Plural.of(categorical.size(), "column"));
            for (List<Object> r : result.rows()) {
                Col c = categorical.get((int) asLong(r.get(0)));
                if (c.categories.size() >= ColumnProfiler.MAX_CATEGORIES) {
                    c.categoriesTruncated = true;
                    continue;
                }
                c.categories.put(String.valueOf(r.get(1)), asLong(r.get(2)));
            }
        }

        // 5. a few offending values of each failing rule
        List<Violation> failing = new ArrayList<>();
        cols.forEach(c -> c.violations.stream().filter(v -> v.count > 0).forEach(failing::add));
        if (!failing.isEmpty() && maxErrors > 0) {
            StringBuilder union = new StringBuilder();
            for (int i = 0; i < failing.size(); i++) {
                Violation v = failing.get(i);
                String x = sql.identifier(v.column.name());
                union.append(i == 0 ? "" : "\nUNION ALL\n").append("(SELECT ").append(i).append(" AS mlstages_rule, ")
                        .append(sql.text(x)).append(" AS mlstages_value FROM ").append(source);
                if (v.check == ColumnValidator.Check.UNIQUE) {
                    union.append(" WHERE ").append(x).append(" IS NOT NULL GROUP BY ").append(x).append(" HAVING COUNT(*) > 1");
                } else {
                    union.append(" WHERE ").append(v.condition);
                }
                union.append(sql.limit(maxErrors)).append(")");
            }
            SqlResult examples = run("SELECT * FROM (" + union + ") AS mlstages_examples", label + ": offending values of "
                    + failing.size() + " rules");
            for (List<Object> r : examples.rows()) {
                failing.get((int) asLong(r.get(0))).examples.add(String.valueOf(r.get(1)));
            }
        }
        for (Col c : cols) {
            for (Violation v : c.violations) {
                c.validator.addCounted(v.check, v.count, v.examples);
            }
        }

        List<ColumnProfile> profiles = new ArrayList<>();
        for (Col c : cols) {
            profiles.add(c.finish(rows));
        }
        List<String> names = cols.stream().map(Col::name).toList();
        List<ColumnValidator> validators = cols.stream().map(c -> c.validator).toList();
        return new Profiled(new DatasetProfile(null, rows, profiles), names, new ArrayList<>(validators));
    }

    /**
     * The version a table's source keeps of it, for lineage: a Delta table's latest version in Spark
     * ({@code DESCRIBE HISTORY}); null for a query, in PostgreSQL (no versions), and for a Spark table that is not
     * Delta (the statement fails: the table is profiled all the same).
     */
    String tableVersion(TableQuery what) throws InterruptedException {
        if (what.table() == null || engine.dialect() != SqlDialect.SPARK) {
            return null;
        }
        try {
            SqlResult history = engine.query("DESCRIBE HISTORY " + sql.source(what, "--table") + sql.limit(1),
                    Duration.ofSeconds(60));
            for (int i = 0; i < history.columns().size(); i++) {
                if (history.columns().get(i).name().equals("version") && !history.rows().isEmpty()) {
                    Object version = history.rows().get(0).get(i);
                    return version == null ? null : String.valueOf(version);
                }
            }
            return null;
        } catch (TableSourceException notDelta) {
            return null;
        }
    }

    /** The declared type, else the source's, with text columns of few values read as categories as the file readers do. */
    private static ColumnType type(Col c) {
        if (c.rules != null && c.rules.declaredType() != null) {
            return c.rules.declaredType();
        }
        ColumnType source = c.source.type();
        if (source == ColumnType.STRING && c.values > 0 && c.distinctValues <= ColumnProfiler.SMALL_CARDINALITY
                && c.distinctValues * 2 <= c.values) {
            return ColumnType.CATEGORY;
        }
        return source;
    }

    /** The rules of a column as conditions on its non-null values, each counted in the counts query. */
    private List<Violation> violations(Col c) throws TableSourceException {
        ColumnRules rules = c.rules;
        String x = sql.identifier(c.name());
        String text = sql.text(x);
        ColumnType source = c.source.type();
        ColumnType declared = rules.declaredType();
        List<Violation> list = new ArrayList<>();
        String fits = null; // a condition that the value fits the declared type; null: every value does
        if (rules.type() != null) {
            fits = typeCondition(declared, source, x, text);
            if (fits != null) {
                list.add(new Violation(c, ColumnValidator.Check.TYPE, x + " IS NOT NULL AND NOT " + fits));
            }
        }
        if (rules.min() != null || rules.max() != null) {
            String value;
            if (source.isNumeric()) {
                value = sql.finite(x);
            } else if ((source == ColumnType.DATE || source == ColumnType.TIMESTAMP)
                    && (declared == ColumnType.DATE || declared == ColumnType.TIMESTAMP || declared == null)) {
                value = x;
            } else {
                throw new TableSourceException("column '" + c.name() + "': min and max compare numbers, dates and timestamps;"
                        + " its type in the table is " + c.source.sourceType() + ": cast it in --query", false);
            }
            String present = value + " IS NOT NULL" + (fits == null ? "" : " AND " + fits);
            c.comparedExpression = present;
            if (rules.min() != null) {
                list.add(new Violation(c, ColumnValidator.Check.MIN, present + " AND " + value + " < " + bound(source, rules.min().value())));
            }
            if (rules.max() != null) {
                list.add(new Violation(c, ColumnValidator.Check.MAX, present + " AND " + value + " > " + bound(source, rules.max().value())));
            }
        }
        if (rules.allowedValues() != null) {
            StringBuilder in = new StringBuilder();
            for (String allowed : rules.allowedValues().value().stream().sorted().toList()) {
                in.append(in.length() == 0 ? "" : ", ").append(sql.string(allowed));
            }
            list.add(new Violation(c, ColumnValidator.Check.ALLOWED_VALUES, x + " IS NOT NULL AND "
                    + (in.length() == 0 ? "1 = 1" : text + " NOT IN (" + in + ")")));
        }
        if (rules.regex() != null) {
            list.add(new Violation(c, ColumnValidator.Check.REGEX, x + " IS NOT NULL AND NOT "
                    + sql.matches(text, rules.regex().value().pattern())));
        }
        if (rules.maxLength() != null) {
            list.add(new Violation(c, ColumnValidator.Check.MAX_LENGTH, x + " IS NOT NULL AND " + sql.length(text) + " > "
                    + rules.maxLength().value()));
        }
        if (rules.unique() != null && rules.unique().value()) {
            list.add(new Violation(c, ColumnValidator.Check.UNIQUE, null));
        }
        return list;
    }

    /** A rule bound as a literal of the column's kind. */
    private String bound(ColumnType source, String value) {
        if (source == ColumnType.DATE) {
            return sql.date(value);
        }
        if (source == ColumnType.TIMESTAMP) {
            return value.length() == 10 ? sql.timestamp(value + " 00:00:00") : sql.timestamp(value);
        }
        Double number = ColumnType.parseDouble(value);
        if (number == null) {
            throw new IllegalArgumentException("min/max '" + value + "' is not a number");
        }
        return sql.number(number);
    }

    /** When a value of the source's type fits the declared type; null when every value does. */
    private String typeCondition(ColumnType declared, ColumnType source, String x, String text) {
        if (declared == null || declared == ColumnType.STRING || declared == ColumnType.CATEGORY || declared == source) {
            // NaN and infinities are not NUMBER values, as in the file readers
            return declared == ColumnType.NUMBER && source == ColumnType.NUMBER ? "NOT " + sql.nonFinite(x) : null;
        }
        if (declared == ColumnType.NUMBER && source == ColumnType.INTEGER) {
            return null;
        }
        if (declared == ColumnType.INTEGER && source == ColumnType.NUMBER) {
            return "(" + sql.finite(x) + " = FLOOR(" + sql.finite(x) + ") AND ABS(" + sql.finite(x) + ") < 9.2e18)";
        }
        return switch (declared) {
            case INTEGER -> sql.matches(text, "[+-]?[0-9]{1,19}");
            case NUMBER -> sql.matches(text, "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?");
            case BOOLEAN -> "LOWER(" + text + ") IN ('true', 'false')";
            case DATE -> sql.matches(text, "[0-9]{4}-[0-9]{2}-[0-9]{2}");
            case TIMESTAMP -> sql.matches(text, "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?");
            default -> null;
        };
    }

    /** The 21 edges of the 20 equal-width display bins, as the file profiler draws them. */
    private static double[] histogramEdges(double min, double max) {
        if (min == max) {
            return new double[] {min, max};
        }
        int bins = ColumnProfiler.HISTOGRAM_BINS;
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = min + (max - min) * i / bins;
        }
        edges[bins] = max;
        return edges;
    }

    /** Bin counts from counts of values at or below each inner edge: a value on an edge falls in the lower bin. */
    private static long[] binsFromCumulative(List<Object> row, int[] slots, long total) {
        long[] counts = new long[slots.length + 1];
        long below = 0;
        for (int i = 0; i < slots.length; i++) {
            long atOrBelow = asLong(row.get(slots[i]));
            counts[i] = atOrBelow - below;
            below = atOrBelow;
        }
        counts[slots.length] = total - below;
        return counts;
    }

    private SqlResult run(String text, String what) throws TableSourceException, InterruptedException {
        return TimedQuery.run(engine, text, timeout, log, what);
    }

    private static List<Object> single(SqlResult result) throws TableSourceException {
        if (result.rows().size() != 1) {
            throw new TableSourceException("an aggregate query gave " + result.rows().size() + " rows, not 1", true);
        }
        return result.rows().get(0);
    }

    static long asLong(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        return Long.parseLong(value.toString());
    }

    static Double asDouble(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return Double.valueOf(value.toString());
    }

    private static double[] doubles(Object value) throws TableSourceException {
        if (!(value instanceof List<?> list)) {
            throw new TableSourceException("a quantile query gave " + (value == null ? "null" : value.getClass().getSimpleName())
                    + ", not an array", true);
        }
        double[] result = new double[list.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = asDouble(list.get(i));
        }
        return result;
    }

    /** A SELECT of numbered aggregates: each added expression has its slot in the one result row. */
    private static final class Select {
        private final List<String> expressions = new ArrayList<>();

        int add(String expression) {
            expressions.add(expression);
            return expressions.size() - 1;
        }

        int size() {
            return expressions.size();
        }

        String sql(String source) {
            StringBuilder text = new StringBuilder("SELECT ");
            for (int i = 0; i < expressions.size(); i++) {
                text.append(i == 0 ? "" : ",\n  ").append(expressions.get(i)).append(" AS a").append(i);
            }
            return text.append("\nFROM ").append(source).toString();
        }
    }

    /** One rule's violations: the condition on a row, its slot in the counts, the count and a few values. */
    private static final class Violation {
        final Col column;
        final ColumnValidator.Check check;
        final String condition;
        int slot;
        long count;
        final List<String> examples = new ArrayList<>();

        Violation(Col column, ColumnValidator.Check check, String condition) {
            this.column = column;
            this.check = check;
            this.condition = condition;
        }
    }

    /** One column's slots in the queries and what they gave. */
    private static final class Col {
        final SqlColumn source;
        final ColumnRules rules;
        final ColumnValidator validator;
        final List<Violation> violations = new ArrayList<>();
        int count;
        int nonFinite = -1;
        int min;
        int max;
        int mean;
        int variance;
        int distinct;
        int compared = -1;
        int grid;
        int gridSize;
        int[] histogramSlots;
        int[] referenceSlots;
        String comparedExpression;
        boolean distinctExact;
        long values;
        long nonFiniteValues;
        long distinctValues;
        ColumnType type;
        boolean numeric;
        Double minValue;
        Double maxValue;
        Double meanValue;
        Double stdValue;
        double[] sample;
        double[] histogramEdges;
        long[] histogramCounts;
        double[] referenceEdges;
        long[] referenceCounts;
        final Map<String, Long> categories = new LinkedHashMap<>();
        boolean categoriesTruncated;

        Col(SqlColumn source, ColumnRules rules, ColumnValidator validator) {
            this.source = source;
            this.rules = rules;
            this.validator = validator;
        }

        String name() {
            return source.name();
        }

        ColumnProfile finish(long rows) {
            long nulls = rows - values;
            boolean categoriesKept = !categories.isEmpty() || values == 0;
            // the distinct count is exact when the database counted exactly or every category came back
            boolean exact = distinctExact || categoriesKept && !categoriesTruncated;
            long distinctCount = categoriesKept && !categoriesTruncated ? categories.size() : distinctValues;
            // most frequent first, then by value, as the file profiler orders them
            List<ColumnProfile.ValueCount> sorted = new ArrayList<>();
            categories.forEach((value, n) -> sorted.add(new ColumnProfile.ValueCount(value, n)));
            sorted.sort(java.util.Comparator.comparingLong(ColumnProfile.ValueCount::count).reversed()
                    .thenComparing(ColumnProfile.ValueCount::value));
            Map<String, Long> ordered = new LinkedHashMap<>();
            sorted.forEach(v -> ordered.put(v.value(), v.count()));
            List<ColumnProfile.ValueCount> top = List.copyOf(sorted.subList(0, Math.min(sorted.size(), ColumnProfiler.TOP_VALUES)));
            Long nonFiniteOrNull = nonFiniteValues == 0 ? null : nonFiniteValues;
            if (!numeric) {
                return new ColumnProfile(name(), type, values, nulls, distinctCount, exact, null, null, null, null, null, null,
                        top, null, null, null, null, categoriesKept ? ordered : null, categoriesTruncated || !categoriesKept, null,
                        nonFiniteOrNull);
            }
            long finite = values - nonFiniteValues;
            Map<String, Double> q = new LinkedHashMap<>();
            for (int i = 0; i < QUANTILE_RANKS.length; i++) {
                q.put(QUANTILE_NAMES[i], DriftStatistics.quantile(sample, QUANTILE_RANKS[i]));
            }
            double[] edges = DriftStatistics.psiBinEdges(sample);
            long[] psiCounts = DriftStatistics.binCounts(edges, sample);
            boolean small = !categoriesTruncated && !categories.isEmpty() && categories.size() <= ColumnProfiler.SMALL_CARDINALITY;
            ColumnProfile.Histogram histogram = new ColumnProfile.Histogram(histogramEdges, histogramCounts);
            return new ColumnProfile(name(), type, values, nulls, distinctCount, exact, minValue, maxValue, meanValue,
                    finite > 1 ? stdValue : 0.0, q, histogram, small ? top : List.of(), sample, finite, edges, psiCounts,
                    small ? ordered : null, null, referenceCounts, nonFiniteOrNull);
        }
    }
}
