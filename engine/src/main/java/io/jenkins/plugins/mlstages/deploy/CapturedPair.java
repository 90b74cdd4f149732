package io.jenkins.plugins.mlstages.deploy;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One mirrored request as the capture recorded it (one JSON line in its output folder): both versions'
 * answers to the same request body.
 *
 * @param id the request id nginx gave it ({@code X-Request-Id}, nginx's {@code $request_id}), or the
 *        capture's own when none came
 * @param time ISO-8601 instant the capture received the copy
 * @param path the request's path and query, e.g. {@code /invocations}
 */
@JsonPropertyOrder({"id", "time", "path", "live", "shadow"})
public record CapturedPair(String id, String time, String path, Answer live, Answer shadow) {
    public CapturedPair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(shadow, "shadow");
    }

    /**
     * One version's answer.
     *
     * @param status the HTTP status; null when no answer came
     * @param latencyMs from sending the request to the end of the answer
     * @param body the answer's text, cut at the capture's limit; null when no answer came
     * @param error why no answer came (timeout, refused), one line; null otherwise
     */
    @JsonPropertyOrder({"status", "latency_ms", "body", "error"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(Integer status, double latencyMs, String body, String error) {
        /** An answer that counts as one: a 2xx status. */
        public boolean ok() {
            return status != null && status >= 200 && status < 300;
        }
    }
}
