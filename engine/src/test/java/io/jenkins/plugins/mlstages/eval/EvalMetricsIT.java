package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.AfterClass;
import org.junit.Test;
import io.jenkins.plugins.mlstages.data.PythonOracle;

/**
 * Every evaluateModel metric against live scikit-learn 1.9.1 / NumPy 2.4.6 ({@code eval_oracle.py}) on seeded
 * random data, binary (continuous, tied, imbalanced, perfectly separated, one class, constant scores, no
 * predicted positives, raw margins), multiclass (k = 3 and 5, a class absent from the predictions or from the
 * labels, tied probabilities, predicted labels only) and regression (zeros in y_true, constant y_true, n = 1),
 * to 1e-9: {@code |java - sklearn| <= 1e-9 * max(1, |sklearn|)} (absolute below 1, relative above); counts
 * exactly. The largest differences seen are printed. Also times a 5,000,000-row binary case (printed only).
 */
public class EvalMetricsIT {
    private static final double TOL = 1e-9;
    /** Largest |difference| / max(1, |expected|) seen per family, printed at the end. */
    private static final Map<String, Double> WORST = new TreeMap<>();
    private static final Map<String, String> WORST_WHERE = new TreeMap<>();
    private static int comparisons;

    @AfterClass
    public static void printTolerances() {
        StringBuilder sb = new StringBuilder("EvalMetricsIT: " + comparisons + " values compared with scikit-learn; "
                + "largest scaled difference per metric family:\n");
        WORST.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-32s %.3e  (%s)%n", k, v, WORST_WHERE.get(k))));
        System.out.print(sb);
    }

    // ------------------------------------------------------------------------------------------------
    // Binary

