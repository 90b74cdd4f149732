package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import io.jenkins.plugins.mlstages.data.PythonOracle;

/**
 * evaluateModel end to end against scikit-learn ({@code eval_stage_oracle.py}): predictions files written by the
 * test as CSV, the same data written again as Parquet (pyarrow) and JSON lines by the oracle, each run through
 * {@link EvaluateModel} and each read back by pandas for scikit-learn. Every entry of {@code result.metrics()} is
 * compared, both ways (a metric the stage reports must be one scikit-learn defines, and one scikit-learn defines
 * must be reported; a NaN in scikit-learn must be absent with an {@code evaluate.metric_undefined} finding), to
 * {@code |java - sklearn| <= 1e-9 * max(1, |sklearn|)}; likewise every slice's metrics, the fairness view against
 * the NumPy formulas, confusion matrices and classes exactly, the bootstrap estimates and the paired
 * (candidate - champion) estimates. The JSON report written by {@link ReportWriter} is read back and compared.
 */
public class EvaluateModelIT {
    private static final double TOL = 1e-9;
    private static final int MIN_SLICE = 30;

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    /** Oracle output by case name. */
    private static final Map<String, JsonNode> EXPECTED = new LinkedHashMap<>();
    private static final Map<String, Case> CASES = new LinkedHashMap<>();
    private static final Map<String, Double> WORST = new TreeMap<>();
    private static int comparisons;

