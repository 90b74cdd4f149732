package io.jenkins.plugins.mlstages.config;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.model.CNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * JCasC round trip across restarts: the YAML applied and checked; after a restart loaded from
 * JENKINS_HOME; its export applied over a changed configuration restores it, and exports the same
 * again; after another restart still the same. (JCasC's own round-trip base class is JUnit 5 now, so
 * this is the same story by hand under {@link JenkinsSessionRule}.)
 */
public class MlStagesConfigurationRoundTripTest {
    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    private static void assertConfiguredAsExpected() {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        assertEquals("https://mlflow.example.com", config.getRegistryUrl());
        assertEquals("mlflow-token", config.getCredentialsId());
        assertEquals("production", config.getChampionAlias());
        assertEquals("https://mlflow-ui.example.com", config.getMlflowUiUrl());
        assertEquals(5, config.getConnectTimeoutSeconds());
        assertEquals(30, config.getReadTimeoutSeconds());
        assertEquals(45, config.getRetryBudgetSeconds());
        assertEquals("roc_auc, log_loss", config.getTrendMetrics());
    }

    /** The {@code unclassified: mlStages:} part of JCasC's export, as a YAML document that can be applied again. */
    private static String export() throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("mlStages");
        assertNotNull("exported under the symbol mlStages", node);
        String body = toYamlString(node).lines().map(line -> "    " + line).collect(Collectors.joining("\n"));
        return "unclassified:\n  mlStages:\n" + body + "\n";
    }

    private static void apply(File yaml) throws Exception {
        ConfigurationAsCode.get().configure(yaml.toURI().toURL().toExternalForm());
    }

    @Test
    public void exportThenImportRestoresTheConfigurationAcrossRestarts() throws Throwable {
        String[] exported = new String[1];
        sessions.then(j -> {
            ConfigurationAsCode.get().configure(
                    MlStagesConfigurationRoundTripTest.class.getResource("configuration-as-code.yml").toExternalForm());
            assertConfiguredAsExpected();
            exported[0] = export();
            assertTrue(exported[0], exported[0].contains("registryUrl: \"https://mlflow.example.com\""));
            assertTrue(exported[0], exported[0].matches("(?s).*retryBudgetSeconds: \"?45\"?\\n.*"));
        });
        sessions.then(j -> {
            // what the first session saved is what this one loaded
            assertConfiguredAsExpected();
            MlStagesConfiguration config = MlStagesConfiguration.get();
            config.setRegistryUrl("https://elsewhere.example.com");
            config.setCredentialsId("other-token");
            config.setChampionAlias("champion");
            config.setMlflowUiUrl(null);
            config.setConnectTimeoutSeconds(11);
            config.setReadTimeoutSeconds(61);
            config.setRetryBudgetSeconds(7);
            config.setTrendMetrics("f1_score");
            // setters do not save (the form and JCasC save once): save, so that the import below must overwrite a file
            config.save();

            File yaml = new File(j.jenkins.getRootDir(), "exported-ml-stages.yaml");
            Files.writeString(yaml.toPath(), exported[0], StandardCharsets.UTF_8);
            apply(yaml);
            assertConfiguredAsExpected();
            assertEquals("the export of an import of an export is the export", exported[0], export());
        });
        // JCasC applied the setters and saved once (its BulkChange on the descriptor): the restart loads the import
        sessions.then(j -> assertConfiguredAsExpected());
    }
}
