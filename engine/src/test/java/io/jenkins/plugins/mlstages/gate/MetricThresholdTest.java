package io.jenkins.plugins.mlstages.gate;

import static io.jenkins.plugins.mlstages.gate.Contexts.evaluate;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.RuleStatus;

/**
 * {@code threshold(...)} against MLflow's MetricThreshold semantics, read in MLflow's source:
 * mlflow/mlflow mlflow/models/evaluation/validation.py, function {@code _validate} (the same logic lived
 * in mlflow/models/evaluation/base.py before it moved), and the installed MLflow 3.17.2 pinned in
 * tools/requirements.txt:
 *
 * <pre>
 * comparator_fn = operator.__ge__ if greater_is_better else operator.__le__
 * operator_fn   = operator.add    if greater_is_better else operator.sub
 * threshold_failed           = not comparator_fn(candidate, threshold)
 * min_absolute_change_failed = not comparator_fn(Decimal(candidate), Decimal(operator_fn(baseline, min_absolute_change)))
 * if baseline == 0:
 *     min_relative_change_failed = not comparator_fn(Decimal(candidate), Decimal(operator_fn(baseline, 1e-10)))
 * else:
 *     relative_change = (candidate - baseline) / abs(baseline)   if greater_is_better
 *                       (baseline - candidate) / abs(baseline)   otherwise
 *     min_relative_change_failed = relative_change &lt; min_relative_change
 * </pre>
 *
 * (MLflow releases before 3.x divided by the signed baseline, as the indexed copy of validation.py
 * still does; 3.17.2 divides by abs(baseline), which is what is implemented.) The table's expected
 * results were produced by calling MLflow 3.17.2's {@code _validate} on each row, including the float
 * rounding cases (0.8 + 0.05 = 0.8500000000000001 fails 0.85; (0.9 − 0.8) / 0.8 = 0.12499999999999997
 * fails 0.125).
 */
public class MetricThresholdTest {
    private static final double EPS = 1e-12;

    /** greater_is_better | threshold | min_absolute_change | min_relative_change | candidate | baseline | MLflow's result. */
    private static final String[] MLFLOW = {
        "true|0.8|||0.8||PASS",
        "true|0.8|||0.7999||FAIL:threshold",
        "false|0.3|||0.3||PASS",
        "false|0.3|||0.3001||FAIL:threshold",
        "true||0.05||0.86|0.8|PASS",
        "true||0.05||0.85|0.8|FAIL:abs",
        "true||0.05||0.84|0.8|FAIL:abs",
        "false||0.05||0.25|0.3|PASS",
        "false||0.05||0.26|0.3|FAIL:abs",
        "false||0.05||0.24|0.3|PASS",
        "true|||0.125|0.9|0.8|FAIL:rel",
        "true|||0.125|0.91|0.8|PASS",
        "true|||0.1|0.88|0.8|FAIL:rel",
        "false|||0.1|0.27|0.3|FAIL:rel",
        "false|||0.1|0.26|0.3|PASS",
        "false|||0.1|0.28|0.3|FAIL:rel",
        "true|||0.1|1e-10|0.0|PASS",
        "true|||0.1|0.0|0.0|FAIL:rel",
        "true|||0.5|0.01|0.0|PASS",
        "false|||0.1|-1e-10|0.0|PASS",
        "false|||0.1|0.0|0.0|FAIL:rel",
        "false|||0.1|-0.5|0.0|PASS",
        "true|||0.1|-0.4|-0.5|PASS",
        "true|||0.1|-0.46|-0.5|FAIL:rel",
        "true|||0.1|-0.6|-0.5|FAIL:rel",
        "false|||0.1|-0.6|-0.5|PASS",
        "false|||0.1|-0.54|-0.5|FAIL:rel",
        "true|0.8|0.01|0.02|0.8421|0.84|FAIL:abs+rel",
        "true|0.8|0.01|0.02|0.8568|0.84|PASS",
        "true|0.8|0.01|0.02|0.86|0.84|PASS",
        "true|0.9|0.01|0.02|0.86|0.84|FAIL:threshold",
        "true|0.8|0.01||0.8421|0.84|FAIL:abs",
        "true|0.8||0.02|0.8421|0.84|FAIL:rel",
        "false|0.35|0.01|0.05|0.28|0.3|PASS",
        "false|0.35|0.01|0.05|0.285|0.3|PASS",
        "false|0.25|0.01|0.05|0.28|0.3|FAIL:threshold",
        "true||0.01|0.02|0.851|0.84|FAIL:rel",
        "false||0.02|0.01|0.29|0.3|FAIL:abs",
        "true|||0.0|0.84|0.84|PASS",
        "true|||0.0|0.8399|0.84|FAIL:rel",
        "true|||1.0|1.6|0.8|PASS",
        "true|||1.0|1.5999|0.8|FAIL:rel",
    };

