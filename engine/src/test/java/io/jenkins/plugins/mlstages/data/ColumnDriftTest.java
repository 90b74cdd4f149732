package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ReportWriter;

/** A column's drift in the report names what was compared with the threshold and how, as {@link DriftMethod#drifted} compares. */
public class ColumnDriftTest {
    @Test
    public void theReportNamesTheMeasureAndTheComparisonOfEachMethod() {
        for (DriftMethod method : DriftMethod.values()) {
            JsonNode json = ReportWriter.mapper().valueToTree(new ColumnDrift("x", method.reportName(), 0.2, method.hasPValue() ? 0.05 : null,
                    0.05, false, 10, 10, false));
            assertEquals(method.displayName(), json.path("measure").asText());
            String comparison = json.path("comparison").asText();
            // the comparison written is the one drifted() applies: exactly at the threshold, drift unless "<"
            DriftScore atThreshold = method.hasPValue() ? new DriftScore(0.2, 0.05) : new DriftScore(0.05, Double.NaN);
            assertEquals(method + " " + comparison, !comparison.equals("<"), method.drifted(atThreshold, 0.05));
            DriftScore above = method.hasPValue() ? new DriftScore(0.2, 0.5) : new DriftScore(0.5, Double.NaN);
            assertEquals(method + " " + comparison, comparison.equals(">="), method.drifted(above, 0.05));
        }
        assertEquals("<=", DriftMethod.KS.comparison());
        assertEquals("<", DriftMethod.CHI_SQUARE.comparison());
        assertEquals(">=", DriftMethod.PSI.comparison());
    }
}
