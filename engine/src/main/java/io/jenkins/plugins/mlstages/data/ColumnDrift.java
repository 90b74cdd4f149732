package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The drift of one column against the reference: the test, its statistic and p-value (when it has
 * one), the threshold and the verdict, and how many values each side contributed.
 *
 * <p>The report also names what is compared with the threshold ({@code measure}, e.g. {@code PSI} or
 * {@code K-S p_value}) and how ({@code comparison}), so that a reader such as the report page need not know
 * the methods.
 *
 * @param sampled true when a side had more numeric values than the sample size, so KS or Wasserstein
 *        ran on a uniform sample
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnDrift(String column, String method, double statistic, Double pValue, double threshold,
        boolean drifted, long referenceValues, long currentValues, boolean sampled) implements Serializable {

    /** What is compared with the threshold: Evidently's name of the stat test, e.g. {@code "K-S p_value"}, {@code "PSI"}. */
    @JsonProperty("measure")
    public String measure() {
        return DriftMethod.parse(method).displayName();
    }

    /** Drift when {@code measure comparison compared_with}: {@code <=}, {@code <}, {@code >} or {@code >=}. */
    @JsonProperty("comparison")
    public String comparison() {
        return DriftMethod.parse(method).comparison();
    }

    /** What the measure is compared with: the threshold, or what a test derives from it (percentile text: 1 - threshold). */
    @JsonProperty("compared_with")
    public double comparedWith() {
        return DriftMethod.parse(method).comparedWith(threshold);
    }
}
