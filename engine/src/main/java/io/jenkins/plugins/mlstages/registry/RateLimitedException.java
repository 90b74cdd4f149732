package io.jenkins.plugins.mlstages.registry;

/** The server or a proxy kept answering HTTP 429 until the retry budget ran out. */
public class RateLimitedException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RateLimitedException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
