package io.jenkins.plugins.mlstages.eval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlResult;
import io.jenkins.plugins.mlstages.table.SqlText;
import io.jenkins.plugins.mlstages.table.TableQuery;
import io.jenkins.plugins.mlstages.table.TableSourceException;
import io.jenkins.plugins.mlstages.table.TimedQuery;

/**
 * The evaluateModel stage over predictions that live in a table (Spark, a SQL database): the work is pushed down
 * as a few aggregate queries and only their results come back (docs/tables.md, "Evaluate"), then the metrics are
 * assembled by the same code as {@link EvaluateModel}'s, under the same names, into the same {@link EvaluateResult}.
 *
 * <ul>
 * <li>Binary with scores: the confusion counts at the threshold, the log-loss and Brier sums and the calibration
 * bins are exact sums; ROC AUC, average precision, the curves and {@code --threshold-metric} come from the scores
 * grouped by value, exact up to {@value #MAX_EXACT_SCORES} distinct scores, past that from a histogram of
 * {@value #HISTOGRAM_BINS} equal bins between the lowest and highest score (each point an exact point of the curve
 * at a bin's lowest score; the ROC AUC's error is at most the reported {@code roc_auc_resolution}).</li>
 * <li>Binary with predicted labels, and regression: exact sums and moments (two passes for the variances).</li>
 * <li>Slices: the same queries per value of each slice column.</li>
 * <li>No bootstrap intervals: a resample needs every row's weight; an INFO finding says so.</li>
 * </ul>
 * Multiclass, {@code --champion-score} and {@code --sensitive} are refused (use a predictions file).
 */
public final class TableEvaluate {
    /** Distinct scores up to which the ranking metrics are exact. */
    public static final int MAX_EXACT_SCORES = 100_000;
    /** Bins of the score histogram past {@link #MAX_EXACT_SCORES}. */
    public static final int HISTOGRAM_BINS = 100_000;
    /** Values of one slice column at most (each is a few queries). */
    public static final int MAX_SLICE_VALUES = 1_000;

    private final SqlEngine engine;
    private final SqlText sql;
    private final StageLog log;
    private final Duration timeout;

    public TableEvaluate(SqlEngine engine, StageLog log, Duration timeout) {
        this.engine = engine;
        this.sql = new SqlText(engine.dialect());
        this.log = log;
        this.timeout = timeout;
    }

    /**
     * @param request what to compute; its {@code predictions} path is not read
     * @throws TableSourceException the source refused a query, is unreachable, or the predictions are bad (a missing
     *         label, a non-finite score): one line naming the column
     * @throws IllegalArgumentException an option the table path does not take (exit 2)
     */
    public EvaluateResult run(EvaluateRequest request, TableQuery source, String sourceOption)
            throws TableSourceException, InterruptedException {
        if (request.task() == Task.MULTICLASS) {
            throw new IllegalArgumentException("--task multiclass is not pushed down to a table source yet: export the"
                    + " predictions to a file and use --predictions");
        }
        if (request.championScoreColumn() != null || request.sensitiveColumn() != null) {
            throw new IllegalArgumentException("--champion-score and --sensitive need the rows: use --predictions with a file");
        }
        String from = sql.source(source, sourceOption);
        log.info("evaluate: the work runs in " + engine.location());
        List<Finding> findings = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        Part whole = evaluate(request, from, null, request.threshold(), request.thresholdMetric(), metrics, findings);
        List<EvaluateResult.SliceMetrics> slices = slices(request, from, whole.threshold, findings);
        if (request.resamples() > 0) {
            findings.add(new Finding("evaluate.no_interval", null, Severity.INFO, true, "no bootstrap intervals: the "
                    + "predictions were evaluated where they live, as aggregates (docs/tables.md)", "pushed down",
                    "rows on the agent"));
        }
        String digest = digest(engine.location() + "\n" + from);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", engine.location());
        attributes.put(source.table() != null ? "table" : "query", source.table() != null ? source.table() : source.query());
        attributes.put("rows", String.valueOf(whole.rows));
        List<LineageNode> lineage = List.of(new LineageNode("dataset", digest,
                source.table() != null ? source.table() : "query", attributes));
        Status status = StageReport.verdict(findings);
        log.info("evaluate: " + Plural.of(whole.rows, "row") + " in " + engine.location() + ", "
                + Plural.of(metrics.size(), "metric") + (slices.isEmpty() ? "" : ", " + Plural.of(slices.size(), "slice"))
                + ": " + status);
        return new EvaluateResult(status, findings, metrics, lineage, request.task().toString(), whole.rows,
                whole.threshold, null, null, slices.isEmpty() ? null : slices, null, whole.confusion, null, whole.curves);
    }

