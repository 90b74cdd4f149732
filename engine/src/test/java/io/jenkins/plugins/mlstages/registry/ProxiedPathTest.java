package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;

import java.util.Optional;

import org.junit.Test;

/** Which artifact locations the registration can check through the server's proxy ({@link MlflowRegistry#proxiedPath}). */
public class ProxiedPathTest {
    @Test
    public void mlflowArtifactsLocationsAreListedRelativeToTheProxy() {
        assertEquals(Optional.of("1/abc/artifacts/model"), MlflowRegistry.proxiedPath("mlflow-artifacts:/1/abc/artifacts/model"));
        assertEquals(Optional.of("1/models/m-1/artifacts"),
                MlflowRegistry.proxiedPath("mlflow-artifacts://mlflow.example.com:5000/1/models/m-1/artifacts"));
    }

    @Test
    public void otherStoresCannotBeChecked() {
        assertEquals(Optional.empty(), MlflowRegistry.proxiedPath("s3://bucket/1/abc/artifacts/model"));
        assertEquals(Optional.empty(), MlflowRegistry.proxiedPath("file:///tmp/mlruns/1/abc/artifacts/model"));
        assertEquals(Optional.empty(), MlflowRegistry.proxiedPath("runs:/abc/model"));
        assertEquals(Optional.empty(), MlflowRegistry.proxiedPath(null));
    }
}
