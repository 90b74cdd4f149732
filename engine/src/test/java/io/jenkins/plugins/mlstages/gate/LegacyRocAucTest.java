package io.jenkins.plugins.mlstages.gate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

import io.jenkins.plugins.mlstages.eval.MetricSemantics;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * A champion whose multiclass {@code roc_auc} was written by an earlier release (the macro average) is
 * compared by MLflow's meaning (the weighted one), with a finding saying so; the values are those of
 * the issue (the same model on wine: weighted 0.9052, macro 0.9108).
 */
public class LegacyRocAucTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double WEIGHTED = 0.9052;
    private static final double MACRO = 0.9108;

    private static JsonNode report(Map<String, Double> metrics) {
        return JSON.valueToTree(Map.of("schema", "ml-stages/v1", "stage", "evaluate", "metrics", metrics));
    }

    private static ModelGateResult gate(Map<String, Double> candidate, Map<String, Double> champion) throws Exception {
        return new ModelGate(StageLog.NONE, null).run(new ModelGateRequest(report(candidate), "candidate.json",
                List.of("roc_auc >= champion.roc_auc"), null, null, report(champion), null));
    }

    private static List<Finding> legacy(ModelGateResult result) {
        return result.findings().stream().filter(f -> f.check().equals(MetricSemantics.LEGACY_ROC_AUC)).toList();
    }

    /** This release leaves roc_auc_macro out when it is undefined; its roc_auc equals roc_auc_weighted then. */
    @Test
    public void currentMetricsWithoutAMacroValueAreNotLegacy() {
        Map<String, Double> current = Map.of("roc_auc", WEIGHTED, "roc_auc_weighted", WEIGHTED);
        assertEquals(false, MetricSemantics.legacyRocAuc(current));
        assertEquals(current, MetricSemantics.current(current));
        assertEquals(true, MetricSemantics.legacyRocAuc(Map.of("roc_auc", MACRO, "roc_auc_weighted", WEIGHTED)));
    }

    @Test
    public void anOldChampionIsComparedByMlflowsMeaningAndTheFindingSaysSo() throws Exception {
        ModelGateResult result = gate(Map.of("roc_auc", WEIGHTED, "roc_auc_macro", MACRO, "roc_auc_weighted", WEIGHTED),
                Map.of("roc_auc", MACRO, "roc_auc_weighted", WEIGHTED));
        assertEquals(Status.PASSED, result.status());
        assertEquals(WEIGHTED, result.champion().metrics().get("roc_auc"), 0);
        assertEquals(MACRO, result.champion().metrics().get("roc_auc_macro"), 0);
        List<Finding> findings = legacy(result);
        assertEquals(1, findings.size());
        assertTrue(findings.get(0).message(), findings.get(0).message().startsWith("the champion report was evaluated by"
                + " an earlier ml-stages whose multiclass roc_auc meant the macro average; compared by MLflow's meaning"
                + " instead: roc_auc = its roc_auc_weighted 0.9052, roc_auc_macro = its old roc_auc 0.9108"));
    }

    @Test
    public void anOldCandidateIsReadTheSameWay() throws Exception {
        // the champion evaluated by mlflow.evaluate: roc_auc only, the weighted average
        ModelGateResult result = gate(Map.of("roc_auc", MACRO, "roc_auc_weighted", WEIGHTED), Map.of("roc_auc", WEIGHTED));
        assertEquals(Status.PASSED, result.status());
        assertEquals(WEIGHTED, result.metrics().get("roc_auc"), 0);
        assertEquals(1, legacy(result).size());
        assertTrue(legacy(result).get(0).message().startsWith("the candidate was evaluated"));
    }

    @Test
    public void currentMetricsAndMlflowsAreLeftAlone() throws Exception {
        ModelGateResult result = gate(Map.of("roc_auc", WEIGHTED, "roc_auc_macro", MACRO, "roc_auc_weighted", WEIGHTED),
                Map.of("roc_auc", WEIGHTED + 0.001));
        assertEquals(Status.FAILED, result.status());
        assertEquals(List.of(), legacy(result));
        assertEquals(WEIGHTED + 0.001, result.champion().metrics().get("roc_auc"), 0);
    }
}