    /** What one evaluation (the whole table or a slice) gives besides its metrics. */
    private record Part(long rows, Double threshold, long[][] confusion, EvaluateResult.Curves curves) {
    }

    private Part evaluate(EvaluateRequest request, String from, String filter, Double threshold, String thresholdMetric,
            Map<String, Double> metrics, List<Finding> findings) throws TableSourceException, InterruptedException {
        if (request.task() == Task.REGRESSION) {
            return regression(request, from, filter, metrics, findings);
        }
        if (request.predictionColumn() != null) {
            return binaryLabels(request, from, filter, metrics, findings);
        }
        return binaryScores(request, from, filter, threshold, thresholdMetric, metrics, findings);
    }

    // ---- binary -----------------------------------------------------------------------------------------

    /** 1 for the positive class, 0 for the other, null for a label that is neither (as the file path reads labels). */
    private String binary(String column, String positive) {
        String text = sql.text(sql.identifier(column));
        if (positive != null) {
            return "CASE WHEN " + text + " = " + sql.string(positive) + " THEN 1 WHEN " + text + " IS NOT NULL THEN 0 END";
        }
        String norm = "LOWER(TRIM(" + text + "))";
        return "CASE WHEN " + norm + " IN ('1', '1.0', 'true', 'yes') THEN 1 WHEN " + norm
                + " IN ('0', '0.0', 'false', 'no') THEN 0 END";
    }

    private String rows(String from, String filter, String... columns) {
        return "(SELECT " + String.join(", ", columns) + " FROM " + from + (filter == null ? "" : " WHERE " + filter)
                + ") AS mlstages_rows";
    }

