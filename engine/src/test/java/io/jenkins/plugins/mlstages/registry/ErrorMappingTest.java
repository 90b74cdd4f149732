package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.report.ServerAnswer;

/** Tests {@link ErrorMapping}: error code before status, message format, and which errors are transient. */
public class ErrorMappingTest {
    /** An MLflow JSON error when there is a code, else the text as a proxy would send it. */
    private static RegistryException map(int status, String code, String text) {
        ServerAnswer answer;
        if (code == null || code.isBlank()) {
            answer = ServerAnswer.of(status, "text/plain", text == null ? null : text.getBytes(StandardCharsets.UTF_8), Secrets.none());
        } else {
            ObjectNode body = new ObjectMapper().createObjectNode().put("error_code", code);
            if (text != null) {
                body.put("message", text);
            }
            answer = ServerAnswer.of(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8), Secrets.none());
        }
        return ErrorMapping.toException("get model 'm'", answer);
    }

    private static void assertMapped(Class<?> type, String code, int status, RegistryException e) {
        assertSame(type, e.getClass());
        assertEquals(code, e.getErrorCode());
        assertEquals(status, e.getHttpStatus());
        assertEquals("get model 'm'", e.getOperation());
    }

    @Test
    public void errorCodeWinsOverStatus() {
        assertMapped(AlreadyExistsException.class, "RESOURCE_ALREADY_EXISTS", 400, map(400, "RESOURCE_ALREADY_EXISTS", "x"));
        assertMapped(NotFoundException.class, "RESOURCE_DOES_NOT_EXIST", 400, map(400, "RESOURCE_DOES_NOT_EXIST", "x"));
        assertMapped(ServerErrorException.class, "INVALID_STATE", 500, map(500, "INVALID_STATE", "x"));
        assertMapped(InvalidParameterException.class, "INVALID_PARAMETER_VALUE", 400,
                map(400, "INVALID_PARAMETER_VALUE", "x"));
    }

    @Test
    public void plainTextBodiesMapByStatus() {
        assertMapped(UnauthorizedException.class, "UNAUTHENTICATED", 401, map(401, null, "Unauthorized"));
        assertMapped(PermissionDeniedException.class, "PERMISSION_DENIED", 403, map(403, "", "Forbidden"));
        assertMapped(NotFoundException.class, "ENDPOINT_NOT_FOUND", 404, map(404, null, "Not Found"));
        assertMapped(AlreadyExistsException.class, "RESOURCE_CONFLICT", 409, map(409, null, "Conflict"));
        assertMapped(RateLimitedException.class, "REQUEST_LIMIT_EXCEEDED", 429, map(429, " ", "slow down"));
        assertMapped(ServerErrorException.class, "TEMPORARILY_UNAVAILABLE", 503, map(503, null, "Bad Gateway"));
        assertMapped(ServerErrorException.class, "INTERNAL_ERROR", 502, map(502, null, "Bad Gateway"));
        assertMapped(ServerErrorException.class, "DEADLINE_EXCEEDED", 408, map(408, null, "timeout"));
        assertMapped(InvalidParameterException.class, "BAD_REQUEST", 400, map(400, null, "Bad Request"));
    }

    @Test
    public void messageFormat() {
        assertEquals("get model 'm' failed: HTTP 404 RESOURCE_DOES_NOT_EXIST (application/json, 57 bytes): text",
                map(404, "RESOURCE_DOES_NOT_EXIST", "text").getMessage());
        assertEquals("get model 'm' failed: HTTP 404 ENDPOINT_NOT_FOUND (text/plain, no body)", map(404, null, null).getMessage());
        // plain text is said to have come, never repeated: a proxy's page, or an endpoint that is not MLflow
        assertEquals("get model 'm' failed: HTTP 404 ENDPOINT_NOT_FOUND (text/plain, 9 bytes)", map(404, null, "Not Found").getMessage());
    }

    @Test
    public void mlflowsMessageIsFlattenedAndCut() {
        assertEquals("get model 'm' failed: HTTP 500 INTERNAL_ERROR (application/json, 62 bytes): a b c",
                map(500, "INTERNAL_ERROR", "  a \n\t b\r\n\nc ").getMessage());
        String message = map(500, "INTERNAL_ERROR", "y".repeat(1000)).getMessage();
        assertTrue(message, message.endsWith("bytes): " + "y".repeat(300) + "…"));
        String exact = map(500, "INTERNAL_ERROR", "y".repeat(300)).getMessage();
        assertFalse(exact.endsWith("…"));
    }

    @Test
    public void onlyRateLimitServerErrorAndUnreachableAreTransient() {
        assertTrue(map(429, null, "").isTransient());
        assertTrue(map(503, null, "").isTransient());
        assertTrue(map(500, "INTERNAL_ERROR", "").isTransient());
        assertTrue(new RegistryUnreachableException("op", null, 0, "down", null).isTransient());
        assertFalse(map(400, null, "").isTransient());
        assertFalse(map(401, null, "").isTransient());
        assertFalse(map(403, null, "").isTransient());
        assertFalse(map(404, null, "").isTransient());
        assertFalse(map(400, "RESOURCE_ALREADY_EXISTS", "").isTransient());
        assertFalse(new RegistrationFailedException("op", null, 0, "failed", null).isTransient());
    }
}
