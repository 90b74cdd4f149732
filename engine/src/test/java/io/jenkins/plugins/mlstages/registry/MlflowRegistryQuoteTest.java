package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Tests {@link MlflowRegistry#quote(String)}, which builds string literals for search filters. */
public class MlflowRegistryQuoteTest {
    @Test
    public void singleQuotesByDefault() {
        assertEquals("'a'", MlflowRegistry.quote("a"));
        assertEquals("'say \"hi\"'", MlflowRegistry.quote("say \"hi\""));
    }

    @Test
    public void doubleQuotesWhenValueHasApostrophe() {
        assertEquals("\"it's\"", MlflowRegistry.quote("it's"));
    }

    @Test
    public void bothQuoteKindsAreRejected() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> MlflowRegistry.quote("it's \"x\""));
        assertEquals("INVALID_PARAMETER_VALUE", e.getErrorCode());
        assertTrue(e.getMessage(), e.getMessage().contains("it's \"x\""));
    }
}
