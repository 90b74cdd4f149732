package io.jenkins.plugins.mlstages.registry;

/** The server, or our own check before sending, rejected a value (INVALID_PARAMETER_VALUE, HTTP 400). */
public class InvalidParameterException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public InvalidParameterException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

}
