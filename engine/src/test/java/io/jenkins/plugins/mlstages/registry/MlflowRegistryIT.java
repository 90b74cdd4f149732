package io.jenkins.plugins.mlstages.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The registry client against a real {@code mlflow server}, read back with the official Python client. */
public class MlflowRegistryIT {
    private static MlflowServer server;
    private static MlflowRegistry registry;

    @BeforeClass
    public static void connect() {
        server = MlflowServer.shared();
        registry = new MlflowRegistry(RegistryConfig.builder(server.url()).build());
    }

    @AfterClass
    public static void disconnect() {
        registry.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    public void roundTripIsReadBackExactlyByTheOfficialClient() throws Exception {
        Experiment experiment = registry.getOrCreateExperiment(unique("round-trip"));
        Run run = registry.createRun(experiment.experimentId(), "train", Map.of("team", "fraud", "mlflow.user", "ci"));
        String runId = run.runId();
        assertEquals(RunStatus.RUNNING, run.info().status());

        List<Metric> metrics = new ArrayList<>();
        long start = 1_700_000_000_000L;
        for (int step = 0; step < 2500; step++) {
            metrics.add(new Metric("loss", 1.0 / (step + 1), start + step, step));
        }
        metrics.add(new Metric("roc_auc", 0.9123, start, 0));
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            params.put("p" + i, "value-" + i);
        }
        registry.logBatch(runId, metrics, params, Map.of("stage", "evaluate", "mlflow.note.content", "ünïcode ✓"));

        Dataset dataset = new Dataset("train.csv", "3f2a9c1d0b7e", "local", "{\"uri\": \"file:///data/train.csv\"}",
                "{\"mlflow_colspec\": [{\"name\": \"age\", \"type\": \"long\"}]}", "{\"num_rows\": 1000}");
        registry.logInputs(runId, List.of(DatasetInput.of(dataset, "training")));
        registry.updateRun(runId, RunStatus.FINISHED, System.currentTimeMillis());

        String modelName = unique("fraud-model");
        registry.createRegisteredModel(modelName, "fraud detector", Map.of("owner", "ml-platform"));
        ModelVersion version = registry.createModelVersion(NewModelVersion.fromRun(modelName, runId, "model")
                .withDescription("first").withTags(List.of(new Tag("git.commit", "abc123"))));
        assertEquals("1", version.version());
        ModelVersion ready = registry.awaitReady(modelName, version.version(), Duration.ofSeconds(30), Duration.ofMillis(200));
        assertEquals(ModelVersionStatus.READY, ready.status());
        registry.setAlias(modelName, "candidate", version.version());
        assertEquals("1", registry.findVersionByAlias(modelName, "candidate").orElseThrow().version());

        JsonNode back = new ObjectMapper().readTree(server.runPython("readback.py", Map.of(), runId, "loss", modelName, "candidate"));
        assertEquals("train", back.path("run_name").asText());
        assertEquals("FINISHED", back.path("status").asText());
        assertEquals(120, back.path("params").size());
        assertEquals("value-119", back.path("params").path("p119").asText());
        assertEquals("ünïcode ✓", back.path("tags").path("mlflow.note.content").asText());
        assertEquals("fraud", back.path("tags").path("team").asText());
        assertEquals(0.9123, back.path("metrics").path("roc_auc").asDouble(), 0.0);
        JsonNode history = back.path("history");
        assertEquals(2500, history.size());
        for (int step = 0; step < 2500; step++) {
            assertEquals(step, history.get(step).get(0).asLong());
            assertEquals(1.0 / (step + 1), history.get(step).get(1).asDouble(), 0.0);
            assertEquals(start + step, history.get(step).get(2).asLong());
        }
        JsonNode loggedDataset = back.path("datasets").get(0);
        assertEquals("train.csv", loggedDataset.path("name").asText());
        assertEquals("3f2a9c1d0b7e", loggedDataset.path("digest").asText());
        assertEquals("local", loggedDataset.path("source_type").asText());
        assertEquals(dataset.source(), loggedDataset.path("source").asText());
        assertEquals(dataset.schema(), loggedDataset.path("schema").asText());
        assertEquals(dataset.profile(), loggedDataset.path("profile").asText());
        assertEquals("training", loggedDataset.path("tags").path("mlflow.data.context").asText());
        assertEquals("1", back.path("alias_version").asText());
        assertEquals("runs:/" + runId + "/model", back.path("alias_source").asText());
        assertEquals(runId, back.path("alias_run_id").asText());
        assertEquals("abc123", back.path("alias_tags").path("git.commit").asText());
        assertEquals("candidate", back.path("version_aliases").get(0).asText());
        assertEquals("ml-platform", back.path("model_tags").path("owner").asText());
        assertEquals(1, back.path("version_count").asInt());

        // And our own reader agrees with what the official one saw.
        List<Metric> ourHistory = registry.getMetricHistory(runId, "loss");
        assertEquals(2500, ourHistory.size());
        Run read = registry.getRun(runId);
        assertEquals(RunStatus.FINISHED, read.info().status());
        assertEquals("training", read.inputs().datasetInputs().get(0).context().orElseThrow());
        assertEquals("value-7", read.paramMap().get("p7"));
    }

