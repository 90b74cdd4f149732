package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.registry.KeyValues;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RegisterModel;
import io.jenkins.plugins.mlstages.registry.RegisterModelRequest;
import io.jenkins.plugins.mlstages.registry.RegisterModelResult;
import io.jenkins.plugins.mlstages.registry.ReportLineage;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlstages register}: a model version with its lineage, once per build, then its aliases. */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Register a model version with lineage tags, wait for READY, and set aliases; once per build key.",
            "Exit 0 registered (or reused), 2 bad usage or input, 3 registry error or registration failed."})
final class RegisterCommand extends StageCommand {
    @Option(names = "--model", required = true, paramLabel = "NAME", description = "registered model (created when absent)")
    String model;

    @Option(names = "--run-id", paramLabel = "ID", description = "source: the run that logged the model (its artifacts at --artifact-path, else its MLflow 3 logged model of that name)")
    String runId;

    @Option(names = "--artifact-path", paramLabel = "P", description = "with --run-id: the model's path in the run, or the name given to log_model (default: model)")
    String artifactPath;

    @Option(names = "--model-id", paramLabel = "ID", description = "source: an MLflow 3 logged model")
    String modelId;

    @Option(names = "--source", paramLabel = "URI", description = "source: a models:/ URI or another model source")
    String source;

    @Option(names = "--copy-from", paramLabel = "NAME/VERSION", description = "source: a version of another registered model (promotion)")
    String copyFrom;

    @Option(names = "--alias", paramLabel = "A", description = "point this alias at the version (repeatable)")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "K=V", description = "a tag on the version (repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = "--from-report", paramLabel = "REPORT.json",
            description = "record lineage from a stage report: dataset digests, validation status, gate verdict (repeatable)")
    List<Path> reports = new ArrayList<>();

    @Option(names = "--description", paramLabel = "TEXT", description = "the version's description")
    String description;

    @Option(names = "--build-key", paramLabel = "KEY",
            description = "identifies this build: registering again with it returns the same version (default: $BUILD_TAG)")
    String buildKey;

    @Option(names = "--await-seconds", paramLabel = "N", defaultValue = "300", description = "wait at most this long for READY (default: ${DEFAULT-VALUE})")
    long awaitSeconds;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here")
    Path report;

    RegisterCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        checkOutputs(report);
        Map<String, String> env = main.environment();
        Map<String, String> lineage = new LinkedHashMap<>();
        putIfPresent(lineage, "mlstages.git_commit", env.get("GIT_COMMIT"));
        putIfPresent(lineage, "mlstages.build_url", env.get("BUILD_URL"));
        lineage.putAll(fromReports());
        String key = buildKey != null ? buildKey : env.get("BUILD_TAG");
        RegisterModelRequest request = new RegisterModelRequest(model, runId, artifactPath, modelId, source, copyFrom,
                description, KeyValues.parse(tags, "--tag"), lineage, aliases, key, Duration.ofSeconds(awaitSeconds), null);
        RegisterModelResult result;
        try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
            result = new RegisterModel(main.log(), client).run(request);
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        out("register PASSED: " + result.model() + "/" + result.version()
                + (result.reused() ? " (reused for build key " + result.buildKey() + ")" : " (new)")
                + (result.aliases().isEmpty() ? "" : ", aliases " + String.join(", ", result.aliases()))
                + (report == null ? "" : "; report: " + report));
        return ExitCode.PASSED;
    }

    /** Lineage tags from stage reports: what the version was validated and gated with. */
    private Map<String, String> fromReports() throws DataFormatException, IOException {
        List<JsonNode> read = new ArrayList<>();
        for (Path file : reports) {
            read.add(ReportFiles.read(file));
        }
        return ReportLineage.tags(read);
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
