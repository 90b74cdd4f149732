package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Tests {@link Secrets}: every form of a credential is found however it is written, and nothing else is touched. */
public class SecretsTest {
    private static final String TOKEN = "tok_4f9/Zq+Rw=="; // base64-ish: '/', '+' and '=' get escaped by many writers
    private static final String PASSWORD = "p@ss wörd\"1";
    private static final String PAIR_BASE64 = base64("alice:" + PASSWORD);

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON string body of {@code text} as Python's json.dumps writes it (ensure_ascii: \\uXXXX for non-ASCII). */
    private static String pythonJson(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c > 126) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    public void aBearerTokenIsFoundInEveryWayAnEchoWritesIt() {
        Secrets secrets = Secrets.bearer(TOKEN);
        String[] echoes = {
            "Authorization: Bearer " + TOKEN,
            "authorization: bearer\t" + TOKEN,
            "{\"headers\": {\"Authorization\": \"Bearer " + TOKEN.replace("/", "\\/") + "\"}}", // PHP's json_encode
            "{\"Authorization\": \"Bearer " + TOKEN.replace("+", "\\u002B").replace("=", "\\u003d") + "\"}", // Go-style escapes
            "GET /echo?auth=Bearer%20" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8),
            "GET /echo?auth=" + URLEncoder.encode("Bearer " + TOKEN, StandardCharsets.UTF_8),
            "<pre>Bearer " + TOKEN.replace("+", "&#43;").replace("/", "&#x2F;") + "</pre>",
            "token " + TOKEN + " refused",
        };
        for (String echo : echoes) {
            String redacted = secrets.redact(echo);
            assertTrue(echo + " -> " + redacted, redacted.contains(Secrets.MARK));
            assertFalse(echo + " -> " + redacted, redacted.contains("4f9"));
        }
        assertEquals("Authorization: **** (refused)", secrets.redact("Authorization: Bearer " + TOKEN + " (refused)"));
    }

    @Test
    public void basicCredentialsAreFoundAsPasswordPairBase64AndHeader() {
        Secrets secrets = Secrets.basic("alice", PASSWORD);
        String[] echoes = {
            "Authorization: Basic " + PAIR_BASE64,
            "{\"authorization\":\"basic " + PAIR_BASE64.replace("/", "\\/") + "\"}",
            "credentials " + PAIR_BASE64,
            "password=" + PASSWORD,
            "{\"password\": \"" + pythonJson(PASSWORD) + "\"}",
            "https://alice:" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "@host/",
            "<td>" + ReportPage.escape("alice:" + PASSWORD) + "</td>",
        };
        for (String echo : echoes) {
            String redacted = secrets.redact(echo);
            assertTrue(echo + " -> " + redacted, redacted.contains(Secrets.MARK));
            assertFalse(echo + " -> " + redacted, redacted.contains("ss w") || redacted.contains("ss+w")
                    || redacted.contains("ss%20w") || redacted.contains(PAIR_BASE64.substring(0, 10)));
        }
        // the user name alone is not a secret
        assertEquals("basic auth as alice", secrets.redact("basic auth as alice"));
    }

    @Test
    public void charactersOutsideTheBasicPlaneAreFoundToo() {
        String password = "\uD83D\uDD11-key-1234";
        Secrets secrets = Secrets.basic("alice", password);
        assertEquals("pw=****", secrets.redact("pw=" + password));
        assertEquals("{\"pw\":\"****\"}", secrets.redact("{\"pw\":\"" + pythonJson(password) + "\"}"));
        assertEquals("pw=****", secrets.redact("pw=" + URLEncoder.encode(password, StandardCharsets.UTF_8)));
    }

    @Test
    public void shortValuesAreReplacedOnlyInTheFormsWeSend() {
        Secrets token = Secrets.bearer("abc");
        assertEquals("Authorization: ****", token.redact("Authorization: Bearer abc"));
        assertEquals("abc and abcdef stay", token.redact("abc and abcdef stay"));

        Secrets basic = Secrets.basic("al", "pw");
        String header = "Basic " + base64("al:pw");
        assertEquals("echo: ****", basic.redact("echo: " + header));
        assertEquals("pw, al:pw and the pwd stay", basic.redact("pw, al:pw and the pwd stay"));

        // from eight characters on, the value is replaced wherever it is
        assertEquals("the **** leaked", Secrets.basic("al", "12345678").redact("the 12345678 leaked"));
        assertEquals("the 1234567 stays", Secrets.basic("al", "1234567").redact("the 1234567 stays"));
        assertEquals(8, Secrets.MIN_LENGTH);
    }

    @Test
    public void theMarkIsTheSameWhateverTheLength() {
        String longToken = "x".repeat(200);
        assertEquals("[****] [****]", Secrets.bearer(longToken).redact("[" + longToken + "] [Bearer " + longToken + "]"));
        assertEquals("[****]", Secrets.bearer("12345678").redact("[12345678]"));
    }

    @Test
    public void nothingElseIsTouched() {
        Secrets secrets = Secrets.bearer(TOKEN).and(Secrets.basic("alice", PASSWORD));
        String text = "register of 'fraud' failed: HTTP 401 UNAUTHENTICATED: You are not authenticated. tok_ p@ss";
        assertSame(text, secrets.redact(text));
        assertEquals(null, secrets.redact(null));
        assertEquals("", secrets.redact(""));
        assertSame(text, Secrets.none().redact(text));
        assertSame(text, Secrets.bearer(null).redact(text));
        assertSame(text, Secrets.bearer(" ").redact(text));
        assertTrue(Secrets.basic(null, null).isEmpty());
    }

    @Test
    public void secretsAreNeverShownThemselves() {
        Secrets secrets = Secrets.bearer(TOKEN);
        assertFalse(secrets.toString(), secrets.toString().contains("4f9"));
        assertEquals(Secrets.bearer(TOKEN), Secrets.bearer(TOKEN));
        assertEquals(secrets, secrets.and(Secrets.bearer(TOKEN)));
    }

    @Test
    public void rememberedCredentialsAreKnownToTheProcess() {
        String token = "remembered-" + System.nanoTime();
        assertEquals("x " + token, Secrets.redactKnown("x " + token));
        Secrets.remember(Secrets.bearer(token));
        assertEquals("x ****", Secrets.redactKnown("x " + token));
        assertEquals("x ****", Secrets.known().redact("x Bearer " + token));
    }

    /** A credential remembered again (the registry's, each call) outlives tokens remembered before that. */
    @Test
    public void aCredentialRememberedAgainIsForgottenAfterOlderOnes() {
        String longLived = "long-lived-" + System.nanoTime();
        String rotated = "rotated-first-" + System.nanoTime();
        Secrets.remember(Secrets.bearer(longLived));
        Secrets.remember(Secrets.bearer(rotated));
        Secrets.remember(Secrets.bearer(longLived));
        for (int i = 0; i < Secrets.MAX_KNOWN && Secrets.redactKnown(rotated).equals("****"); i++) {
            Secrets.remember(Secrets.bearer("rotated-" + i + "-" + System.nanoTime()));
        }
        assertEquals("still bounded: the older token is forgotten", rotated, Secrets.redactKnown(rotated));
        assertEquals("****", Secrets.redactKnown(longLived));
    }

    @Test
    public void everyStringTheReportMapperWritesIsRedacted() throws Exception {
        String token = "mapper-" + System.nanoTime();
        Secrets.remember(Secrets.bearer(token));
        ObjectNode tree = ReportWriter.mapper().createObjectNode();
        tree.put("reason", "HTTP 401: Authorization: Bearer " + token);
        tree.putObject("headers").put(token, List.of(token).toString());
        String json = ReportWriter.mapper().writeValueAsString(Map.of("tree", tree, "text", token, "list", List.of("a", token)));
        assertFalse(json, json.contains(token));
        assertTrue(json, json.contains("\"reason\" : \"HTTP 401: Authorization: ****\""));
        assertTrue(json, json.contains("\"text\" : \"****\""));
        // still JSON; numbers are numbers, not text, and are left alone
        assertEquals(3, ReportWriter.mapper().readTree(json).size());
        long number = 100_000_000L + System.nanoTime() % 100_000_000L;
        Secrets.remember(Secrets.bearer(Long.toString(number)));
        assertEquals("{\"n\":" + number + ",\"s\":\"****\"}", ReportWriter.newMapper().disable(
                com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                        new java.util.TreeMap<>(Map.of("n", number, "s", Long.toString(number)))));
    }

    @Test
    public void redactingLargeTextIsFast() {
        Secrets secrets = Secrets.bearer(TOKEN).and(Secrets.basic("alice", PASSWORD));
        String text = "lorem ipsum dolor sit amet, 0.123456789 Basic tok_ p@ss ".repeat(20_000) + "Bearer " + TOKEN;
        long start = System.nanoTime();
        String redacted = secrets.redact(text);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(redacted.endsWith(Secrets.MARK));
        System.out.println("SecretsTest: redacted " + text.length() + " characters in " + millis + " ms");
        // about 0.2 to 0.8 s on the 2-core build machine; the bound catches runaway backtracking, not a slow machine
        assertTrue(millis + " ms for " + text.length() + " characters", millis < 10_000);
    }
}
