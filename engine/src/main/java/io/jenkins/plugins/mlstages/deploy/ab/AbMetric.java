package io.jenkins.plugins.mlstages.deploy.ab;

import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.jenkins.plugins.mlstages.deploy.CanarySettingException;

/**
 * Where the per-arm counts come from; kept in the plan so that a resumed test reads the same ones.
 * Either {@code prometheus}: four instant queries, each the running total of a counter (e.g.
 * {@code sum(requests_total{version="2"})}), whose values at the start of the split are subtracted; or
 * {@code outcomes}: a CSV or JSON-lines file of labelled outcomes joined by request id, the arm of each
 * id given in the same file ({@code armField}) or in an assignments file (the router's access log).
 */
@JsonPropertyOrder({"kind", "control_trials", "control_conversions", "candidate_trials", "candidate_conversions", "outcomes",
    "assignments", "id_field", "arm_field", "outcome_field", "control_arm", "candidate_arm"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AbMetric(String kind, String controlTrials, String controlConversions, String candidateTrials,
        String candidateConversions, String outcomes, String assignments, String idField, String armField, String outcomeField,
        String controlArm, String candidateArm) implements Serializable {
    public static final String PROMETHEUS = "prometheus";
    public static final String OUTCOMES = "outcomes";

    public AbMetric {
        if (PROMETHEUS.equals(kind)) {
            need("controlTrials", controlTrials);
            need("controlConversions", controlConversions);
            need("candidateTrials", candidateTrials);
            need("candidateConversions", candidateConversions);
        } else if (OUTCOMES.equals(kind)) {
            need("outcomes", outcomes);
            need("idField", idField);
            need("armField", armField);
            need("outcomeField", outcomeField);
            need("controlArm", controlArm);
            need("candidateArm", candidateArm);
            format("outcomes", outcomes);
            if (assignments != null) {
                format("assignments", assignments);
            }
            if (controlArm.equals(candidateArm)) {
                throw new CanarySettingException("candidateArm", "the control and the candidate arm must differ, both are '"
                        + controlArm + "'");
            }
        } else {
            throw new CanarySettingException("metric", "the metric kind must be prometheus or outcomes, was '" + kind + "'");
        }
    }

    public static AbMetric prometheus(String controlTrials, String controlConversions, String candidateTrials,
            String candidateConversions) {
        return new AbMetric(PROMETHEUS, controlTrials, controlConversions, candidateTrials, candidateConversions, null, null, null,
                null, null, null, null);
    }

    /**
     * @param assignments null when the outcomes file carries the arm itself
     * @param controlArm the arm value (or upstream address) that means the control
     */
    public static AbMetric outcomes(String outcomes, String assignments, String idField, String armField, String outcomeField,
            String controlArm, String candidateArm) {
        return new AbMetric(OUTCOMES, null, null, null, null, outcomes, assignments, idField, armField, outcomeField, controlArm,
                candidateArm);
    }

    @JsonIgnore
    public boolean isPrometheus() {
        return PROMETHEUS.equals(kind);
    }

    /** A file read at every analysis must be of a format known up front, not found wrong an hour into the test. */
    private static void format(String setting, String file) {
        if (io.jenkins.plugins.mlstages.data.DataFormat.fromFileName(java.nio.file.Path.of(file)).isEmpty()) {
            throw new CanarySettingException(setting, file + ": unknown format: name it .csv, .jsonl or .parquet");
        }
    }

    private static void need(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new CanarySettingException(setting, "must be given");
        }
    }
}
