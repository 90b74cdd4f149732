package io.jenkins.plugins.mlstages.registry;

/**
 * Base of every error the registry reports. The message names the operation and the object it was
 * about (for example {@code create model version 'fraud'}) and never contains a credential.
 */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String errorCode;
    private final int httpStatus;

    public RegistryException(String operation, String errorCode, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    /** What we were doing, e.g. {@code get registered model 'fraud'}. */
    public String getOperation() {
        return operation;
    }

    /** MLflow's {@code error_code}, or one derived from the HTTP status when the body had none. */
    public String getErrorCode() {
        return errorCode;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int getHttpStatus() {
        return httpStatus;
    }

    /** Whether trying the same request again later may succeed. */
    public boolean isTransient() {
        return false;
    }
}