    private Part binaryScores(EvaluateRequest request, String from, String filter, Double fixed, String thresholdMetric,
            Map<String, Double> metrics, List<Finding> findings) throws TableSourceException, InterruptedException {
        String label = request.label();
        String score = request.scoreColumns().get(0);
        String rows = rows(from, filter, sql.identifier(label) + " AS l", binary(label, request.positiveLabel()) + " AS y",
                "CAST(" + sql.identifier(score) + " AS " + doubleType() + ") AS s");
        List<Object> check = one("checking " + label + " and " + score, "SELECT COUNT(*), "
                + sql.countIf("l IS NULL") + ", " + sql.countIf("l IS NOT NULL AND y IS NULL") + ", "
                + sql.countIf("s IS NULL") + ", " + sql.countIf(sql.nonFinite("s")) + ", " + sql.countIf("y = 1") + ", "
                + "MIN(CASE WHEN l IS NOT NULL AND y IS NULL THEN " + sql.text("l") + " END), "
                + (request.positiveLabel() != null ? "COUNT(DISTINCT " + sql.text("l") + ")" : "0") + " FROM " + rows);
        long n = count(check.get(0));
        checkLabels(request, label, check, n);
        if (count(check.get(3)) > 0 || count(check.get(4)) > 0) {
            throw bad("--score: column '" + score + "' has " + Plural.of(count(check.get(3)), "missing value") + " and "
                    + Plural.of(count(check.get(4)), "NaN or infinite value") + "; every score must be a finite number");
        }
        String finite = "s IS NOT NULL";
        Ranking ranking = ranking(rows, finite);
        double threshold = fixed != null ? fixed : BinaryMetrics.DEFAULT_THRESHOLD;
        if (thresholdMetric != null) {
            BinaryMetrics.Result probe = BinaryMetrics.fromAggregates(ranking.scores, ranking.positives, ranking.negatives,
                    new ConfusionCounts(0, 0, 0, 1), threshold, null);
            BinaryMetrics.ThresholdChoice choice = thresholdMetric.equals("f1") ? probe.bestF1() : probe.bestAccuracy();
            threshold = choice.threshold();
            log.info("evaluate: threshold " + threshold + " maximises " + thresholdMetric + " ("
                    + EvaluateModel.format(choice.value()) + ")");
        }
        boolean probabilities = ranking.scores[ranking.scores.length - 1] >= 0 && ranking.scores[0] <= 1;
        // One GROUP BY over (calibration bin, predicted positive): at most 20 rows carry the confusion counts, the
        // log-loss and Brier sums and the calibration bins.
        double[] edges = BinaryMetrics.calibrationBinEdges();
        int bins = edges.length - 1;
        StringBuilder bin = new StringBuilder("0");
        if (probabilities) {
            bin = new StringBuilder("CASE");
            for (int b = 0; b + 1 < bins; b++) {
                bin.append(" WHEN s <= ").append(sql.number(edges[b + 1])).append(" THEN ").append(b);
            }
            bin.append(" ELSE ").append(bins - 1).append(" END");
        }
        String eps = sql.number(BinaryMetrics.EPS);
        String oneMinusEps = sql.number(1 - BinaryMetrics.EPS);
        String logLoss = probabilities ? "SUM(-LN(LEAST(GREATEST(CASE WHEN y = 1 THEN s ELSE 1 - s END, " + eps + "), "
                + oneMinusEps + ")))" : "0";
        String brier = probabilities ? "SUM(((1 - y) - (1 - s)) * ((1 - y) - (1 - s)) + (y - s) * (y - s))" : "0";
        SqlResult groups = query("confusion at " + threshold + (probabilities ? ", log loss, calibration" : ""),
                "SELECT b, z, COUNT(*), SUM(y), SUM(s), " + logLoss + ", " + brier + " FROM (SELECT y, s, " + bin
                        + " AS b, CASE WHEN s >= " + sql.number(threshold) + " THEN 1 ELSE 0 END AS z FROM " + rows
                        + ") AS mlstages_bins GROUP BY b, z");
        long tn = 0;
        long fp = 0;
        long fn = 0;
        long tp = 0;
        double logLossSum = 0;
        double brierSum = 0;
        long[] binCounts = new long[bins];
        double[] binScores = new double[bins];
        double[] binLabels = new double[bins];
        for (List<Object> group : groups.rows()) {
            int b = (int) count(group.get(0));
            boolean positive = count(group.get(1)) == 1;
            long rowsIn = count(group.get(2));
            long positives = count(group.get(3));
            if (positive) {
                tp += positives;
                fp += rowsIn - positives;
            } else {
                fn += positives;
                tn += rowsIn - positives;
            }
            binCounts[b] += rowsIn;
            binScores[b] += number(group.get(4));
            binLabels[b] += positives;
            logLossSum += number(group.get(5));
            brierSum += number(group.get(6));
        }
        ConfusionCounts counts = new ConfusionCounts(tn, fp, fn, tp);
        BinaryMetrics.ProbabilitySums probabilitySums = probabilities
                ? new BinaryMetrics.ProbabilitySums(logLossSum, brierSum, binCounts, binScores, binLabels) : null;
        BinaryMetrics.Result result = BinaryMetrics.fromAggregates(ranking.scores, ranking.positives, ranking.negatives,
                counts, threshold, probabilitySums);
        EvaluateModel.putBinary(metrics, result, findings);
        if (ranking.resolution > 0 && metrics.containsKey("roc_auc")) {
            double bound = ranking.aucBound(counts.positives(), counts.negatives());
            findings.add(new Finding("evaluate.histogram", "roc_auc", Severity.INFO, true, "roc_auc, precision_recall_auc"
                    + " and the curves come from a histogram of " + HISTOGRAM_BINS + " score bins of width "
                    + ranking.resolution + " (more than " + MAX_EXACT_SCORES + " distinct scores): roc_auc is within "
                    + bound + " of the exact value", String.valueOf(bound), "exact"));
        }
        return new Part(n, threshold, EvaluateModel.confusion(counts), EvaluateModel.binaryCurves(result, request.curvePoints()));
    }

