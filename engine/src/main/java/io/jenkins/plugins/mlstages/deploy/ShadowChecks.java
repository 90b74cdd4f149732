package io.jenkins.plugins.mlstages.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck;

/**
 * The behaviour checks of a shadow run: the behaviour rules of the check grammar
 * ({@link CheckSyntax#parseBehaviour}), e.g. {@code agreement >= 0.97}, {@code prediction_psi <= 0.1},
 * {@code shadow_error_rate <= 0.01}, judged on the shadow comparison's metrics.
 */
public final class ShadowChecks {
    private ShadowChecks() {
    }

    /** @throws CanarySettingException (setting {@code check}) naming the entry and what is wrong */
    public static List<BehaviourCheck> parse(List<String> texts) {
        List<BehaviourCheck> checks = new ArrayList<>();
        for (String text : texts) {
            BehaviourCheck check;
            try {
                check = CheckSyntax.parseBehaviour(text);
            } catch (CanarySettingException e) {
                throw new CanarySettingException("check", e.getMessage(), e);
            }
            if (checks.stream().anyMatch(c -> c.metric().equals(check.metric()))) {
                throw new CanarySettingException("check", "two behaviour checks on '" + check.metric() + "': write one with both bounds");
            }
            checks.add(check);
        }
        return checks;
    }

    /** Each check judged on the comparison's metrics; a metric without a value is inconclusive. */
    public static List<CheckResult> judge(List<BehaviourCheck> checks, Map<String, Double> metrics) {
        long comparable = metrics.containsKey("agreement") ? 1 : 0;
        List<CheckResult> results = new ArrayList<>();
        for (BehaviourCheck check : checks) {
            results.add(check.judge(metrics, comparable, false));
        }
        return results;
    }
}
