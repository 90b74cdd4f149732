package io.jenkins.plugins.mlstages.gate;

import static io.jenkins.plugins.mlstages.gate.Contexts.candidate;
import static io.jenkins.plugins.mlstages.gate.Contexts.withChampion;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.RuleStatus;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageReport;
import io.jenkins.plugins.mlstages.report.Status;

public class GateResultTest {
    private final GateContext ctx = withChampion().build();

    private GateResult gate(String... rules) throws GateException {
        return Gate.parse(List.of(rules)).evaluate(ctx, FirstModelPolicy.FAIL);
    }

    @Test
    public void allPassedIsPassed() throws Exception {
        GateResult r = gate("roc_auc >= 0.85", "warning: f1_score >= 0.8");
        assertEquals(Status.PASSED, r.verdict());
        assertEquals(2, r.count(RuleStatus.PASSED));
    }

    @Test
    public void failedWarningRuleIsWarning() throws Exception {
        assertEquals(Status.WARNING, gate("roc_auc >= 0.85", "warning: f1_score >= 0.9").verdict());
    }

    @Test
    public void failedErrorRuleIsFailed() throws Exception {
        assertEquals(Status.FAILED, gate("roc_auc >= 0.95", "warning: f1_score >= 0.8").verdict());
        assertEquals(Status.FAILED, gate("error: roc_auc >= 0.95").verdict());
    }

    @Test
    public void errorOutweighsWarning() throws Exception {
        GateResult r = gate("warning: f1_score >= 0.9", "roc_auc >= 0.95");
        assertEquals(Status.FAILED, r.verdict());
        assertEquals(2, r.count(RuleStatus.FAILED));
    }

    @Test
    public void undefinedRuleFailsItsSeverity() throws Exception {
        GateResult r = Gate.parse(List.of("warning: precision_recall_auc >= 0.5")).evaluate(ctx, FirstModelPolicy.FAIL);
        assertEquals(Status.WARNING, r.verdict());
    }

    @Test
    public void skippedRulesNeverChangeTheVerdict() throws Exception {
        GateResult r = Gate.parse(List.of("f1_score >= champion.f1_score", "warning: paired(f1_score) >= 0"))
                .evaluate(candidate().build(), FirstModelPolicy.ABSOLUTE_ONLY);
        assertEquals(Status.PASSED, r.verdict());
        assertEquals(2, r.count(RuleStatus.SKIPPED));
    }

    @Test
    public void findings() throws Exception {
        List<Finding> findings = gate("f1_score >= champion.f1_score - 0.01", "warning: log_loss <= 0.2",
                "roc_auc >= 0.95").toFindings();
        assertEquals(new Finding("gate.rule", "f1_score >= champion.f1_score - 0.01", Severity.ERROR, true,
                "PASS f1_score >= champion.f1_score - 0.01: 0.8421 vs required 0.8300 (champion 0.8400), margin +0.0121",
                "0.8421", ">= 0.8300"), findings.get(0));
        assertEquals(new Finding("gate.rule", "warning: log_loss <= 0.2", Severity.WARNING, false,
                "FAIL warning: log_loss <= 0.2: 0.3000 vs required 0.2000, margin -0.1000", "0.3000", "<= 0.2000"),
                findings.get(1));
        assertEquals(Status.WARNING, findings.get(1).status());
        assertEquals(Status.FAILED, findings.get(2).status());
        assertEquals(Status.FAILED, StageReport.verdict(findings));
    }

    @Test
    public void skippedFindingIsInfoAndNotPassed() throws Exception {
        Finding f = Gate.parse(List.of("f1_score >= champion.f1_score")).evaluate(candidate().build(), FirstModelPolicy.ABSOLUTE_ONLY)
                .toFindings().get(0);
        assertEquals(Severity.INFO, f.severity());
        assertFalse(f.passed());
        assertEquals(Status.PASSED, f.status());
        assertEquals("0.8421", f.observed());
        assertNull(f.expected());
    }

    @Test
    public void undefinedFindingHasNoObserved() throws Exception {
        Finding f = Gate.parse(List.of("precision_recall_auc >= 0.5")).evaluate(ctx, FirstModelPolicy.FAIL).toFindings().get(0);
        assertNull(f.observed());
        assertEquals(">= 0.5000", f.expected());
        assertFalse(f.passed());
    }

    @Test
    public void travelsAsJavaSerialization() throws Exception {
        GateResult r = gate("f1_score >= champion.f1_score - 0.01", "all slices.recall_score >= 0.8");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
            out.writeObject(Gate.parse(List.of("slice[region=EU].recall_score >= paired(f1_score) * 2",
                    "threshold(metric=f1_score, threshold=0.8, greater_is_better=true)")));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(r, in.readObject());
            assertEquals(2, ((Gate) in.readObject()).rules().size());
        }
    }

    @Test
    public void writesAsJson() throws Exception {
        String json = ReportWriter.mapper().writeValueAsString(gate("roc_auc >= 0.85", "all slices.recall_score >= 0.8"));
        assertTrue(json, json.contains("\"verdict\" : \"FAILED\""));
        assertTrue(json, json.contains("\"explanation\" : \"PASS roc_auc >= 0.85: 0.9100 vs required 0.8500, margin +0.0600\""));
        assertTrue(json, json.contains("\"slice\" : \"region=EU\""));
        assertTrue(json, json.contains("\"champion_present\" : true"));
    }
}
