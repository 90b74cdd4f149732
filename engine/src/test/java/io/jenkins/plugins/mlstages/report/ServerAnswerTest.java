package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.Test;

/** {@link ServerAnswer}: what came is said, what it said is not, but for the errors of known shapes. */
public class ServerAnswerTest {
    private static ServerAnswer of(int status, String contentType, String body) {
        return ServerAnswer.of(status, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), Secrets.none());
    }

    @Test
    public void sayWhatCameNotWhatItSaid() {
        assertEquals("HTTP 200 (text/html, 24 bytes)", of(200, "text/html; charset=utf-8", "<html>secret page</html>").toString());
        assertEquals("HTTP 404 (no body)", of(404, null, null).toString());
        assertEquals("HTTP 401 (text/plain, no body)", of(401, "text/plain", "").toString());
        assertEquals("HTTP 500 (1 byte without a content type)", of(500, null, "x").toString());
        // JSON of no known shape is not repeated either
        assertEquals("HTTP 200 (application/json, 20 bytes)", of(200, "application/json", "{\"AccessKeyId\":\"AK\"}").toString());
        assertEquals(Optional.empty(), of(200, "application/json", "{\"message\":\"m\"}").error());
        assertEquals(Optional.empty(), of(200, "application/json", "[{\"error_code\":\"X\"}]").error());
    }

    @Test
    public void aContentTypeIsShownOnlyAsTypeAndSubtype() {
        assertEquals(Optional.of("application/json"), of(200, "Application/JSON; charset=utf-8; x=\"y\"", "{}").contentType());
        assertEquals(Optional.empty(), of(200, "text/html\u001b[2J", "x").contentType());
        assertEquals(Optional.empty(), of(200, "AKIAIOSFODNN7EXAMPLE", "x").contentType());
        assertEquals(Optional.empty(), of(200, "a/" + "b".repeat(100), "x").contentType());
    }

    @Test
    public void theThreeKnownShapes() {
        ServerAnswer mlflow = of(404, "application/json", "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Run 'r1' not found\"}");
        assertEquals(Optional.of("RESOURCE_DOES_NOT_EXIST"), mlflow.code(ServerAnswer.Shape.MLFLOW));
        assertTrue(mlflow.toString(), mlflow.toString().endsWith("bytes): RESOURCE_DOES_NOT_EXIST: Run 'r1' not found"));
        ServerAnswer prometheus = of(400, "application/json",
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:4: parse error: unclosed left parenthesis\"}");
        assertEquals(Optional.of("bad_data"), prometheus.code(ServerAnswer.Shape.PROMETHEUS));
        assertEquals(Optional.empty(), prometheus.code(ServerAnswer.Shape.MLFLOW));
        assertEquals("bad_data: 1:4: parse error: unclosed left parenthesis", prometheus.error().get().toString());
        ServerAnswer kubernetes = of(404, "application/json", "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"inferenceservices.serving.kserve.io \\\"x\\\" not found\",\"reason\":\"NotFound\",\"code\":404}");
        assertEquals(ServerAnswer.Shape.KUBERNETES, kubernetes.error().get().shape());
        assertEquals("NotFound: inferenceservices.serving.kserve.io \"x\" not found", kubernetes.error().get().toString());
        // a Status without a reason still gives its message
        assertEquals("forbidden", of(403, null, "{\"kind\":\"Status\",\"message\":\"forbidden\"}").error().get().toString());
    }

    @Test
    public void aCodeThatIsNotAWordIsNotRepeated() {
        ServerAnswer answer = of(403, "application/json", "{\"error_code\":\"Basic YWxpY2U6cHc=\",\"message\":\"denied\"}");
        assertEquals(Optional.empty(), answer.error());
        assertFalse(answer.toString(), answer.toString().contains("denied"));
        ServerAnswer prometheus = of(400, null, "{\"status\":\"error\",\"errorType\":\"a b\",\"error\":\"bad\"}");
        assertEquals("bad", prometheus.error().get().toString());
    }

    @Test
    public void theMessageIsRedactedOnOneLineEscapedAndCut() {
        String token = "tok-0123456789abcdef";
        String body = "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"line one\\n\\tline two \\u001b[31mred\\u202e Authorization: Bearer "
                + token + " " + "y".repeat(400) + "\"}";
        ServerAnswer answer = ServerAnswer.of(500, "application/json", body.getBytes(StandardCharsets.UTF_8), Secrets.bearer(token));
        String message = answer.error().get().message();
        assertTrue(message, message.startsWith("line one line two \\u001b[31mred\\u202e Authorization: " + Secrets.MARK + " yyy"));
        assertFalse(message, message.contains("\u001b") || message.contains("\u202e") || message.contains("\n"));
        assertFalse(message, message.contains("tok-0123"));
        // cut after redaction, before escaping: 300 characters of text, then the ellipsis
        assertEquals(300 + "…".length() + (Printable.WIDTH - 1) * 2, message.length());
        assertTrue(message, message.endsWith("y…"));
    }

    @Test
    public void credentialsTheProcessKnowsAreRedactedToo() {
        String token = "known-9f8e7d6c5b4a";
        Secrets.remember(Secrets.bearer(token));
        ServerAnswer answer = of(500, "application/json", "{\"kind\":\"Status\",\"reason\":\"InternalError\",\"message\":\"token " + token + "\"}");
        assertEquals("InternalError: token " + Secrets.MARK, answer.error().get().toString());
    }
}
