package io.jenkins.plugins.mlstages.table;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.Secrets;

/** Providers by location, secrets from the environment only, one line when none fits. */
public class SqlEnginesTest {

    @Test
    public void secretsComeFromTheDocumentedVariablesForEachKindOfLocation() {
        Map<String, String> env = Map.of(SqlEngines.JDBC_USER, "ml", SqlEngines.JDBC_PASSWORD, "pw-123456789",
                SqlEngines.SPARK_TOKEN, "dapi-token-123456");
        assertEquals(Map.of("user", "ml", "password", "pw-123456789"), SqlEngines.secrets("jdbc:postgresql://db/x", env));
        assertEquals(Map.of("token", "dapi-token-123456"), SqlEngines.secrets("sc://host:443", env));
    }

    @Test
    public void anScLocationWithoutTheSparkModuleSaysWhatIsMissing() {
        TableSourceException e = assertThrows(TableSourceException.class,
                () -> SqlEngines.open("sc://127.0.0.1:15002", Map.of()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("sc:// needs the Spark Connect module"));
        assertFalse(e.isInfrastructure());
    }

    @Test
    public void anUnknownSchemeIsOneLine() {
        TableSourceException e = assertThrows(TableSourceException.class, () -> SqlEngines.open("http://x", Map.of()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("no table source for 'http:'"));
    }

    @Test
    public void aTokenInTheUrlIsFoundAndHidden() {
        String remote = "sc://dbc.example:443/;token=dapi-abcdef123456;x-databricks-cluster-id=0123";
        assertTrue(SqlEngines.hasUrlSecret(remote));
        assertEquals("dapi-abcdef123456", SqlEngines.urlSecret(remote));
        assertEquals("sc://dbc.example:443/;token=" + Secrets.MARK + ";x-databricks-cluster-id=0123", SqlEngines.withoutSecrets(remote));
        assertFalse(SqlEngines.hasUrlSecret("sc://127.0.0.1:15002"));
    }

    @Test
    public void anUnreachableDatabaseIsInfrastructureInOneLine() {
        // Port 1 on loopback: nothing listens there.
        TableSourceException e = assertThrows(TableSourceException.class,
                () -> SqlEngines.open("jdbc:postgresql://127.0.0.1:1/x", Map.of(SqlEngines.JDBC_PASSWORD, "pw-never-shown-1")));
        assertTrue(e.isInfrastructure());
        assertTrue(e.getMessage(), e.getMessage().startsWith("jdbc:postgresql://127.0.0.1:1/x: "));
        assertFalse(e.getMessage(), e.getMessage().contains("\n"));
        assertFalse(e.getMessage(), e.getMessage().contains("pw-never-shown-1"));
    }
}
