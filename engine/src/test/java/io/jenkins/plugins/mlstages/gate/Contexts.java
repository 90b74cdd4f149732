package io.jenkins.plugins.mlstages.gate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Contexts and one-rule evaluation shared by the gate tests. */
final class Contexts {
    static final Set<String> BINARY = Set.of("accuracy_score", "precision_score", "recall_score", "f1_score", "roc_auc",
            "precision_recall_auc", "log_loss", "example_count");

    private Contexts() {
    }

    /** A binary candidate: f1 0.8421 [0.8312, 0.8530], champion f1 0.84, three regions. */
    static GateContext.Builder candidate() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy_score", 0.9);
        metrics.put("precision_score", 0.8);
        metrics.put("recall_score", 0.85);
        metrics.put("f1_score", 0.8421);
        metrics.put("roc_auc", 0.91);
        metrics.put("log_loss", 0.3);
        metrics.put("example_count", 1000.0);
        return GateContext.builder()
                .metrics(metrics)
                .interval("f1_score", 0.8312, 0.8530)
                .slice("region=EU", Map.of("recall_score", 0.75, "precision_score", 0.8))
                .slice("region=US", Map.of("recall_score", 0.81, "precision_score", 0.7))
                .slice("region=APAC", Map.of("recall_score", 0.9))
                .knownMetrics(BINARY);
    }

    static GateContext.Builder withChampion() {
        return candidate()
                .champion(Map.of("f1_score", 0.84, "log_loss", 0.3, "roc_auc", 0.9, "recall_score", 0.8))
                .paired("f1_score", -0.004, 0.009);
    }

    static RuleOutcome evaluate(String rule, GateContext context) throws GateException {
        return evaluate(rule, context, FirstModelPolicy.FAIL);
    }

    static RuleOutcome evaluate(String rule, GateContext context, FirstModelPolicy policy) throws GateException {
        return Gate.parse(List.of(rule)).evaluate(context, policy).outcomes().get(0);
    }
}