    private static final Pattern FAILED_PART =
            Pattern.compile("(threshold|min_absolute_change|min_relative_change) [<>]= \\S+( \\([^)]*\\))? failed");

    @Test
    public void agreesWithMlflowOnEveryRow() throws Exception {
        for (String row : MLFLOW) {
            String[] f = row.split("\\|", -1);
            List<String> args = new ArrayList<>();
            args.add("metric=m");
            String only = null;
            if (!f[1].isEmpty()) {
                args.add("threshold=" + f[1]);
                only = "threshold";
            }
            if (!f[2].isEmpty()) {
                args.add("min_absolute_change=" + f[2]);
                only = "abs";
            }
            if (!f[3].isEmpty()) {
                args.add("min_relative_change=" + f[3]);
                only = "rel";
            }
            args.add("greater_is_better=" + f[0]);
            String rule = "threshold(" + String.join(", ", args) + ")";
            GateContext.Builder context = GateContext.builder().metric("m", Double.parseDouble(f[4]));
            if (!f[5].isEmpty()) {
                context.champion(Map.of("m", Double.parseDouble(f[5])));
            }
            RuleOutcome o = evaluate(rule, context.build());
            String actual = o.status() == RuleStatus.PASSED ? "PASS" : "FAIL:" + failedParts(o, only);
            assertEquals(row + " -> " + o.explanation(), f[6], actual);
            assertEquals(row, f[0].equals("true") ? ">=" : "<=", o.comparison());
        }
    }

    /** The failed requirements listed in the explanation (MLflow's order), or the rule's only one. */
    private static String failedParts(RuleOutcome o, String only) {
        List<String> failed = new ArrayList<>();
        Matcher m = FAILED_PART.matcher(o.explanation());
        while (m.find()) {
            failed.add(m.group(1).equals("threshold") ? "threshold" : m.group(1).equals("min_absolute_change") ? "abs" : "rel");
        }
        return failed.isEmpty() ? only : String.join("+", failed);
    }

    @Test
    public void explanationListsEveryRequirement() throws Exception {
        String rule = "threshold(metric=f1_score, threshold=0.8, min_absolute_change=0.01, min_relative_change=0.02, "
                + "greater_is_better=true)";
        RuleOutcome o = evaluate(rule, Contexts.withChampion().build());
        assertEquals("FAIL " + rule + ": 0.8421 vs required 0.8568 (champion 0.8400), margin -0.0147; "
                + "threshold >= 0.8000 passed, min_absolute_change >= 0.8500 failed, min_relative_change >= 0.8568 failed",
                o.explanation());
        assertEquals(0.8421, o.observed(), EPS);
        assertEquals(0.84 * 1.02, o.required(), EPS);
        assertEquals(0.84, o.champion(), EPS);
        assertEquals(-0.0147, o.margin(), EPS);
    }

