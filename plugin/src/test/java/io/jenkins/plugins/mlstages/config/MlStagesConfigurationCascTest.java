package io.jenkins.plugins.mlstages.config;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.model.CNode;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;

/** The global configuration from JCasC YAML ({@code unclassified: mlStages:}) and back to YAML. */
public class MlStagesConfigurationCascTest {
    @Rule
    public JenkinsConfiguredWithCodeRule j = new JenkinsConfiguredWithCodeRule();

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    public void importsEveryField() {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        assertEquals("https://mlflow.example.com", config.getRegistryUrl());
        assertEquals("mlflow-token", config.getCredentialsId());
        assertEquals("production", config.getChampionAlias());
        assertEquals("https://mlflow-ui.example.com", config.getMlflowUiUrl());
        assertEquals(5, config.getConnectTimeoutSeconds());
        assertEquals(30, config.getReadTimeoutSeconds());
        assertEquals(45, config.getRetryBudgetSeconds());
        assertEquals(List.of("roc_auc", "log_loss"), config.trendMetricNames());
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    public void exportsWhatWasImported() throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("mlStages");
        assertNotNull("exported under the symbol mlStages", node);
        String exported = toYamlString(node);
        for (String line : List.of("registryUrl: \"https://mlflow.example.com\"", "credentialsId: \"mlflow-token\"",
                "championAlias: \"production\"", "mlflowUiUrl: \"https://mlflow-ui.example.com\"",
                "trendMetrics: \"roc_auc, log_loss\"")) {
            assertTrue(exported, exported.contains(line));
        }
        assertTrue(exported, exported.matches("(?s).*connectTimeoutSeconds: \"?5\"?\\n.*"));
        assertTrue(exported, exported.matches("(?s).*readTimeoutSeconds: \"?30\"?\\n.*"));
        assertTrue(exported, exported.matches("(?s).*retryBudgetSeconds: \"?45\"?\\n.*"));
    }
}
