package io.jenkins.plugins.mlstages.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.ExtensionList;
import hudson.XmlFile;
import hudson.model.Saveable;
import hudson.model.listeners.SaveableListener;
import hudson.util.Secret;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.registry.RegistryCredentials;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

public class MlStagesConfigurationTest {
    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void defaults() {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        assertNull(config.getRegistryUrl());
        assertNull(config.getCredentialsId());
        assertEquals("champion", config.getChampionAlias());
        assertEquals(10, config.getConnectTimeoutSeconds());
        assertEquals(60, config.getReadTimeoutSeconds());
        assertEquals(120, config.getRetryBudgetSeconds());
        assertEquals(Duration.ofMinutes(2), config.withTimeouts(RegistryConfig.builder("http://mlflow:5000")).build()
                .getRetryPolicy().getMaxTotalWait());
    }

    @Test
    public void theRetryBudgetIsBoundedAndReachesTheRegistryClient() {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        config.setRetryBudgetSeconds(0);
        assertEquals(0, config.getRetryBudgetSeconds());
        assertEquals(Duration.ZERO, config.withTimeouts(RegistryConfig.builder("http://mlflow:5000")).build()
                .getRetryPolicy().getMaxTotalWait());
        config.setRetryBudgetSeconds(-1);
        assertEquals(120, config.getRetryBudgetSeconds());
        config.setRetryBudgetSeconds(1_000_000);
        assertEquals(86_400, config.getRetryBudgetSeconds());
        config.setRetryBudgetSeconds(45);
        assertEquals(Duration.ofSeconds(45), config.withTimeouts(RegistryConfig.builder("http://mlflow:5000")).build()
                .getRetryPolicy().getMaxTotalWait());
    }

    @Test
    public void configRoundTrip() throws Exception {
        StringCredentialsImpl token = new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "mlflow-token", "MLflow token", Secret.fromString("s3cr3t-t0ken"));
        SystemCredentialsProvider.getInstance().getCredentials().add(token);
        SystemCredentialsProvider.getInstance().save();

        MlStagesConfiguration config = MlStagesConfiguration.get();
        config.setRegistryUrl("https://mlflow.example.com/prefix");
        config.setCredentialsId("mlflow-token");
        config.setConnectTimeoutSeconds(5);
        config.setReadTimeoutSeconds(30);
        config.setRetryBudgetSeconds(45);
        config.setChampionAlias("production");
        config.setMlflowUiUrl("https://mlflow-ui.example.com");

        j.configRoundtrip();

        assertConfigured(MlStagesConfiguration.get());
        // what was saved is what a restart loads
        assertConfigured(new MlStagesConfiguration());

        RegistryCredentials credentials = MlStagesConfiguration.toRegistryCredentials(token);
        assertEquals(RegistryCredentials.Kind.BEARER, credentials.getKind());
        assertEquals("bearer token", credentials.toString());
    }

    /**
     * A setter changes the configuration in memory only; submitting the form binds every field and saves
     * once (each setter used to save, eight writes per submit).
     */
    @Test
    public void settersDoNotSaveAndTheFormSavesOnce() throws Exception {
        MlStagesConfiguration config = MlStagesConfiguration.get();
        config.setRegistryUrl("https://mlflow.example.com");
        config.setChampionAlias("production");
        MlStagesConfiguration onDisk = new MlStagesConfiguration();
        assertNull("a setter alone writes nothing", onDisk.getRegistryUrl());
        assertEquals("champion", onDisk.getChampionAlias());

        AtomicInteger saves = new AtomicInteger();
        SaveableListener counter = new SaveableListener() {
            @Override
            public void onChange(Saveable o, XmlFile file) {
                if (o == MlStagesConfiguration.get()) {
                    saves.incrementAndGet();
                }
            }
        };
        ExtensionList<SaveableListener> listeners = ExtensionList.lookup(SaveableListener.class);
        listeners.add(counter);
        try {
            j.configRoundtrip();
        } finally {
            listeners.remove(counter);
        }
        assertEquals("one save per submitted form", 1, saves.get());
        onDisk = new MlStagesConfiguration();
        assertEquals("https://mlflow.example.com", onDisk.getRegistryUrl());
        assertEquals("production", onDisk.getChampionAlias());
    }

    private static void assertConfigured(MlStagesConfiguration config) {
        assertEquals("https://mlflow.example.com/prefix", config.getRegistryUrl());
        assertEquals("mlflow-token", config.getCredentialsId());
        assertEquals(5, config.getConnectTimeoutSeconds());
        assertEquals(30, config.getReadTimeoutSeconds());
        assertEquals(45, config.getRetryBudgetSeconds());
        assertEquals("production", config.getChampionAlias());
        assertEquals("https://mlflow-ui.example.com", config.getMlflowUiUrl());
    }
}