    @Test
    public void lowerIsBetter() throws Exception {
        String rule = "threshold(metric=log_loss, threshold=0.35, min_absolute_change=0.01, min_relative_change=0.05, "
                + "greater_is_better=false)";
        GateContext c = GateContext.builder().metric("log_loss", 0.28).champion(Map.of("log_loss", 0.3)).build();
        RuleOutcome o = evaluate(rule, c);
        assertEquals("PASS " + rule + ": 0.2800 vs required 0.2850 (champion 0.3000), margin +0.0050; "
                + "threshold <= 0.3500 passed, min_absolute_change <= 0.2900 passed, min_relative_change <= 0.2850 passed",
                o.explanation());
        assertEquals("<=", o.comparison());
        assertEquals(0.005, o.margin(), EPS);
    }

    @Test
    public void zeroBaselineFallsBackToStrictlyBetter() throws Exception {
        String rule = "threshold(metric=m, min_relative_change=0.1, greater_is_better=true)";
        GateContext c = GateContext.builder().metric("m", 0.0).champion(Map.of("m", 0.0)).build();
        assertEquals("FAIL " + rule + ": 0.0000 vs required 1.0000e-10 (champion 0.0000), margin -1.0000e-10; "
                + "min_relative_change >= 1.0000e-10 (champion is 0: strictly better) failed", evaluate(rule, c).explanation());
    }

    @Test
    public void negativeBaselineIsImprovedUpwards() throws Exception {
        // r2_score -0.5 -> -0.4 is 20 % better; MLflow before 3.x divided by -0.5 and failed it
        String rule = "threshold(metric=r2_score, min_relative_change=0.1, greater_is_better=true)";
        GateContext c = GateContext.builder().metric("r2_score", -0.4).champion(Map.of("r2_score", -0.5)).build();
        RuleOutcome o = evaluate(rule, c);
        assertEquals("PASS " + rule + ": -0.4000 vs required -0.4500 (champion -0.5000), margin +0.0500", o.explanation());
    }

    @Test
    public void thresholdOnlyDoesNotShowTheChampion() throws Exception {
        String rule = "threshold(metric=f1_score, threshold=0.8, greater_is_better=true)";
        RuleOutcome o = evaluate(rule, Contexts.withChampion().build());
        assertEquals("PASS " + rule + ": 0.8421 vs required 0.8000, margin +0.0421", o.explanation());
        assertEquals(null, o.champion());
    }

    @Test
    public void undefinedValuesFailInsteadOfRaising() throws Exception {
        // MLflow: a NaN candidate passes the relative check (NaN < r is False) and raises
        // decimal.InvalidOperation in the absolute one; a missing candidate metric fails
        String rule = "threshold(metric=f1_score, min_absolute_change=0.01, min_relative_change=0.02, greater_is_better=true)";
        GateContext nan = Contexts.withChampion().metric("f1_score", Double.NaN).build();
        assertEquals("FAIL " + rule + ": cannot evaluate, f1_score is NaN (undefined)", evaluate(rule, nan).explanation());
        GateContext nanChampion = Contexts.candidate().champion(Map.of("f1_score", Double.NaN)).build();
        assertEquals("FAIL " + rule + ": cannot evaluate, champion.f1_score is NaN (undefined)",
                evaluate(rule, nanChampion).explanation());
        GateContext championWithout = Contexts.candidate().champion(Map.of("roc_auc", 0.9)).build();
        assertEquals("FAIL " + rule + ": cannot evaluate, the champion has no f1_score", evaluate(rule, championWithout).explanation());
        String absent = "threshold(metric=precision_recall_auc, threshold=0.5, greater_is_better=true)";
        assertEquals("FAIL " + absent + ": cannot evaluate, no value for precision_recall_auc",
                evaluate(absent, Contexts.withChampion().build()).explanation());
    }

    @Test
    public void warningSeverity() throws Exception {
        RuleOutcome o = evaluate("warning: threshold(metric=f1_score, threshold=0.9, greater_is_better=true)",
                Contexts.candidate().build());
        assertEquals(RuleStatus.FAILED, o.status());
        assertEquals(io.jenkins.plugins.mlstages.report.Status.WARNING, o.verdict());
    }
}
