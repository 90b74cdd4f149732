package io.jenkins.plugins.mlstages.deploy.behaviour;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.deploy.CanarySettingException;
import io.jenkins.plugins.mlstages.deploy.CheckResult;
import io.jenkins.plugins.mlstages.deploy.CheckSyntax;
import io.jenkins.plugins.mlstages.deploy.CheckVerdict;

public class BehaviourCheckSyntaxTest {
    @Test
    public void unnamedRulesOnBehaviourMetricsAreBehaviourChecksAndNamedOnesStayPrometheus() {
        CheckSyntax.Checks checks = CheckSyntax.parseAll(List.of("agreement >= 0.97", "error_rate: sum(rate(e[1m])) <= 0.01",
                "prediction_psi<=0.1", "0 <= mean_abs_diff <= 0.05"), List.of());
        assertEquals(1, checks.queries().size());
        assertEquals("error_rate", checks.queries().get(0).name());
        assertEquals(List.of(new BehaviourCheck("agreement", 0.97, null), new BehaviourCheck("prediction_psi", null, 0.1),
                new BehaviourCheck("mean_abs_diff", 0.0, 0.05)), checks.behaviour());
    }

    @Test
    public void strictBoundsUnknownMetricsDuplicatesAndNameClashesAreRefusedWithOneLine() {
        CanarySettingException strict = assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parseAll(List.of("agreement > 0.97"), List.of()));
        assertTrue(strict.getMessage(), strict.getMessage().contains("inclusive"));
        assertEquals("analysis", strict.setting());
        CanarySettingException unknown = assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parseAll(List.of("agreemnt >= 0.97"), List.of()));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("behaviour rule is 'METRIC >= MIN'")
                && unknown.getMessage().contains("agreement"));
        CanarySettingException twice = assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parseAll(List.of("agreement >= 0.9", "agreement <= 1"), List.of()));
        assertTrue(twice.getMessage(), twice.getMessage().contains("two behaviour rules on 'agreement'"));
        CanarySettingException clash = assertThrows(CanarySettingException.class,
                () -> CheckSyntax.parseAll(List.of("agreement >= 0.9", "agreement: up <= 1"), List.of()));
        assertTrue(clash.getMessage(), clash.getMessage().contains("name of a behaviour rule"));
        assertThrows(CanarySettingException.class, () -> CheckSyntax.parseAll(List.of("0.9 <= agreement <= 0.8"), List.of()));
        assertFalse(CheckSyntax.isBehaviour("agreement: sum(x) >= 1"));
    }

    @Test
    public void aRuleIsJudgedOnTheSummarysMetricWithInclusiveBounds() {
        BehaviourComparison comparison = new BehaviourComparison();
        comparison.add(new PairedAnswer("1", Answer.ofScore(0.9, 1), Answer.ofScore(0.9, 1)));
        comparison.add(new PairedAnswer("2", Answer.ofScore(0.9, 1), Answer.ofScore(0.1, 1)));
        BehaviourSummary summary = comparison.summary();
        CheckResult pass = CheckSyntax.parseBehaviour("agreement >= 0.5").judge(summary);
        assertEquals(CheckVerdict.PASS, pass.verdict());
        assertEquals(0.5, pass.value(), 0);
        assertEquals("behaviour: agreement", pass.query());
        assertTrue(BehaviourCheck.isBehaviourQuery(pass.query()));
        CheckResult fail = CheckSyntax.parseBehaviour("agreement >= 0.97").judge(summary);
        assertEquals(CheckVerdict.FAIL, fail.verdict());
        assertNull(fail.error());
        assertEquals("agreement 0.5 [>= 0.97] FAIL", fail.line());
    }
}