    /** The scores grouped by value (or by histogram bin), descending, with the positives and negatives in each. */
    private record Ranking(double[] scores, long[] positives, long[] negatives, double resolution) {
        /** The largest error of the ROC AUC: pairs of a positive and a negative in one bin count one half. */
        double aucBound(long p, long n) {
            double pairs = 0;
            for (int g = 0; g < scores.length; g++) {
                pairs += (double) positives[g] * negatives[g];
            }
            return pairs / (2.0 * p * n);
        }
    }

    private Ranking ranking(String rows, String where) throws TableSourceException, InterruptedException {
        SqlResult exact = query("scores by value", "SELECT s, " + sql.countIf("y = 1") + ", " + sql.countIf("y = 0")
                + " FROM " + rows + " WHERE " + where + " GROUP BY s ORDER BY s DESC" + sql.limit(MAX_EXACT_SCORES + 1));
        if (exact.rows().size() <= MAX_EXACT_SCORES) {
            return ranking(exact, 0);
        }
        List<Object> range = one("score range", "SELECT MIN(s), MAX(s) FROM " + rows + " WHERE " + where);
        double lo = number(range.get(0));
        double hi = number(range.get(1));
        double width = (hi - lo) / HISTOGRAM_BINS;
        String bin = "FLOOR((s - " + sql.number(lo) + ") / " + sql.number(width) + ")";
        SqlResult histogram = query("score histogram of " + HISTOGRAM_BINS + " bins", "SELECT MIN(s), "
                + sql.countIf("y = 1") + ", " + sql.countIf("y = 0") + " FROM " + rows + " WHERE " + where + " GROUP BY "
                + bin + " ORDER BY 1 DESC");
        log.info("evaluate: more than " + MAX_EXACT_SCORES + " distinct scores: ROC and precision-recall from a histogram"
                + " of " + HISTOGRAM_BINS + " bins of width " + width);
        return ranking(histogram, width);
    }

    private static Ranking ranking(SqlResult groups, double resolution) {
        int m = groups.rows().size();
        double[] scores = new double[m];
        long[] positives = new long[m];
        long[] negatives = new long[m];
        for (int g = 0; g < m; g++) {
            List<Object> row = groups.rows().get(g);
            scores[g] = number(row.get(0)) + 0.0; // -0.0 -> 0.0, one threshold as in the file path
            positives[g] = count(row.get(1));
            negatives[g] = count(row.get(2));
        }
        return new Ranking(scores, positives, negatives, resolution);
    }

