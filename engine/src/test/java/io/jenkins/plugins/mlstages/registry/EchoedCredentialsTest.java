package io.jenkins.plugins.mlstages.registry;

import static io.jenkins.plugins.mlstages.registry.ScriptedServer.json;
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
    public void aBearerTokenEchoedInPlainTextIsRedacted() {
        server.on(API + "runs/get", new MockResponse.Builder().code(401)
                .body("Unauthorized. Request headers:\nAuthorization: Bearer " + TOKEN + "\nUser-Agent: x").build());
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> registry(RegistryCredentials.bearer(TOKEN)).getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().contains("HTTP 401 UNAUTHENTICATED: Unauthorized. Request headers: Authorization: "
                + Secrets.MARK + " User-Agent: x"));
        assertNoCredential(e.getMessage(), TOKEN);
    }

    @Test
    public void basicCredentialsEchoedInJsonAreRedactedFromMessageAndCode() {
        String header = "Basic " + base64("alice:" + PASSWORD);
        String escapedPassword = PASSWORD.replace("\"", "\\\"");
        server.on(API + "runs/get", json(403, "{\"error_code\":\"" + header + "\",\"message\":\"denied: {\\\"authorization\\\": \\\""
                + header.replace("/", "\\\\/") + "\\\", \\\"password\\\": \\\"" + escapedPassword.replace("\\", "\\\\\\") + "\\\"}\"}"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> registry(RegistryCredentials.basic("alice", PASSWORD)).getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().contains(Secrets.MARK));
        assertNoCredential(e.getMessage(), base64("alice:" + PASSWORD), PASSWORD);
    }

    @Test
    public void aTokenWhereTheMessageIsCutShortLeavesNoPieceOfIt() {
        // the header straddles the 300th character, where the server's text is cut
        String padding = "x".repeat(265);
        server.on(API + "runs/get", new MockResponse.Builder().code(500).setHeader("Retry-After", "3600")
                .body(padding + " Authorization: Bearer " + TOKEN + " " + padding).build());
        RegistryException e = assertThrows(RegistryException.class, () -> registry(RegistryCredentials.bearer(TOKEN)).getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().contains("Authorization: " + Secrets.MARK));
        assertNoCredential(e.getMessage(), TOKEN);
    }

    @Test
    public void anAnswerThatIsNotJsonIsRedactedToo() {
        server.on(API + "runs/get", new MockResponse.Builder().code(200).body("<html>Bearer " + TOKEN + "</html>").build());
        RuntimeException e = assertThrows(RuntimeException.class, () -> registry(RegistryCredentials.bearer(TOKEN)).getRun("r1"));
        assertTrue(e.getMessage(), e.getMessage().contains("<html>" + Secrets.MARK));
        assertNoCredential(e.getMessage(), TOKEN);
    }
}
