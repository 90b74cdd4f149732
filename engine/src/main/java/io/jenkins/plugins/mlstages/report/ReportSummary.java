package io.jenkins.plugins.mlstages.report;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything the report page shows, already decided: the verdict, key metrics with their champion,
 * delta and whether the change is good or bad, failed findings, drift, curves, gate rules,
 * registration, the aliases as the build left them, canary, shadow run, blue/green deployment and the lineage graph. The page only lays it out, so the standalone HTML and
 * the Jenkins build page (which reuses the same script) cannot disagree, and nothing here has to be
 * written twice. A section whose stage was not given is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportSummary(String title, Verdict verdict, Registration registration, List<AliasState> aliases,
        List<KeyMetric> metrics, List<StageFinding> findings, Validation validation, List<DriftBar> drift, JsonNode curves,
        Gate gate, JsonNode canary, JsonNode shadow, JsonNode blueGreen, Lineage lineage) implements Serializable {

    /** The worst status of the stages, one line that says why, and each stage's status. */
    public record Verdict(Status status, String headline, List<StageLine> stages) implements Serializable {
    }

    /**
     * One merged stage report.
     *
     * @param checks findings the stage reported
     * @param failed findings that did not pass (any severity)
     */
    public record StageLine(String stage, Status status, String file, int checks, int failed) implements Serializable {
    }

    /**
     * A key metric of the candidate against the champion.
     *
     * @param lower bootstrap interval of the value, when evaluate computed one
     * @param champion the champion's value: the gate's champion metrics, else value − paired delta
     * @param delta value − champion
     * @param deltaLower paired bootstrap interval of the delta, when evaluate had the champion's scores
     * @param direction {@code up}, {@code down} or {@code same}: the sign of the delta
     * @param effect {@code good}, {@code bad} or {@code neutral}: the direction read with
     *        {@code higherIsBetter} (a falling {@code log_loss} is good)
     * @param significant whether the paired interval excludes 0; null without one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyMetric(String name, Double value, Double lower, Double upper, Double level, Double champion,
            Double delta, Double deltaLower, Double deltaUpper, boolean higherIsBetter, String direction, String effect,
            Boolean significant) implements Serializable {
    }

    /** A finding that did not pass, with the stage that reported it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StageFinding(String stage, String check, String subject, Severity severity, String message,
            String observed, String expected) implements Serializable {
    }

    /** The validated dataset and every check of validate-data, passed or not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Validation(String dataset, Long rows, Long columns, String digest, int checks, int failed,
            List<Finding> findings) implements Serializable {
    }

    /**
     * Drift of one column against the reference: drifted when {@code value comparison threshold}.
     *
     * @param measure what {@code value} is, e.g. {@code PSI}, {@code Wasserstein distance (normed)}, {@code K-S p_value}
     * @param value the number compared with the threshold: the p-value for the tests that have one, else the statistic
     * @param comparison {@code >=} (a distance: drift when large), {@code <=} or {@code <} (a p-value: drift when small)
     * @param statistic the test's statistic (for KS the D statistic, which is not what is compared)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DriftBar(String column, String method, String measure, Double value, String comparison, Double threshold,
            boolean drifted, Double statistic) implements Serializable {
    }

    /**
     * An alias as the build left it: the last stage that moved it wins (the canary's promotion or rollback
     * over the registration).
     *
     * @param stage the stage that set it last: {@code register} or {@code canary}
     */
    public record AliasState(String model, String alias, String version, String stage) implements Serializable {
    }

    /** The gate's rules and the champion it compared with. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gate(Status status, String championSource, String championVersion, String firstModelPolicy,
            List<GateRule> rules) implements Serializable {
    }

    /** One gate rule: observed against required, the margin, and the rule's own outcome (which may be SKIPPED). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GateRule(Integer number, String rule, Severity severity, RuleStatus status, String comparison,
            Double observed, Double required, Double champion, Double margin, String slice, String explanation)
            implements Serializable {
    }

    /** The registered model version. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Registration(String model, String version, List<String> aliases, String source, String runId,
            String modelId, String buildKey, Boolean reused) implements Serializable {
    }

    /** The lineage graph: nodes keyed {@code type:id}, edges between keys. */
    public record Lineage(List<GraphNode> nodes, List<GraphEdge> edges) implements Serializable {
    }

    /** A node of the lineage graph; {@code key} is {@code type:id}, as the edges name it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GraphNode(String key, String type, String id, String name, Map<String, String> attributes)
            implements Serializable {
    }

    /** {@code from} led to {@code to}. */
    public record GraphEdge(String from, String to, String relation) implements Serializable {
    }
}
