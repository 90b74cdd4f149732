package io.jenkins.plugins.mlstages.table;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The allow-list of JDBC URL parameters (CVE-2022-21724) and what of a URL is shown. */
public class JdbcUrlTest {

    @Test
    public void parametersThatLoadClassesOrWriteFilesAreRefusedByName() {
        for (String parameter : new String[] {"socketFactory", "socketFactoryArg", "sslfactory", "sslhostnameverifier",
                "sslpasswordcallback", "authenticationPluginClassName", "loggerFile", "loggerLevel", "SOCKETFACTORY",
                "socket%46actory", "service", "sslfactoryarg"}) {
            TableSourceException e = assertThrows(parameter, TableSourceException.class,
                    () -> JdbcUrl.parse("jdbc:postgresql://db:5432/x?sslmode=require&" + parameter + "=org.example.Evil"));
            assertFalse(e.isInfrastructure());
            assertTrue(e.getMessage(), e.getMessage().startsWith("--jdbc-url: parameter '"));
            assertTrue(e.getMessage(), e.getMessage().contains("is not allowed"));
            assertFalse(e.getMessage(), e.getMessage().contains("Evil"));
        }
    }

    @Test
    public void allowedParametersPassAndTheLocationHasNoParameters() throws Exception {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db:5432/sales?sslmode=verify-full&ApplicationName=ci&currentSchema=ml");
        assertEquals("jdbc:postgresql://db:5432/sales", url.location());
        assertEquals("verify-full", url.parameters().get("sslmode"));
        assertEquals(3, url.parameters().size());
    }

    @Test
    public void aPasswordOrUserInfoInTheUrlIsRefusedWithoutShowingIt() {
        TableSourceException e = assertThrows(TableSourceException.class,
                () -> JdbcUrl.parse("jdbc:postgresql://db/x?user=u&password=s3cr3t-value"));
        assertTrue(e.getMessage(), e.getMessage().contains("MLSTAGES_JDBC_PASSWORD"));
        assertFalse(e.getMessage(), e.getMessage().contains("s3cr3t"));
        e = assertThrows(TableSourceException.class, () -> JdbcUrl.parse("jdbc:postgresql://u:s3cr3t-value@db/x"));
        assertFalse(e.getMessage(), e.getMessage().contains("s3cr3t"));
    }

    @Test
    public void otherDatabasesAreNamedAsUnsupported() {
        TableSourceException e = assertThrows(TableSourceException.class, () -> JdbcUrl.parse("jdbc:mysql://db/x"));
        assertTrue(e.getMessage(), e.getMessage().contains("jdbc:postgresql:"));
    }
}
