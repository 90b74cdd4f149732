package io.jenkins.plugins.mlstages.deploy;

/**
 * An infrastructure failure of a router or a metric source (CLI exit 3). The message names the
 * system and the operation, never a credential.
 */
public class DeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
