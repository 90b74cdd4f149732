package io.jenkins.plugins.mlstages.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.mlstages.support.RegistryChoice.Source;
import org.junit.Test;

/** Which credentials go to which registry URL; plain Java, no Jenkins. */
public class RegistryChoiceTest {
    private static final String GLOBAL = "https://mlflow.example.com/prefix";

    @Test
    public void theGlobalCredentialGoesWithTheGlobalUrl() {
        RegistryChoice choice = RegistryChoice.decide(null, null, GLOBAL, "admin-token", null);
        assertEquals(GLOBAL, choice.url());
        assertEquals("admin-token", choice.credentialsId());
        assertEquals(Source.GLOBAL, choice.source());
        assertFalse(choice.globalWithheld());
    }

    @Test
    public void aStepUrlThatIsTheGlobalOneButForSlashesAndCaseGetsTheGlobalCredential() {
        for (String same : new String[] {"https://mlflow.example.com/prefix/", "HTTPS://MLflow.Example.COM/prefix",
                "https://mlflow.example.com:443/prefix//", " https://mlflow.example.com/prefix "}) {
            RegistryChoice choice = RegistryChoice.decide(same, null, GLOBAL, "admin-token", null);
            assertEquals(same, Source.GLOBAL, choice.source());
            assertEquals(same, "admin-token", choice.credentialsId());
        }
    }

    @Test
    public void aStepUrlElsewhereNeverGetsTheGlobalCredential() {
        for (String other : new String[] {"https://evil.example.com", "https://mlflow.example.com/Prefix",
                "https://mlflow.example.com/other", "http://mlflow.example.com/prefix",
                "https://mlflow.example.com:8443/prefix", "https://mlflow.example.com.evil.com/prefix",
                "https://mlflow.example.com@evil.com/prefix", "not a url"}) {
            RegistryChoice choice = RegistryChoice.decide(other, null, GLOBAL, "admin-token", null);
            assertEquals(other, other.strip(), choice.url());
            assertNull(other, choice.credentialsId());
            assertEquals(other, Source.ENVIRONMENT, choice.source());
            assertTrue(other, choice.globalWithheld());
        }
    }

    @Test
    public void aStepUrlElsewhereWithItsOwnCredentialUsesIt() {
        RegistryChoice choice = RegistryChoice.decide("https://other.example.com", "team-token", GLOBAL, "admin-token", null);
        assertEquals("https://other.example.com", choice.url());
        assertEquals("team-token", choice.credentialsId());
        assertEquals(Source.STEP, choice.source());
        assertFalse(choice.globalWithheld());
    }

    @Test
    public void theStepsOwnCredentialGoesToTheGlobalUrlToo() {
        RegistryChoice choice = RegistryChoice.decide(null, "team-token", GLOBAL, "admin-token", null);
        assertEquals(GLOBAL, choice.url());
        assertEquals("team-token", choice.credentialsId());
        assertEquals(Source.STEP, choice.source());
    }

    @Test
    public void theEnvironmentsUrlWithoutAGlobalUrlNeverGetsTheGlobalCredential() {
        RegistryChoice choice = RegistryChoice.decide(null, null, null, "admin-token", "https://evil.example.com");
        assertEquals("https://evil.example.com", choice.url());
        assertNull(choice.credentialsId());
        assertEquals(Source.ENVIRONMENT, choice.source());
        assertTrue(choice.globalWithheld());
    }

    @Test
    public void theGlobalUrlWinsOverTheEnvironmentsAndKeepsItsCredential() {
        RegistryChoice choice = RegistryChoice.decide(null, null, GLOBAL, "admin-token", "https://evil.example.com");
        assertEquals(GLOBAL, choice.url());
        assertEquals(Source.GLOBAL, choice.source());
    }

    @Test
    public void withoutAnyJenkinsCredentialTheEnvironmentsAreUsedAndNothingIsWithheld() {
        RegistryChoice choice = RegistryChoice.decide("https://other.example.com", " ", GLOBAL, null, null);
        assertEquals(Source.ENVIRONMENT, choice.source());
        assertNull(choice.credentialsId());
        assertFalse(choice.globalWithheld());
    }

    @Test
    public void noUrlAnywhereIsNoUrl() {
        assertNull(RegistryChoice.decide(" ", null, null, "admin-token", "").url());
    }

    @Test
    public void sameRegistryComparesSchemeHostPortAndPathButNotTrailingSlashes() {
        assertTrue(RegistryChoice.sameRegistry("http://mlflow:5000/", "HTTP://MLFLOW:5000"));
        assertTrue(RegistryChoice.sameRegistry("http://mlflow:80", "http://mlflow"));
        assertFalse(RegistryChoice.sameRegistry("http://mlflow:5000", "http://mlflow:5001"));
        assertFalse(RegistryChoice.sameRegistry("http://mlflow:5000/a", "http://mlflow:5000/A"));
        assertFalse(RegistryChoice.sameRegistry("http://mlflow:5000", null));
        assertFalse(RegistryChoice.sameRegistry("file:///etc/passwd", "file:///etc/passwd"));
    }
}
