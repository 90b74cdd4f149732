package io.jenkins.plugins.mlstages.lineage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.dvc.DvcTracking;
import io.jenkins.plugins.mlstages.registry.Dataset;
import io.jenkins.plugins.mlstages.registry.DatasetInput;
import io.jenkins.plugins.mlstages.registry.LoggedModel;
import io.jenkins.plugins.mlstages.registry.ModelRegistry;
import io.jenkins.plugins.mlstages.registry.ModelVersion;
import io.jenkins.plugins.mlstages.registry.NotFoundException;
import io.jenkins.plugins.mlstages.registry.Run;
import io.jenkins.plugins.mlstages.report.LineageNode;

/**
 * Rebuilds a model version's lineage from the registry alone: its aliases, the logged model and the
 * run it came from, the datasets that run used (with what DVC records of a DVC-tracked one), and (from
 * the tags registerModel sets) the build.
 */
public final class RegistryLineage {
    private static final String MODELS_URI = "models:/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRegistry registry;

    public RegistryLineage(ModelRegistry registry) {
        this.registry = registry;
    }

    public LineageGraph of(String model, String version) {
        ModelVersion mv = registry.getModelVersion(model, version);
        LineageGraph.Builder graph = new LineageGraph.Builder();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", mv.source());
        attributes.put("status", mv.status().name());
        mv.tagMap().forEach((key, value) -> {
            if (key.startsWith("mlstages.") && !key.equals("mlstages.request_id")) {
                attributes.put(key.substring("mlstages.".length()), value);
            }
        });
        LineageNode versionNode = new LineageNode("model_version", mv.label(), mv.name(), attributes);
        graph.node(versionNode);
        for (String alias : registry.getRegisteredModel(model).aliasMap().entrySet().stream()
                .filter(e -> e.getValue().equals(mv.version())).map(Map.Entry::getKey).toList()) {
            graph.edge(versionNode, new LineageNode("alias", mv.name() + "@" + alias, alias, Map.of()), "has alias");
        }
        String buildUrl = mv.tagMap().get("mlstages.build_url");
        String buildKey = mv.tagMap().get("mlstages.build_key");
        if (buildKey != null) {
            LineageNode build = new LineageNode("build", buildKey, buildKey,
                    buildUrl == null ? Map.of() : Map.of("url", buildUrl));
            graph.edge(build, versionNode, "registered");
        }
        Optional<LoggedModel> logged = loggedModel(mv);
        LineageNode producer = versionNode;
        if (logged.isPresent()) {
            LoggedModel lm = logged.get();
            LineageNode modelNode = new LineageNode("logged_model", lm.modelId(), lm.name(),
                    Map.of("artifact_uri", String.valueOf(lm.artifactUri())));
            graph.edge(modelNode, versionNode, "registered as");
            producer = modelNode;
        }
        String runId = mv.runId() != null && !mv.runId().isEmpty() ? mv.runId()
                : logged.map(LoggedModel::sourceRunId).orElse(null);
        if (runId != null) {
            Run run = registry.getRun(runId);
            LineageNode runNode = new LineageNode("run", runId, run.info().runName(),
                    Map.of("experiment_id", String.valueOf(run.info().experimentId())));
            graph.edge(runNode, producer, logged.isPresent() ? "logged" : "produced");
            for (DatasetInput input : run.inputs().datasetInputs()) {
                Map<String, String> datasetAttributes = new LinkedHashMap<>();
                datasetAttributes.put("source", input.dataset().source());
                datasetAttributes.putAll(dvcAttributes(input.dataset()));
                input.context().ifPresent(context -> datasetAttributes.put("context", context));
                graph.edge(new LineageNode("dataset", input.dataset().digest(), input.dataset().name(), datasetAttributes),
                        runNode, input.context().orElse("input"));
            }
        }
        return graph.build();
    }

    /**
     * A DVC-tracked dataset's {@code dvc_*} fields (md5, stage, revision...), which validate-data writes
     * into the source of a dataset input of source type {@code dvc}; none for another source or an
     * unreadable one.
     */
    static Map<String, String> dvcAttributes(Dataset dataset) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (!DvcTracking.SOURCE_TYPE.equals(dataset.sourceType())) {
            return attributes;
        }
        try {
            JSON.readTree(dataset.source()).fields().forEachRemaining(field -> {
                if (field.getKey().startsWith("dvc_") && field.getValue().isValueNode()) {
                    attributes.put(field.getKey(), field.getValue().asText());
                }
            });
        } catch (JsonProcessingException notJson) {
            // another tool's dvc source: the raw source attribute still shows it
        }
        return attributes;
    }

    private Optional<LoggedModel> loggedModel(ModelVersion mv) {
        String id = mv.modelId();
        if ((id == null || id.isEmpty()) && mv.source() != null && mv.source().startsWith(MODELS_URI + "m-")) {
            id = mv.source().substring(MODELS_URI.length());
        }
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(registry.getLoggedModel(id));
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }
}