    private Part binaryLabels(EvaluateRequest request, String from, String filter, Map<String, Double> metrics,
            List<Finding> findings) throws TableSourceException, InterruptedException {
        String label = request.label();
        String prediction = request.predictionColumn();
        String rows = rows(from, filter, sql.identifier(label) + " AS l", binary(label, request.positiveLabel()) + " AS y",
                sql.identifier(prediction) + " AS q", binary(prediction, request.positiveLabel()) + " AS z");
        List<Object> check = one("checking " + label + " and " + prediction, "SELECT COUNT(*), "
                + sql.countIf("l IS NULL") + ", " + sql.countIf("l IS NOT NULL AND y IS NULL") + ", "
                + sql.countIf("q IS NULL") + ", " + sql.countIf("q IS NOT NULL AND z IS NULL") + ", 0, "
                + "MIN(CASE WHEN l IS NOT NULL AND y IS NULL THEN " + sql.text("l") + " END), "
                + (request.positiveLabel() != null ? "COUNT(DISTINCT " + sql.text("l") + ")" : "0") + ", "
                + sql.countIf("y = 0 AND z = 0") + ", " + sql.countIf("y = 0 AND z = 1") + ", "
                + sql.countIf("y = 1 AND z = 0") + ", " + sql.countIf("y = 1 AND z = 1") + " FROM " + rows);
        long n = count(check.get(0));
        checkLabels(request, label, check, n);
        if (count(check.get(3)) > 0) {
            throw bad("--prediction: column '" + prediction + "' has " + Plural.of(count(check.get(3)), "missing value"));
        }
        if (count(check.get(4)) > 0) {
            throw bad("--prediction: column '" + prediction + "' has " + Plural.of(count(check.get(4)), "value")
                    + " that are not 0/1, true/false or yes/no" + (request.positiveLabel() == null
                            ? "; name the positive class with --positive-label" : ""));
        }
        ConfusionCounts counts = new ConfusionCounts(count(check.get(8)), count(check.get(9)), count(check.get(10)),
                count(check.get(11)));
        EvaluateModel.putConfusion(metrics, counts, findings);
        return new Part(n, null, EvaluateModel.confusion(counts), null);
    }

    /** Columns 0..2 and 6..7 of a check row: rows, missing labels, labels neither class, an example, distinct labels. */
    private void checkLabels(EvaluateRequest request, String label, List<Object> check, long n) throws TableSourceException {
        if (n == 0) {
            throw bad("the predictions have no rows");
        }
        if (count(check.get(1)) > 0) {
            throw bad("--label: column '" + label + "' has " + Plural.of(count(check.get(1)), "missing value"));
        }
        if (count(check.get(2)) > 0) {
            throw bad("--label: column '" + label + "' has " + Plural.of(count(check.get(2)), "label")
                    + " that are not 0/1, true/false or yes/no (e.g. '" + check.get(6)
                    + "'); name the positive class with --positive-label");
        }
        if (request.positiveLabel() != null && count(check.get(7)) > 2) {
            throw bad("--label: column '" + label + "' holds " + count(check.get(7)) + " distinct labels in a binary task");
        }
    }

    // ---- regression -------------------------------------------------------------------------------------

    private Part regression(EvaluateRequest request, String from, String filter, Map<String, Double> metrics,
            List<Finding> findings) throws TableSourceException, InterruptedException {
        String label = request.label();
        String predicted = request.predictionColumn() != null ? request.predictionColumn() : request.scoreColumns().get(0);
        String option = request.predictionColumn() != null ? "--prediction" : "--score";
        String rows = rows(from, filter, "CAST(" + sql.identifier(label) + " AS " + doubleType() + ") AS t",
                "CAST(" + sql.identifier(predicted) + " AS " + doubleType() + ") AS p");
        String eps = sql.number(RegressionMetrics.percentageErrorFloor());
        List<Object> sums = one("sums of " + label + " and " + predicted, "SELECT COUNT(*), "
                + sql.countIf("t IS NULL OR " + sql.nonFinite("t")) + ", " + sql.countIf("p IS NULL OR " + sql.nonFinite("p"))
                + ", SUM(ABS(p - t)), SUM((t - p) * (t - p)), SUM(ABS(p - t) / GREATEST(ABS(t), " + eps + ")), "
                + "MAX(ABS(t - p)), SUM(t), SUM(t - p) FROM " + rows);
        long n = count(sums.get(0));
        if (n == 0) {
            throw bad("the predictions have no rows");
        }
        if (count(sums.get(1)) > 0) {
            throw bad("--label: column '" + label + "' has " + Plural.of(count(sums.get(1)), "value")
                    + " that are missing or not finite numbers");
        }
        if (count(sums.get(2)) > 0) {
            throw bad(option + ": column '" + predicted + "' has " + Plural.of(count(sums.get(2)), "value")
                    + " that are missing or not finite numbers");
        }
        double targetSum = number(sums.get(7));
        double meanTarget = targetSum / n;
        double meanError = number(sums.get(8)) / n;
        List<Object> deviations = one("deviations of " + label, "SELECT SUM((t - " + sql.number(meanTarget) + ") * (t - "
                + sql.number(meanTarget) + ")), SUM((t - p - " + sql.number(meanError) + ") * (t - p - "
                + sql.number(meanError) + ")) FROM " + rows);
        RegressionMetrics.Result r = RegressionMetrics.fromSums(n, number(sums.get(3)), number(sums.get(4)),
                number(sums.get(5)), number(sums.get(6)), targetSum, number(deviations.get(0)), number(deviations.get(1)));
        EvaluateModel.putRegression(metrics, findings, r);
        return new Part(n, null, null, null);
    }

