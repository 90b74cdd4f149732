package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.Serializable;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One request answered by both versions: the live (stable, champion) version and the candidate (shadow
 * or canary), paired by a request id (nginx {@code $request_id}, or the line number of a replayed probe).
 *
 * @param requestId what pairs the two answers; used in logs only
 * @param live the live version's answer
 * @param candidate the candidate's answer
 */
@JsonPropertyOrder({"request_id", "live", "candidate"})
public record PairedAnswer(String requestId, Answer live, Answer candidate) implements Serializable {
    public PairedAnswer {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(candidate, "candidate");
    }
}
