package io.jenkins.plugins.mlstages.report;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What may be said of a server's answer in a message, a log line, an exception, a report or the
 * canary's state: its status, content type and size, and the error it gives when its body is JSON of a
 * shape we know (MLflow's, Prometheus's, the Kubernetes API's). Never the body's own text: a URL chosen
 * in a Pipeline may be an internal endpoint (a cloud metadata service) whose answer must not be shown.
 * The one place where answers of the registry, the routers and Prometheus become text.
 *
 * <p>The structured error's texts are redacted of the connection's credentials and of every credential
 * the process knows ({@link Secrets}) before the message is cut to {@link #MAX_MESSAGE} characters, and
 * their control characters are escaped ({@link Printable}).
 */
public final class ServerAnswer {
    /** How much of a structured error's message is repeated. */
    public static final int MAX_MESSAGE = 300;

    /** Whose error format a body follows. */
    public enum Shape {
        /** {@code {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}} */
        MLFLOW,
        /** {@code {"status": "error", "errorType": "bad_data", "error": "..."}} */
        PROMETHEUS,
        /** {@code {"kind": "Status", "reason": "NotFound", "message": "..."}} */
        KUBERNETES
    }

    /**
     * An error a server gave in a known format, safe to show.
     *
     * @param code its code ({@code error_code}, {@code errorType}, {@code reason}), or null when it gave none
     * @param message its message, redacted, on one line, escaped and cut short; null when it gave none
     */
    public record StructuredError(Shape shape, String code, String message) {
        @Override
        public String toString() {
            if (code == null) {
                return message == null ? "" : message;
            }
            return message == null ? code : code + ": " + message;
        }
    }

    /** A code is a word: {@code RESOURCE_DOES_NOT_EXIST}, {@code bad_data}, {@code NotFound}. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    /** A media type's {@code type/subtype}: RFC 6838 restricted names. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int status;
    private final String contentType;
    private final long length;
    private final StructuredError error;

    private ServerAnswer(int status, String contentType, long length, StructuredError error) {
        this.status = status;
        this.contentType = contentType;
        this.length = length;
        this.error = error;
    }

    /**
     * @param status the HTTP status
     * @param contentType the {@code Content-Type} header as sent, or null
     * @param body the body as received (null: none)
     * @param secrets the credentials of the connection, taken out of the error's texts
     */
    public static ServerAnswer of(int status, String contentType, byte[] body, Secrets secrets) {
        byte[] bytes = body == null ? new byte[0] : body;
        return new ServerAnswer(status, mediaType(contentType), bytes.length, structuredError(bytes, secrets));
    }

    /**
     * The error of a Kubernetes {@code Status} a client library has already parsed (fabric8): its reason and
     * message, checked, redacted and cut as if it came in a body.
     */
    public static StructuredError kubernetesStatus(String reason, String message, Secrets secrets) {
        Secrets redaction = Objects.requireNonNullElse(secrets, Secrets.none());
        return new StructuredError(Shape.KUBERNETES, code(reason == null ? null : MAPPER.getNodeFactory().textNode(reason), redaction),
                message(message == null ? null : MAPPER.getNodeFactory().textNode(message), redaction));
    }

    public int status() {
        return status;
    }

    /** {@code type/subtype} without parameters, lower case; empty when none was sent or it was not a media type. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** The body's size in bytes. */
    public long length() {
        return length;
    }

    public Optional<StructuredError> error() {
        return Optional.ofNullable(error);
    }

    /** The error's code when the body is of {@code shape}, e.g. MLflow's {@code error_code}. */
    public Optional<String> code(Shape shape) {
        return error().filter(e -> e.shape() == shape).map(StructuredError::code);
    }

    /** What came, not what it said: {@code text/html, 1234 bytes}, {@code no body}. */
    public String content() {
        if (length == 0) {
            return contentType == null ? "no body" : contentType + ", no body";
        }
        String size = length + (length == 1 ? " byte" : " bytes");
        return contentType == null ? size + " without a content type" : contentType + ", " + size;
    }

    /** {@code HTTP 403 (application/json, 187 bytes): Forbidden: the message}; the error only when there is one. */
    @Override
    public String toString() {
        String error = this.error == null ? "" : this.error.toString();
        return "HTTP " + status + " (" + content() + ")" + (error.isEmpty() ? "" : ": " + error);
    }

    private static String mediaType(String header) {
        if (header == null) {
            return null;
        }
        String type = header.split(";", 2)[0].strip();
        return MEDIA_TYPE.matcher(type).matches() ? type.toLowerCase(Locale.ROOT) : null;
    }

    private static StructuredError structuredError(byte[] bytes, Secrets secrets) {
        if (bytes.length == 0 || bytes.length > 1_000_000) {
            return null;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(bytes);
        } catch (java.io.IOException notJson) {
            return null;
        }
        if (body == null || !body.isObject()) {
            return null;
        }
        Secrets redaction = Objects.requireNonNullElse(secrets, Secrets.none());
        String mlflowCode = code(body.get("error_code"), redaction);
        if (mlflowCode != null) {
            return new StructuredError(Shape.MLFLOW, mlflowCode, message(body.get("message"), redaction));
        }
        if ("error".equals(textOf(body.get("status"))) && body.has("errorType")) {
            return new StructuredError(Shape.PROMETHEUS, code(body.get("errorType"), redaction), message(body.get("error"), redaction));
        }
        if ("Status".equals(textOf(body.get("kind")))) {
            return new StructuredError(Shape.KUBERNETES, code(body.get("reason"), redaction), message(body.get("message"), redaction));
        }
        return null;
    }

    private static String textOf(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** A code that is a word and no credential, else null (such a code is not repeated, whatever it says). */
    private static String code(JsonNode node, Secrets secrets) {
        String text = textOf(node);
        return text != null && CODE.matcher(text).matches() && text.equals(Secrets.redactKnown(secrets.redact(text)))
                ? text : null;
    }

    /** Redacted whole, on one line, cut to {@link #MAX_MESSAGE} characters, then escaped. */
    private static String message(JsonNode node, Secrets secrets) {
        String text = textOf(node);
        if (text == null) {
            return null;
        }
        String shown = shown(secrets.redact(text));
        return shown.isEmpty() ? null : shown;
    }

    /**
     * A server's text fit for a message (a status field it reports, an error message): every credential the
     * process knows redacted, on one line, cut to {@link #MAX_MESSAGE} characters, control characters escaped.
     */
    public static String shown(String text) {
        String flat = Secrets.redactKnown(text).strip().replaceAll("\\s+", " ");
        if (flat.length() > MAX_MESSAGE) {
            int end = Character.isHighSurrogate(flat.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE;
            flat = flat.substring(0, end) + "…";
        }
        return Printable.escape(flat);
    }
}
