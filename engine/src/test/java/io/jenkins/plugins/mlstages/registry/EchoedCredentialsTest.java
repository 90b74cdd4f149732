package io.jenkins.plugins.mlstages.registry;

import static io.jenkins.plugins.mlstages.registry.ScriptedServer.json;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.After;
import org.junit.Test;

import io.jenkins.plugins.mlstages.report.Secrets;
import mockwebserver3.MockResponse;

/**
 * A server that echoes our request in its error answer: the registry's error message, built from that
 * answer, names the failure but never the credentials, even where it is cut short.
 */
public class EchoedCredentialsTest {
    private static final String API = "/api/2.0/mlflow/";
    private static final String TOKEN = "echo-token-7Hq2/vX+9w==";
    private static final String PASSWORD = "echo-password-\"4u\"";

    private final ScriptedServer server;
    private MlflowRegistry registry;

    public EchoedCredentialsTest() throws Exception {
        server = new ScriptedServer();
    }

    @After
    public void tearDown() {
        if (registry != null) {
            registry.close();
        }
        server.close();
    }

    private MlflowRegistry registry(RegistryCredentials credentials) {
        registry = new MlflowRegistry(RegistryConfig.builder(server.url()).credentials(credentials)
                .retryPolicy(RetryPolicy.NONE).build());
        return registry;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoCredential(String message, String... forms) {
        for (String form : forms) {
            // no piece of it either: a message cut short must not keep half a token
            for (int i = 0; i + 8 <= form.length(); i += 4) {
                assertFalse(message, message.contains(form.substring(i, i + 8)));
            }
        }
    }

    @Test
    public void aBearerTokenEchoedInPlainTextIsNotRepeatedAtAll() {
        server.on(API + "runs/get", new MockResponse.Builder().code(401)
                .body("Unauthorized. Request headers:\nAuthorization: Bearer " + TOKEN + "\nUser-Agent: x").build());
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> registry(RegistryCredentials.bearer(TOKEN)).getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().endsWith("HTTP 401 UNAUTHENTICATED (90 bytes without a content type)"));
        assertFalse(e.getMessage(), e.getMessage().contains("Request headers"));
        assertNoCredential(e.getMessage(), TOKEN);
    }

    @Test
    public void basicCredentialsEchoedInMlflowsMessageAreRedacted() {
        String header = "Basic " + base64("alice:" + PASSWORD);
        String escapedPassword = PASSWORD.replace("\"", "\\\"");
        server.on(API + "runs/get", json(403, "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"denied: {\\\"authorization\\\": \\\""
                + header.replace("/", "\\\\/") + "\\\", \\\"password\\\": \\\"" + escapedPassword.replace("\\", "\\\\\\") + "\\\"}\"}"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> registry(RegistryCredentials.basic("alice", PASSWORD)).getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().contains("PERMISSION_DENIED (application/json, "));
        assertTrue(e.getMessage(), e.getMessage().contains("denied: {\"authorization\": \"" + Secrets.MARK));
        assertNoCredential(e.getMessage(), base64("alice:" + PASSWORD), PASSWORD);
    }

    @Test
    public void anErrorCodeThatIsACredentialIsNotRepeated() {
        String header = "Basic " + base64("alice:" + PASSWORD);
        server.on(API + "runs/get", json(403, "{\"error_code\":\"" + header + "\",\"message\":\"denied\"}"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> registry(RegistryCredentials.basic("alice", PASSWORD)).getRun("r1"));
        // not MLflow's shape (a code is a word): mapped by status, nothing of the body repeated
        assertEquals("PERMISSION_DENIED", e.getErrorCode());
        assertFalse(e.getMessage(), e.getMessage().contains("denied:"));
        assertNoCredential(e.getMessage(), base64("alice:" + PASSWORD), PASSWORD);
        // a code that is a word but a credential is not repeated either
        String longPassword = "Zq81ab92cd73ef";
        server.on(API + "runs/get", json(403, "{\"error_code\":\"" + longPassword + "\",\"message\":\"denied\"}"));
        RegistryException word = assertThrows(RegistryException.class,
                () -> registry(RegistryCredentials.basic("alice", longPassword)).getRun("r1"));
        assertEquals("PERMISSION_DENIED", word.getErrorCode());
        assertNoCredential(word.getMessage(), longPassword);
    }

    @Test
    public void aTokenWhereTheMessageIsCutShortLeavesNoPieceOfIt() {
        // the header straddles the 300th character, where MLflow's message is cut
        String padding = "x".repeat(265);
        server.on(API + "runs/get", new MockResponse.Builder().code(500).setHeader("Retry-After", "3600")
                .body("{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"" + padding + " Authorization: Bearer " + TOKEN
                        + " " + padding + "\"}").build());
        RegistryException e = assertThrows(RegistryException.class, () -> registry(RegistryCredentials.bearer(TOKEN)).getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().contains("Authorization: " + Secrets.MARK));
        assertNoCredential(e.getMessage(), TOKEN);
    }

    @Test
    public void anAnswerThatIsNotJsonIsNotRepeated() {
        server.on(API + "runs/get", new MockResponse.Builder().code(200).body("<html>Bearer " + TOKEN + "</html>").build());
        RuntimeException e = assertThrows(RuntimeException.class, () -> registry(RegistryCredentials.bearer(TOKEN)).getRun("r1"));
        assertFalse(e.getMessage(), e.getMessage().contains("<html>"));
        assertNoCredential(e.getMessage(), TOKEN);
    }
}
