package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.After;
import org.junit.Test;

/** Tests {@link MlflowHttp#retryAfter(String)}: seconds, HTTP dates, and unreadable values. */
public class MlflowHttpTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final MlflowHttp http = new MlflowHttp(RegistryConfig.builder("http://127.0.0.1:1").build(),
            MlflowRegistry.newMapper(), d -> { }, () -> 0, Clock.fixed(NOW, ZoneOffset.UTC));

    @After
    public void close() {
        http.close();
    }

    private static String httpDate(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atZone(ZoneOffset.UTC));
    }

    @Test
    public void seconds() {
        assertEquals(Duration.ofSeconds(7), http.retryAfter("7"));
        assertEquals(Duration.ofSeconds(7), http.retryAfter(" 7 "));
        assertEquals(Duration.ZERO, http.retryAfter("0"));
        assertNull(http.retryAfter("-5"));
    }

    @Test
    public void httpDates() {
        assertEquals("Sun, 1 Mar 2026 12:00:30 GMT", httpDate(NOW.plusSeconds(30)));
        assertEquals(Duration.ofSeconds(30), http.retryAfter("Sun, 1 Mar 2026 12:00:30 GMT"));
        assertEquals(Duration.ofSeconds(30), http.retryAfter("Sun, 01 Mar 2026 12:00:30 GMT"));
        assertEquals(Duration.ZERO, http.retryAfter(httpDate(NOW.minusSeconds(3600))));
    }

    @Test
    public void unreadableOrAbsent() {
        assertNull(http.retryAfter("soon"));
        assertNull(http.retryAfter(null));
        assertNull(http.retryAfter(""));
    }
}
