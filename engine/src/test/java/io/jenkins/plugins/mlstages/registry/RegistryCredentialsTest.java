package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.Test;

/** Tests {@link RegistryCredentials}: Authorization headers and that secrets are never printed. */
public class RegistryCredentialsTest {
    @Test
    public void basicHeader() {
        RegistryCredentials c = RegistryCredentials.basic("user", "pass");
        String expected = "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, c.authorizationHeader().orElseThrow());
        assertEquals("Basic dXNlcjpwYXNz", c.authorizationHeader().orElseThrow());
        assertEquals(RegistryCredentials.Kind.BASIC, c.getKind());
        assertEquals(Optional.of("user"), c.getUsername());
        assertEquals("Basic dXNlcjo=", RegistryCredentials.basic("user", null).authorizationHeader().orElseThrow());
    }

    @Test
    public void bearerHeader() {
        RegistryCredentials c = RegistryCredentials.bearer("tok");
        assertEquals(Optional.of("Bearer tok"), c.authorizationHeader());
        assertEquals(Optional.empty(), c.getUsername());
    }

    @Test
    public void noneSendsNothing() {
        assertEquals(Optional.empty(), RegistryCredentials.none().authorizationHeader());
        assertEquals(RegistryCredentials.Kind.NONE, RegistryCredentials.none().getKind());
        assertEquals("no credentials", RegistryCredentials.none().describe());
    }

    @Test
    public void secretsAreNeverShown() {
        RegistryCredentials basic = RegistryCredentials.basic("alice", "s3cr3t-pw");
        RegistryCredentials bearer = RegistryCredentials.bearer("s3cr3t-tok");
        assertEquals("basic auth as alice", basic.describe());
        assertEquals("bearer token", bearer.describe());
        assertFalse(basic.toString().contains("s3cr3t"));
        assertFalse(bearer.toString().contains("s3cr3t"));
        assertTrue(basic.toString().contains("alice"));
    }

    @Test
    public void emptyTokenOrUserIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RegistryCredentials.bearer(""));
        assertThrows(IllegalArgumentException.class, () -> RegistryCredentials.bearer(null));
        assertThrows(IllegalArgumentException.class, () -> RegistryCredentials.basic("", "pw"));
        assertThrows(IllegalArgumentException.class, () -> RegistryCredentials.basic(null, "pw"));
    }
}
