package io.jenkins.plugins.mlstages.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The port to an MLflow-compatible tracking server and model registry: what the five stages need of
 * it. Every method throws a {@link RegistryException} subtype on failure, after the retries the
 * configured {@link RetryPolicy} allows. Creating runs, logged models and model versions is safe to
 * retry: an implementation must never leave a duplicate behind after an ambiguous failure.
 */
public interface ModelRegistry extends AutoCloseable {

    // ---- server ---------------------------------------------------------------------------------

    /** Checks the server is healthy and accepts our credentials; returns its version and our identity. */
    ServerInfo probe();

    // ---- experiments ----------------------------------------------------------------------------

    Optional<Experiment> findExperimentByName(String name);

    Experiment getExperiment(String experimentId);

    /** Creates an experiment and returns its id; {@link AlreadyExistsException} if the name is taken. */
    String createExperiment(String name, Map<String, String> tags);

    /** The active experiment of that name, created when absent (safe against a concurrent creator). */
    Experiment getOrCreateExperiment(String name);

    // ---- runs -----------------------------------------------------------------------------------

    Run createRun(String experimentId, String runName, Map<String, String> tags);

    Run getRun(String runId);

    RunInfo updateRun(String runId, RunStatus status, Long endTime);

    /**
     * Logs metrics, parameters and tags, split into as many requests as the server's limits need
     * (1000 entities, 100 parameters, 100 tags, 1 MB per request). Values are checked before anything
     * is sent, so a bad key fails without a partial write.
     */
    void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags);

    /** Logs datasets as inputs of the run (data lineage). */
    void logInputs(String runId, List<DatasetInput> datasets);

    Page<Run> searchRuns(RunSearch search, String pageToken);

    /** Every point ever logged for one metric of a run, in the server's order. */
    List<Metric> getMetricHistory(String runId, String metricKey);

    // ---- registered models ----------------------------------------------------------------------

    RegisteredModel createRegisteredModel(String name, String description, Map<String, String> tags);

    RegisteredModel getRegisteredModel(String name);

    Optional<RegisteredModel> findRegisteredModel(String name);

    Page<RegisteredModel> searchRegisteredModels(String filter, int maxResults, String pageToken);

    RegisteredModel updateRegisteredModel(String name, String description);

    void deleteRegisteredModel(String name);

    void setRegisteredModelTag(String name, String key, String value);

    void deleteRegisteredModelTag(String name, String key);

    // ---- model versions -------------------------------------------------------------------------

    ModelVersion createModelVersion(NewModelVersion request);

    ModelVersion getModelVersion(String name, String version);

    Page<ModelVersion> searchModelVersions(String filter, int maxResults, String pageToken);

    ModelVersion updateModelVersion(String name, String version, String description);

    void setModelVersionTag(String name, String version, String key, String value);

    void deleteModelVersionTag(String name, String version, String key);

    /** Where the version's files are stored (the resolved artifact location). */
    String getModelVersionDownloadUri(String name, String version);

    /**
     * Polls until the version is READY. {@link RegistrationFailedException} when it ends in
     * FAILED_REGISTRATION or is still pending after {@code timeout}.
     */
    ModelVersion awaitReady(String name, String version, Duration timeout, Duration pollInterval);

    // ---- aliases --------------------------------------------------------------------------------

    /** Points the alias at the version, moving it if it pointed elsewhere. */
    void setAlias(String name, String alias, String version);

    void deleteAlias(String name, String alias);

    /** The version the alias points at, or empty when the alias is not set. */
    Optional<ModelVersion> findVersionByAlias(String name, String alias);

    // ---- artifacts ------------------------------------------------------------------------------

    /**
     * Stores a file among the run's artifacts through the tracking server's artifact proxy (runs whose
     * artifact URI is {@code mlflow-artifacts:}); {@code artifactPath} is relative, e.g. {@code mlstages/report.html}.
     */
    void uploadArtifact(String runId, String artifactPath, byte[] content);

    /** Reads back a run artifact stored through the proxy. */
    byte[] downloadArtifact(String runId, String artifactPath);

    /**
     * The names of the files and directories directly under an artifact location ({@code mlflow-artifacts:/…},
     * a run's or a logged model's), listed through the tracking server's artifact proxy; empty when the
     * location lies in a store the server does not proxy, so it cannot be listed from here.
     */
    Optional<List<String>> listArtifacts(String artifactUri);

    // ---- MLflow 3 logged models -----------------------------------------------------------------

    LoggedModel createLoggedModel(String experimentId, String name, String sourceRunId, Map<String, String> tags);

    LoggedModel finalizeLoggedModel(String modelId, boolean ready);

    LoggedModel getLoggedModel(String modelId);

    /**
     * Every logged model of the experiment that matches the filter (e.g. {@code name = 'model'}), all pages;
     * none on an MLflow 2 server, which has no logged models (nor the endpoint to search them).
     */
    List<LoggedModel> searchLoggedModels(String experimentId, String filter);

    /** Every metric row attached to the logged model, with the run that logged it (MLflow keeps each row). */
    List<Metric> getLoggedModelMetrics(String modelId);

    @Override
    void close();

    /** Follows page tokens until the last page or until {@code limit} items were collected. */
    static <T> List<T> collectPages(Function<String, Page<T>> fetch, int limit) {
        List<T> all = new ArrayList<>();
        String token = null;
        do {
            Page<T> page = fetch.apply(token);
            for (T item : page.items()) {
                if (all.size() >= limit) {
                    return all;
                }
                all.add(item);
            }
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }
}
