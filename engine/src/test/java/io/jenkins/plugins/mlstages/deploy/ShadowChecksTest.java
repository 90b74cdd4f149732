package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;

public class ShadowChecksTest {
    @Test
    public void behaviourChecksNameAMetricAndTheirBounds() {
        List<BehaviourCheck> checks = ShadowChecks.parse(List.of("agreement >= 0.97", "prediction_psi <= 0.1",
                "0 <= mean_abs_diff <= 0.05"));
        assertEquals("agreement", checks.get(0).metric());
        assertEquals(0.97, checks.get(0).min(), 0);
        assertNull(checks.get(0).max());
        assertEquals(0.1, checks.get(1).max(), 0);
        assertEquals(0.05, checks.get(2).max(), 0);
    }

    @Test
    public void anUnknownMetricAStrictBoundOrATwiceCheckedMetricIsRefusedAsACheckSetting() {
        for (List<String> bad : List.of(List.of("agrement >= 0.97"), List.of("agreement > 0.97"), List.of("agreement"),
                List.of("agreement >= 0.9", "agreement <= 1"))) {
            try {
                ShadowChecks.parse(bad);
                fail(bad.toString());
            } catch (CanarySettingException expected) {
                assertEquals("check", expected.setting());
                assertTrue(expected.getMessage(), expected.getMessage().contains("agre"));
            }
        }
    }

    @Test
    public void aMetricWithoutAValueIsInconclusive() {
        List<CheckResult> results = ShadowChecks.judge(ShadowChecks.parse(List.of("agreement >= 0.97", "prediction_psi <= 0.1")),
                Map.of("agreement", 0.99));
        assertEquals(CheckVerdict.PASS, results.get(0).verdict());
        assertEquals(CheckVerdict.INCONCLUSIVE, results.get(1).verdict());
    }
}
