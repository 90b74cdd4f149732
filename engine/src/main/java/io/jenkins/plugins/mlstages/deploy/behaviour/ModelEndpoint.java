package io.jenkins.plugins.mlstages.deploy.behaviour;

/** A model version that answers one input row at a time (a replay probe's target). */
public interface ModelEndpoint {
    /**
     * Sends one row and reads the prediction. Never throws for what the version answered (a 5xx, a
     * timeout, an unreadable body): that is an unusable {@link Answer}, part of the behaviour compared.
     *
     * @param row one input row as a JSON object
     * @throws InterruptedException when the caller was interrupted (a Jenkins abort)
     */
    Answer answer(String row) throws InterruptedException;

    /** What this endpoint is, for logs and reports: a URL without user info or query. */
    String describe();
}