    /** One stage run: the request and what the oracle needs to redo it. */
    private record Case(String name, Path file, DataFormat format, Task task, String label, List<String> scores,
            String prediction, List<String> text, Double threshold, String thresholdMetric, List<String> slices,
            String sensitive, String champion, int resamples) {
        EvaluateRequest request() {
            return new EvaluateRequest(file, null, null, task, label, scores, prediction, slices, MIN_SLICE, threshold,
                    thresholdMetric, null, resamples, 0.95, 7, champion, sensitive, EvaluateRequest.DEFAULT_CURVE_POINTS);
        }

        Map<String, Object> oracle() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("file", file.toString());
            m.put("format", format.name().toLowerCase(Locale.ROOT));
            m.put("task", task.name().toLowerCase(Locale.ROOT));
            m.put("label", label);
            m.put("scores", scores);
            if (prediction != null) {
                m.put("prediction", prediction);
            }
            m.put("text", text);
            if (threshold != null) {
                m.put("threshold", threshold);
            }
            if (thresholdMetric != null) {
                m.put("threshold_metric", thresholdMetric);
            }
            m.put("slices", slices);
            m.put("min_slice_size", MIN_SLICE);
            m.put("sensitive", sensitive);
            m.put("champion", champion);
            return m;
        }
    }

    @BeforeClass
    public static void writeFilesAndAskTheOracle() throws IOException {
        Path dir = FOLDER.getRoot().toPath();
        List<Map<String, Object>> convert = new ArrayList<>();
        List<Case> cases = new ArrayList<>();

        List<String> binaryText = List.of("region", "segment", "grp");
        Path binary = dir.resolve("binary.csv");
        Files.writeString(binary, binaryCsv(3000));
        forEveryFormat(binary, binaryText, convert, (name, file, format) -> cases.add(new Case(name, file, format,
                Task.BINARY, "label", List.of("score"), null, binaryText, 0.5, null, List.of("region", "segment"), "grp",
                "champion", 60)));
        cases.add(new Case("binary-best-f1", binary, DataFormat.CSV, Task.BINARY, "label", List.of("score"), null,
                binaryText, null, "f1", List.of("region"), "grp", null, 0));

        List<String> probaText = List.of("region");
        Path proba = dir.resolve("multiclass-proba.csv");
        Files.writeString(proba, multiclassProbaCsv(2000, 4));
        forEveryFormat(proba, probaText, convert, (name, file, format) -> cases.add(new Case(name, file, format,
                Task.MULTICLASS, "label", List.of("p0", "p1", "p2", "p3"), null, probaText, null, null,
                List.of("region"), null, null, 40)));

        List<String> predText = List.of("label", "predicted", "region");
        Path pred = dir.resolve("multiclass-pred.csv");
        Files.writeString(pred, multiclassPredictedCsv(2000));
        forEveryFormat(pred, predText, convert, (name, file, format) -> cases.add(new Case(name, file, format,
                Task.MULTICLASS, "label", List.of(), "predicted", predText, null, null, List.of("region"), null, null,
                0)));

        List<String> regText = List.of("region");
        Path reg = dir.resolve("regression.csv");
        Files.writeString(reg, regressionCsv(2000));
        forEveryFormat(reg, regText, convert, (name, file, format) -> cases.add(new Case(name, file, format,
                Task.REGRESSION, "y", List.of("yhat"), null, regText, null, null, List.of("region"), null, null, 40)));
        cases.add(new Case("regression-prediction-column", reg, DataFormat.CSV, Task.REGRESSION, "y", List.of(), "yhat",
                regText, null, null, List.of(), null, null, 0));

        List<Map<String, Object>> request = new ArrayList<>();
        for (Case c : cases) {
            CASES.put(c.name(), c);
            request.add(c.oracle());
        }
        JsonNode out = PythonOracle.run("eval_stage_oracle.py", Map.of("convert", convert, "cases", request));
        System.out.println("EvaluateModelIT oracle versions: " + out.get("versions"));
        for (JsonNode c : out.get("cases")) {
            EXPECTED.put(c.get("name").asText(), c);
        }
        assertEquals(cases.size(), EXPECTED.size());
    }

    private interface CaseMaker {
        void make(String name, Path file, DataFormat format);
    }

    /** The CSV case, and its Parquet and JSON lines twins (written by the oracle before it computes anything). */
    private static void forEveryFormat(Path csv, List<String> text, List<Map<String, Object>> convert, CaseMaker maker) {
        String base = csv.getFileName().toString().replace(".csv", "");
        Path parquet = csv.resolveSibling(base + ".parquet");
        Path jsonl = csv.resolveSibling(base + ".jsonl");
        convert.add(Map.of("csv", csv.toString(), "parquet", parquet.toString(), "jsonl", jsonl.toString(), "text", text));
        maker.make(base + "/csv", csv, DataFormat.CSV);
        maker.make(base + "/parquet", parquet, DataFormat.PARQUET);
        maker.make(base + "/jsonl", jsonl, DataFormat.JSONL);
    }

    @AfterClass
    public static void printTolerances() {
        StringBuilder sb = new StringBuilder("EvaluateModelIT: " + comparisons + " values compared with scikit-learn; "
                + "largest scaled difference per metric:\n");
        WORST.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-34s %.3e%n", k, v)));
        System.out.print(sb);
    }

    // ------------------------------------------------------------------------------------------------
    // Data

    private static String num(double v) {
        return Double.toString(v);
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /**
     * 0/1 labels; scores on a 0.01 grid (many ties, some exactly at 0.5, 0.0 and 1.0); a champion score on a
     * 0.001 grid; region with a tiny slice (under the minimum), an all-negative slice (roc_auc undefined there)
     * and missing values; a sensitive group column with different base rates.
     */
    private static String binaryCsv(int n) {
        SplittableRandom rnd = new SplittableRandom(11);
        String[] groups = {"a", "b", "c"};
        StringBuilder sb = new StringBuilder("id,label,score,champion,region,segment,grp\n");
        for (int i = 0; i < n; i++) {
            String region;
            if (i < 12) {
                region = "tiny";
            } else if (i < 52) {
                region = "allneg";
            } else if (i < 100) {
                region = "";
            } else {
                double u = rnd.nextDouble();
                region = u < 0.45 ? "EU" : u < 0.8 ? "US" : "APAC";
            }
            String group = groups[rnd.nextInt(3)];
            double base = group.equals("a") ? 0.3 : group.equals("b") ? 0.45 : 0.6;
            int label = region.equals("allneg") ? 0 : rnd.nextDouble() < base ? 1 : 0;
            double score = Math.min(1, Math.max(0, round((label == 1 ? 0.62 : 0.38) + rnd.nextGaussian() * 0.22, 2)));
            if (i % 97 == 0) {
                score = 0.5;
            }
            if (i == 500) {
                score = label == 1 ? 0.0 : 1.0; // confidently wrong: log loss clipping
            }
            double champion = Math.min(1, Math.max(0, round((label == 1 ? 0.58 : 0.42) + rnd.nextGaussian() * 0.25, 3)));
            String segment = rnd.nextBoolean() ? "retail" : "business";
            sb.append(i).append(',').append(label).append(',').append(num(score)).append(',').append(num(champion))
                    .append(',').append(region).append(',').append(segment).append(',').append(group).append('\n');
        }
        return sb.toString();
    }

    /** Labels 0..k-1; probabilities from small integer weights (ties, argmax ties); a slice without class 2, 3. */
    private static String multiclassProbaCsv(int n, int k) {
        SplittableRandom rnd = new SplittableRandom(12);
        StringBuilder sb = new StringBuilder("id,label");
        for (int j = 0; j < k; j++) {
            sb.append(",p").append(j);
        }
        sb.append(",region\n");
        for (int i = 0; i < n; i++) {
            String region = i < 35 ? "two-classes" : i < 45 ? "tiny" : rnd.nextBoolean() ? "north" : "south";
            int label = region.equals("two-classes") ? rnd.nextInt(2) : rnd.nextInt(k);
            int[] weights = new int[k];
            int sum = 0;
            for (int j = 0; j < k; j++) {
                weights[j] = 1 + rnd.nextInt(6) + (j == label ? rnd.nextInt(8) : 0);
                sum += weights[j];
            }
            sb.append(i).append(',').append(label);
            for (int j = 0; j < k; j++) {
                sb.append(',').append(num((double) weights[j] / sum));
            }
            sb.append(',').append(region).append('\n');
        }
        return sb.toString();
    }

    /** Text classes; the predictions include a class ("bird") no row has as its label. */
    private static String multiclassPredictedCsv(int n) {
        SplittableRandom rnd = new SplittableRandom(13);
        String[] classes = {"cat", "dog", "fish"};
        StringBuilder sb = new StringBuilder("id,label,predicted,region\n");
        for (int i = 0; i < n; i++) {
            String label = classes[rnd.nextInt(3)];
            double u = rnd.nextDouble();
            String predicted = u < 0.6 ? label : u < 0.97 ? classes[rnd.nextInt(3)] : "bird";
            String region = i < 20 ? "tiny" : rnd.nextDouble() < 0.3 ? "east" : "west";
            sb.append(i).append(',').append(label).append(',').append(predicted).append(',').append(region).append('\n');
        }
        return sb.toString();
    }

    /** Values on a 0.001 grid, a few true zeros (MAPE's epsilon), negative values. */
    private static String regressionCsv(int n) {
        SplittableRandom rnd = new SplittableRandom(14);
        StringBuilder sb = new StringBuilder("id,y,yhat,region\n");
        for (int i = 0; i < n; i++) {
            double y = i % 150 == 0 ? 0.0 : round(20 + rnd.nextGaussian() * 15, 3);
            double yhat = round(y * 0.9 + 1.5 + rnd.nextGaussian() * 4, 3);
            String region = i < 25 ? "tiny" : rnd.nextBoolean() ? "north" : "south";
            sb.append(i).append(',').append(num(y)).append(',').append(num(yhat)).append(',').append(region).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------
    // Tests

    private static EvaluateResult run(String name) throws Exception {
        return new EvaluateModel(StageLog.NONE).run(CASES.get(name).request());
    }

    @Test
    public void binaryEqualsScikitLearnInEveryFormat() throws Exception {
        for (String format : List.of("csv", "parquet", "jsonl")) {
            String name = "binary/" + format;
            EvaluateResult result = run(name);
            JsonNode e = EXPECTED.get(name);
            checkCommon(name, result, e);
            assertEquals(name + " threshold", 0.5, result.threshold(), 0.0);
            // 5 fairness metrics are in the metrics map too
            assertTrue(name, result.metrics().containsKey("demographic_parity_difference"));
            checkFairness(name, result, e.get("fairness"));
            // the bootstrap's point estimates are sklearn's values; the intervals hold them
            for (String metric : List.of("roc_auc", "f1_score", "precision_score", "recall_score", "accuracy_score")) {
                EvaluateResult.IntervalView ci = result.intervals().get(metric);
                assertNotNull(name + " interval of " + metric, ci);
                close(name + " interval estimate", "interval." + metric, e.get("metrics").get(metric).asDouble(),
                        ci.estimate());
                assertTrue(name + " " + metric + " " + ci, ci.lower() <= ci.estimate() && ci.estimate() <= ci.upper());
                assertEquals(60, ci.resamples());
                assertEquals(0.95, ci.level(), 0.0);
                // paired: candidate - champion on the same rows
                EvaluateResult.IntervalView paired = result.paired().get(metric);
                assertNotNull(name + " paired interval of " + metric, paired);
                double expected = e.get("metrics").get(metric).asDouble() - e.get("champion_metrics").get(metric).asDouble();
                close(name + " paired estimate", "paired." + metric, expected, paired.estimate());
                assertTrue(name + " paired " + metric + " " + paired,
                        paired.lower() <= paired.estimate() && paired.estimate() <= paired.upper());
            }
            // every metric's interval and paired interval: estimates are sklearn's values (and their differences)
            java.util.Set<String> withInterval = new java.util.TreeSet<>(result.metrics().keySet());
            withInterval.remove("example_count");
            assertEquals(name, withInterval, new java.util.TreeSet<>(result.intervals().keySet()));
            withInterval.removeAll(List.of("positive_count", "negative_count"));
            withInterval.removeAll(fairnessMetrics(result)); // no paired interval: a property of the groups
            assertEquals(name, withInterval, new java.util.TreeSet<>(result.paired().keySet()));
            for (String metric : withInterval) {
                close(name + " interval estimate", "interval." + metric, e.get("metrics").get(metric).asDouble(),
                        result.intervals().get(metric).estimate());
                close(name + " paired estimate", "paired." + metric, e.get("metrics").get(metric).asDouble()
                        - e.get("champion_metrics").get(metric).asDouble(), result.paired().get(metric).estimate());
            }
            // slices: region (tiny under the minimum, allneg without roc_auc, (missing)) and segment
            EvaluateResult.SliceMetrics tiny = slice(result, "region=tiny");
            assertFalse(tiny.evaluated());
            assertNull(tiny.metrics());
            assertEquals(12, tiny.rows());
            assertTrue(result.findings().stream().anyMatch(f -> f.check().equals("evaluate.slice_size")
                    && "region=tiny".equals(f.subject())));
            EvaluateResult.SliceMetrics allneg = slice(result, "region=allneg");
            assertTrue(allneg.evaluated());
            assertFalse(allneg.metrics().containsKey("roc_auc"));
            assertEquals(48, slice(result, "region=(missing)").rows());
            assertEquals(Status.PASSED, result.status());
        }
    }

    @Test
    public void theThresholdChosenForF1IsScikitLearnsBest() throws Exception {
        String name = "binary-best-f1";
        EvaluateResult result = run(name);
        JsonNode e = EXPECTED.get(name);
        assertEquals(name + " chosen threshold", e.get("threshold").asDouble(), result.threshold(), 0.0);
        assertTrue(result.threshold() != 0.5);
        checkCommon(name, result, e);
        checkFairness(name, result, e.get("fairness"));
        assertTrue(result.intervals().isEmpty());
        assertNull(result.paired());
    }

    @Test
    public void multiclassProbabilitiesEqualScikitLearnInEveryFormat() throws Exception {
        for (String format : List.of("csv", "parquet", "jsonl")) {
            String name = "multiclass-proba/" + format;
            EvaluateResult result = run(name);
            JsonNode e = EXPECTED.get(name);
            checkCommon(name, result, e);
            assertEquals(List.of("0", "1", "2", "3"), result.classes());
            assertNull(result.threshold());
            EvaluateResult.SliceMetrics two = slice(result, "region=two-classes");
            assertTrue(two.evaluated());
            // absent classes weigh 0 in MLflow's (weighted) roc_auc; the macro average is undefined
            assertTrue(name + " roc_auc of a slice without classes 2 and 3", two.metrics().containsKey("roc_auc"));
            assertFalse(name + " roc_auc_macro of a slice without classes 2 and 3", two.metrics().containsKey("roc_auc_macro"));
            EvaluateResult.IntervalView ci = result.intervals().get("accuracy_score");
            assertNotNull(ci);
            close(name, "interval.accuracy_score", e.get("metrics").get("accuracy_score").asDouble(), ci.estimate());
        }
    }

    @Test
    public void multiclassPredictedLabelsEqualScikitLearnInEveryFormat() throws Exception {
        for (String format : List.of("csv", "parquet", "jsonl")) {
            String name = "multiclass-pred/" + format;
            EvaluateResult result = run(name);
            JsonNode e = EXPECTED.get(name);
            checkCommon(name, result, e);
            assertEquals(List.of("bird", "cat", "dog", "fish"), result.classes());
            assertFalse(result.metrics().containsKey("roc_auc"));
            assertFalse(result.metrics().containsKey("log_loss"));
        }
    }

    @Test
    public void regressionEqualsScikitLearnInEveryFormat() throws Exception {
        for (String name : List.of("regression/csv", "regression/parquet", "regression/jsonl",
                "regression-prediction-column")) {
            EvaluateResult result = run(name);
            checkCommon(name, result, EXPECTED.get(name));
            assertNull(result.confusionMatrix());
            if (!name.contains("column")) {
                for (String metric : List.of("mean_absolute_error", "root_mean_squared_error")) {
                    EvaluateResult.IntervalView ci = result.intervals().get(metric);
                    assertNotNull(name + " " + metric, ci);
                    close(name, "interval." + metric, EXPECTED.get(name).get("metrics").get(metric).asDouble(),
                            ci.estimate());
                }
            }
        }
    }

    @Test
    public void theSameDataGivesTheSameResultInEveryFormat() throws Exception {
        for (String base : List.of("binary", "multiclass-proba", "multiclass-pred", "regression")) {
            EvaluateResult csv = run(base + "/csv");
            for (String format : List.of("parquet", "jsonl")) {
                EvaluateResult other = run(base + "/" + format);
                assertEquals(base + "/" + format + " metrics", csv.metrics(), other.metrics());
                assertEquals(base + "/" + format + " intervals", csv.intervals(), other.intervals());
                assertEquals(base + "/" + format + " slices", csv.slices(), other.slices());
            }
        }
    }

    @Test
    public void theJsonReportRoundTrips() throws Exception {
        for (String name : List.of("binary/csv", "multiclass-pred/parquet", "regression/jsonl")) {
            EvaluateResult result = run(name);
            Path report = FOLDER.getRoot().toPath().resolve(name.replace('/', '-') + ".json");
            ReportWriter.write(report, result);
            JsonNode json = ReportWriter.mapper().readTree(report.toFile());
            assertEquals("ml-stages/v1", json.get("schema").asText());
            assertEquals("evaluate", json.get("stage").asText());
            assertEquals(result.status().toString(), json.get("status").asText());
            assertEquals(result.rows(), json.get("rows").asLong());
            assertEquals(result.task(), json.get("task").asText());
            Iterator<String> order = json.fieldNames();
            assertEquals("schema", order.next());
            assertEquals("stage", order.next());
            // metrics: same names, same order, same doubles bit for bit
            JsonNode metrics = json.get("metrics");
            assertEquals(new ArrayList<>(result.metrics().keySet()), names(metrics));
            result.metrics().forEach((k, v) -> assertEquals(name + " " + k, v, metrics.get(k).asDouble(), 0.0));
            assertEquals(result.findings().size(), json.get("findings").size());
            assertEquals(result.lineage().get(0).toString(), 1, json.get("lineage").size());
            if (result.slices() != null) {
                assertEquals(result.slices().size(), json.get("slices").size());
                for (int i = 0; i < result.slices().size(); i++) {
                    EvaluateResult.SliceMetrics s = result.slices().get(i);
                    JsonNode j = json.get("slices").get(i);
                    assertEquals(s.key(), j.get("key").asText());
                    assertEquals(s.rows(), j.get("rows").asLong());
                    assertEquals(s.evaluated(), j.get("evaluated").asBoolean());
                    assertEquals(s.metrics() == null, !j.has("metrics"));
                }
            }
            if (result.confusionMatrix() != null) {
                for (int r = 0; r < result.confusionMatrix().length; r++) {
                    for (int c = 0; c < result.confusionMatrix()[r].length; c++) {
                        assertEquals(result.confusionMatrix()[r][c], json.get("confusion_matrix").get(r).get(c).asLong());
                    }
                }
            }
            if (result.fairness() != null) {
                JsonNode groups = json.get("fairness").get("groups");
                assertEquals(result.fairness().groups().size(), groups.size());
                assertEquals(result.fairness().groups().get(0).selectionRate(),
                        groups.get(0).get("selection_rate").asDouble(), 0.0);
            }
            if (result.curves() != null && result.curves().roc() != null) {
                assertEquals(result.curves().roc().xs().length, json.get("curves").get("roc").get("xs").size());
            }
            if (result.curves() != null && result.curves().perClass() != null) {
                JsonNode perClass = json.get("curves").get("per_class");
                assertEquals(result.classes().size(), perClass.size());
                for (int k = 0; k < perClass.size(); k++) {
                    EvaluateResult.ClassView view = result.curves().perClass().get(k);
                    assertEquals(view.positiveClass(), perClass.get(k).get("positive_class").asText());
                    assertEquals(view.support(), perClass.get(k).get("support").asLong());
                    JsonNode written = perClass.get(k).get("metrics");
                    view.metrics().forEach((metric, value) -> assertEquals(metric, value,
                            written.get(metric).asDouble(), 0.0));
                }
            }
            // typed read-back: the same values
            ObjectMapper lenient = ReportWriter.newMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            EvaluateResult back = lenient.readValue(report.toFile(), EvaluateResult.class);
            assertEquals(name, result.status(), back.status());
            assertEquals(name, result.findings(), back.findings());
            assertEquals(name, result.metrics(), back.metrics());
            assertEquals(name, result.lineage(), back.lineage());
            assertEquals(name, result.task(), back.task());
            assertEquals(name, result.rows(), back.rows());
            assertEquals(name, result.threshold(), back.threshold());
            assertEquals(name, result.intervals(), back.intervals());
            assertEquals(name, result.paired(), back.paired());
            assertEquals(name, result.slices(), back.slices());
            assertEquals(name, result.fairness(), back.fairness());
            assertEquals(name, result.classes(), back.classes());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Checks

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static EvaluateResult.SliceMetrics slice(EvaluateResult result, String key) {
        return result.slices().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no slice " + key + " in " + result.slices()));
    }

    /** Metrics both ways, rows, confusion matrix, classes, every slice. */
    private static void checkCommon(String name, EvaluateResult result, JsonNode e) {
        assertEquals(name + " rows", e.get("rows").asLong(), result.rows());
        metrics(name, result.metrics(), e.get("metrics"), result.findings());
        if (e.has("classes")) {
            List<String> classes = new ArrayList<>();
            e.get("classes").forEach(c -> classes.add(c.asText()));
            assertEquals(name + " classes", classes, result.classes());
        }
        JsonNode cm = e.get("confusion_matrix");
        if (cm != null && !cm.isNull()) {
            long[][] actual = result.confusionMatrix();
            assertNotNull(name + " confusion matrix", actual);
            assertEquals(name + " confusion matrix size", cm.size(), actual.length);
            for (int r = 0; r < cm.size(); r++) {
                for (int c = 0; c < cm.get(r).size(); c++) {
                    assertEquals(name + " confusion[" + r + "][" + c + "]", cm.get(r).get(c).asLong(), actual[r][c]);
                }
            }
        }
        JsonNode slices = e.get("slices");
        List<EvaluateResult.SliceMetrics> actual = result.slices() == null ? List.of() : result.slices();
        assertEquals(name + " slices " + actual, slices.size(), actual.size());
        for (JsonNode s : slices) {
            String key = s.get("key").asText();
            EvaluateResult.SliceMetrics slice = slice(result, key);
            assertEquals(name + " " + key + " rows", s.get("rows").asLong(), slice.rows());
            assertEquals(name + " " + key + " evaluated", s.has("metrics"), slice.evaluated());
            if (s.has("metrics")) {
                metrics(name + " " + key, slice.metrics(), s.get("metrics"), null);
            } else {
                assertTrue(name + " " + key, s.get("rows").asLong() < MIN_SLICE);
            }
        }
    }

    /** Every stage metric is sklearn's; every finite sklearn metric is reported; NaN ones are left out. */
    private static void metrics(String where, Map<String, Double> actual, JsonNode expected, List<Finding> findings) {
        for (Map.Entry<String, Double> m : actual.entrySet()) {
            JsonNode e = expected.get(m.getKey());
            if (e == null) {
                fail(where + ": the stage reports " + m.getKey() + " = " + m.getValue() + ", which the oracle does not know");
            }
            assertFalse(where + " " + m.getKey() + ": reported " + m.getValue() + ", scikit-learn gives NaN",
                    Double.isNaN(e.asDouble()));
            close(where, m.getKey(), e.asDouble(), m.getValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            double value = e.getValue().asDouble();
            if (Double.isNaN(value)) {
                assertFalse(where + " " + e.getKey() + " is undefined in scikit-learn", actual.containsKey(e.getKey()));
                if (findings != null) {
                    assertTrue(where + " a finding for undefined " + e.getKey(), findings.stream().anyMatch(
                            f -> f.check().equals("evaluate.metric_undefined") && e.getKey().equals(f.subject())));
                }
            } else {
                assertTrue(where + ": missing " + e.getKey() + " (scikit-learn: " + value + ")",
                        actual.containsKey(e.getKey()));
            }
        }
    }

    private static void checkFairness(String name, EvaluateResult result, JsonNode e) {
        EvaluateResult.FairnessView view = result.fairness();
        assertNotNull(name + " fairness", view);
        assertEquals("grp", view.column());
        JsonNode metrics = e.get("metrics");
        assertEquals(name + " fairness metrics " + view.metrics(), metrics.size(), view.metrics().size());
        metrics.fields().forEachRemaining(m -> {
            close(name + " fairness", m.getKey(), m.getValue().asDouble(), view.metrics().get(m.getKey()));
            assertEquals(name + " " + m.getKey() + " in metrics", view.metrics().get(m.getKey()),
                    result.metrics().get(m.getKey()));
        });
        JsonNode groups = e.get("groups");
        assertEquals(name + " groups", groups.size(), view.groups().size());
        for (int g = 0; g < groups.size(); g++) {
            JsonNode eg = groups.get(g);
            EvaluateResult.GroupView ag = view.groups().get(g);
            assertEquals(eg.get("group").asText(), ag.group());
            assertEquals(eg.get("rows").asLong(), ag.rows());
            close(name + " group " + ag.group(), "fairness.selection_rate", eg.get("selection_rate").asDouble(),
                    ag.selectionRate());
            close(name + " group " + ag.group(), "fairness.true_positive_rate", eg.get("true_positive_rate").asDouble(),
                    ag.truePositiveRate());
            close(name + " group " + ag.group(), "fairness.false_positive_rate",
                    eg.get("false_positive_rate").asDouble(), ag.falsePositiveRate());
        }
    }

    private static void close(String where, String metric, double expected, Double actual) {
        assertNotNull(where + " " + metric + " missing", actual);
        double scaled = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
        comparisons++;
        WORST.merge(metric, scaled, Math::max);
        if (!(scaled <= TOL)) {
            fail(String.format(Locale.ROOT, "%s %s: stage %.17g, scikit-learn %.17g (scaled difference %.3e)", where,
                    metric, actual, expected, scaled));
        }
    }

    /** The fairness metrics in the metrics map. */
    private static List<String> fairnessMetrics(EvaluateResult result) {
        return result.fairness() == null ? List.of() : new ArrayList<>(result.fairness().metrics().keySet());
    }
}
