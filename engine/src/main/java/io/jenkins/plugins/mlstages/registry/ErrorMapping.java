package io.jenkins.plugins.mlstages.registry;

import java.util.Objects;
import java.util.Set;

import io.jenkins.plugins.mlstages.report.ServerAnswer;

/**
 * Turns an MLflow error answer into a typed exception: by {@code error_code} first, by HTTP status
 * second (proxies, the basic-auth app and the web framework answer in plain text without a code).
 * The message says what came ({@link ServerAnswer}): status, code, content type and size, and MLflow's
 * own message; never the text of an answer that is not MLflow's JSON error.
 */
final class ErrorMapping {
    /** Statuses worth another try, as the official client retries them. */
    static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    private ErrorMapping() {
    }

    static RegistryException toException(String operation, ServerAnswer answer) {
        int status = answer.status();
        String code = answer.code(ServerAnswer.Shape.MLFLOW).orElseGet(() -> codeForStatus(status));
        String message = operation + " failed: " + describe(code, answer);
        switch (code) {
            case "RESOURCE_DOES_NOT_EXIST":
            case "NOT_FOUND":
            case "ENDPOINT_NOT_FOUND":
                return new NotFoundException(operation, code, status, message, null);
            case "RESOURCE_ALREADY_EXISTS":
            case "ALREADY_EXISTS":
                return new AlreadyExistsException(operation, code, status, message, null);
            case "INVALID_PARAMETER_VALUE":
            case "BAD_REQUEST":
            case "MALFORMED_REQUEST":
            case "INVALID_STATE":
                return status >= 500
                        ? new ServerErrorException(operation, code, status, message, null)
                        : new InvalidParameterException(operation, code, status, message, null);
            case "UNAUTHENTICATED":
            case "CUSTOMER_UNAUTHORIZED":
                return new UnauthorizedException(operation, code, status, message, null);
            case "PERMISSION_DENIED":
                return new PermissionDeniedException(operation, code, status, message, null);
            case "REQUEST_LIMIT_EXCEEDED":
            case "RESOURCE_EXHAUSTED":
                return new RateLimitedException(operation, code, status, message, null);
            default:
                return byStatus(operation, code, status, message);
        }
    }

    private static RegistryException byStatus(String operation, String code, int status, String message) {
        if (status == 401) {
            return new UnauthorizedException(operation, code, status, message, null);
        }
        if (status == 403) {
            return new PermissionDeniedException(operation, code, status, message, null);
        }
        if (status == 404) {
            return new NotFoundException(operation, code, status, message, null);
        }
        if (status == 409) {
            return new AlreadyExistsException(operation, code, status, message, null);
        }
        if (status == 429) {
            return new RateLimitedException(operation, code, status, message, null);
        }
        if (status >= 500 || status == 408) {
            return new ServerErrorException(operation, code, status, message, null);
        }
        return new InvalidParameterException(operation, code, status, message, null);
    }

    /** What the official Python client assumes when an error has no JSON body. */
    static String codeForStatus(int status) {
        switch (status) {
            case 400: return "BAD_REQUEST";
            case 401: return "UNAUTHENTICATED";
            case 403: return "PERMISSION_DENIED";
            case 404: return "ENDPOINT_NOT_FOUND";
            case 408: return "DEADLINE_EXCEEDED";
            case 409: return "RESOURCE_CONFLICT";
            case 429: return "REQUEST_LIMIT_EXCEEDED";
            case 501: return "NOT_IMPLEMENTED";
            case 503: return "TEMPORARILY_UNAVAILABLE";
            case 504: return "DEADLINE_EXCEEDED";
            default: return "INTERNAL_ERROR";
        }
    }

    /** {@code HTTP 404 RESOURCE_DOES_NOT_EXIST (application/json, 80 bytes): the server's message}. */
    private static String describe(String code, ServerAnswer answer) {
        String error = answer.error()
                .map(e -> e.shape() == ServerAnswer.Shape.MLFLOW ? Objects.toString(e.message(), "") : e.toString())
                .orElse("");
        return "HTTP " + answer.status() + " " + code + " (" + answer.content() + ")" + (error.isEmpty() ? "" : ": " + error);
    }
}
