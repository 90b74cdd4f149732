package io.jenkins.plugins.mlstages.registry;

/** The object exists already (RESOURCE_ALREADY_EXISTS, which MLflow sends as HTTP 400, or HTTP 409). */
public class AlreadyExistsException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

}
