package io.jenkins.plugins.mlstages.support;

/** A step's {@code failOn} and {@code unstableOn}: what its stage's verdict does to the build (see {@link Verdict}). */
public interface VerdictOptions {
    /** {@code FAILED}, {@code WARNING} or {@code NEVER}: the verdict from which the step fails. */
    String getFailOn();

    /** {@code WARNING}, {@code FAILED} or {@code NEVER}: the verdict from which the stage is UNSTABLE. */
    String getUnstableOn();
}
