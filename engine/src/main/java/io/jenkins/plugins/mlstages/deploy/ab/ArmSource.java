package io.jenkins.plugins.mlstages.deploy.ab;

import java.time.Instant;

/** Where an A/B test reads its per-arm trials and conversions. */
public interface ArmSource {
    /** For what counts nothing: finishing a promotion or a rollback, or an abort. Any read is an error. */
    ArmSource NONE = new ArmSource() {
        @Override
        public ArmCounts counts(Instant at) {
            throw new io.jenkins.plugins.mlstages.deploy.DeployException("no count source: an A/B test being finished counts nothing");
        }

        @Override
        public ArmCounts baseline(Instant at) {
            return counts(at);
        }

        @Override
        public String describe() {
            return "no count source";
        }
    };

    /**
     * The totals at {@code at}; what the test counts is this minus {@link #baseline}.
     *
     * @throws io.jenkins.plugins.mlstages.deploy.DeployException when the source fails or its data is unusable (names it)
     */
    ArmCounts counts(Instant at);

    /**
     * What to subtract from later totals, read once when the split is confirmed: the running totals of
     * counters that existed before the test, or nothing for a source that holds only this test's data.
     */
    ArmCounts baseline(Instant at);

    /**
     * Whether the counts are running totals that never go down (counters): then counts below an earlier
     * analysis's are a counter reset and that analysis is skipped. A source whose rows may be corrected (a label
     * changed from 1 to 0) says false.
     */
    default boolean runningTotals() {
        return true;
    }

    /** What this source reads, for logs and reports (no credentials). */
    String describe();
}
