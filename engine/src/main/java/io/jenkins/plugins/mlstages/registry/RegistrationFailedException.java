package io.jenkins.plugins.mlstages.registry;

/** A model version ended in FAILED_REGISTRATION, or did not become READY in time. */
public class RegistrationFailedException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistrationFailedException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

}
