package io.jenkins.plugins.mlstages.eval;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.report.Status;
import org.junit.Test;

/** Tests {@link EvaluateSummary}: rows, headline metrics in a fixed order, intervals where there are some. */
public class EvaluateSummaryTest {
    @Test
    public void headlineMetricsWithIntervals() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("f1_score", 0.84);
        metrics.put("log_loss", 0.3);
        metrics.put("roc_auc", 0.9125);
        Map<String, EvaluateResult.IntervalView> intervals =
                Map.of("roc_auc", new EvaluateResult.IntervalView(0.9125, 0.88, 0.93, 0.95, 200, 0));
        EvaluateResult result = new EvaluateResult(Status.PASSED, List.of(), metrics, List.of(), "binary", 1000, 0.5,
                intervals, null, null, null, null, null, null);
        assertEquals("1000 rows, roc_auc 0.9125 [0.8800, 0.9300], f1_score 0.8400", EvaluateSummary.line(result));
    }

    @Test
    public void withoutHeadlineMetricsOnlyRows() {
        EvaluateResult result = new EvaluateResult(Status.WARNING, List.of(), Map.of("mean_absolute_error", 1.0),
                List.of(), "regression", 3, null, null, null, null, null, null, null, null);
        assertEquals("3 rows", EvaluateSummary.line(result));
    }
}
