package io.jenkins.plugins.mlstages.deploy;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One check of a canary analysis: a PromQL query whose value must stay within bounds.
 *
 * <p>With a {@code stableQuery} the check is <em>relative</em>: the bounds apply to the difference
 * {@code canary − stable} (both instant values at the same moment), in the metric's own units. A
 * difference rather than a ratio, because the stable value is often exactly 0 (no errors) and a ratio
 * is then undefined; "at most 0.01 more errors per request than stable" and "at most 50 ms slower at
 * p95 than stable" are both a difference.
 *
 * @param name identifies the check in logs, reports and the state file ({@code [A-Za-z0-9_.-]+})
 * @param query the canary's value (PromQL, one series or a scalar)
 * @param min the value must be ≥ this; null for no lower bound
 * @param max the value must be ≤ this; null for no upper bound
 * @param stableQuery the stable version's value, making the check relative; null for an absolute check
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisCheck(String name, String query, Double min, Double max, String stableQuery) implements Serializable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    public AnalysisCheck {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("analysis check name '" + name + "' must be letters, digits, '_', '.' or '-'");
        }
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("analysis check '" + name + "' has no query");
        }
        if (stableQuery != null && stableQuery.isBlank()) {
            throw new IllegalArgumentException("analysis check '" + name + "' has an empty stable query");
        }
        if (min == null && max == null) {
            throw new IllegalArgumentException("analysis check '" + name + "' needs a min or a max bound");
        }
        requireFinite(name, "min", min);
        requireFinite(name, "max", max);
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("analysis check '" + name + "': min " + min + " is above max " + max);
        }
        query = query.strip();
        stableQuery = stableQuery == null ? null : stableQuery.strip();
    }

    public static AnalysisCheck absolute(String name, String query, Double min, Double max) {
        return new AnalysisCheck(name, query, min, max, null);
    }

    public static AnalysisCheck relative(String name, String query, String stableQuery, Double min, Double max) {
        return new AnalysisCheck(name, query, min, max, Objects.requireNonNull(stableQuery, "stableQuery"));
    }

    @JsonIgnore
    public boolean isRelative() {
        return stableQuery != null;
    }

    /**
     * Judges the numbers the metric source returned.
     *
     * @param stable the stable value; ignored unless the check is relative
     */
    public CheckResult judge(OptionalDouble canary, OptionalDouble stable) {
        Double canaryValue = canary.isPresent() ? canary.getAsDouble() : null;
        Double stableValue = isRelative() && stable.isPresent() ? stable.getAsDouble() : null;
        if (canaryValue == null || isRelative() && stableValue == null) {
            String missing = canaryValue == null ? "the canary query" : "the stable query";
            return result(null, canaryValue, stableValue, CheckVerdict.INCONCLUSIVE, missing + " returned no data");
        }
        double value = isRelative() ? canaryValue - stableValue : canaryValue;
        if (Double.isNaN(value)) {
            return result(null, canaryValue, stableValue, CheckVerdict.INCONCLUSIVE, "the value is NaN");
        }
        boolean within = (min == null || value >= min) && (max == null || value <= max);
        return result(value, canaryValue, stableValue, within ? CheckVerdict.PASS : CheckVerdict.FAIL, null);
    }

    /** The check could not be evaluated: the metric source failed. */
    public CheckResult failed(String error) {
        return result(null, null, null, CheckVerdict.INCONCLUSIVE, error);
    }

    private CheckResult result(Double value, Double canaryValue, Double stableValue, CheckVerdict verdict, String error) {
        return new CheckResult(name, query, value, min, max, verdict, stableQuery, isRelative() ? canaryValue : null,
                stableValue, error);
    }

    /** The bounds as a person writes them: {@code <= 0.01}, {@code >= 0.9}, {@code 0.1 <= x <= 0.3}; "canary − stable" for relative checks. */
    public String bounds() {
        String subject = isRelative() ? "canary - stable" : "value";
        if (min != null && max != null) {
            return format(min) + " <= " + subject + " <= " + format(max);
        }
        return subject + (max != null ? " <= " + format(max) : " >= " + format(min));
    }

    private static void requireFinite(String name, String which, Double bound) {
        if (bound != null && !Double.isFinite(bound)) {
            throw new IllegalArgumentException("analysis check '" + name + "': " + which + " must be a finite number");
        }
    }

    /** Short, exact enough for a log line: up to 6 significant digits, no trailing zeros. */
    static String format(Double value) {
        if (value == null) {
            return "no data";
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        String text = String.format(Locale.ROOT, "%.6g", value);
        if (text.contains("e")) {
            return text.replaceFirst("\\.?0+e", "e");
        }
        return text.contains(".") ? text.replaceFirst("\\.?0+$", "") : text;
    }
}
