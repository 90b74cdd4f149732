package io.jenkins.plugins.mlstages.deploy;

/**
 * The server answered 401 or 403: it refused who we are. Another attempt with the same credential is refused again,
 * so the run's router retries stop at once instead of waiting out their backoff (and the rollback's).
 */
public class IdentityRefusedException extends DeployException {
    private static final long serialVersionUID = 1L;

    public IdentityRefusedException(String message) {
        super(message);
    }
}
