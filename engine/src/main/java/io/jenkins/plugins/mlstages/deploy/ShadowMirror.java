package io.jenkins.plugins.mlstages.deploy;

/**
 * Where a copy of live traffic is sent to the shadow capture ({@link ShadowCapture}) while users keep
 * getting the live model's answers: nginx {@code mirror} ({@link NginxMirror}) or an HTTP webhook
 * ({@link HttpMirror}). KServe has no mirror of its own (docs/shadow.md). Setting the state already in
 * effect is harmless, so a resumed shadow run applies its intention again.
 */
public interface ShadowMirror {
    /**
     * Starts or stops mirroring, and returns once the change is in effect.
     *
     * @throws DeployException when it could not be applied
     * @throws InterruptedException when a wait was interrupted (a Jenkins abort)
     */
    void setMirroring(boolean on) throws InterruptedException;

    /** Whether the router mirrors now, as it reports it. @throws DeployException when it cannot be read */
    boolean mirroring();

    /** What this mirror drives, for logs and reports. */
    String describe();
}
