package io.jenkins.plugins.mlstages.registry;

/** The server failed (HTTP 5xx) and kept failing until the retry budget ran out. */
public class ServerErrorException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public ServerErrorException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
