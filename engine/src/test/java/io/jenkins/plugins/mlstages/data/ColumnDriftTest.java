package io.jenkins.plugins.mlstages.data;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ReportWriter;

/** A column's drift in the report names what was compared with the threshold and how, as {@link DriftMethod#drifted} compares. */
public class ColumnDriftTest {
    @Test
    public void theReportNamesTheMeasureAndTheComparisonOfEachMethod() {
        double threshold = 0.05;
        for (DriftMethod method : DriftMethod.values()) {
            JsonNode json = ReportWriter.mapper().valueToTree(new ColumnDrift("x", method.reportName(), 0.2,
                    method.hasPValue() ? 0.05 : null, threshold, false, 10, 10, false));
            assertEquals(method.displayName(), json.path("measure").asText());
            String comparison = json.path("comparison").asText();
            double limit = json.path("compared_with").asDouble();
            assertEquals(method.toString(), method.comparedWith(threshold), limit, 0);
            // the comparison written is the one drifted() applies, at, above and below what it compares with
            for (double score : new double[] {limit, limit + 0.25, limit / 2}) {
                DriftScore result = method.hasPValue() ? new DriftScore(0.2, score) : new DriftScore(score, Double.NaN);
                boolean expected = switch (comparison) {
                    case "<" -> score < limit;
                    case "<=" -> score <= limit;
                    case ">" -> score > limit;
                    case ">=" -> score >= limit;
                    default -> throw new AssertionError(method + ": unknown comparison " + comparison);
                };
                assertEquals(method + " " + comparison + " " + limit + " at " + score, expected, method.drifted(result, threshold));
            }
        }
        assertEquals("<=", DriftMethod.KS.comparison());
        assertEquals("<", DriftMethod.CHI_SQUARE.comparison());
        assertEquals("<", DriftMethod.Z.comparison());
        assertEquals(">", DriftMethod.ABS_TEXT.comparison());
        assertEquals(">=", DriftMethod.PSI.comparison());
        assertEquals(0.05, DriftMethod.PERC_TEXT.comparedWith(0.95), 1e-15);
    }
}
