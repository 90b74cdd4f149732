package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one model version answered to one request: a numeric score, a label, or both (a classifier's
 * positive-class probability and its decision), or an error.
 *
 * @param score the numeric output (a probability, a regression value); null when the version gave none
 * @param label the categorical output (a class name or number as text); null when the version gave none
 * @param status the HTTP status; null when no HTTP answer came (timeout, connection refused)
 * @param error why there is no usable output (transport failure, non-2xx status, unreadable body); null
 *        when the answer is usable
 * @param latencyMs time from sending the request to the end of the answer, in milliseconds; negative
 *        when unknown
 */
@JsonPropertyOrder({"score", "label", "status", "error", "latency_ms"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Answer(Double score, String label, Integer status, String error, double latencyMs) implements Serializable {
    public Answer {
        if (score != null && !Double.isFinite(score)) {
            // a NaN or infinite score is no usable output
            error = error == null ? "the score is " + score : error;
            score = null;
        }
        if (error == null && score == null && label == null) {
            error = "no prediction in the answer";
        }
        if (error == null && status != null && (status < 200 || status > 299)) {
            error = "HTTP " + status;
        }
        if (Double.isNaN(latencyMs)) {
            latencyMs = -1;
        }
    }

    /** A usable numeric answer with HTTP 200. */
    public static Answer ofScore(double score, double latencyMs) {
        return new Answer(score, null, 200, null, latencyMs);
    }

    /** A usable categorical answer with HTTP 200. */
    public static Answer ofLabel(String label, double latencyMs) {
        return new Answer(null, label, 200, null, latencyMs);
    }

    /** No usable output: {@code status} null when no HTTP answer came. */
    public static Answer failed(Integer status, String error, double latencyMs) {
        return new Answer(null, null, status, error == null ? "failed" : error, latencyMs);
    }

    /** Whether the answer carries a usable output. */
    @JsonIgnore
    public boolean ok() {
        return error == null;
    }
}
