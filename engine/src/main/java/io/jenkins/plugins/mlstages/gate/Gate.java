package io.jenkins.plugins.mlstages.gate;

import java.io.Serializable;
import java.util.List;

/**
 * The rules of a model gate, parsed once and evaluated against a {@link GateContext}:
 *
 * <pre>
 * Gate gate = Gate.parse(List.of("roc_auc &gt;= 0.85", "warning: f1_score &gt;= champion.f1_score - 0.01"));
 * GateResult result = gate.evaluate(context, FirstModelPolicy.ABSOLUTE_ONLY);
 * </pre>
 */
public record Gate(List<Rule> rules) implements Serializable {
    public Gate {
        rules = List.copyOf(rules);
    }

    /**
     * Parses the rules, numbered from 1.
     *
     * @throws RuleSyntaxException for the first rule that does not parse
     * @throws GateException when there are no rules
     */
    public static Gate parse(List<String> rules) throws GateException {
        if (rules.isEmpty()) {
            throw new GateException("no rules: a gate needs at least one rule, such as roc_auc >= 0.85");
        }
        return new Gate(RuleParser.parseAll(rules));
    }

    /** @see GateEvaluator#evaluate */
    public GateResult evaluate(GateContext context, FirstModelPolicy policy) throws GateException {
        return GateEvaluator.evaluate(rules, context, policy);
    }
}
