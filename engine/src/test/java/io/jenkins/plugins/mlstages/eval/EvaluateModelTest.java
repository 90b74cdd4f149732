package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * evaluateModel on small files written here: every kind of bad input with its exact message and line, the
 * one-class case, the threshold chosen for F1, slices under the minimum size, paired intervals and the
 * determinism of the bootstrap. The metric values themselves are checked against scikit-learn by
 * {@code EvalMetricsIT} and {@code EvaluateModelIT}.
 */
public class EvaluateModelTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path file(String name, String text) throws Exception {
        Path path = folder.getRoot().toPath().resolve(name);
        Files.writeString(path, text);
        return path;
    }

    private static EvaluateResult run(EvaluateRequest request) throws Exception {
        return new EvaluateModel(StageLog.NONE).run(request);
    }

    /** A binary request with everything settable that the tests vary. */
    private static EvaluateRequest binary(Path file, String score, List<String> slices, int minSliceSize,
            String thresholdMetric, String positiveLabel, int resamples, long seed, String champion) {
        return new EvaluateRequest(file, null, null, Task.BINARY, "label", List.of(score), null, slices, minSliceSize,
                null, thresholdMetric, positiveLabel, resamples, 0.95, seed, champion, null,
                EvaluateRequest.DEFAULT_CURVE_POINTS);
    }

    private static EvaluateRequest binary(Path file) {
        return binary(file, "score", List.of(), 30, null, null, 0, 42, null);
    }

    private static EvaluateRequest multiclass(Path file, int k) {
        List<String> scores = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            scores.add("p" + j);
        }
        return new EvaluateRequest(file, null, null, Task.MULTICLASS, "label", scores, null, List.of(), 30, null, null,
                null, 0, 0.95, 42, null, null, EvaluateRequest.DEFAULT_CURVE_POINTS);
    }

    private static DataFormatException bad(EvaluateRequest request) {
        return assertThrows(DataFormatException.class, () -> run(request));
    }

    private static void assertBad(EvaluateRequest request, long line, String column, String message) {
        DataFormatException e = bad(request);
        assertEquals(message, e.getMessage());
        assertEquals(line, e.getLine());
        assertEquals(column, e.getColumn());
        assertEquals(request.predictions().toString(), e.getFile());
    }

    // ------------------------------------------------------------------------------------------------
    // Bad input

    @Test
    public void aMissingLabelColumnListsTheColumns() throws Exception {
        Path f = file("p.csv", "y,score,region\n1,0.5,EU\n");
        assertBad(binary(f), 0, null, f + ": --label: no column 'label'; the columns are y, score, region");
    }

    @Test
    public void aMissingScoreColumnListsTheColumns() throws Exception {
        Path f = file("p.csv", "label,prob\n1,0.5\n");
        assertBad(binary(f), 0, null, f + ": --score: no column 'score'; the columns are label, prob");
    }

    @Test
    public void aMissingSliceColumnListsTheColumns() throws Exception {
        Path f = file("p.csv", "label,score\n1,0.5\n");
        assertBad(binary(f, "score", List.of("region"), 30, null, null, 0, 42, null), 0, null,
                f + ": --slice: no column 'region'; the columns are label, score");
    }

    @Test
    public void aNanScoreIsRejectedWithItsLine() throws Exception {
        Path f = file("p.csv", "label,score\n1,0.9\n0,0.1\n0,NaN\n1,0.8\n");
        assertBad(binary(f), 4, "score", f + ":4: column 'score': 'NaN' is not a finite number");
    }

    @Test
    public void anInfScoreIsRejectedWithItsLine() throws Exception {
        Path f = file("p.csv", "label,score\n1,0.9\n0,0.1\n1,inf\n");
        assertBad(binary(f), 4, "score", f + ":4: column 'score': 'inf' is not a finite number");
    }

    @Test
    public void anOverflowingScoreIsRejected() throws Exception {
        Path f = file("p.csv", "label,score\n1,1e999\n");
        assertBad(binary(f), 2, "score", f + ":2: column 'score': '1e999' is not a finite number");
    }

    @Test
    public void anEmptyScoreIsRejectedWithItsLine() throws Exception {
        Path f = file("p.csv", "label,score\n1,0.9\n0,\n");
        assertBad(binary(f), 3, "score", f + ":3: column 'score': the value is missing");
    }

    @Test
    public void aNanScoreInJsonLinesIsRejectedWithItsLine() throws Exception {
        Path f = file("p.jsonl", "{\"label\": 1, \"score\": 0.9}\n{\"label\": 0, \"score\": \"NaN\"}\n");
        assertBad(binary(f), 2, "score", f + ":2: column 'score': 'NaN' is not a finite number");
    }

    @Test
    public void aNullScoreInJsonLinesIsRejectedWithItsLine() throws Exception {
        Path f = file("p.jsonl", "{\"label\": 1, \"score\": 0.9}\n{\"label\": 0, \"score\": 0.2}\n"
                + "{\"label\": 0, \"score\": null}\n");
        assertBad(binary(f), 3, "score", f + ":3: column 'score': the value is missing");
    }

    @Test
    public void aMissingLabelIsRejectedWithItsLine() throws Exception {
        Path f = file("p.csv", "label,score\n1,0.9\n,0.1\n");
        assertBad(binary(f), 3, "label", f + ":3: column 'label': the label is missing");
    }

    @Test
    public void aLabelOutsideTheClassesIsRejectedForMulticlass() throws Exception {
        Path f = file("p.csv", "label,p0,p1,p2\n0,0.5,0.25,0.25\n2,0.2,0.2,0.6\n3,0.1,0.1,0.8\n");
        assertBad(multiclass(f, 3), 4, "label", f + ":4: column 'label': label '3' is outside the known classes "
                + "[0, 1, 2] (one --score column per class, in class order)");
    }

    @Test
    public void aTextLabelIsRejectedForMulticlassProbabilities() throws Exception {
        Path f = file("p.csv", "label,p0,p1,p2\n0,0.5,0.25,0.25\ncat,0.2,0.2,0.6\n");
        assertBad(multiclass(f, 3), 3, "label", f + ":3: column 'label': label 'cat' is outside the known classes "
                + "[0, 1, 2] (one --score column per class, in class order)");
    }

    @Test
    public void binaryLabelsOtherThanZeroOneNeedAPositiveLabel() throws Exception {
        Path f = file("p.csv", "label,score\n1,0.9\n0,0.4\ncat,0.3\n");
        assertBad(binary(f), 4, "label", f + ":4: column 'label': label 'cat' is not 0/1, true/false or yes/no; "
                + "name the positive class with --positive-label");
        Path two = file("two.csv", "label,score\n1,0.9\n2,0.4\n");
        assertBad(binary(two), 3, "label", two + ":3: column 'label': label '2' is not 0/1, true/false or yes/no; "
                + "name the positive class with --positive-label");
    }

    @Test
    public void trueFalseAndYesNoLabelsNeedNoPositiveLabel() throws Exception {
        Path f = file("p.csv", "label,score\ntrue,0.9\nfalse,0.4\nYes,0.7\nno,0.6\n1.0,0.8\n0.0,0.1\n");
        EvaluateResult result = run(binary(f));
        assertEquals(3.0, result.metrics().get("positive_count"), 0.0);
        assertEquals(3.0, result.metrics().get("negative_count"), 0.0);
    }

    @Test
    public void aThirdLabelWithAPositiveLabelIsRejected() throws Exception {
        Path f = file("p.csv", "label,score\nspam,0.9\nham,0.2\nspam,0.8\neggs,0.4\n");
        assertBad(binary(f, "score", List.of(), 30, null, "spam", 0, 42, null), 5, "label",
                f + ":5: column 'label': a third label 'eggs' in a binary task (seen [eggs, ham, spam])");
    }

    @Test
    public void aPositiveLabelNamesThePositiveClass() throws Exception {
        Path f = file("p.csv", "label,score\nspam,0.9\nham,0.2\nspam,0.4\nham,0.6\n");
        EvaluateResult result = run(binary(f, "score", List.of(), 30, null, "spam", 0, 42, null));
        assertEquals(2.0, result.metrics().get("positive_count"), 0.0);
        assertEquals(1.0, result.metrics().get("true_positives"), 0.0);
        assertEquals(1.0, result.metrics().get("false_positives"), 0.0);
        assertEquals(0.75, result.metrics().get("roc_auc"), 0.0);
    }

    @Test
    public void anEmptyFileIsRejected() throws Exception {
        Path f = file("p.csv", "");
        assertBad(binary(f), 0, null, f + ": is empty: no header line");
    }

    @Test
    public void aHeaderOnlyFileIsRejected() throws Exception {
        Path f = file("p.csv", "label,score\n");
        assertBad(binary(f), 0, null, f + ": has no prediction rows");
    }

    @Test
    public void aMissingFileIsRejected() throws Exception {
        Path f = folder.getRoot().toPath().resolve("absent.csv");
        assertBad(binary(f), 0, null, f + ": does not exist");
    }

    // ------------------------------------------------------------------------------------------------
    // Degenerate input

    @Test
    public void oneClassOnlyIsAFindingNotACrash() throws Exception {
        Path f = file("p.csv", "label,score\n0,0.1\n0,0.7\n0,0.3\n0,0.5\n");
        EvaluateResult result = run(binary(f, "score", List.of(), 30, null, null, 50, 42, null));
        assertEquals(Status.WARNING, result.status());
        Map<String, Double> m = result.metrics();
        assertEquals(0.5, m.get("accuracy_score"), 0.0);
        assertEquals(0.0, m.get("precision_score"), 0.0);
        assertEquals(0.0, m.get("recall_score"), 0.0);
        assertEquals(0.0, m.get("f1_score"), 0.0);
        assertEquals(0.0, m.get("positive_count"), 0.0);
        assertEquals(4.0, m.get("negative_count"), 0.0);
        assertEquals(2.0, m.get("false_positives"), 0.0);
        assertEquals((0.01 + 0.49 + 0.09 + 0.25) / 4, m.get("brier_score_loss"), 1e-15);
        assertEquals(-(Math.log(0.9) + Math.log(0.3) + Math.log(0.7) + Math.log(0.5)) / 4, m.get("log_loss"), 1e-15);
        assertNotNull(m.get("expected_calibration_error"));
        assertFalse(m.containsKey("roc_auc"));
        assertFalse(result.intervals().containsKey("roc_auc"));
        Finding undefined = result.findings().stream()
                .filter(x -> x.check().equals("evaluate.metric_undefined") && "roc_auc".equals(x.subject()))
                .findFirst().orElseThrow(() -> new AssertionError(result.findings().toString()));
        assertEquals(Severity.WARNING, undefined.severity());
        assertFalse(undefined.passed());
        assertEquals("roc_auc is undefined: the labels hold one class only", undefined.message());
        Finding oneClass = result.findings().stream().filter(x -> x.check().equals("evaluate.one_class")).findFirst()
                .orElseThrow(() -> new AssertionError(result.findings().toString()));
        assertEquals(Severity.WARNING, oneClass.severity());
        assertEquals("0 positive / 4 negative", oneClass.observed());
        for (Finding x : result.findings()) {
            if (x.check().equals("evaluate.metric_undefined")) {
                assertFalse(x.subject() + " is reported and said undefined", m.containsKey(x.subject()));
            }
        }
    }

    @Test
    public void scoresOutsideZeroOneLeaveOutTheProbabilityMetrics() throws Exception {
        Path f = file("p.csv", "label,score\n1,2.5\n0,-1.5\n1,0.3\n0,0.2\n");
        EvaluateResult result = run(binary(f));
        assertEquals(1.0, result.metrics().get("roc_auc"), 0.0);
        for (String name : List.of("log_loss", "brier_score_loss", "expected_calibration_error")) {
            assertFalse(name, result.metrics().containsKey(name));
            assertTrue(name, result.findings().stream().anyMatch(
                    x -> x.check().equals("evaluate.metric_undefined") && name.equals(x.subject())));
        }
        assertEquals(Status.WARNING, result.status());
    }

    // ------------------------------------------------------------------------------------------------
    // Threshold, slices, intervals

    /** Labels and tied scores (0.05 grid) for the tests below. */
    private static String binaryCsv(int n, long seed, boolean withChampion) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("label,score,region" + (withChampion ? ",champion" : "") + "\n");
        for (int i = 0; i < n; i++) {
            int label = rnd.nextDouble() < 0.35 ? 1 : 0;
            double score = Math.min(1, Math.max(0, Math.round(((label == 1 ? 0.55 : 0.4) + rnd.nextGaussian() * 0.2) * 20)
                    / 20.0));
            String region = i < 7 ? "tiny" : i < 10 ? "" : rnd.nextBoolean() ? "EU" : "US";
            sb.append(label).append(',').append(score).append(',').append(region);
            if (withChampion) {
                double champion = Math.min(1, Math.max(0, Math.round(((label == 1 ? 0.52 : 0.45)
                        + rnd.nextGaussian() * 0.25) * 100) / 100.0));
                sb.append(',').append(champion);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static int[] column(String csv, int index) {
        String[] lines = csv.split("\n");
        int[] out = new int[lines.length - 1];
        for (int i = 1; i < lines.length; i++) {
            out[i - 1] = Integer.parseInt(lines[i].split(",", -1)[index]);
        }
        return out;
    }

    private static double[] numbers(String csv, int index) {
        String[] lines = csv.split("\n");
        double[] out = new double[lines.length - 1];
        for (int i = 1; i < lines.length; i++) {
            out[i - 1] = Double.parseDouble(lines[i].split(",", -1)[index]);
        }
        return out;
    }

    @Test
    public void theF1ThresholdMetricPicksTheBestThreshold() throws Exception {
        String csv = binaryCsv(500, 3, false);
        Path f = file("p.csv", csv);
        int[] labels = column(csv, 0);
        double[] scores = numbers(csv, 1);
        // brute force: F1 at every distinct score, highest threshold among the best
        TreeSet<Double> distinct = new TreeSet<>();
        for (double s : scores) {
            distinct.add(s);
        }
        double bestThreshold = Double.NaN;
        double bestF1 = -1;
        for (double t : distinct.descendingSet()) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            for (int i = 0; i < labels.length; i++) {
                boolean positive = scores[i] >= t;
                tp += positive && labels[i] == 1 ? 1 : 0;
                fp += positive && labels[i] == 0 ? 1 : 0;
                fn += !positive && labels[i] == 1 ? 1 : 0;
            }
            double f1 = 2.0 * tp / (2 * tp + fp + fn);
            if (f1 > bestF1) {
                bestF1 = f1;
                bestThreshold = t;
            }
        }
        EvaluateResult result = run(binary(f, "score", List.of(), 30, "f1", null, 0, 42, null));
        assertEquals(bestThreshold, result.threshold(), 0.0);
        assertEquals(bestF1, result.metrics().get("f1_score"), 1e-15);
        assertNotEquals(0.5, result.threshold(), 0.0);
        // no other threshold does better
        EvaluateResult atDefault = run(binary(f));
        assertTrue(atDefault.metrics().get("f1_score") <= result.metrics().get("f1_score"));
        assertEquals(0.5, atDefault.threshold(), 0.0);
    }

    @Test
    public void theAccuracyThresholdMetricIsNoWorseThanTheDefault() throws Exception {
        Path f = file("p.csv", binaryCsv(500, 4, false));
        EvaluateResult best = run(binary(f, "score", List.of(), 30, "accuracy", null, 0, 42, null));
        EvaluateResult atDefault = run(binary(f));
        assertTrue(best.metrics().get("accuracy_score") >= atDefault.metrics().get("accuracy_score"));
    }

    @Test
    public void slicesUnderTheMinimumSizeAreListedButNotEvaluated() throws Exception {
        Path f = file("p.csv", binaryCsv(300, 5, false));
        EvaluateResult result = run(binary(f, "score", List.of("region"), 30, null, null, 0, 42, null));
        List<String> keys = new ArrayList<>();
        result.slices().forEach(s -> keys.add(s.key()));
        assertEquals(List.of("region=(missing)", "region=EU", "region=US", "region=tiny"), keys);
        for (EvaluateResult.SliceMetrics s : result.slices()) {
            assertEquals("region", s.column());
            if (s.value().equals("tiny") || s.value().equals("(missing)")) {
                assertEquals(s.value().equals("tiny") ? 7 : 3, s.rows());
                assertFalse(s.evaluated());
                assertNull(s.metrics());
                Finding finding = result.findings().stream()
                        .filter(x -> x.check().equals("evaluate.slice_size") && s.key().equals(x.subject())).findFirst()
                        .orElseThrow(() -> new AssertionError(result.findings().toString()));
                assertEquals(Severity.INFO, finding.severity());
                assertEquals(s.key() + ": " + s.rows() + " rows, under the minimum of 30; not evaluated",
                        finding.message());
            } else {
                assertTrue(s.evaluated());
                assertTrue(s.rows() >= 30);
                assertEquals((double) s.rows(), s.metrics().get("example_count"), 0.0);
                assertTrue(s.metrics().containsKey("roc_auc"));
            }
        }
        assertEquals(300, result.slices().stream().mapToLong(EvaluateResult.SliceMetrics::rows).sum());
        assertEquals(Status.PASSED, result.status());
        // a minimum of 1 evaluates every slice
        EvaluateResult all = run(binary(f, "score", List.of("region"), 1, null, null, 0, 42, null));
        assertTrue(all.slices().stream().allMatch(EvaluateResult.SliceMetrics::evaluated));
    }

    @Test
    public void pairedIntervalsArePresentWithAChampionScoreColumn() throws Exception {
        String csv = binaryCsv(400, 6, true);
        Path f = file("p.csv", csv);
        EvaluateResult result = run(binary(f, "score", List.of(), 30, null, null, 100, 42, "champion"));
        assertNotNull(result.paired());
        int[] labels = column(csv, 0);
        double[] scores = numbers(csv, 1);
        double[] champion = numbers(csv, 3);
        for (String metric : List.of("roc_auc", "f1_score", "precision_score", "recall_score", "accuracy_score")) {
            EvaluateResult.IntervalView paired = result.paired().get(metric);
            assertNotNull(metric, paired);
            assertEquals(100, paired.resamples());
            assertTrue(metric + " " + paired, paired.lower() <= paired.estimate() && paired.estimate() <= paired.upper());
            assertNotNull(result.intervals().get(metric));
        }
        double aucDifference = BinaryMetrics.rocAuc(labels, scores) - BinaryMetrics.rocAuc(labels, champion);
        assertEquals(aucDifference, result.paired().get("roc_auc").estimate(), 1e-12);
        double f1Difference = BinaryMetrics.f1(labels, scores, 0.5) - BinaryMetrics.f1(labels, champion, 0.5);
        assertEquals(f1Difference, result.paired().get("f1_score").estimate(), 1e-12);
        // without a champion column, no paired intervals
        assertNull(run(binary(f, "score", List.of(), 30, null, null, 100, 42, null)).paired());
    }

    @Test
    public void aNonFiniteChampionScoreIsRejected() throws Exception {
        Path f = file("p.csv", "label,score,champion\n1,0.9,0.8\n0,0.1,NaN\n");
        assertBad(binary(f, "score", List.of(), 30, null, null, 10, 42, "champion"), 3, "champion",
                f + ":3: column 'champion': 'NaN' is not a finite number");
    }

    @Test
    public void theBootstrapIsDeterministicForASeed() throws Exception {
        Path f = file("p.csv", binaryCsv(400, 7, true));
        EvaluateResult first = run(binary(f, "score", List.of(), 30, null, null, 120, 1234, "champion"));
        EvaluateResult second = run(binary(f, "score", List.of(), 30, null, null, 120, 1234, "champion"));
        // every metric has an interval, but example_count (the same on every resample)
        java.util.Set<String> expected = new java.util.TreeSet<>(first.metrics().keySet());
        expected.remove("example_count");
        assertEquals(expected, new java.util.TreeSet<>(first.intervals().keySet()));
        assertEquals(first.intervals(), second.intervals());
        assertEquals(first.paired(), second.paired());
        for (String metric : first.intervals().keySet()) {
            EvaluateResult.IntervalView a = first.intervals().get(metric);
            EvaluateResult.IntervalView b = second.intervals().get(metric);
            assertEquals(Double.doubleToLongBits(a.lower()), Double.doubleToLongBits(b.lower()));
            assertEquals(Double.doubleToLongBits(a.upper()), Double.doubleToLongBits(b.upper()));
            assertTrue(metric + " " + a, a.lower() < a.upper());
        }
        EvaluateResult other = run(binary(f, "score", List.of(), 30, null, null, 120, 99, "champion"));
        assertNotEquals(first.intervals(), other.intervals());
        assertEquals(first.metrics(), other.metrics());
    }

    @Test
    public void numericLabelsSpelledDifferentlyAreOneClass() throws Exception {
        Path file = folder.getRoot().toPath().resolve("spelled.csv");
        java.nio.file.Files.writeString(file, "label,pred\n1,1.0\n2,2.0\n3,3.0\n1,1.0\n");
        EvaluateResult result = new EvaluateModel(io.jenkins.plugins.mlstages.report.StageLog.NONE).run(new EvaluateRequest(
                file, null, null, Task.MULTICLASS, "label", java.util.List.of(), "pred", java.util.List.of(), 1, null, null,
                null, 0, 0.95, 42, null, null, 300));
        assertEquals(1.0, result.metrics().get("accuracy_score"), 0);
        assertEquals(java.util.List.of("1", "2", "3"), result.classes());
    }

    @Test
    public void aSliceWithOneClassDoesNotAbortTheEvaluation() throws Exception {
        Path file = folder.getRoot().toPath().resolve("one.csv");
        java.nio.file.Files.writeString(file, "label,pred,s\na,a,x\nb,a,x\nc,c,y\n");
        EvaluateResult result = new EvaluateModel(io.jenkins.plugins.mlstages.report.StageLog.NONE).run(new EvaluateRequest(
                file, null, null, Task.MULTICLASS, "label", java.util.List.of(), "pred", java.util.List.of("s"), 1, null, null,
                null, 0, 0.95, 42, null, null, 300));
        assertEquals(2.0 / 3, result.metrics().get("accuracy_score"), 1e-12);
        assertEquals(2, result.slices().size());
        assertEquals(1.0, result.slices().get(1).metrics().get("accuracy_score"), 0);
    }

    @Test
    public void championPredictionsInASecondFileMustHaveTheSameRows() throws Exception {
        Path candidate = folder.getRoot().toPath().resolve("cand.csv");
        Path champion = folder.getRoot().toPath().resolve("champ.csv");
        java.nio.file.Files.writeString(candidate, "y,s\n1,0.9\n0,0.2\n1,0.6\n0,0.4\n");
        java.nio.file.Files.writeString(champion, "c\n0.8\n0.3\n0.4\n");
        EvaluateRequest request = new EvaluateRequest(candidate, null, null, Task.BINARY, "y", java.util.List.of("s"), null,
                java.util.List.of(), 1, null, null, null, 20, 0.95, 42, "c", null, 300, champion);
        io.jenkins.plugins.mlstages.data.DataFormatException e = org.junit.Assert.assertThrows(
                io.jenkins.plugins.mlstages.data.DataFormatException.class,
                () -> new EvaluateModel(io.jenkins.plugins.mlstages.report.StageLog.NONE).run(request));
        assertEquals(champion + ": has 3 rows, the candidate's predictions have 4: a paired comparison needs the "
                + "champion's scores for the same rows, in the same order", e.getMessage());
        java.nio.file.Files.writeString(champion, "c\n0.8\n0.3\n0.4\n0.1\n");
        EvaluateResult result = new EvaluateModel(io.jenkins.plugins.mlstages.report.StageLog.NONE).run(request);
        assertEquals(0.0, result.paired().get("roc_auc").estimate(), 1e-12);
    }

    /** The gate knows a task's metrics from {@link Task#metricNames}: it must name exactly what evaluate computes. */
    @Test
    public void eachTaskNamesExactlyTheMetricsEvaluateComputesFromFullInputs() throws Exception {
        Path b = file("b.csv", "label,score\n0,0.1\n1,0.8\n1,0.4\n0,0.6\n1,0.9\n0,0.2\n");
        assertEquals(new java.util.TreeSet<>(Task.BINARY.metricNames()), new java.util.TreeSet<>(run(binary(b)).metrics().keySet()));
        Path m = file("m.csv", "label,p0,p1,p2\n0,0.8,0.1,0.1\n1,0.3,0.4,0.3\n2,0.1,0.2,0.7\n0,0.5,0.3,0.2\n");
        assertEquals(new java.util.TreeSet<>(Task.MULTICLASS.metricNames()),
                new java.util.TreeSet<>(run(multiclass(m, 3)).metrics().keySet()));
        Path r = file("r.csv", "label,prediction\n1.5,1.4\n2.0,2.2\n3.5,3.0\n4.0,4.1\n");
        EvaluateResult regression = run(new EvaluateRequest(r, null, null, Task.REGRESSION, "label", List.of(), "prediction",
                List.of(), 30, null, null, null, 0, 0.95, 42, null, null, EvaluateRequest.DEFAULT_CURVE_POINTS));
        assertEquals(new java.util.TreeSet<>(Task.REGRESSION.metricNames()), new java.util.TreeSet<>(regression.metrics().keySet()));
    }

    @Test
    public void multiclassRocAucIsMlflowsWeightedAverageAndTheMacroOneHasItsOwnName() throws Exception {
        // per class (one-vs-rest, by hand): class 0 5/6, class 1 3/4, class 2 1; supports 3, 1, 1
        Path f = file("mc.csv", "label,p0,p1,p2\n0,0.8,0.1,0.1\n0,0.6,0.3,0.1\n0,0.2,0.5,0.3\n1,0.3,0.4,0.3\n"
                + "2,0.1,0.2,0.7\n");
        EvaluateResult result = run(multiclass(f, 3));
        double weighted = (3 * 5.0 / 6 + 3.0 / 4 + 1) / 5;
        double macro = (5.0 / 6 + 3.0 / 4 + 1) / 3;
        assertEquals(weighted, result.metrics().get("roc_auc"), 1e-15);
        assertEquals(macro, result.metrics().get("roc_auc_macro"), 1e-15);
        assertEquals("alias kept for one release", weighted, result.metrics().get("roc_auc_weighted"), 1e-15);
        // each class against the rest; predictions are the argmax: 0, 0, 1, 1, 2
        List<EvaluateResult.ClassView> perClass = result.curves().perClass();
        assertEquals(List.of("0", "1", "2"), perClass.stream().map(EvaluateResult.ClassView::positiveClass).toList());
        assertEquals(3, perClass.get(0).support());
        assertEquals(5.0 / 6, perClass.get(0).metrics().get("roc_auc"), 1e-15);
        assertEquals(2.0 / 3, perClass.get(0).metrics().get("recall_score"), 0);
        assertEquals(1.0, perClass.get(0).metrics().get("precision_score"), 0);
        assertEquals(0.5, perClass.get(1).metrics().get("precision_score"), 0);
        assertEquals(1.0, perClass.get(1).metrics().get("false_positives"), 0);
        assertEquals(5.0, perClass.get(2).metrics().get("example_count"), 0);
        assertEquals(1.0, perClass.get(2).metrics().get("precision_recall_auc"), 0);
        assertTrue(perClass.get(2).roc() != null && perClass.get(2).precisionRecall() != null);
    }
}