    @Test
    public void searchesFollowPageTokensOverSeveralPages() {
        Experiment experiment = registry.getOrCreateExperiment(unique("paging"));
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(registry.createRun(experiment.experimentId(), "run-" + i, Map.of("batch", "paging")).runId());
        }
        Page<Run> first = registry.searchRuns(RunSearch.in(experiment.experimentId(), "tags.batch = 'paging'").withMaxResults(2), null);
        assertEquals(2, first.items().size());
        assertTrue(first.next().isPresent());
        List<Run> all = ModelRegistry.collectPages(token -> registry.searchRuns(
                RunSearch.in(experiment.experimentId(), "tags.batch = 'paging'").withMaxResults(2), token), 100);
        Set<String> found = new HashSet<>();
        all.forEach(run -> found.add(run.runId()));
        assertEquals(created, found);

        String prefix = unique("pm");
        for (int i = 0; i < 3; i++) {
            registry.createRegisteredModel(prefix + "-" + i, null, Map.of());
        }
        List<RegisteredModel> models = ModelRegistry.collectPages(
                token -> registry.searchRegisteredModels("name LIKE '" + prefix + "%'", 2, token), 100);
        assertEquals(3, models.size());

        String versions = unique("pv");
        registry.createRegisteredModel(versions, null, Map.of());
        String runId = created.iterator().next();
        for (int i = 0; i < 3; i++) {
            registry.createModelVersion(NewModelVersion.fromRun(versions, runId, "model"));
        }
        Page<ModelVersion> page = registry.searchModelVersions("name = '" + versions + "'", 2, null);
        assertEquals(2, page.items().size());
        assertTrue(page.next().isPresent());
        assertEquals(3, ModelRegistry.collectPages(token -> registry.searchModelVersions("name = '" + versions + "'", 2, token), 100).size());
        assertEquals(2, ModelRegistry.collectPages(token -> registry.searchModelVersions("name = '" + versions + "'", 2, token), 2).size());
    }

    @Test
    public void experimentsAreFoundOrCreatedOnce() {
        String name = unique("exp");
        assertTrue(registry.findExperimentByName(name).isEmpty());
        Experiment created = registry.getOrCreateExperiment(name);
        Experiment again = registry.getOrCreateExperiment(name);
        assertEquals(created.experimentId(), again.experimentId());
        assertEquals(name, registry.getExperiment(created.experimentId()).name());
        AlreadyExistsException duplicate = assertThrows(AlreadyExistsException.class,
                () -> registry.createExperiment(name, Map.of()));
        assertTrue(duplicate.getMessage(), duplicate.getMessage().contains("create experiment '" + name + "'"));
    }

    @Test
    public void registeredModelsAndVersionsAreManaged() {
        String name = unique("managed");
        RegisteredModel model = registry.createRegisteredModel(name, "v0", Map.of("a", "1"));
        assertEquals("1", model.tagMap().get("a"));
        assertEquals("v1", registry.updateRegisteredModel(name, "v1").description());
        registry.setRegisteredModelTag(name, "b", "2");
        registry.deleteRegisteredModelTag(name, "a");
        assertEquals(Map.of("b", "2"), registry.getRegisteredModel(name).tagMap());
        assertThrows(AlreadyExistsException.class, () -> registry.createRegisteredModel(name, null, Map.of()));

        Experiment experiment = registry.getOrCreateExperiment(unique("versions"));
        Run run = registry.createRun(experiment.experimentId(), "r", Map.of());
        ModelVersion v1 = registry.createModelVersion(NewModelVersion.fromRun(name, run.runId(), "model"));
        assertEquals("1", v1.version());
        assertEquals(run.runId(), v1.runId());
        registry.setModelVersionTag(name, "1", "gate", "passed");
        registry.setModelVersionTag(name, "1", "temp", "x");
        registry.deleteModelVersionTag(name, "1", "temp");
        assertEquals("passed", registry.getModelVersion(name, "1").tagMap().get("gate"));
        assertFalse(registry.getModelVersion(name, "1").tagMap().containsKey("temp"));
        assertEquals("described", registry.updateModelVersion(name, "1", "described").description());
        String download = registry.getModelVersionDownloadUri(name, "1");
        assertTrue(download, download.contains(run.runId()));

        // MLflow 3: a logged model, and a version registered from it with model_id.
        LoggedModel logged = registry.createLoggedModel(experiment.experimentId(), "model", run.runId(), Map.of("k", "v"));
        assertNotNull(logged.modelId());
        assertEquals(run.runId(), logged.sourceRunId());
        assertEquals("LOGGED_MODEL_READY", registry.finalizeLoggedModel(logged.modelId(), true).status());
        assertEquals("v", registry.getLoggedModel(logged.modelId()).tags().stream()
                .filter(t -> t.key().equals("k")).findFirst().orElseThrow().value());
        ModelVersion v2 = registry.createModelVersion(NewModelVersion.fromLoggedModel(name, logged));
        assertEquals("2", v2.version());
        // MLflow 3.17's SQL store accepts model_id but does not echo it; the source carries the link.
        assertEquals("models:/" + logged.modelId(), v2.source());

        // Promotion across registered models with a models:/ source.
        String prod = unique("managed-prod");
        registry.createRegisteredModel(prod, null, Map.of());
        ModelVersion copied = registry.createModelVersion(NewModelVersion.fromSource(prod, "models:/" + name + "/1"));
        assertEquals("1", copied.version());
        assertEquals("models:/" + name + "/1", copied.source());

        registry.deleteRegisteredModel(prod);
        assertTrue(registry.findRegisteredModel(prod).isEmpty());
    }

    @Test
    public void aliasesMoveAndDisappear() {
        String name = unique("alias");
        registry.createRegisteredModel(name, null, Map.of());
        Experiment experiment = registry.getOrCreateExperiment(unique("alias-exp"));
        Run run = registry.createRun(experiment.experimentId(), "r", Map.of());
        registry.createModelVersion(NewModelVersion.fromRun(name, run.runId(), "model"));
        registry.createModelVersion(NewModelVersion.fromRun(name, run.runId(), "model"));
        assertTrue(registry.findVersionByAlias(name, "champion").isEmpty());
        registry.setAlias(name, "champion", "1");
        registry.setAlias(name, "champion", "2");
        assertEquals("2", registry.findVersionByAlias(name, "champion").orElseThrow().version());
        assertEquals(Map.of("champion", "2"), registry.getRegisteredModel(name).aliasMap());
        registry.deleteAlias(name, "champion");
        assertTrue(registry.findVersionByAlias(name, "champion").isEmpty());
        InvalidParameterException reserved = assertThrows(InvalidParameterException.class,
                () -> registry.setAlias(name, "latest", "1"));
        assertTrue(reserved.getMessage(), reserved.getMessage().contains("'latest' is reserved"));
        assertThrows(InvalidParameterException.class, () -> registry.setAlias(name, "v3", "1"));
    }

    @Test
    public void serverErrorsBecomeTypedExceptionsNamingTheObject() {
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> registry.getRegisteredModel("no-such-model-" + UUID.randomUUID()));
        assertTrue(missing.getMessage(), missing.getMessage().startsWith("get registered model 'no-such-model-"));
        assertEquals("RESOURCE_DOES_NOT_EXIST", missing.getErrorCode());
        assertEquals(404, missing.getHttpStatus());

        Experiment experiment = registry.getOrCreateExperiment(unique("errors"));
        Run run = registry.createRun(experiment.experimentId(), "r", Map.of());
        registry.logBatch(run.runId(), List.of(), Map.of("alpha", "1"), Map.of());
        InvalidParameterException changed = assertThrows(InvalidParameterException.class,
                () -> registry.logBatch(run.runId(), List.of(), Map.of("alpha", "2"), Map.of()));
        assertEquals("INVALID_PARAMETER_VALUE", changed.getErrorCode());
        assertTrue(changed.getMessage(), changed.getMessage().contains("log batch to run " + run.runId()));

        InvalidParameterException badKey = assertThrows(InvalidParameterException.class,
                () -> registry.logBatch(run.runId(), List.of(Metric.of("bad key!", 1)), Map.of(), Map.of()));
        assertTrue(badKey.getMessage(), badKey.getMessage().contains("'bad key!'"));
        assertEquals(0, badKey.getHttpStatus());
    }

    @Test
    public void nonFiniteMetricsRoundTrip() {
        Experiment experiment = registry.getOrCreateExperiment(unique("nan"));
        Run run = registry.createRun(experiment.experimentId(), "r", Map.of());
        registry.logBatch(run.runId(), List.of(Metric.of("m_nan", Double.NaN), Metric.of("m_inf", Double.POSITIVE_INFINITY)),
                Map.of(), Map.of());
        Map<String, Double> latest = new LinkedHashMap<>();
        registry.getRun(run.runId()).data().metrics().forEach(m -> latest.put(m.key(), m.value()));
        assertTrue(Double.isNaN(latest.get("m_nan")));
        // The server stores infinity as the largest double, as the official client does.
        assertEquals(Double.MAX_VALUE, latest.get("m_inf"), 0.0);
    }

    @Test
    public void probeReportsVersionAndNoIdentityWithoutAuthApp() {
        ServerInfo info = registry.probe();
        assertEquals(server.version(), info.version());
        assertEquals(null, info.authenticatedUser());
    }

    @Test
    public void artifactsRoundTripThroughTheServersProxy() {
        Experiment experiment = registry.getOrCreateExperiment(unique("artifacts"));
        Run run = registry.createRun(experiment.experimentId(), "r", Map.of());
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        registry.uploadArtifact(run.runId(), "mlstages/bytes.bin", binary);
        org.junit.Assert.assertArrayEquals(binary, registry.downloadArtifact(run.runId(), "mlstages/bytes.bin"));
        InvalidParameterException outside = assertThrows(InvalidParameterException.class,
                () -> registry.uploadArtifact(run.runId(), "../escape.txt", new byte[0]));
        assertTrue(outside.getMessage(), outside.getMessage().contains("must be relative, without '..'"));
        assertThrows(NotFoundException.class, () -> registry.downloadArtifact(run.runId(), "mlstages/missing.bin"));
    }
}