    // ---- slices -----------------------------------------------------------------------------------------

    private List<EvaluateResult.SliceMetrics> slices(EvaluateRequest request, String from, Double threshold,
            List<Finding> findings) throws TableSourceException, InterruptedException {
        List<EvaluateResult.SliceMetrics> slices = new ArrayList<>();
        for (String column : request.sliceColumns()) {
            String value = sql.text(sql.identifier(column));
            SqlResult groups = query("slices of " + column, "SELECT " + value + ", COUNT(*) FROM " + from + " GROUP BY "
                    + value + " ORDER BY 1" + sql.limit(MAX_SLICE_VALUES + 1));
            if (groups.rows().size() > MAX_SLICE_VALUES) {
                throw new IllegalArgumentException("--slice " + column + ": more than " + MAX_SLICE_VALUES
                        + " values; slice by a column with fewer");
            }
            List<List<Object>> sorted = new ArrayList<>(groups.rows());
            // the file path orders slices by their text, "(missing)" among them
            sorted.sort((a, b) -> key(a).compareTo(key(b)));
            for (List<Object> group : sorted) {
                String text = (String) group.get(0);
                String shown = text == null ? EvaluateModel.MISSING : text;
                long rows = count(group.get(1));
                String key = column + "=" + shown;
                if (rows < request.minSliceSize()) {
                    findings.add(new Finding("evaluate.slice_size", key, Severity.INFO, false, key + ": "
                            + Plural.of(rows, "row") + ", under the minimum of " + request.minSliceSize() + "; not evaluated",
                            String.valueOf(rows), ">= " + request.minSliceSize()));
                    slices.add(new EvaluateResult.SliceMetrics(key, column, shown, rows, false, null));
                    continue;
                }
                String filter = text == null ? value + " IS NULL" : value + " = " + sql.string(text);
                Map<String, Double> sliceMetrics = new LinkedHashMap<>();
                evaluate(request, from, filter, threshold, null, sliceMetrics, new ArrayList<>());
                slices.add(new EvaluateResult.SliceMetrics(key, column, shown, rows, true, sliceMetrics));
            }
        }
        return slices;
    }

    private static String key(List<Object> group) {
        return group.get(0) == null ? EvaluateModel.MISSING : (String) group.get(0);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private String doubleType() {
        return sql.dialect() == io.jenkins.plugins.mlstages.table.SqlDialect.SPARK ? "DOUBLE" : "double precision";
    }

    private SqlResult query(String what, String text) throws TableSourceException, InterruptedException {
        return TimedQuery.run(engine, text, timeout, log, "evaluate: " + what);
    }

    private List<Object> one(String what, String text) throws TableSourceException, InterruptedException {
        SqlResult result = query(what, text);
        if (result.rows().size() != 1) {
            throw new TableSourceException(engine.location() + ": expected one row of aggregates, got "
                    + result.rows().size(), true);
        }
        return result.rows().get(0);
    }

    private TableSourceException bad(String message) {
        return new TableSourceException("predictions in " + engine.location() + ": " + message, false);
    }

    static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static double number(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    private static String digest(String text) {
        try {
            return ValidateData.digestText(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
