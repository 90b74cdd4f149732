package io.jenkins.plugins.mlstages.table;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class IsolatedSparkProviderTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @After
    public void clear() {
        System.clearProperty(IsolatedSparkProvider.LIB_PROPERTY);
    }

    @Test
    public void withoutTheModuleFolderItStepsAsideAndSqlEnginesSaysWhereToPutIt() {
        assertFalse(new IsolatedSparkProvider().accepts("sc://127.0.0.1:15002"));
        TableSourceException e = assertThrows(TableSourceException.class,
                () -> SqlEngines.openWith("sc://127.0.0.1:15002", Map.of()));
        assertFalse(e.isInfrastructure());
        assertTrue(e.getMessage(), e.getMessage().contains("-Dmlstages.spark.lib"));
    }

    @Test
    public void aFolderWithoutJarsIsOneLine() throws Exception {
        System.setProperty(IsolatedSparkProvider.LIB_PROPERTY, folder.getRoot().toString());
        IsolatedSparkProvider provider = new IsolatedSparkProvider();
        assertTrue(provider.accepts("sc://127.0.0.1:15002"));
        assertFalse(provider.accepts("jdbc:postgresql://h/db"));
        TableSourceException e = assertThrows(TableSourceException.class, () -> provider.open("sc://127.0.0.1:15002", Map.of()));
        assertEquals("the Spark Connect module folder " + folder.getRoot() + " holds no jars (mlstages.spark.lib / $MLSTAGES_SPARK_LIB)",
                e.getMessage());
    }

    /** The module's classes, Scala and its Jackson come from its folder; the JDK's and the engine's port from the parent. */
    @Test
    public void onlyTheJdkAndTheEngineComeFromTheParent() {
        assertTrue(IsolatedSparkProvider.ChildFirst.parentFirst("java.lang.String"));
        assertTrue(IsolatedSparkProvider.ChildFirst.parentFirst("io.jenkins.plugins.mlstages.table.SqlEngine"));
        assertFalse(IsolatedSparkProvider.ChildFirst.parentFirst("io.jenkins.plugins.mlstages.spark.SparkConnectEngineProvider"));
        assertFalse(IsolatedSparkProvider.ChildFirst.parentFirst("com.fasterxml.jackson.databind.ObjectMapper"));
        assertFalse(IsolatedSparkProvider.ChildFirst.parentFirst("org.slf4j.Logger"));
    }
}
