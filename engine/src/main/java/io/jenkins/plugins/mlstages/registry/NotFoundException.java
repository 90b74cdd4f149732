package io.jenkins.plugins.mlstages.registry;

/** The object does not exist (RESOURCE_DOES_NOT_EXIST, HTTP 404). */
public class NotFoundException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

}
