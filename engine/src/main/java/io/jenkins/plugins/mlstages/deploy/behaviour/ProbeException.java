package io.jenkins.plugins.mlstages.deploy.behaviour;

/** A probe request file that cannot be used; the message names the file and the line (CLI exit 2). */
public final class ProbeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ProbeException(String message) {
        super(message);
    }
}
