package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One check in one analysis, as recorded in the state file and the report's timeline: what was asked,
 * what came back, against which bounds, and the verdict. {@code value}, {@code min} and {@code max} are
 * always written (null when absent), so that readers of the timeline need not guess.
 *
 * @param value what the bounds were applied to: the canary's value, or {@code canary − stable} for a
 *        relative check; null when inconclusive
 * @param canaryValue for relative checks, the canary's own value
 * @param stableValue for relative checks, the stable version's value
 * @param error why there is no value (no data, NaN, the metric source failed); null otherwise
 */
@JsonPropertyOrder({"check", "query", "value", "min", "max", "verdict", "stable_query", "canary_value", "stable_value", "error"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String check, String query, @JsonInclude(JsonInclude.Include.ALWAYS) Double value,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double min, @JsonInclude(JsonInclude.Include.ALWAYS) Double max,
        CheckVerdict verdict, String stableQuery, Double canaryValue, Double stableValue, String error)
        implements Serializable {
    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** {@code error_rate 0.0021 (<= 0.01) PASS}, for the log. */
    public String line() {
        StringBuilder line = new StringBuilder(check);
        boolean bounded = min != null || max != null;
        if (bounded || value != null) {
            line.append(' ').append(AnalysisCheck.format(value));
        }
        if (canaryValue != null || stableValue != null) {
            line.append(" (canary ").append(AnalysisCheck.format(canaryValue)).append(", stable ")
                    .append(AnalysisCheck.format(stableValue)).append(')');
        }
        // a check without bounds (a smoke request's expected label) says what it expected in its error
        line.append(bounded ? " [" + bounds() + "] " : " ").append(verdict);
        if (error != null && value == null) {
            line.append(": ").append(error);
        }
        return line.toString();
    }

    private String bounds() {
        if (min != null && max != null) {
            return AnalysisCheck.format(min) + ".." + AnalysisCheck.format(max);
        }
        return max != null ? "<= " + AnalysisCheck.format(max) : ">= " + AnalysisCheck.format(min);
    }
}
