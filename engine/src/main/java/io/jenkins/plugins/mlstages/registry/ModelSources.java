package io.jenkins.plugins.mlstages.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.jenkins.plugins.mlstages.report.StageLog;

/**
 * What a new model version is registered from, resolved as MLflow 3.17's {@code mlflow.register_model}
 * resolves it, and checked to be loadable before anything is created. A run's artifact path that holds
 * an {@code MLmodel} (a model logged MLflow 2 style) gives that location; otherwise the run's logged
 * model named like the path (MLflow 3 logs models there, not under the run), the one at the largest
 * step when there are several. A source whose location the server proxies must hold an
 * {@code MLmodel}, or nothing is registered: a version without one cannot be loaded or deployed.
 */
final class ModelSources {
    static final String MLMODEL = "MLmodel";
    private static final String RUNS_URI = "runs:/";
    private static final String MODELS_URI = "models:/";

    private final StageLog log;
    private final ModelRegistry registry;

    ModelSources(StageLog log, ModelRegistry registry) {
        this.log = log;
        this.registry = registry;
    }

    /** A model logged by the run at {@code artifactPath}: under the run's artifacts, or as its logged model. */
    NewModelVersion fromRun(String name, String runId, String artifactPath) {
        String path = trimSlashes(artifactPath);
        Run run = registry.getRun(runId);
        String location = trimTrailingSlash(run.info().artifactUri()) + "/" + path;
        Optional<List<String>> listed = registry.listArtifacts(location);
        if (listed.isPresent() && listed.get().contains(MLMODEL)) {
            log.info("register: run " + runId + " holds a model at '" + path + "' (MLflow 2 style): registering " + location);
            return new NewModelVersion(name, location, runId, null, null, List.of(), null);
        }
        List<LoggedModel> named = registry.searchLoggedModels(run.info().experimentId(), "name = " + MlflowRegistry.quote(path))
                .stream().filter(model -> runId.equals(model.sourceRunId())).toList();
        if (named.isEmpty()) {
            if (listed.isEmpty()) {
                log.info("register: cannot check that run " + runId + " holds a model at '" + path + "': its artifacts live at "
                        + location + ", which the tracking server does not proxy; registering it unchecked");
                return new NewModelVersion(name, location, runId, null, null, List.of(), null);
            }
            throw new IllegalArgumentException("run " + runId + " has no model at artifact path '" + path
                    + "' (no " + MLMODEL + " there) and no logged model named '" + path + "'; nothing loadable to register"
                    + " (give the name passed to log_model as --artifact-path, or --model-id)");
        }
        LoggedModel chosen = latest(run, named, path);
        checkLoadable(chosen);
        log.info("register: run " + runId + " has no model at artifact path '" + path + "'; registering its logged model "
                + chosen.modelsUri() + (named.size() > 1 ? " (the latest by step of " + named.size() + " named '" + path + "')"
                        : " (MLflow 3 style)"));
        return new NewModelVersion(name, chosen.modelsUri(), runId, chosen.modelId(), null, List.of(), null);
    }

    /** An MLflow 3 logged model given by id. */
    NewModelVersion fromLoggedModel(String name, String modelId) {
        LoggedModel model;
        try {
            model = registry.getLoggedModel(modelId);
        } catch (NotFoundException absent) {
            throw new IllegalArgumentException("--model-id " + modelId + ": no such logged model", absent);
        }
        checkLoadable(model);
        return NewModelVersion.fromLoggedModel(name, model);
    }

    /** A URI: {@code runs:/} and {@code models:/<model_id>} resolve as above; other locations are checked where they can be. */
    NewModelVersion fromSource(String name, String uri) {
        if (uri.startsWith(RUNS_URI)) {
            String rest = uri.substring(RUNS_URI.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException("--source " + uri + ": a runs:/ source needs a run id and a path, "
                        + "e.g. runs:/<run_id>/model");
            }
            return fromRun(name, rest.substring(0, slash), rest.substring(slash + 1));
        }
        if (uri.startsWith(MODELS_URI + "m-") && uri.indexOf('/', MODELS_URI.length()) < 0) {
            return fromLoggedModel(name, uri.substring(MODELS_URI.length()));
        }
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("models:/([^/@]+)/(\\d+)").matcher(uri);
        if (version.matches()) {
            checkVersion(version.group(1), version.group(2));
        } else {
            checkLoadable(uri, "--source " + uri);
        }
        return NewModelVersion.fromSource(name, uri);
    }

    /** A version of another registered model; its files are where the registry says they are. */
    void checkVersion(String model, String version) {
        checkLoadable(registry.getModelVersionDownloadUri(model, version), "version " + model + "/" + version);
    }

    /**
     * MLflow's choice among a run's logged models of one name: the one output at the largest step (the
     * first of equals, in search order); when the run does not say, it cannot be told.
     */
    private static LoggedModel latest(Run run, List<LoggedModel> named, String path) {
        if (named.size() == 1) {
            return named.get(0);
        }
        Map<String, Long> steps = run.outputs().modelOutputs().stream()
                .collect(Collectors.toMap(Run.ModelRef::modelId, Run.ModelRef::step, Math::max));
        LoggedModel best = null;
        for (LoggedModel model : named) {
            Long step = steps.get(model.modelId());
            if (step == null) {
                throw new IllegalArgumentException("run " + run.runId() + " has " + named.size()
                        + " logged models named '" + path + "' and does not record the step of " + model.modelId()
                        + "; give the one to register with --model-id");
            }
            if (best == null || step > steps.get(best.modelId())) {
                best = model;
            }
        }
        return best;
    }

    private void checkLoadable(LoggedModel model) {
        checkLoadable(model.artifactUri(), "logged model " + model.modelId());
    }

    private void checkLoadable(String location, String what) {
        Optional<List<String>> listed = registry.listArtifacts(location);
        if (listed.isEmpty()) {
            log.info("register: cannot check that " + what + " holds a model: its files live at " + location
                    + ", which the tracking server does not proxy");
        } else if (!listed.get().contains(MLMODEL)) {
            throw new IllegalArgumentException(what + " holds no " + MLMODEL + " at " + location
                    + " (not logged completely?); a version registered from it could not be loaded, so none was created");
        }
    }

    private static String trimSlashes(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        return trimTrailingSlash(trimmed);
    }

    private static String trimTrailingSlash(String path) {
        String trimmed = path == null ? "" : path;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
