package io.jenkins.plugins.mlstages.data;

import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The drift of one column against the reference: the test, its statistic and p-value (when it has
 * one), the threshold and the verdict, and how many values each side contributed.
 *
 * @param sampled true when a side had more numeric values than the sample size, so KS or Wasserstein
 *        ran on a uniform sample
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnDrift(String column, String method, double statistic, Double pValue, double threshold,
        boolean drifted, long referenceValues, long currentValues, boolean sampled) implements Serializable {
}
