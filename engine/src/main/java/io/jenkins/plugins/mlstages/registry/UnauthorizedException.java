package io.jenkins.plugins.mlstages.registry;

/** No or wrong credentials (HTTP 401). */
public class UnauthorizedException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

}
