package io.jenkins.plugins.mlstages.registry;

/** No answer: connection refused or reset, TLS failure, or a timeout. */
public class RegistryUnreachableException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryUnreachableException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(operation, errorCode, httpStatus, message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
