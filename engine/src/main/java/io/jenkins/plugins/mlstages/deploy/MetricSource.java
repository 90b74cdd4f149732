package io.jenkins.plugins.mlstages.deploy;

import java.time.Instant;
import java.util.OptionalDouble;

/** Where canary analysis reads its numbers (the Prometheus HTTP API). */
public interface MetricSource {
    /** For what analyses nothing: resuming a promotion or a rollback, or an abort. Any query is an error. */
    MetricSource NONE = new MetricSource() {
        @Override
        public OptionalDouble query(String query, Instant at) {
            throw new DeployException("no metric source: a canary being promoted or rolled back analyses nothing");
        }

        @Override
        public String describe() {
            return "no metric source";
        }
    };

    /**
     * The value of an instant query evaluated at {@code at}.
     *
     * @return empty when the query has no data (no series, or NaN): the analysis is inconclusive
     * @throws DeployException when the source fails, refuses the query, or returns more than one series
     */
    OptionalDouble query(String query, Instant at);

    /** What this source reads, for logs and reports, e.g. {@code prometheus http://127.0.0.1:9090}. */
    String describe();
}
