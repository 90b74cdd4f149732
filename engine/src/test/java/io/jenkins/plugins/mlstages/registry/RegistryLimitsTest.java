package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Tests {@link RegistryLimits}: key, alias and value-length rules and their messages. */
public class RegistryLimitsTest {
    private static InvalidParameterException badKey(String key) {
        return assertThrows(InvalidParameterException.class, () -> RegistryLimits.checkKey("log metrics", "metric", key));
    }

    private static InvalidParameterException badAlias(String alias) {
        return assertThrows(InvalidParameterException.class, () -> RegistryLimits.checkAlias("set alias", alias));
    }

    @Test
    public void validKeysPass() {
        RegistryLimits.checkKey("op", "metric", "ok.key-1/x y");
        RegistryLimits.checkKey("op", "metric", "a");
        RegistryLimits.checkKey("op", "metric", "a..b/.c/d.");
        RegistryLimits.checkKey("op", "metric", "k".repeat(250));
    }

    @Test
    public void invalidKeysAreRejectedNamingKeyAndOperation() {
        InvalidParameterException empty = badKey("");
        assertTrue(empty.getMessage(), empty.getMessage().startsWith("log metrics refused: "));
        assertEquals("INVALID_PARAMETER_VALUE", empty.getErrorCode());
        assertEquals("log metrics", empty.getOperation());

        InvalidParameterException tooLong = badKey("k".repeat(251));
        assertTrue(tooLong.getMessage(), tooLong.getMessage().contains("k".repeat(40)));
        assertTrue(tooLong.getMessage(), tooLong.getMessage().contains("251"));
        assertTrue(tooLong.getMessage(), tooLong.getMessage().contains("log metrics"));

        for (String key : new String[] {"bad key!", "/abs", "a/../b", "a//b", "..", "../a", "a/..", "."}) {
            InvalidParameterException e = badKey(key);
            assertTrue(e.getMessage(), e.getMessage().contains("'" + key + "'"));
            assertTrue(e.getMessage(), e.getMessage().contains("log metrics"));
        }
    }

    @Test
    public void aliasRules() {
        RegistryLimits.checkAlias("op", "champion");
        RegistryLimits.checkAlias("op", "v");
        RegistryLimits.checkAlias("op", "version2");
        RegistryLimits.checkAlias("op", "a".repeat(255));
        for (String alias : new String[] {"latest", "LATEST", "v3", "V12", "has space", "a.b", "", "a".repeat(256)}) {
            InvalidParameterException e = badAlias(alias);
            assertTrue(e.getMessage(), e.getMessage().startsWith("set alias refused: "));
        }
        assertTrue(badAlias("v3").getMessage().contains("'v3'"));
        assertThrows(InvalidParameterException.class, () -> RegistryLimits.checkAlias("op", null));
    }

    @Test
    public void valueLengthLimit() {
        RegistryLimits.checkValueLength("log params", "param", "p", "x".repeat(6000), 6000);
        RegistryLimits.checkValueLength("log params", "param", "p", null, 6000);
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> RegistryLimits.checkValueLength("log params", "param", "p", "x".repeat(6001), 6000));
        assertTrue(e.getMessage(), e.getMessage().contains("6001"));
        assertTrue(e.getMessage(), e.getMessage().contains("6000"));
        assertTrue(e.getMessage(), e.getMessage().contains("'p'"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("log params refused: "));
    }

    @Test
    public void blankIsRejected() {
        RegistryLimits.checkNotBlank("op", "name", "x");
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> RegistryLimits.checkNotBlank("op", "model name", " \t"));
        assertEquals("op refused: model name is empty", e.getMessage());
    }

    @Test
    public void keysTheServerWouldNotNormaliseAreRejected() {
        for (String key : new String[] {"./a", "a/.", "a/", "..a", "...", "a//b", "a/../b"}) {
            assertThrows(key, InvalidParameterException.class, () -> RegistryLimits.checkKey("op", "metric", key));
        }
        RegistryLimits.checkKey("op", "metric", "métrique/é.1");
        RegistryLimits.checkAlias("op", "café");
    }
}
