package io.jenkins.plugins.mlstages.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * {@link ModelRegistry} over MLflow's REST API ({@code /api/2.0/mlflow/...}, which MLflow 3 still
 * serves for everything here). Creates that the server does not de-duplicate carry a tag
 * {@value #REQUEST_ID_TAG} with a fresh id, so that a retry after a lost answer finds the first
 * attempt's object instead of creating a second one.
 */
public final class MlflowRegistry implements ModelRegistry {
    /** Tag that marks what one create call made; see the class comment. */
    public static final String REQUEST_ID_TAG = "mlstages.request_id";

    private final RegistryConfig config;
    private final MlflowHttp http;
    private final ObjectMapper mapper;
    private final LogBatchSplitter splitter;

    /** A client that retries silently; see {@link #MlflowRegistry(RegistryConfig, StageLog)}. */
    public MlflowRegistry(RegistryConfig config) {
        this(config, StageLog.NONE);
    }

    /** @param log where each retry is announced: the failure, the wait, and what is left of the retry budget */
    public MlflowRegistry(RegistryConfig config, StageLog log) {
        this(config, new MlflowHttp(config, newMapper(), log));
    }

    MlflowRegistry(RegistryConfig config, MlflowHttp http) {
        this.config = config;
        this.http = http;
        this.mapper = http.mapper();
        this.splitter = new LogBatchSplitter(mapper);
    }

    /** The JSON mapping of MLflow's wire format: snake_case, unknown fields ignored, nulls left out. */
    /** What {@code /version} answers, e.g. {@code 3.1.0}, {@code 2.22.0rc0}, {@code 3.0.0.dev0}; anything else is not repeated. */
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,4}(\\.[0-9A-Za-z]{1,16}){1,4}([+-][A-Za-z0-9.]{1,32})?");

    static ObjectMapper newMapper() {
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE, true);
    }

    public RegistryConfig getConfig() {
        return config;
    }

    // ---- server ---------------------------------------------------------------------------------

    @Override
    public ServerInfo probe() {
        MlflowHttp.TextAnswer health = http.sendForText(exchange("check health of " + config.getBaseUrl(), "GET",
                http.url("health", Map.of()), null));
        if (!"OK".equalsIgnoreCase(health.word())) {
            // what came, not what it said: the URL may be any endpoint
            throw new ServerErrorException("check health", "UNHEALTHY", 200, "check health failed: " + config.getBaseUrl()
                    + "/health answered " + health.content() + " instead of OK", null);
        }
        MlflowHttp.TextAnswer answer = http.sendForText(exchange("read server version", "GET", http.url("version", Map.of()), null));
        String version = answer.word() != null && VERSION.matcher(answer.word()).matches() ? answer.word()
                : "(version unknown: /version answered " + answer.content() + ")";
        // An authenticated API call: a proxy or auth app that refuses our credentials says so here.
        get("list experiments", "experiments/search", Map.of("max_results", 1));
        String user = null;
        try {
            JsonNode me = get("read current user", "users/current", Map.of());
            user = me.path("user").path("username").asText(null);
        } catch (NotFoundException noAuthApp) {
            // the server runs without its authentication app: nobody to be
        }
        return new ServerInfo(config.getBaseUrl(), version, user);
    }

    // ---- experiments ----------------------------------------------------------------------------

    @Override
    public Optional<Experiment> findExperimentByName(String name) {
        RegistryLimits.checkNotBlank("find experiment", "experiment name", name);
        try {
            return Optional.of(read(get("get experiment '" + name + "'", "experiments/get-by-name",
                    Map.of("experiment_name", name)).path("experiment"), Experiment.class));
        } catch (NotFoundException absent) {
            return Optional.empty();
        }
    }

    @Override
    public Experiment getExperiment(String experimentId) {
        return read(get("get experiment " + experimentId, "experiments/get", Map.of("experiment_id", experimentId))
                .path("experiment"), Experiment.class);
    }

    @Override
    public String createExperiment(String name, Map<String, String> tags) {
        String operation = "create experiment '" + name + "'";
        RegistryLimits.checkNotBlank(operation, "experiment name", name);
        ObjectNode body = mapper.createObjectNode().put("name", name);
        body.set("tags", tags(tags));
        return http.create(exchange(operation, "POST", http.api("experiments/create", Map.of()), body),
                answer -> answer.path("experiment_id").asText(),
                () -> lookUpOnce(() -> findExperimentByName(name).map(Experiment::experimentId)));
    }

    @Override
    public Experiment getOrCreateExperiment(String name) {
        Optional<Experiment> existing = findExperimentByName(name);
        if (existing.isPresent()) {
            Experiment experiment = existing.get();
            if (!experiment.isActive()) {
                throw new InvalidParameterException("get or create experiment '" + name + "'", "INVALID_STATE", 0,
                        "experiment '" + name + "' (id " + experiment.experimentId()
                                + ") is deleted; restore it or choose another name", null);
            }
            return experiment;
        }
        try {
            return getExperiment(createExperiment(name, Map.of()));
        } catch (AlreadyExistsException raced) {
            return findExperimentByName(name).orElseThrow(() -> raced);
        }
    }

    // ---- runs -----------------------------------------------------------------------------------

    @Override
    public Run createRun(String experimentId, String runName, Map<String, String> tags) {
        String operation = "create run" + (runName == null ? "" : " '" + runName + "'") + " in experiment " + experimentId;
        RegistryLimits.checkNotBlank(operation, "experiment id", experimentId);
        String requestId = UUID.randomUUID().toString();
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        allTags.put(REQUEST_ID_TAG, requestId);
        checkTags(operation, allTags, RegistryLimits.MAX_RUN_TAG_VALUE_LENGTH);
        ObjectNode body = mapper.createObjectNode()
                .put("experiment_id", experimentId)
                .put("start_time", System.currentTimeMillis());
        if (runName != null) {
            body.put("run_name", runName);
        }
        body.set("tags", tags(allTags));
        String filter = "tags.`" + REQUEST_ID_TAG + "` = '" + requestId + "'";
        return http.create(exchange(operation, "POST", http.api("runs/create", Map.of()), body),
                answer -> read(answer.path("run"), Run.class),
                () -> lookUpOnce(() -> firstRun(experimentId, filter)));
    }

    private Optional<Run> firstRun(String experimentId, String filter) {
        ObjectNode body = searchRunsBody(new RunSearch(List.of(experimentId), filter, List.of(), 10), null);
        body.put("run_view_type", "ALL");
        JsonNode answer = http.sendOnce(exchange("look for run " + filter, "POST", http.api("runs/search", Map.of()), body));
        return readList(answer.path("runs"), Run.class).stream().findFirst();
    }

    @Override
    public Run getRun(String runId) {
        RegistryLimits.checkNotBlank("get run", "run id", runId);
        return read(get("get run " + runId, "runs/get", Map.of("run_id", runId)).path("run"), Run.class);
    }

    @Override
    public RunInfo updateRun(String runId, RunStatus status, Long endTime) {
        ObjectNode body = mapper.createObjectNode().put("run_id", runId).put("status", status.name());
        if (endTime != null) {
            body.put("end_time", endTime);
        }
        return read(send("update run " + runId, "POST", "runs/update", body).path("run_info"), RunInfo.class);
    }

    @Override
    public void logBatch(String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        String operation = "log batch to run " + runId;
        RegistryLimits.checkNotBlank(operation, "run id", runId);
        metrics.forEach(metric -> RegistryLimits.checkKey(operation, "metric", metric.key()));
        params.forEach((key, value) -> {
            RegistryLimits.checkKey(operation, "parameter", key);
            RegistryLimits.checkValueLength(operation, "parameter", key, value, RegistryLimits.MAX_PARAM_VALUE_LENGTH);
        });
        checkTags(operation, tags, RegistryLimits.MAX_RUN_TAG_VALUE_LENGTH);
        List<ObjectNode> requests = splitter.split(runId, metrics, params, tags);
        for (int i = 0; i < requests.size(); i++) {
            String part = requests.size() == 1 ? operation : operation + " (part " + (i + 1) + " of " + requests.size() + ")";
            send(part, "POST", "runs/log-batch", requests.get(i));
        }
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> datasets) {
        String operation = "log dataset inputs to run " + runId;
        RegistryLimits.checkNotBlank(operation, "run id", runId);
        ObjectNode body = mapper.createObjectNode().put("run_id", runId);
        ArrayNode list = body.putArray("datasets");
        for (DatasetInput input : datasets) {
            Dataset dataset = input.dataset();
            if (dataset.digest().length() > Dataset.MAX_DIGEST_LENGTH) {
                throw RegistryLimits.invalid(operation, "digest of dataset '" + dataset.name() + "' is "
                        + dataset.digest().length() + " characters; at most " + Dataset.MAX_DIGEST_LENGTH + " are allowed");
            }
            if (dataset.name().isBlank() || dataset.name().length() > Dataset.MAX_NAME_LENGTH) {
                throw RegistryLimits.invalid(operation, "dataset name must have 1 to " + Dataset.MAX_NAME_LENGTH + " characters");
            }
            ObjectNode entry = list.addObject();
            entry.set("tags", tags(Tag.toMap(input.tags())));
            entry.set("dataset", mapper.valueToTree(dataset));
        }
        send(operation, "POST", "runs/log-inputs", body);
    }

    @Override
    public Page<Run> searchRuns(RunSearch search, String pageToken) {
        JsonNode answer = send("search runs in experiments " + search.experimentIds(), "POST", "runs/search",
                searchRunsBody(search, pageToken));
        return new Page<>(readList(answer.path("runs"), Run.class), answer.path("next_page_token").asText(null));
    }

    private ObjectNode searchRunsBody(RunSearch search, String pageToken) {
        ObjectNode body = mapper.createObjectNode().put("max_results", search.maxResults());
        body.set("experiment_ids", mapper.valueToTree(search.experimentIds()));
        if (search.filter() != null && !search.filter().isBlank()) {
            body.put("filter", search.filter());
        }
        if (!search.orderBy().isEmpty()) {
            body.set("order_by", mapper.valueToTree(search.orderBy()));
        }
        if (pageToken != null) {
            body.put("page_token", pageToken);
        }
        return body;
    }

    @Override
    public List<Metric> getMetricHistory(String runId, String metricKey) {
        String operation = "read history of metric '" + metricKey + "' of run " + runId;
        List<Metric> all = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            query.put("metric_key", metricKey);
            query.put("max_results", 25_000);
            query.put("page_token", token);
            JsonNode answer = get(operation, "metrics/get-history", query);
            all.addAll(readList(answer.path("metrics"), Metric.class));
            token = emptyToNull(answer.path("next_page_token").asText(null));
        } while (token != null);
        return all;
    }

    // ---- registered models ----------------------------------------------------------------------

    @Override
    public RegisteredModel createRegisteredModel(String name, String description, Map<String, String> tags) {
        String operation = "create registered model '" + name + "'";
        RegistryLimits.checkNotBlank(operation, "model name", name);
        checkTags(operation, tags, RegistryLimits.MAX_REGISTRY_TAG_VALUE_LENGTH);
        ObjectNode body = mapper.createObjectNode().put("name", name);
        if (description != null) {
            body.put("description", description);
        }
        body.set("tags", tags(tags));
        return http.create(exchange(operation, "POST", http.api("registered-models/create", Map.of()), body),
                answer -> read(answer.path("registered_model"), RegisteredModel.class),
                () -> lookUpOnce(() -> findRegisteredModel(name)));
    }

    @Override
    public RegisteredModel getRegisteredModel(String name) {
        RegistryLimits.checkNotBlank("get registered model", "model name", name);
        return read(get("get registered model '" + name + "'", "registered-models/get", Map.of("name", name))
                .path("registered_model"), RegisteredModel.class);
    }

    @Override
    public Optional<RegisteredModel> findRegisteredModel(String name) {
        try {
            return Optional.of(getRegisteredModel(name));
        } catch (NotFoundException absent) {
            return Optional.empty();
        }
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(String filter, int maxResults, String pageToken) {
        checkPageSize("search registered models", maxResults, 1000);
        JsonNode answer = get("search registered models" + (filter == null ? "" : " where " + filter),
                "registered-models/search", searchQuery(filter, maxResults, pageToken));
        return new Page<>(readList(answer.path("registered_models"), RegisteredModel.class),
                answer.path("next_page_token").asText(null));
    }

    @Override
    public RegisteredModel updateRegisteredModel(String name, String description) {
        ObjectNode body = mapper.createObjectNode().put("name", name).put("description", description);
        return read(send("update registered model '" + name + "'", "PATCH", "registered-models/update", body)
                .path("registered_model"), RegisteredModel.class);
    }

    @Override
    public void deleteRegisteredModel(String name) {
        send("delete registered model '" + name + "'", "DELETE", "registered-models/delete",
                mapper.createObjectNode().put("name", name));
    }

    @Override
    public void setRegisteredModelTag(String name, String key, String value) {
        String operation = "set tag '" + key + "' on registered model '" + name + "'";
        checkTags(operation, Map.of(key, value), RegistryLimits.MAX_REGISTRY_TAG_VALUE_LENGTH);
        send(operation, "POST", "registered-models/set-tag",
                mapper.createObjectNode().put("name", name).put("key", key).put("value", value));
    }

    @Override
    public void deleteRegisteredModelTag(String name, String key) {
        send("delete tag '" + key + "' of registered model '" + name + "'", "DELETE", "registered-models/delete-tag",
                mapper.createObjectNode().put("name", name).put("key", key));
    }

    // ---- model versions -------------------------------------------------------------------------

    @Override
    public ModelVersion createModelVersion(NewModelVersion request) {
        String operation = "create model version of '" + request.name() + "' from " + request.source();
        RegistryLimits.checkNotBlank(operation, "model name", request.name());
        RegistryLimits.checkNotBlank(operation, "source", request.source());
        String requestId = UUID.randomUUID().toString();
        Map<String, String> tags = new LinkedHashMap<>(Tag.toMap(request.tags()));
        tags.put(REQUEST_ID_TAG, requestId);
        checkTags(operation, tags, RegistryLimits.MAX_REGISTRY_TAG_VALUE_LENGTH);
        ObjectNode body = mapper.createObjectNode().put("name", request.name()).put("source", request.source());
        putIfPresent(body, "run_id", request.runId());
        putIfPresent(body, "model_id", request.modelId());
        putIfPresent(body, "description", request.description());
        putIfPresent(body, "run_link", request.runLink());
        body.set("tags", tags(tags));
        String filter = "name = " + quote(request.name()) + " AND tags.`" + REQUEST_ID_TAG + "` = '" + requestId + "'";
        return http.create(exchange(operation, "POST", http.api("model-versions/create", Map.of()), body),
                answer -> read(answer.path("model_version"), ModelVersion.class),
                () -> lookUpOnce(() -> {
                    JsonNode found = http.sendOnce(exchange("look for model version " + filter, "GET",
                            http.api("model-versions/search", searchQuery(filter, 10, null)), null));
                    return readList(found.path("model_versions"), ModelVersion.class).stream().findFirst();
                }));
    }

    @Override
    public ModelVersion getModelVersion(String name, String version) {
        return read(get("get model version " + name + "/" + version, "model-versions/get",
                Map.of("name", name, "version", version)).path("model_version"), ModelVersion.class);
    }

    @Override
    public Page<ModelVersion> searchModelVersions(String filter, int maxResults, String pageToken) {
        checkPageSize("search model versions", maxResults, 200_000);
        JsonNode answer = get("search model versions" + (filter == null ? "" : " where " + filter),
                "model-versions/search", searchQuery(filter, maxResults, pageToken));
        return new Page<>(readList(answer.path("model_versions"), ModelVersion.class),
                answer.path("next_page_token").asText(null));
    }

    @Override
    public ModelVersion updateModelVersion(String name, String version, String description) {
        ObjectNode body = mapper.createObjectNode().put("name", name).put("version", version)
                .put("description", description);
        return read(send("update model version " + name + "/" + version, "PATCH", "model-versions/update", body)
                .path("model_version"), ModelVersion.class);
    }

    @Override
    public void setModelVersionTag(String name, String version, String key, String value) {
        String operation = "set tag '" + key + "' on model version " + name + "/" + version;
        checkTags(operation, Map.of(key, value), RegistryLimits.MAX_REGISTRY_TAG_VALUE_LENGTH);
        send(operation, "POST", "model-versions/set-tag", mapper.createObjectNode().put("name", name)
                .put("version", version).put("key", key).put("value", value));
    }

    @Override
    public void deleteModelVersionTag(String name, String version, String key) {
        send("delete tag '" + key + "' of model version " + name + "/" + version, "DELETE", "model-versions/delete-tag",
                mapper.createObjectNode().put("name", name).put("version", version).put("key", key));
    }

    @Override
    public String getModelVersionDownloadUri(String name, String version) {
        return get("get download URI of model version " + name + "/" + version, "model-versions/get-download-uri",
                Map.of("name", name, "version", version)).path("artifact_uri").asText();
    }

    @Override
    public ModelVersion awaitReady(String name, String version, Duration timeout, Duration pollInterval) {
        String operation = "wait for model version " + name + "/" + version + " to be READY";
        Instant deadline = http.now().plus(timeout);
        while (true) {
            ModelVersion current = getModelVersion(name, version);
            switch (current.status()) {
                case READY:
                    return current;
                case FAILED_REGISTRATION:
                    throw new RegistrationFailedException(operation, "FAILED_REGISTRATION", 0, operation
                            + " failed: registration failed" + (current.statusMessage() == null ? ""
                            : ": " + current.statusMessage()), null);
                default:
                    if (http.now().plus(pollInterval).isAfter(deadline)) {
                        throw new RegistrationFailedException(operation, current.status().name(), 0, operation
                                + " failed: still " + current.status() + " after " + timeout.toSeconds() + " s", null);
                    }
                    http.pause(operation, pollInterval);
            }
        }
    }

    // ---- aliases --------------------------------------------------------------------------------

    @Override
    public void setAlias(String name, String alias, String version) {
        String operation = "set alias '" + alias + "' of '" + name + "' to version " + version;
        RegistryLimits.checkAlias(operation, alias);
        send(operation, "POST", "registered-models/alias",
                mapper.createObjectNode().put("name", name).put("alias", alias).put("version", version));
    }

    @Override
    public void deleteAlias(String name, String alias) {
        send("delete alias '" + alias + "' of '" + name + "'", "DELETE", "registered-models/alias",
                mapper.createObjectNode().put("name", name).put("alias", alias));
    }

    @Override
    public Optional<ModelVersion> findVersionByAlias(String name, String alias) {
        try {
            return Optional.of(read(get("read alias '" + alias + "' of '" + name + "'", "registered-models/alias",
                    Map.of("name", name, "alias", alias)).path("model_version"), ModelVersion.class));
        } catch (NotFoundException noSuchModel) {
            return Optional.empty();
        } catch (InvalidParameterException unsetAlias) {
            // MLflow answers an unset alias with 400 INVALID_PARAMETER_VALUE, not 404: confirm it is unset.
            boolean isSet = findRegisteredModel(name).map(model -> model.aliasMap().containsKey(alias)).orElse(false);
            if (isSet) {
                throw unsetAlias;
            }
            return Optional.empty();
        }
    }

    // ---- artifacts ------------------------------------------------------------------------------

    @Override
    public void uploadArtifact(String runId, String artifactPath, byte[] content) {
        String operation = "upload artifact '" + artifactPath + "' to run " + runId;
        okhttp3.HttpUrl url = artifactUrl(operation, runId, artifactPath);
        http.sendBytes(operation, url, content);
    }

    @Override
    public byte[] downloadArtifact(String runId, String artifactPath) {
        String operation = "download artifact '" + artifactPath + "' of run " + runId;
        return http.readBytes(operation, artifactUrl(operation, runId, artifactPath));
    }

    @Override
    public Optional<List<String>> listArtifacts(String artifactUri) {
        Optional<String> path = proxiedPath(artifactUri);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        okhttp3.HttpUrl url = okhttp3.HttpUrl.get(config.getBaseUrl()).newBuilder()
                .addPathSegments("api/2.0/mlflow-artifacts/artifacts").addQueryParameter("path", path.get()).build();
        JsonNode answer = http.send(exchange("list artifacts at " + artifactUri, "GET", url, null));
        List<String> names = new ArrayList<>();
        answer.path("files").forEach(file -> {
            String name = file.path("path").asText();
            names.add(name.substring(name.lastIndexOf('/') + 1));
        });
        return Optional.of(names);
    }

    /**
     * {@code <base>/api/2.0/mlflow-artifacts/artifacts/<path of the run's artifact URI>/<artifactPath>}, as
     * MLflow's own MlflowArtifactsRepository resolves it.
     */
    private okhttp3.HttpUrl artifactUrl(String operation, String runId, String artifactPath) {
        RegistryLimits.checkNotBlank(operation, "artifact path", artifactPath);
        if (artifactPath.startsWith("/") || artifactPath.contains("\\") || java.util.Arrays.asList(artifactPath.split("/")).contains("..")) {
            throw RegistryLimits.invalid(operation, "artifact path '" + artifactPath + "' must be relative, without '..'");
        }
        String uri = getRun(runId).info().artifactUri();
        String path = proxiedPath(uri).orElseThrow(() -> RegistryLimits.invalid(operation, "the run's artifacts live at '"
                + uri + "', which the tracking server does not serve (start it with --serve-artifacts)"));
        okhttp3.HttpUrl.Builder url = okhttp3.HttpUrl.get(config.getBaseUrl()).newBuilder()
                .addPathSegments("api/2.0/mlflow-artifacts/artifacts");
        for (String segment : (path + "/" + artifactPath).split("/")) {
            if (!segment.isEmpty()) {
                url.addPathSegment(segment);
            }
        }
        return url.build();
    }

    /** The path inside the artifact proxy of an {@code mlflow-artifacts:} URI (no leading slash); empty for other stores. */
    static Optional<String> proxiedPath(String uri) {
        String scheme = "mlflow-artifacts:";
        if (uri == null || !uri.startsWith(scheme)) {
            return Optional.empty();
        }
        String path = uri.substring(scheme.length());
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return Optional.of(path);
    }

    // ---- logged models --------------------------------------------------------------------------

    @Override
    public LoggedModel createLoggedModel(String experimentId, String name, String sourceRunId, Map<String, String> tags) {
        String operation = "create logged model" + (name == null ? "" : " '" + name + "'") + " in experiment " + experimentId;
        RegistryLimits.checkNotBlank(operation, "experiment id", experimentId);
        String requestId = UUID.randomUUID().toString();
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        allTags.put(REQUEST_ID_TAG, requestId);
        checkTags(operation, allTags, RegistryLimits.MAX_RUN_TAG_VALUE_LENGTH);
        ObjectNode body = mapper.createObjectNode().put("experiment_id", experimentId);
        putIfPresent(body, "name", name);
        putIfPresent(body, "source_run_id", sourceRunId);
        body.set("tags", tags(allTags));
        String filter = "tags.`" + REQUEST_ID_TAG + "` = '" + requestId + "'";
        return http.create(exchange(operation, "POST", http.api("logged-models", Map.of()), body),
                answer -> readLoggedModel(answer.path("model")),
                () -> lookUpOnce(() -> {
                    ObjectNode search = mapper.createObjectNode().put("filter", filter).put("max_results", 10);
                    search.putArray("experiment_ids").add(experimentId);
                    JsonNode found = http.sendOnce(exchange("look for logged model " + filter, "POST",
                            http.api("logged-models/search", Map.of()), search));
                    List<LoggedModel> models = new ArrayList<>();
                    found.path("models").forEach(model -> models.add(readLoggedModel(model)));
                    return models.stream().findFirst();
                }));
    }

    @Override
    public LoggedModel finalizeLoggedModel(String modelId, boolean ready) {
        ObjectNode body = mapper.createObjectNode().put("model_id", modelId)
                .put("status", ready ? "LOGGED_MODEL_READY" : "LOGGED_MODEL_UPLOAD_FAILED");
        return readLoggedModel(send("finalize logged model " + modelId, "PATCH", "logged-models/" + modelId, body)
                .path("model"));
    }

    @Override
    public LoggedModel getLoggedModel(String modelId) {
        RegistryLimits.checkNotBlank("get logged model", "model id", modelId);
        return readLoggedModel(get("get logged model " + modelId, "logged-models/" + modelId, Map.of()).path("model"));
    }

    @Override
    public List<LoggedModel> searchLoggedModels(String experimentId, String filter) {
        String operation = "search logged models of experiment " + experimentId + (filter == null ? "" : " where " + filter);
        RegistryLimits.checkNotBlank(operation, "experiment id", experimentId);
        List<LoggedModel> models = new ArrayList<>();
        String token = null;
        do {
            ObjectNode body = mapper.createObjectNode();
            body.putArray("experiment_ids").add(experimentId);
            putIfPresent(body, "filter", filter);
            putIfPresent(body, "page_token", token);
            JsonNode answer;
            try {
                answer = send(operation, "POST", "logged-models/search", body);
            } catch (NotFoundException noEndpoint) {
                // MLflow 2 has no logged models, and answers this MLflow 3 endpoint with 404 ENDPOINT_NOT_FOUND.
                return List.of();
            }
            answer.path("models").forEach(model -> models.add(readLoggedModel(model)));
            token = emptyToNull(answer.path("next_page_token").asText(null));
        } while (token != null);
        return models;
    }

    @Override
    public List<Metric> getLoggedModelMetrics(String modelId) {
        RegistryLimits.checkNotBlank("get logged model", "model id", modelId);
        return readList(get("read metrics of logged model " + modelId, "logged-models/" + modelId, Map.of())
                .path("model").path("data").path("metrics"), Metric.class);
    }

    private LoggedModel readLoggedModel(JsonNode model) {
        return read(model.path("info"), LoggedModel.class);
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static MlflowHttp.Exchange exchange(String operation, String method, okhttp3.HttpUrl url, JsonNode body) {
        return new MlflowHttp.Exchange(operation, method, url, body);
    }

    private JsonNode get(String operation, String path, Map<String, ?> query) {
        return http.send(exchange(operation, "GET", http.api(path, query), null));
    }

    private JsonNode send(String operation, String method, String path, JsonNode body) {
        return http.send(exchange(operation, method, http.api(path, Map.of()), body));
    }

    /** A look-up made between attempts of a create: not found means not created. */
    private static <T> Optional<T> lookUpOnce(java.util.function.Supplier<Optional<T>> lookUp) {
        try {
            return lookUp.get();
        } catch (NotFoundException absent) {
            return Optional.empty();
        }
    }

    private <T> T read(JsonNode node, Class<T> type) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new ServerErrorException("read answer", "MALFORMED_RESPONSE", 200,
                    "the server's answer lacks the expected " + type.getSimpleName(), null);
        }
        return convert(node, type);
    }

    /** A node as {@code type}; one that does not fit names the field, never its value (Jackson's message quotes it). */
    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return mapper.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            String field = e.getCause() instanceof JsonMappingException mapping ? mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")) : "";
            throw new ServerErrorException("read answer", "MALFORMED_RESPONSE", 200, "the server's answer has a "
                    + type.getSimpleName() + " that cannot be read" + (field.isEmpty() ? "" : " (field " + field + ")"), null);
        }
    }

    private <T> List<T> readList(JsonNode node, Class<T> type) {
        List<T> items = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(item -> items.add(convert(item, type)));
        }
        return items;
    }

    private ArrayNode tags(Map<String, String> tags) {
        ArrayNode list = mapper.createArrayNode();
        tags.forEach((key, value) -> list.addObject().put("key", key).put("value", value));
        return list;
    }

    private static void checkTags(String operation, Map<String, String> tags, int maxValueLength) {
        tags.forEach((key, value) -> {
            RegistryLimits.checkKey(operation, "tag", key);
            RegistryLimits.checkValueLength(operation, "tag", key, value, maxValueLength);
        });
    }

    private static Map<String, Object> searchQuery(String filter, int maxResults, String pageToken) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("filter", filter == null || filter.isBlank() ? null : filter);
        query.put("max_results", maxResults);
        query.put("page_token", pageToken);
        return query;
    }

    private static void checkPageSize(String operation, int maxResults, int max) {
        if (maxResults < 1 || maxResults > max) {
            throw RegistryLimits.invalid(operation, "page size must be in 1.." + max + ", was " + maxResults);
        }
    }

    private static void putIfPresent(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A string literal for an MLflow search filter. */
    public static String quote(String value) {
        if (!value.contains("'")) {
            return "'" + value + "'";
        }
        if (!value.contains("\"")) {
            return "\"" + value + "\"";
        }
        throw RegistryLimits.invalid("build search filter", "a name cannot contain both ' and \": " + value);
    }
}
