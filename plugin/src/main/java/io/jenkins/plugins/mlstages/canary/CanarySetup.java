package io.jenkins.plugins.mlstages.canary;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.Serializable;
import java.util.Optional;

/**
 * What opens a canary's router, analysis source and registry again: the router's name, the step's canary
 * model URI, its analysis source and its registry settings. Kept with the running step and in build.xml
 * ({@link CanaryCleanupAction}), so plain values only: names and credentials IDs, never a secret.
 */
public final class CanarySetup implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String router;
    @CheckForNull
    private final String canaryStorageUri;
    @CheckForNull
    private final AnalysisSource analysisSource;
    @CheckForNull
    private final String registryUrl;
    @CheckForNull
    private final String credentialsId;

    public CanarySetup(String router, @CheckForNull String canaryStorageUri, @CheckForNull AnalysisSource analysisSource,
            @CheckForNull String registryUrl, @CheckForNull String credentialsId) {
        this.router = router;
        this.canaryStorageUri = canaryStorageUri;
        this.analysisSource = analysisSource;
        this.registryUrl = registryUrl;
        this.credentialsId = credentialsId;
    }

    /** The name of the administrator's router definition. */
    public String router() {
        return router;
    }

    public Optional<String> canaryStorageUri() {
        return Optional.ofNullable(canaryStorageUri);
    }

    @CheckForNull
    public AnalysisSource analysisSource() {
        return analysisSource;
    }

    @CheckForNull
    public String registryUrl() {
        return registryUrl;
    }

    @CheckForNull
    public String credentialsId() {
        return credentialsId;
    }
}
