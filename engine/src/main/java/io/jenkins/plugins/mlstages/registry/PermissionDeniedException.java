package io.jenkins.plugins.mlstages.registry;

/** Authenticated, but not allowed (HTTP 403). */
public class PermissionDeniedException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

}
