package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

/** Tests {@link RegistryConfig}: URL normalisation and reading the MLflow environment variables. */
public class RegistryConfigTest {
    private static final String URI = RegistryConfig.TRACKING_URI;

    @Test
    public void builderTrimsTrailingSlashesAndKeepsPathPrefix() {
        assertEquals("http://h:5000/mlflow", RegistryConfig.builder("http://h:5000/mlflow/").build().getBaseUrl());
        assertEquals("http://h:5000", RegistryConfig.builder("  http://h:5000//  ").build().getBaseUrl());
        assertEquals("https://h/x", RegistryConfig.builder("https://h/x?q=1#f").build().getBaseUrl());
    }

    @Test
    public void builderRejectsNonHttpUrls() {
        for (String url : new String[] {"ftp://x", "not a url", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RegistryConfig.builder(url));
            assertTrue(e.getMessage(), e.getMessage().contains("http"));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistryConfig.builder("ftp://x"))
                .getMessage().contains("'ftp://x'"));
    }

    @Test
    public void builderRejectsCredentialsInUrlWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegistryConfig.builder("http://alice:s3cr3t@h:5000"));
        assertFalse(e.getMessage(), e.getMessage().contains("s3cr3t"));
        assertTrue(e.getMessage(), e.getMessage().contains(RegistryConfig.TRACKING_PASSWORD));
    }

    @Test
    public void environmentNeedsAUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegistryConfig.fromEnvironment(Map.of(), null));
        assertTrue(e.getMessage(), e.getMessage().contains("--registry-url"));
        assertTrue(e.getMessage(), e.getMessage().contains("MLFLOW_TRACKING_URI"));
        assertThrows(IllegalArgumentException.class, () -> RegistryConfig.fromEnvironment(Map.of(URI, " "), " "));
    }

    @Test
    public void overrideWinsOverEnvironment() {
        Map<String, String> env = Map.of(URI, "http://env:5000");
        assertEquals("http://cli:6000", RegistryConfig.fromEnvironment(env, "http://cli:6000").build().getBaseUrl());
        assertEquals("http://env:5000", RegistryConfig.fromEnvironment(env, null).build().getBaseUrl());
        assertEquals("http://env:5000", RegistryConfig.fromEnvironment(env, "").build().getBaseUrl());
    }

    @Test
    public void basicWinsOverToken() {
        RegistryConfig config = RegistryConfig.fromEnvironment(Map.of(URI, "http://h", RegistryConfig.TRACKING_USERNAME,
                "alice", RegistryConfig.TRACKING_PASSWORD, "pw", RegistryConfig.TRACKING_TOKEN, "tok"), null).build();
        assertEquals(RegistryCredentials.Kind.BASIC, config.getCredentials().getKind());
        assertEquals("alice", config.getCredentials().getUsername().orElseThrow());
        assertEquals("Basic YWxpY2U6cHc=", config.getCredentials().authorizationHeader().orElseThrow());
    }

    @Test
    public void tokenAloneIsBearer() {
        RegistryConfig config = RegistryConfig.fromEnvironment(
                Map.of(URI, "http://h", RegistryConfig.TRACKING_TOKEN, "tok"), null).build();
        assertEquals(RegistryCredentials.Kind.BEARER, config.getCredentials().getKind());
        assertEquals("Bearer tok", config.getCredentials().authorizationHeader().orElseThrow());
        RegistryConfig none = RegistryConfig.fromEnvironment(Map.of(URI, "http://h"), null).build();
        assertEquals(RegistryCredentials.Kind.NONE, none.getCredentials().getKind());
    }

    @Test
    public void insecureTlsFlag() {
        String key = RegistryConfig.TRACKING_INSECURE_TLS;
        assertTrue(RegistryConfig.fromEnvironment(Map.of(URI, "http://h", key, "true"), null).build().isInsecureTls());
        assertTrue(RegistryConfig.fromEnvironment(Map.of(URI, "http://h", key, "TRUE"), null).build().isInsecureTls());
        assertFalse(RegistryConfig.fromEnvironment(Map.of(URI, "http://h", key, "no"), null).build().isInsecureTls());
        assertFalse(RegistryConfig.fromEnvironment(Map.of(URI, "http://h"), null).build().isInsecureTls());
    }

    @Test
    public void toStringHidesSecrets() {
        RegistryConfig basic = RegistryConfig.fromEnvironment(Map.of(URI, "http://h:5000", RegistryConfig.TRACKING_USERNAME,
                "alice", RegistryConfig.TRACKING_PASSWORD, "pa55word"), null).build();
        assertFalse(basic.toString().contains("pa55word"));
        assertTrue(basic.toString(), basic.toString().contains("http://h:5000"));
        assertTrue(basic.toString(), basic.toString().contains("alice"));
        RegistryConfig bearer = RegistryConfig.builder("http://h").credentials(RegistryCredentials.bearer("t0ken-xyz"))
                .insecureTls(true).build();
        assertFalse(bearer.toString().contains("t0ken-xyz"));
        assertTrue(bearer.toString(), bearer.toString().contains("insecure TLS"));
    }

    @Test
    public void anUnparseableUrlDoesNotEchoThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegistryConfig.builder("ftp://alice:s3cr3t@h"));
        assertFalse(e.getMessage(), e.getMessage().contains("s3cr3t"));
        assertTrue(e.getMessage(), e.getMessage().contains("ftp://***@h"));
    }
}
