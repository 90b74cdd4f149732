package io.jenkins.plugins.mlstages.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.LineageNode;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;
import io.jenkins.plugins.mlstages.report.Status;

/**
 * The registerModel stage: creates the registered model when absent, creates the version with its
 * lineage tags (or, when a version with the same build key exists, returns that one), waits for READY,
 * then points the aliases at it. Safe to run again for the same build.
 */
public final class RegisterModel {
    private final StageLog log;
    private final ModelRegistry registry;

    public RegisterModel(StageLog log, ModelRegistry registry) {
        this.log = log;
        this.registry = registry;
    }

    public RegisterModelResult run(RegisterModelRequest request) {
        String model = request.model();
        List<Finding> findings = new ArrayList<>();
        Optional<ModelVersion> existing = request.buildKey() == null ? Optional.empty() : byBuildKey(model, request.buildKey());
        ModelVersion version;
        if (existing.isPresent()) {
            version = existing.get();
            log.info("register: " + version.label() + " already carries build key " + request.buildKey() + "; reusing it");
            findings.add(new Finding("register.build_key", version.label(), Severity.INFO, true, "version " + version.version()
                    + " of '" + model + "' was registered by this build before (build key " + request.buildKey()
                    + "): reused, not registered again", version.version(), "one version per build key"));
        } else {
            // resolved and checked first: a source that cannot be loaded leaves nothing behind
            NewModelVersion next = newVersion(request, new ModelSources(log, registry));
            createRegisteredModelIfAbsent(model);
            version = registry.createModelVersion(next);
            log.info("register: created " + version.label() + " from " + version.source());
        }
        ModelVersion ready = registry.awaitReady(model, version.version(), request.awaitTimeout(), request.pollInterval());
        for (String alias : request.aliases()) {
            registry.setAlias(model, alias, ready.version());
            log.info("register: alias '" + alias + "' -> " + ready.label());
        }
        findings.add(new Finding("register.version", ready.label(), Severity.INFO, true, (existing.isPresent() ? "reused "
                : "registered ") + ready.label() + " (READY)" + (request.aliases().isEmpty() ? ""
                        : ", aliases " + String.join(", ", request.aliases())), ready.status().name(), "READY"));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("version", Double.parseDouble(ready.version()));
        String modelId = loggedModelId(ready, version);
        return new RegisterModelResult(Status.PASSED, findings, metrics, lineage(ready, modelId, request.aliases()), model,
                ready.version(), existing.isPresent(), request.aliases(), ready.source(), ready.runId(), modelId,
                request.buildKey());
    }

    private void createRegisteredModelIfAbsent(String model) {
        if (registry.findRegisteredModel(model).isEmpty()) {
            try {
                registry.createRegisteredModel(model, null, Map.of());
                log.info("register: created registered model '" + model + "'");
            } catch (AlreadyExistsException raced) {
                // another build created it meanwhile: fine
            }
        }
    }

    private Optional<ModelVersion> byBuildKey(String model, String buildKey) {
        String filter = "name = " + MlflowRegistry.quote(model) + " AND tags.`" + RegisterModelRequest.BUILD_KEY_TAG
                + "` = " + MlflowRegistry.quote(buildKey);
        List<ModelVersion> found = ModelRegistry.collectPages(token -> registry.searchModelVersions(filter, 100, token), 100);
        // The lowest version wins should two builds with one key have raced.
        return found.stream().min((a, b) -> Long.compare(Long.parseLong(a.version()), Long.parseLong(b.version())));
    }

    /**
     * The logged model the version was registered from: the one MLflow 3 links it to. The OSS server does
     * not echo {@code model_id} on versions, so a {@code models:/m-…} source names it.
     */
    private static String loggedModelId(ModelVersion ready, ModelVersion created) {
        for (ModelVersion version : List.of(ready, created)) {
            if (version.modelId() != null && !version.modelId().isEmpty()) {
                return version.modelId();
            }
        }
        String source = ready.source();
        return source != null && source.startsWith("models:/m-") && source.indexOf('/', "models:/".length()) < 0
                ? source.substring("models:/".length()) : null;
    }

    /** The version to create, from a source resolved and checked by {@link ModelSources} (nothing is written before). */
    private NewModelVersion newVersion(RegisterModelRequest request, ModelSources sources) {
        NewModelVersion version;
        if (request.copyFrom() != null) {
            // Promotion across registered models (dev -> prod), as MLflow recommends instead of stages.
            String[] parts = request.copyFrom().split("/");
            ModelVersion original = registry.getModelVersion(parts[0], parts[1]);
            sources.checkVersion(parts[0], parts[1]);
            version = new NewModelVersion(request.model(), "models:/" + request.copyFrom(), original.runId(), null, null,
                    List.of(), null);
        } else if (request.modelId() != null) {
            version = sources.fromLoggedModel(request.model(), request.modelId());
        } else if (request.source() != null) {
            version = sources.fromSource(request.model(), request.source());
        } else {
            version = sources.fromRun(request.model(), request.runId(), request.artifactPath());
        }
        Map<String, String> tags = new LinkedHashMap<>(request.lineageTags());
        tags.putAll(request.tags());
        if (request.copyFrom() != null) {
            tags.put("mlstages.copied_from", request.copyFrom());
        }
        if (request.buildKey() != null) {
            tags.put(RegisterModelRequest.BUILD_KEY_TAG, request.buildKey());
        }
        return version.withTags(Tag.fromMap(tags)).withDescription(request.description());
    }

    private static List<LineageNode> lineage(ModelVersion version, String modelId, List<String> aliases) {
        List<LineageNode> nodes = new ArrayList<>();
        if (version.runId() != null && !version.runId().isEmpty()) {
            nodes.add(new LineageNode("run", version.runId(), null, Map.of()));
        }
        if (modelId != null) {
            nodes.add(new LineageNode("logged_model", modelId, null, Map.of()));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", version.source());
        version.tagMap().forEach((key, value) -> {
            if (!key.equals(MlflowRegistry.REQUEST_ID_TAG)) {
                attributes.put("tag." + key, value);
            }
        });
        nodes.add(new LineageNode("model_version", version.label(), version.name(), attributes));
        for (String alias : aliases) {
            nodes.add(new LineageNode("alias", version.name() + "@" + alias, alias, Map.of("version", version.version())));
        }
        return nodes;
    }
}
