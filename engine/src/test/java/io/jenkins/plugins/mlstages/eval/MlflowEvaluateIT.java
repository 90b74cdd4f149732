package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlstages.data.PythonOracle;
import io.jenkins.plugins.mlstages.report.StageLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every metric name we share with {@code mlflow.models.evaluate} (MLflow 3.17, the real package in the test
 * venv) means the same number: weak scikit-learn models on public datasets (wine and iris multiclass, breast
 * cancer binary, diabetes regression) are evaluated by MLflow, with the model (labels and probabilities) and
 * in static-predictions mode (labels only), and the same predictions, written to CSV by the oracle
 * ({@code mlflow_evaluate_oracle.py}), by {@link EvaluateModel}. For each case:
 * <ul>
 * <li>every name both report agrees to {@code 1e-9 * max(1, |mlflow|)};</li>
 * <li>the names only MLflow reports are {@link #MLFLOW_ONLY} (so a name MLflow adds fails here);</li>
 * <li>the names only we report are the documented ones ({@link #oursOnly}, docs/cli.md "Metric names").</li>
 * </ul>
 * This is the "Done when" of issue 12: a gate between a champion evaluated by {@code mlflow.evaluate} and a
 * candidate evaluated by us compares like with like for every shared name.
 */
public class MlflowEvaluateIT {
    private static final double TOL = 1e-9;
    /** MLflow's {@code score}: the scikit-learn model's own {@code score()}, only when MLflow is given the model. */
    static final Set<String> MLFLOW_ONLY = Set.of("score");

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    private static JsonNode oracle;

    @BeforeClass
    public static void askMlflow() {
        oracle = PythonOracle.run("mlflow_evaluate_oracle.py", Map.of("dir", FOLDER.getRoot().toString()));
        System.out.println("MlflowEvaluateIT versions: " + oracle.get("versions"));
    }

    /** The names we report and MLflow does not, by kind of case; docs/cli.md lists the same. */
    static Set<String> oursOnly(String task, boolean probabilities) {
        switch (task) {
            case "binary":
                return probabilities
                        ? Set.of("positive_count", "negative_count", "brier_score_loss", "expected_calibration_error")
                        : Set.of("positive_count", "negative_count");
            case "multiclass":
                Set<String> names = new TreeSet<>(Set.of("precision_macro", "precision_micro", "recall_macro",
                        "recall_micro", "f1_macro", "f1_micro"));
                if (probabilities) {
                    names.addAll(Set.of("roc_auc_macro", "roc_auc_weighted"));
                }
                return names;
            default:
                return Set.of("explained_variance_score");
        }
    }

    static EvaluateResult evaluate(JsonNode c) throws Exception {
        List<String> scores = new ArrayList<>();
        c.path("scores").forEach(s -> scores.add(s.asText()));
        String prediction = c.has("prediction") ? c.get("prediction").asText() : null;
        Task task = Task.valueOf(c.get("task").asText().toUpperCase(Locale.ROOT));
        return new EvaluateModel(StageLog.NONE).run(new EvaluateRequest(Path.of(c.get("file").asText()), null, null,
                task, c.get("label").asText(), scores, prediction, List.of(), 30, null, null, null, 0, 0.95, 42, null,
                null, EvaluateRequest.DEFAULT_CURVE_POINTS));
    }

    @Test
    public void everySharedNameHasMlflowsValue() throws Exception {
        int compared = 0;
        List<String> inexact = new ArrayList<>();
        for (JsonNode c : oracle.get("cases")) {
            String name = c.get("name").asText();
            Map<String, Double> ours = evaluate(c).metrics();
            Map<String, Double> theirs = new LinkedHashMap<>();
            c.get("metrics").fields().forEachRemaining(e -> theirs.put(e.getKey(), e.getValue().asDouble()));
            for (Map.Entry<String, Double> e : theirs.entrySet()) {
                if (MLFLOW_ONLY.contains(e.getKey())) {
                    continue;
                }
                Double mine = ours.get(e.getKey());
                assertTrue(name + ": MLflow reports " + e.getKey() + ", we do not (we have " + ours.keySet() + ")",
                        mine != null);
                double expected = e.getValue();
                assertEquals(name + " " + e.getKey(), expected, mine, TOL * Math.max(1, Math.abs(expected)));
                if (expected != mine) {
                    inexact.add(String.format(Locale.ROOT, "%s %s %.3e", name, e.getKey(), mine - expected));
                }
                compared++;
            }
            Set<String> only = new TreeSet<>(ours.keySet());
            only.removeAll(theirs.keySet());
            assertEquals(name + ": names only we report", new TreeSet<>(oursOnly(c.get("task").asText(),
                    c.has("scores"))), only);
        }
        System.out.println("MlflowEvaluateIT: " + compared + " values equal to mlflow.models.evaluate's, "
                + (compared - inexact.size()) + " of them bit for bit; the others: " + inexact);
        assertTrue(compared > 60);
    }

    /** MLflow's {@code per_class_metrics} table, row by row and column by column, for the multiclass cases. */
    @Test
    public void perClassMetricsAreMlflows() throws Exception {
        int compared = 0;
        for (JsonNode c : oracle.get("cases")) {
            if (!c.has("per_class")) {
                continue;
            }
            String name = c.get("name").asText();
            List<EvaluateResult.ClassView> ours = evaluate(c).curves().perClass();
            assertEquals(name, c.get("per_class").size(), ours.size());
            for (int k = 0; k < ours.size(); k++) {
                JsonNode theirs = c.get("per_class").get(k);
                EvaluateResult.ClassView mine = ours.get(k);
                assertEquals(name, theirs.get("positive_class").asText(), mine.positiveClass());
                Set<String> columns = new TreeSet<>();
                theirs.fieldNames().forEachRemaining(columns::add);
                columns.remove("positive_class");
                assertEquals(name + " class " + k + ": per-class names", columns, new TreeSet<>(mine.metrics().keySet()));
                for (String column : columns) {
                    double expected = theirs.get(column).asDouble();
                    assertEquals(name + " class " + k + " " + column, expected, mine.metrics().get(column),
                            TOL * Math.max(1, Math.abs(expected)));
                    compared++;
                }
                assertEquals(mine.metrics().get("true_positives") + mine.metrics().get("false_negatives"),
                        mine.support(), 0);
                assertTrue(name + " class " + k + " has curves", mine.roc() != null && mine.precisionRecall() != null);
            }
        }
        System.out.println("MlflowEvaluateIT: " + compared + " per-class values equal to MLflow's per_class_metrics");
        assertTrue(compared > 50);
    }

    /**
     * The "Done when" of issue 12: a gate whose champion was evaluated by {@code mlflow.evaluate} and whose
     * candidate is the same predictions evaluated by us holds both {@code m >= champion.m} and
     * {@code m <= champion.m} for every shared name (the values are equal, in fact bit for bit).
     */
    @Test
    public void aGateBetweenMlflowsChampionAndOurCandidateComparesLikeWithLike() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = io.jenkins.plugins.mlstages.report.ReportWriter.mapper();
        for (JsonNode c : oracle.get("cases")) {
            String name = c.get("name").asText();
            EvaluateResult ours = evaluate(c);
            Map<String, Object> champion = new LinkedHashMap<>();
            champion.put("schema", "ml-stages/v1");
            champion.put("stage", "evaluate");
            champion.put("metrics", c.get("metrics"));
            List<String> rules = new ArrayList<>();
            c.get("metrics").fieldNames().forEachRemaining(metric -> {
                if (!MLFLOW_ONLY.contains(metric)) {
                    rules.add(metric + " >= champion." + metric);
                    rules.add(metric + " <= champion." + metric);
                }
            });
            io.jenkins.plugins.mlstages.gate.ModelGateResult gate = new io.jenkins.plugins.mlstages.gate.ModelGate(
                    StageLog.NONE, null).run(new io.jenkins.plugins.mlstages.gate.ModelGateRequest(json.valueToTree(ours),
                            name, rules, null, null, json.valueToTree(champion), null));
            assertEquals(name + ": " + gate.findings(), io.jenkins.plugins.mlstages.report.Status.PASSED, gate.status());
            assertEquals(name, rules.size(), gate.rules().size());
            assertTrue(name + " has no legacy finding", gate.findings().stream()
                    .noneMatch(f -> f.check().equals(MetricSemantics.LEGACY_ROC_AUC)));
        }
    }
}