    @Test
    public void binaryMetricsEqualScikitLearn() {
        List<BinaryCase> cases = binaryCases();
        List<Map<String, Object>> request = new ArrayList<>();
        for (BinaryCase c : cases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name);
            m.put("labels", c.labels);
            m.put("scores", c.scores);
            m.put("threshold", c.threshold);
            if (c.groups != null) {
                m.put("groups", c.groups);
            }
            request.add(m);
        }
        JsonNode out = PythonOracle.run("eval_oracle.py", Map.of("binary", request));
        System.out.println("EvalMetricsIT oracle versions: " + out.get("versions"));
        JsonNode results = out.get("binary");
        assertEquals(cases.size(), results.size());
        for (int i = 0; i < cases.size(); i++) {
            checkBinary(cases.get(i), results.get(i));
        }
    }

    private static void checkBinary(BinaryCase c, JsonNode e) {
        String w = "binary/" + c.name;
        assertEquals(c.name, e.get("name").asText());
        BinaryMetrics.Result r = BinaryMetrics.evaluate(c.labels, c.scores, c.threshold);
        ConfusionCounts k = r.counts();
        assertEquals(w + " tn", e.get("tn").asLong(), k.tn());
        assertEquals(w + " fp", e.get("fp").asLong(), k.fp());
        assertEquals(w + " fn", e.get("fn").asLong(), k.fn());
        assertEquals(w + " tp", e.get("tp").asLong(), k.tp());
        assertEquals(w + " positives", e.get("positives").asLong(), r.positives());
        assertEquals(w + " negatives", e.get("negatives").asLong(), r.negatives());
        close("accuracy_score", w, e, r.accuracy());
        close("precision_score", w, e, r.precision());
        close("recall_score", w, e, r.recall());
        close("f1_score", w, e, r.f1());
        close("roc_auc", w, e, r.rocAuc());
        close("average_precision", w, e, r.precisionRecallAuc());
        close("pr_auc_trapezoid", w, e, r.precisionRecallTrapezoidAuc());
        // the standalone functions agree with evaluate()
        close("accuracy_score", w, e, BinaryMetrics.accuracy(c.labels, c.scores, c.threshold));
        close("precision_score", w, e, BinaryMetrics.precision(c.labels, c.scores, c.threshold));
        close("recall_score", w, e, BinaryMetrics.recall(c.labels, c.scores, c.threshold));
        close("f1_score", w, e, BinaryMetrics.f1(c.labels, c.scores, c.threshold));
        close("roc_auc", w, e, BinaryMetrics.rocAuc(c.labels, c.scores));
        close("average_precision", w, e, BinaryMetrics.averagePrecision(c.labels, c.scores));
        close("pr_auc_trapezoid", w, e, BinaryMetrics.precisionRecallTrapezoidAuc(c.labels, c.scores));

        JsonNode roc = e.get("roc_curve");
        Curve jr = r.roc();
        curve("roc_curve.fpr", w, roc.get("fpr"), jr.x());
        curve("roc_curve.tpr", w, roc.get("tpr"), jr.y());
        curve("roc_curve.thresholds", w, roc.get("thresholds"), jr.thresholds());
        assertEquals(jr, BinaryMetrics.rocCurve(c.labels, c.scores));

        JsonNode pr = e.get("pr_curve");
        Curve jp = r.precisionRecall();
        curve("pr_curve.precision", w, pr.get("precision"), jp.y());
        curve("pr_curve.recall", w, pr.get("recall"), jp.x());
        double[] thr = Arrays.copyOf(jp.thresholds(), jp.size() - 1); // sklearn has no threshold for the last point
        assertTrue(Double.isNaN(jp.thresholds()[jp.size() - 1]));
        curve("pr_curve.thresholds", w, pr.get("thresholds"), thr);
        assertEquals(jp, BinaryMetrics.precisionRecallCurve(c.labels, c.scores));

        if (e.has("log_loss")) {
            assertTrue(r.scoresAreProbabilities());
            close("log_loss", w, e, r.logLoss());
            close("brier_score_loss", w, e, r.brierScore());
            close("expected_calibration_error", w, e, r.expectedCalibrationError());
            close("log_loss", w, e, BinaryMetrics.logLoss(c.labels, c.scores));
            close("brier_score_loss", w, e, BinaryMetrics.brierScore(c.labels, c.scores));
            close("expected_calibration_error", w, e, BinaryMetrics.expectedCalibrationError(c.labels, c.scores));
            JsonNode cal = e.get("calibration");
            CalibrationCurve jc = r.calibration();
            curve("calibration.prob_true", w, cal.get("prob_true"), jc.probTrue());
            curve("calibration.prob_pred", w, cal.get("prob_pred"), jc.probPred());
            assertEquals(w + " calibration bins", cal.get("counts").size(), jc.size());
            for (int b = 0; b < jc.size(); b++) {
                assertEquals(w + " calibration count " + b, cal.get("counts").get(b).asLong(), jc.counts()[b]);
            }
            assertEquals(jc, BinaryMetrics.calibrationCurve(c.labels, c.scores));
        } else {
            assertFalse(w + " scores are not probabilities", r.scoresAreProbabilities());
            assertTrue(Double.isNaN(r.logLoss()));
        }

        JsonNode best = e.get("best_threshold");
        threshold(w, "f1", best.get("f1"), r.bestF1());
        threshold(w, "accuracy", best.get("accuracy"), r.bestAccuracy());
        if (best.has("brute")) {
            threshold(w, "f1 (brute force)", best.get("brute").get("f1"), r.bestF1());
            threshold(w, "accuracy (brute force)", best.get("brute").get("accuracy"), r.bestAccuracy());
        }
        assertEquals(r.bestF1(), BinaryMetrics.bestThreshold(c.labels, c.scores, BinaryMetrics.ThresholdMetric.F1));

        if (c.groups != null) {
            checkFairness(c, e.get("fairness"));
        }
    }

    private static void threshold(String w, String metric, JsonNode expected, BinaryMetrics.ThresholdChoice actual) {
        assertEquals(w + " best threshold by " + metric, expected.get(0).asDouble(), actual.threshold(), 0.0);
        close("best_threshold." + metric.split(" ")[0], w, expected.get(1).asDouble(), actual.value());
    }

    private static void checkFairness(BinaryCase c, JsonNode e) {
        String w = "fairness/" + c.name;
        for (Fairness.Method method : Fairness.Method.values()) {
            Fairness.Report r = Fairness.evaluate(c.labels, c.scores, c.threshold, c.groups, method);
            JsonNode groups = e.get("groups");
            assertEquals(w + " groups", groups.size(), r.groups().size());
            for (int g = 0; g < groups.size(); g++) {
                Fairness.GroupRates rates = r.groups().get(g);
                assertEquals(groups.get(g).asText(), rates.group());
                JsonNode by = e.get("by_group").get(rates.group());
                assertEquals(w + " count", by.get("count").asLong(), rates.count());
                close("fairness.selection_rate", w, by.get("selection_rate").asDouble(), rates.selectionRate());
                close("fairness.tpr", w, by.get("tpr").asDouble(), rates.truePositiveRate());
                close("fairness.fpr", w, by.get("fpr").asDouble(), rates.falsePositiveRate());
            }
            JsonNode m = e.get(method == Fairness.Method.BETWEEN_GROUPS ? "between_groups" : "to_overall");
            String wm = w + "/" + method;
            close("fairness.demographic_parity_difference", wm, m, "demographic_parity_difference",
                    r.demographicParityDifference());
            close("fairness.demographic_parity_ratio", wm, m, "demographic_parity_ratio", r.demographicParityRatio());
            close("fairness.equalized_odds_difference", wm, m, "equalized_odds_difference",
                    r.equalizedOddsDifference());
            close("fairness.equalized_odds_ratio", wm, m, "equalized_odds_ratio", r.equalizedOddsRatio());
            close("fairness.equal_opportunity_difference", wm, m, "equal_opportunity_difference",
                    r.equalOpportunityDifference());
            close("fairness.equal_opportunity_ratio", wm, m, "equal_opportunity_ratio", r.equalOpportunityRatio());
        }
    }

    private record BinaryCase(String name, int[] labels, double[] scores, double threshold, String[] groups) {
    }

    private static List<BinaryCase> binaryCases() {
        List<BinaryCase> cases = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(20260901L);
        // continuous scores, 30 % positives, with a sensitive column of 4 groups (one small, without positives)
        {
            int n = 5000;
            int[] y = new int[n];
            double[] s = new double[n];
            String[] g = new String[n];
            for (int i = 0; i < n; i++) {
                g[i] = i % 50 == 0 ? "d" : new String[] {"a", "b", "c"}[rnd.nextInt(3)];
                y[i] = !g[i].equals("d") && rnd.nextDouble() < (g[i].equals("a") ? 0.2 : 0.35) ? 1 : 0;
                s[i] = sigmoid(rnd.nextGaussian() + 1.3 * y[i] - 0.6 + (g[i].equals("b") ? 0.4 : 0));
            }
            cases.add(new BinaryCase("continuous", y, s, 0.5, g));
        }
        // ties: scores rounded to 2 decimals (many equal scores, some exactly on calibration bin edges)
        {
            int n = 4000;
            int[] y = new int[n];
            double[] s = new double[n];
            String[] g = new String[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.4 ? 1 : 0;
                s[i] = Math.round(sigmoid(rnd.nextGaussian() + y[i]) * 100) / 100.0;
                g[i] = rnd.nextDouble() < 0.5 ? "x" : "y";
            }
            cases.add(new BinaryCase("ties-2-decimals", y, s, 0.5, g));
            cases.add(new BinaryCase("ties-threshold-0.3", y, s, 0.3, null));
        }
        // heavy ties: 1 decimal, scores equal to every bin edge
        {
            int n = 3000;
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.5 ? 1 : 0;
                s[i] = Math.min(10, Math.max(0, Math.round(sigmoid(rnd.nextGaussian() + y[i] - 0.5) * 10))) / 10.0;
            }
            cases.add(new BinaryCase("ties-1-decimal", y, s, 0.5, null));
        }
        // imbalanced: 1.5 % positives
        {
            int n = 20000;
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.015 ? 1 : 0;
                s[i] = sigmoid(rnd.nextGaussian() * 1.5 + 2.5 * y[i] - 3);
            }
            cases.add(new BinaryCase("imbalanced", y, s, 0.5, null));
        }
        // perfect separation
        {
            int n = 1000;
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.5 ? 1 : 0;
                s[i] = y[i] == 1 ? 0.6 + 0.4 * rnd.nextDouble() : 0.4 * rnd.nextDouble();
            }
            cases.add(new BinaryCase("perfect", y, s, 0.5, null));
        }
        // one class only (AUC NaN) and constant scores
        {
            int n = 500;
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextDouble();
            }
            cases.add(new BinaryCase("only-negatives", new int[n], s, 0.5, null));
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            cases.add(new BinaryCase("only-positives", ones, s, 0.5, null));
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
            }
            double[] constant = new double[n];
            Arrays.fill(constant, 0.5);
            cases.add(new BinaryCase("all-equal-scores", y, constant, 0.5, null));
            Arrays.fill(constant, 0.25);
            cases.add(new BinaryCase("all-equal-below-threshold", y, constant, 0.5, null));
        }
        // no predicted positives at the threshold; probabilities 0 and 1 (log-loss clipping)
        {
            int n = 800;
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
                s[i] = i % 97 == 0 ? (i % 2 == 0 ? 0.0 : 1.0) : 0.9 * sigmoid(rnd.nextGaussian() + y[i]);
            }
            cases.add(new BinaryCase("zero-predicted-positives", y, s, 1.5, null));
            cases.add(new BinaryCase("zero-and-one-probabilities", y, s, 0.5, null));
        }
        // raw margins (not probabilities), including -0.0 and 0.0
        {
            int n = 2000;
            int[] y = new int[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.4 ? 1 : 0;
                s[i] = i % 31 == 0 ? (i % 2 == 0 ? -0.0 : 0.0) : Math.round((rnd.nextGaussian() * 3 + y[i]) * 4) / 4.0;
            }
            cases.add(new BinaryCase("raw-margins", y, s, 0.0, null));
        }
        // small, so the best thresholds are also brute-forced with sklearn's scorers
        {
            int n = 60;
            int[] y = new int[n];
            double[] s = new double[n];
            String[] g = new String[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextDouble() < 0.45 ? 1 : 0;
                s[i] = Math.round(sigmoid(rnd.nextGaussian() + y[i]) * 20) / 20.0;
                g[i] = i < 20 ? "p" : i < 40 ? "q" : "r";
            }
            cases.add(new BinaryCase("small", y, s, 0.5, g));
        }
        // fairness edge: a group with no predicted positives and a group of positives only
        {
            int n = 300;
            int[] y = new int[n];
            double[] s = new double[n];
            String[] g = new String[n];
            for (int i = 0; i < n; i++) {
                g[i] = i < 100 ? "none-selected" : i < 150 ? "all-positive" : "mixed";
                y[i] = g[i].equals("all-positive") ? 1 : rnd.nextDouble() < 0.5 ? 1 : 0;
                s[i] = g[i].equals("none-selected") ? 0.4 * rnd.nextDouble() : rnd.nextDouble();
            }
            cases.add(new BinaryCase("fairness-edges", y, s, 0.5, g));
        }
        return cases;
    }

    // ------------------------------------------------------------------------------------------------
    // Multiclass

    @Test
    public void multiclassMetricsEqualScikitLearn() {
        SplittableRandom rnd = new SplittableRandom(7_2026L);
        // name -> k; the probabilities are a softmax of class-dependent logits (or drawn from a few fixed rows)
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("k3", 3);
        cases.put("k5-class-4-never-predicted", 5);
        cases.put("k4-class-3-absent-from-labels", 4);
        cases.put("k3-tied-probabilities", 3);
        List<Map<String, Object>> request = new ArrayList<>();
        List<int[]> allLabels = new ArrayList<>();
        List<double[][]> allProba = new ArrayList<>();
        List<int[]> allPredicted = new ArrayList<>();
        List<Integer> ks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            String name = c.getKey();
            int k = c.getValue();
            int n = name.startsWith("k5") ? 5000 : 3000;
            int[] y = new int[n];
            double[][] p = new double[n][];
            double[][] tiedRows = {{0.5, 0.3, 0.2}, {0.2, 0.5, 0.3}, {0.3, 0.2, 0.5}, {0.4, 0.4, 0.2}, {0.1, 0.1, 0.8}};
            for (int i = 0; i < n; i++) {
                y[i] = name.startsWith("k4") ? rnd.nextInt(3) : rnd.nextInt(k);
                if (name.contains("tied")) {
                    int r = (y[i] + (rnd.nextDouble() < 0.4 ? rnd.nextInt(5) : 0)) % 5;
                    p[i] = tiedRows[r].clone();
                    continue;
                }
                double[] z = new double[k];
                for (int c2 = 0; c2 < k; c2++) {
                    z[c2] = rnd.nextGaussian() + (c2 == y[i] ? 1.5 : 0);
                }
                if (name.startsWith("k5")) {
                    z[4] -= 8; // class 4 is never the argmax
                }
                p[i] = softmax(z);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("labels", y);
            m.put("k", k);
            m.put("proba", p);
            request.add(m);
            names.add(name);
            allLabels.add(y);
            allProba.add(p);
            allPredicted.add(null);
            ks.add(k);
        }
        // predicted labels only, with class 4 absent from both labels and predictions and class 3 only predicted
        {
            int n = 2000;
            int k = 5;
            int[] y = new int[n];
            int[] pred = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = rnd.nextInt(3);
                pred[i] = rnd.nextDouble() < 0.6 ? y[i] : rnd.nextInt(4);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", "k5-predicted-only");
            m.put("labels", y);
            m.put("k", k);
            m.put("predicted", pred);
            request.add(m);
            names.add("k5-predicted-only");
            allLabels.add(y);
            allProba.add(null);
            allPredicted.add(pred);
            ks.add(k);
        }
        JsonNode out = PythonOracle.run("eval_oracle.py", Map.of("multiclass", request)).get("multiclass");
        assertEquals(names.size(), out.size());
        for (int i = 0; i < names.size(); i++) {
            String w = "multiclass/" + names.get(i);
            JsonNode e = out.get(i);
            int k = ks.get(i);
            int[] y = allLabels.get(i);
            MulticlassMetrics.Result r;
            int[] predicted;
            if (allProba.get(i) != null) {
                double[][] p = allProba.get(i);
                r = MulticlassMetrics.evaluate(y, p);
                predicted = MulticlassMetrics.argmax(p);
                close("multiclass.roc_auc_macro", w, e, "roc_auc_macro", r.rocAucMacro());
                close("multiclass.roc_auc_weighted", w, e, "roc_auc_weighted", r.rocAucWeighted());
                close("multiclass.log_loss", w, e, "log_loss", r.logLoss());
                close("multiclass.log_loss", w, e, "log_loss", MulticlassMetrics.logLoss(y, p));
                for (int c = 0; c < k; c++) {
                    close("multiclass.roc_auc_per_class", w, e.get("roc_auc_per_class").get(c).asDouble(),
                            r.rocAucPerClass()[c]);
                }
                close("multiclass.roc_auc_weighted", w, e, "roc_auc_weighted",
                        MulticlassMetrics.rocAucOvr(y, p, MulticlassMetrics.Average.WEIGHTED));
                close("multiclass.roc_auc_macro", w, e, "roc_auc_macro",
                        MulticlassMetrics.rocAucOvr(y, p, MulticlassMetrics.Average.MACRO));
                if (e.has("roc_auc_mlflow")) {
                    close("multiclass.roc_auc_weighted", w, e, "roc_auc_mlflow", r.rocAucWeighted());
                }
                assertTrue(r.probabilitiesSumToOne());
            } else {
                predicted = allPredicted.get(i);
                r = MulticlassMetrics.evaluate(y, predicted, k);
            }
            for (int j = 0; j < predicted.length; j++) {
                assertEquals(w + " predicted " + j, e.get("predicted").get(j).asInt(), predicted[j]);
            }
            close("multiclass.accuracy", w, e, "accuracy_score", r.accuracy());
            close("multiclass.precision", w, e, "precision_macro", r.precisionMacro());
            close("multiclass.precision", w, e, "precision_micro", r.precisionMicro());
            close("multiclass.precision", w, e, "precision_weighted", r.precisionWeighted());
            close("multiclass.recall", w, e, "recall_macro", r.recallMacro());
            close("multiclass.recall", w, e, "recall_micro", r.recallMicro());
            close("multiclass.recall", w, e, "recall_weighted", r.recallWeighted());
            close("multiclass.f1", w, e, "f1_macro", r.f1Macro());
            close("multiclass.f1", w, e, "f1_micro", r.f1Micro());
            close("multiclass.f1", w, e, "f1_weighted", r.f1Weighted());
            for (MulticlassMetrics.Average a : MulticlassMetrics.Average.values()) {
                String suffix = a.name().toLowerCase(Locale.ROOT);
                close("multiclass.precision", w, e, "precision_" + suffix, MulticlassMetrics.precision(y, predicted, k, a));
                close("multiclass.recall", w, e, "recall_" + suffix, MulticlassMetrics.recall(y, predicted, k, a));
                close("multiclass.f1", w, e, "f1_" + suffix, MulticlassMetrics.f1(y, predicted, k, a));
            }
            if (names.get(i).startsWith("k5-class-4")) { // the scenario holds: class 4 is never predicted
                for (int a = 0; a < k; a++) {
                    assertEquals(w, 0, r.confusionMatrix()[a][4]);
                }
            }
            if (names.get(i).startsWith("k4")) { // class 3 never occurs: macro AUC NaN, weighted defined
                assertTrue(w, Double.isNaN(r.rocAucMacro()));
                assertTrue(w, Double.isFinite(r.rocAucWeighted()));
            }
            JsonNode cm = e.get("confusion_matrix");
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    assertEquals(w + " confusion[" + a + "][" + b + "]", cm.get(a).get(b).asLong(),
                            r.confusionMatrix()[a][b]);
                }
            }
            comparisons += k * k;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Regression

    @Test
    public void regressionMetricsEqualScikitLearn() {
        SplittableRandom rnd = new SplittableRandom(42_2026L);
        Map<String, double[][]> cases = new LinkedHashMap<>();
        {
            int n = 5000;
            double[] t = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = rnd.nextGaussian() * 10 + 50;
                p[i] = t[i] + rnd.nextGaussian() * 3;
            }
            cases.put("gaussian", new double[][] {t, p});
        }
        {
            int n = 3000;
            double[] t = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = i % 10 == 0 ? 0.0 : Math.round(rnd.nextGaussian() * 20) / 4.0;
                p[i] = t[i] + rnd.nextGaussian();
            }
            cases.put("zeros-in-y-true", new double[][] {t, p});
        }
        {
            int n = 1000;
            double[] t = new double[n];
            double[] p = new double[n];
            double[] q = new double[n];
            double[] u = new double[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = 2.5;
                p[i] = 2.5 + rnd.nextGaussian();
                q[i] = 0.1;
                u[i] = 0.1 + rnd.nextGaussian() * 0.01;
                v[i] = 0.1 + 0.3; // constant offset from a non-representable constant
            }
            cases.put("constant-y-true", new double[][] {t, p});
            cases.put("constant-y-true-perfect", new double[][] {t, t.clone()});
            cases.put("constant-0.1", new double[][] {q, u});
            cases.put("constant-0.1-offset", new double[][] {q, v});
        }
        {
            int n = 777;
            double[] t = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = Math.exp(rnd.nextGaussian() * 2);
                p[i] = t[i] * (1 + 0.1 * rnd.nextGaussian());
            }
            cases.put("lognormal", new double[][] {t, p});
            cases.put("perfect", new double[][] {t, t.clone()});
        }
        cases.put("single-row", new double[][] {{3.0}, {2.0}});
        cases.put("two-rows", new double[][] {{1.0, 0.0}, {0.5, 0.25}});
        List<Map<String, Object>> request = new ArrayList<>();
        cases.forEach((name, tp) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("y_true", tp[0]);
            m.put("y_pred", tp[1]);
            request.add(m);
        });
        JsonNode out = PythonOracle.run("eval_oracle.py", Map.of("regression", request)).get("regression");
        int i = 0;
        for (Map.Entry<String, double[][]> c : cases.entrySet()) {
            String w = "regression/" + c.getKey();
            JsonNode e = out.get(i++);
            assertEquals(c.getKey(), e.get("name").asText());
            double[] t = c.getValue()[0];
            double[] p = c.getValue()[1];
            RegressionMetrics.Result r = RegressionMetrics.evaluate(t, p);
            close("mean_absolute_error", w, e, r.meanAbsoluteError());
            close("mean_squared_error", w, e, r.meanSquaredError());
            close("root_mean_squared_error", w, e, r.rootMeanSquaredError());
            close("r2_score", w, e, r.r2());
            close("mean_absolute_percentage_error", w, e, r.meanAbsolutePercentageError());
            close("max_error", w, e, r.maxError());
            close("explained_variance_score", w, e, r.explainedVariance());
            close("mean_absolute_error", w, e, RegressionMetrics.meanAbsoluteError(t, p));
            close("mean_squared_error", w, e, RegressionMetrics.meanSquaredError(t, p));
            close("root_mean_squared_error", w, e, RegressionMetrics.rootMeanSquaredError(t, p));
            close("r2_score", w, e, RegressionMetrics.r2Score(t, p));
            close("mean_absolute_percentage_error", w, e, RegressionMetrics.meanAbsolutePercentageError(t, p));
            close("max_error", w, e, RegressionMetrics.maxError(t, p));
            close("explained_variance_score", w, e, RegressionMetrics.explainedVarianceScore(t, p));
            // NumPy's pairwise summation is reproduced bit for bit
            assertEquals(w + " np.sum(y_true)", e.get("sum_on_target").asDouble(), r.sumOnTarget(), 0.0);
            comparisons++;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // 5 M rows, timed (printed only)

    @Test
    public void fiveMillionRowsTimed() throws IOException {
        int n = 5_000_000;
        SplittableRandom rnd = new SplittableRandom(5_000_000L);
        int[] y = new int[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
            double p = sigmoid(rnd.nextGaussian() * 1.2 + 1.6 * y[i] - 1.0);
            s[i] = rnd.nextDouble() < 0.1 ? Math.round(p * 1000) / 1000.0 : p;
        }
        StringBuilder report = new StringBuilder("EvalMetricsIT 5,000,000 binary rows (30% positives, 10% of scores"
                + " rounded to 3 decimals), " + Runtime.getRuntime().availableProcessors() + " processors:\n");
        double auc = Double.NaN;
        for (int run = 1; run <= 3; run++) {
            long t0 = System.nanoTime();
            auc = BinaryMetrics.rocAuc(y, s);
            report.append(String.format(Locale.ROOT, "  roc_auc run %d: %.3f s (AUC %.9f)%n", run, seconds(t0), auc));
        }
        long t0 = System.nanoTime();
        BinaryMetrics.Result all = BinaryMetrics.evaluate(y, s, 0.5);
        report.append(String.format(Locale.ROOT, "  all binary metrics + full curves + best thresholds: %.3f s"
                + " (ROC curve %d points, PR curve %d points)%n", seconds(t0), all.roc().size(),
                all.precisionRecall().size()));
        assertEquals(auc, all.rocAuc(), 1e-12);
        t0 = System.nanoTime();
        Curve roc = all.roc().downsample(300);
        report.append(String.format(Locale.ROOT, "  downsample ROC to %d points: %.3f s%n", roc.size(), seconds(t0)));

        t0 = System.nanoTime();
        ResampleMetric aucKernel = Bootstrap.rocAuc(y, s);
        report.append(String.format(Locale.ROOT, "  bootstrap AUC kernel (radix index sort): %.3f s%n", seconds(t0)));
        t0 = System.nanoTime();
        ConfidenceInterval aucCi = Bootstrap.ci(n, aucKernel, 200, 0.95, 1L);
        report.append(String.format(Locale.ROOT, "  200 bootstrap resamples of AUC: %.3f s -> [%.6f, %.6f] around %.6f%n",
                seconds(t0), aucCi.lower(), aucCi.upper(), aucCi.estimate()));
        t0 = System.nanoTime();
        ConfidenceInterval f1Ci = Bootstrap.ci(n, Bootstrap.atThreshold(y, s, 0.5, ConfusionCounts::f1), 200, 0.95, 1L);
        report.append(String.format(Locale.ROOT, "  200 bootstrap resamples of F1: %.3f s -> [%.6f, %.6f] around %.6f%n",
                seconds(t0), f1Ci.lower(), f1Ci.upper(), f1Ci.estimate()));
        t0 = System.nanoTime();
        ConfidenceInterval[] both = Bootstrap.cis(n, new ResampleMetric[] {aucKernel,
            Bootstrap.atThreshold(y, s, 0.5, ConfusionCounts::f1)}, 200, 0.95, 1L,
                Runtime.getRuntime().availableProcessors());
        report.append(String.format(Locale.ROOT, "  200 shared resamples of AUC and F1 together: %.3f s%n", seconds(t0)));
        assertEquals(aucCi, both[0]);
        assertEquals(f1Ci, both[1]);
        assertTrue(aucCi.contains(aucCi.estimate()));
        assertTrue(f1Ci.contains(f1Ci.estimate()));

        Path dir = Files.createTempDirectory("eval-5m");
        try {
            Path labels = dir.resolve("labels.i4");
            Path scores = dir.resolve("scores.f8");
            write(labels, y);
            write(scores, s);
            JsonNode e = PythonOracle.run("eval_oracle.py",
                    Map.of("large", Map.of("labels", labels.toString(), "scores", scores.toString()))).get("large");
            assertEquals(n, e.get("rows").asInt());
            close("roc_auc (5M)", "binary/5M", e.get("roc_auc").asDouble(), auc);
            report.append(String.format(Locale.ROOT, "  scikit-learn roc_auc_score on the same rows: %.3f s (AUC %.9f)%n",
                    e.get("seconds").asDouble(), e.get("roc_auc").asDouble()));
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
        System.out.print(report);
    }

    // ------------------------------------------------------------------------------------------------

    private static void close(String metric, String where, JsonNode expected, double actual) {
        close(metric, where, expected, metric, actual);
    }

    private static void close(String family, String where, JsonNode expected, String key, double actual) {
        JsonNode v = expected.get(key);
        assertNotNull(where + ": oracle has no " + key, v);
        close(family, where + " " + key, v.asDouble(), actual);
    }

    private static void close(String family, String where, double expected, double actual) {
        comparisons++;
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            if (Double.isNaN(expected) != Double.isNaN(actual)) {
                fail(where + ": expected " + expected + " but was " + actual);
            }
            return;
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            assertEquals(where, expected, actual, 0.0);
            return;
        }
        double scaled = Math.abs(expected - actual) / Math.max(1.0, Math.abs(expected));
        if (scaled > TOL) {
            fail(where + ": expected " + expected + " but was " + actual + " (scaled difference " + scaled + ")");
        }
        if (scaled > WORST.getOrDefault(family, -1.0)) {
            WORST.put(family, scaled);
            WORST_WHERE.put(family, where);
        }
    }

    private static void curve(String family, String where, JsonNode expected, double[] actual) {
        assertEquals(where + " " + family + " length", expected.size(), actual.length);
        for (int i = 0; i < actual.length; i++) {
            close(family, where + " " + family + "[" + i + "]", expected.get(i).asDouble(), actual[i]);
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElse(0);
        double[] e = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void write(Path file, int[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(values);
        writeAll(file, buf);
    }

    private static void write(Path file, double[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(values);
        writeAll(file, buf);
    }

    private static void writeAll(Path file, ByteBuffer buf) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
