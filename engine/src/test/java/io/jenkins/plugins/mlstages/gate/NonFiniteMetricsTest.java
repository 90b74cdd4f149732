package io.jenkins.plugins.mlstages.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.eval.EvaluateModel;
import io.jenkins.plugins.mlstages.eval.EvaluateRequest;
import io.jenkins.plugins.mlstages.eval.EvaluateResult;
import io.jenkins.plugins.mlstages.eval.EvaluationToRun;
import io.jenkins.plugins.mlstages.eval.Task;
import io.jenkins.plugins.mlstages.registry.Metric;
import io.jenkins.plugins.mlstages.registry.ModelRegistry;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageInput;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * NaN and infinite metrics from evaluate to the gate, through the report file (docs/gate.md, "Rules
 * that cannot be evaluated"): NaN fails its rule with an explanation at the rule's severity, never an
 * "unknown metric"; infinities compare normally; the evaluateModel step's run logging reads them the same.
 */
public class NonFiniteMetricsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** The report as the file holds it: what evaluate's writer wrote, read back as JSON. */
    private static JsonNode written(Object report) throws Exception {
        return ReportWriter.mapper().readTree(ReportWriter.mapper().writeValueAsBytes(report));
    }

    private static ModelGateResult gate(JsonNode candidate, JsonNode champion, String... rules) throws Exception {
        return new ModelGate(StageLog.NONE, null).run(new ModelGateRequest(candidate, "evaluate.json", List.of(rules), null,
                "champion", champion, FirstModelPolicy.ABSOLUTE_ONLY));
    }

    private JsonNode oneClassEvaluation() throws Exception {
        Path file = folder.getRoot().toPath().resolve("p.csv");
        Files.writeString(file, "label,score\n0,0.1\n0,0.7\n0,0.3\n0,0.5\n");
        EvaluateResult result = new EvaluateModel(StageLog.NONE).run(new EvaluateRequest(file, null, null, Task.BINARY, "label",
                List.of("score"), null, List.of(), 30, null, null, null, 20, 0.95, 42, null, null,
                EvaluateRequest.DEFAULT_CURVE_POINTS));
        return written(result);
    }

    /** An evaluate report holding the given metrics, written by the report writer. */
    private static JsonNode report(Map<String, Double> metrics) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("schema", "ml-stages/v1");
        report.put("stage", "evaluate");
        report.put("status", "PASSED");
        report.put("metrics", metrics);
        return written(report);
    }

    @Test
    public void anUndefinedMetricFailsItsRuleAtItsSeverityInsteadOfBeingUnknown() throws Exception {
        JsonNode evaluation = oneClassEvaluation();
        ModelGateResult warning = gate(evaluation, null, "warning: roc_auc >= 0.5", "accuracy_score >= 0");
        assertEquals(Status.WARNING, warning.status());
        assertEquals("FAIL warning: roc_auc >= 0.5: cannot evaluate, roc_auc is NaN (undefined)",
                warning.rules().get(0).explanation());
        assertEquals(Status.FAILED, gate(evaluation, null, "roc_auc >= 0.5").status());
        // The champion's report is read the same way.
        ModelGateResult champion = gate(report(Map.of("accuracy_score", 0.9)), evaluation, "accuracy_score >= champion.roc_auc");
        assertEquals("FAIL accuracy_score >= champion.roc_auc: cannot evaluate, champion.roc_auc is NaN (undefined)",
                champion.rules().get(0).explanation());
    }

    @Test
    public void nanAndInfinitiesWrittenByTheReportWriterAreReadBackAsSuch() throws Exception {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("log_loss", Double.POSITIVE_INFINITY);
        metrics.put("r2_score", Double.NEGATIVE_INFINITY);
        metrics.put("f1_score", Double.NaN);
        JsonNode evaluation = report(metrics);
        assertEquals("Infinity", evaluation.path("metrics").path("log_loss").asText());

        ModelGateResult result = gate(evaluation, null, "log_loss <= 1", "log_loss >= 0", "r2_score >= -1",
                "r2_score <= 0", "warning: f1_score >= 0.5");
        List<String> explanations = result.rules().stream().map(RuleOutcome::explanation).toList();
        assertEquals(List.of(
                "FAIL log_loss <= 1: inf vs required 1.0000, margin -inf",
                "PASS log_loss >= 0: inf vs required 0.0000, margin +inf",
                "FAIL r2_score >= -1: -inf vs required -1.0000, margin -inf",
                "PASS r2_score <= 0: -inf vs required 0.0000, margin +inf",
                "FAIL warning: f1_score >= 0.5: cannot evaluate, f1_score is NaN (undefined)"), explanations);
        // What the gate read is what its own report says it read.
        assertTrue(Double.isInfinite(result.metrics().get("log_loss")));
        JsonNode gateReport = written(result);
        assertEquals("-Infinity", gateReport.path("metrics").path("r2_score").asText());
        assertEquals("NaN", gateReport.path("metrics").path("f1_score").asText());
    }

    @Test
    public void runLoggingReadsNonFiniteMetricsAsTheGateDoes() throws Exception {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("log_loss", Double.POSITIVE_INFINITY);
        metrics.put("r2_score", Double.NEGATIVE_INFINITY);
        metrics.put("f1_score", Double.NaN);
        metrics.put("accuracy_score", 0.75);
        List<Metric> logged = new ArrayList<>();
        ModelRegistry registry = (ModelRegistry) Proxy.newProxyInstance(ModelRegistry.class.getClassLoader(),
                new Class<?>[] {ModelRegistry.class}, (proxy, method, args) -> {
                    if (method.getName().equals("logBatch")) {
                        @SuppressWarnings("unchecked")
                        List<Metric> batch = (List<Metric>) args[1];
                        logged.addAll(batch);
                    }
                    return null;
                });
        assertEquals(4, EvaluationToRun.log(registry, new EvaluationToRun.Target("r1", null, null),
                ReportWriter.mapper().writeValueAsString(report(metrics))).metrics());
        Map<String, Double> values = new LinkedHashMap<>();
        logged.forEach(m -> values.put(m.key(), m.value()));
        assertEquals(metrics, values);
    }

    @Test
    public void theGateReportOfAnUndefinedMetricIsReadAndMergedWithoutAKeyMetricForIt() throws Exception {
        ModelGateResult result = gate(oneClassEvaluation(), null, "warning: roc_auc >= 0.5");
        byte[] json = ReportWriter.mapper().writeValueAsBytes(result);
        StageInput input = new StageReportReader().parse(new ByteArrayInputStream(json), "gate.json");
        assertEquals("NaN", input.path("metrics").path("roc_auc").asText());
        BuildReport merged = BuildReport.merge(List.of(input), null);
        assertEquals(Status.WARNING, merged.status());
        List<String> keyMetrics = merged.summary().metrics().stream().map(m -> m.name()).toList();
        assertTrue(keyMetrics.toString(), keyMetrics.contains("accuracy_score"));
        assertFalse(keyMetrics.toString(), keyMetrics.contains("roc_auc"));
    }

    /** A metric of the task that evaluate could not compute (no scores: no roc_auc) fails its rule, it is not unknown. */
    @Test
    public void aTaskMetricThatWasNotComputedFailsItsRuleWithNoValueInsteadOfBeingUnknown() throws Exception {
        Path file = folder.getRoot().toPath().resolve("labels.csv");
        Files.writeString(file, "label,predicted\n0,0\n1,1\n1,0\n0,0\n");
        JsonNode evaluation = written(new EvaluateModel(StageLog.NONE).run(new EvaluateRequest(file, null, null, Task.BINARY,
                "label", List.of(), "predicted", List.of(), 30, null, null, null, 0, 0.95, 42, null, null,
                EvaluateRequest.DEFAULT_CURVE_POINTS)));
        assertTrue(evaluation.path("metrics").has("accuracy_score"));
        assertFalse(evaluation.path("metrics").has("roc_auc"));
        ModelGateResult result = gate(evaluation, null, "roc_auc >= 0.8", "warning: precision_recall_auc >= 0.5",
                "accuracy_score >= 0.5");
        assertEquals(Status.FAILED, result.status());
        assertEquals("FAIL roc_auc >= 0.8: cannot evaluate, no value for roc_auc", result.rules().get(0).explanation());
        assertTrue(result.rules().get(1).explanation(),
                result.rules().get(1).explanation().endsWith("cannot evaluate, no value for precision_recall_auc"));
        // A name outside the task's metrics is still an error that lists them.
        GateException unknown = org.junit.Assert.assertThrows(GateException.class,
                () -> gate(evaluation, null, "r2_score >= 0.5"));
        assertTrue(unknown.getMessage(), unknown.getMessage().startsWith("unknown metric 'r2_score' in rule 1;")
                && unknown.getMessage().contains("roc_auc"));
    }
}
