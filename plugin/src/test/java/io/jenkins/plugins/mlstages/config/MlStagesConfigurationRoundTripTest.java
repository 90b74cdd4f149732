package io.jenkins.plugins.mlstages.config;

import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.casc.misc.RoundTripAbstractTest;
import org.jvnet.hudson.test.RestartableJenkinsRule;

/**
 * JCasC round trip: the YAML applied, checked and applied again through the web UI, then loaded from
 * JENKINS_HOME after a restart, each time with the same result.
 */
public class MlStagesConfigurationRoundTripTest extends RoundTripAbstractTest {
    @Override
    protected void assertConfiguredAsExpected(RestartableJenkinsRule j, String configContent) {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        assertEquals("https://mlflow.example.com", config.getRegistryUrl());
        assertEquals("mlflow-token", config.getCredentialsId());
        assertEquals("production", config.getChampionAlias());
        assertEquals(5, config.getConnectTimeoutSeconds());
        assertEquals(30, config.getReadTimeoutSeconds());
        assertEquals("roc_auc, log_loss", config.getTrendMetrics());
    }

    @Override
    protected String configResource() {
        return "configuration-as-code.yml";
    }

    @Override
    protected String stringInLogExpected() {
        return "https://mlflow.example.com";
    }
}
