package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.util.List;

import io.jenkins.plugins.mlstages.data.CsvOptions;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.data.DataSchema;
import io.jenkins.plugins.mlstages.data.DatasetInputs;
import io.jenkins.plugins.mlstages.data.DatasetProfile;
import io.jenkins.plugins.mlstages.data.SchemaInference;
import io.jenkins.plugins.mlstages.data.SchemaLoader;
import io.jenkins.plugins.mlstages.data.TableValidateRequest;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.data.ValidateDataResult;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.Status;
import io.jenkins.plugins.mlstages.table.SqlEngine;
import io.jenkins.plugins.mlstages.table.SqlEngines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mlstages validate-data}: schema, quality and drift checks of a dataset. */
@Command(name = "validate-data", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a dataset against a schema and a reference, in one streaming pass;"
                + " or a table or query where it lives, pushed down as SQL aggregates (docs/tables.md).",
            "Exit 0 passed or warnings only, 1 failed, 2 bad usage or unreadable input (a missing table, bad SQL),"
                + " 3 registry error or unreachable table source."})
final class ValidateDataCommand extends StageCommand {
    @Option(names = "--data", paramLabel = "PATH", description = "the dataset (CSV, JSON lines or Parquet); or --table / --query")
    Path data;

    @Mixin
    TableSourceOptions tables;

    @Option(names = "--format", paramLabel = "csv|jsonl|parquet", description = "format of --data (default: from the file name)")
    String format;

    @Option(names = "--schema", paramLabel = "PATH", description = "schema file, YAML or JSON (docs/schema.md)")
    Path schema;

    @Option(names = "--reference", paramLabel = "PATH",
            description = "reference for drift: a dataset, or a profile saved with --save-profile")
    Path reference;

    @Option(names = "--reference-format", paramLabel = "csv|jsonl|parquet", description = "format of --reference (default: from the file name)")
    String referenceFormat;

    @Option(names = "--report", paramLabel = "PATH.json", description = "write the JSON report here")
    Path report;

    @Option(names = "--save-profile", paramLabel = "PATH.json",
            description = "save this dataset's profile, to serve as --reference later")
    Path saveProfile;

    @Option(names = "--infer-schema", paramLabel = "OUT.yaml",
            description = "write a starting schema inferred from --data instead of validating it")
    Path inferSchema;

    @Option(names = "--max-errors", paramLabel = "N", defaultValue = "5",
            description = "offending rows listed per rule (default: ${DEFAULT-VALUE})")
    int maxErrors;

    @Option(names = "--sample-size", paramLabel = "N", defaultValue = "50000",
            description = "numeric values kept per column for KS and Wasserstein; exact up to this many (default: ${DEFAULT-VALUE})")
    int sampleSize;

    @Option(names = "--skip-text-drift", description = "leave free-text columns out of the drift check and its drifted share"
            + " (default: tested, as Evidently does; a column whose schema names its drift method is always tested)")
    boolean skipTextDrift;

    @Option(names = "--delimiter", paramLabel = "CHAR", description = "CSV field separator (default: ','; 'tab' for a tab)")
    String delimiter;

    @Option(names = "--quote", paramLabel = "CHAR", description = "CSV quote character (default: '\"')")
    String quote;

    @Option(names = "--encoding", paramLabel = "CHARSET", description = "CSV text encoding (default: UTF-8)")
    String encoding;

    @Option(names = "--comment", paramLabel = "CHAR", description = "skip CSV lines starting with this character")
    String comment;

    @Option(names = "--dataset-name", paramLabel = "NAME", description = "name in the report and in MLflow (default: the file name)")
    String datasetName;

    @Option(names = "--run-id", paramLabel = "ID", description = "log the dataset as an input of this MLflow run")
    String runId;

    @Option(names = "--context", paramLabel = "CONTEXT", defaultValue = "training",
            description = "MLflow dataset context with --run-id: training, validation, test, eval (default: ${DEFAULT-VALUE})")
    String context;

    @Option(names = "--dvc-check", paramLabel = "warning|error|off", defaultValue = "warning",
            description = "a --data file that DVC tracks but that is not the one dvc.lock / *.dvc records: a WARNING finding,"
            + " an ERROR (FAILED, exit 1), or off (not compared, not read again) (default: ${DEFAULT-VALUE}; docs/dvc.md)")
    String dvcCheck;

    ValidateDataCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        checkOutputs(report, saveProfile, inferSchema);
        tables.check("--data", data != null, reference != null, main.environment());
        if (tables.chosen() || tables.referenceChosen()) {
            if (data != null) {
                throw new IllegalArgumentException("--reference-table and --reference-query need --table or --query");
            }
            if (inferSchema != null) {
                throw new IllegalArgumentException("--infer-schema reads --data; it cannot be combined with --table or --query");
            }
            return validateTable();
        }
        ValidateData stage = new ValidateData(main.log(), DvcPolicy.parseOption(dvcCheck, "--dvc-check"));
        CsvOptions csv = CsvOptions.fromText(delimiter, quote, comment, encoding, "--");
        if (inferSchema != null) {
            if (schema != null || reference != null) {
                throw new IllegalArgumentException("--infer-schema writes a schema from --data; it cannot be combined with --schema or --reference");
            }
            DatasetProfile profile = stage.profileOnly(data, DataFormat.parseOption(format, "--format"), csv, sampleSize, 42);
            SchemaInference.write(profile, data.getFileName().toString(), inferSchema);
            out("wrote a schema for " + Plural.of(profile.columns().size(), "column") + " to " + inferSchema);
            return ExitCode.PASSED;
        }
        DataSchema parsedSchema = schema == null ? null : SchemaLoader.load(schema);
        ValidateDataRequest request = new ValidateDataRequest(data, DataFormat.parseOption(format, "--format"), csv, parsedSchema,
                reference, DataFormat.parseOption(referenceFormat, "--reference-format"), maxErrors, sampleSize, 42, datasetName, !skipTextDrift);
        return finish(stage.validate(request));
    }

    /** What every validation ends with: the saved profile, the MLflow input, the report, the summary and the exit code. */
    private int finish(ValidateData.Validation validation) throws Exception {
        ValidateDataResult result = validation.result();
        if (saveProfile != null) {
            // The profile of this same pass, typed by the schema: no second read of the data.
            ValidateData.saveProfile(validation.profile(), saveProfile);
        }
        if (runId != null) {
            try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
                client.logInputs(runId, List.of(DatasetInputs.of(result, context)));
            }
        }
        if (report != null) {
            ReportWriter.write(report, result);
        }
        summarise(result);
        return result.status() == Status.FAILED ? ExitCode.FAILED : ExitCode.PASSED;
    }

    /** The dataset (and reference) from a table source: the work pushed down as SQL aggregates (docs/tables.md). */
    private int validateTable() throws Exception {
        DataSchema parsedSchema = schema == null ? null : SchemaLoader.load(schema);
        TableValidateRequest request = new TableValidateRequest(tables.data(), tables.reference(), reference, parsedSchema,
                maxErrors, sampleSize, datasetName, !skipTextDrift, tables.queryTimeout());
        ValidateData.Validation validation;
        try (SqlEngine engine = SqlEngines.open(tables.location(main.environment()), main.environment());
                CancelOnExit stopped = new CancelOnExit(engine)) {
            main.log().info("validate-data: the work runs in " + engine.location());
            validation = new ValidateData(main.log(), DvcPolicy.OFF).validateTable(engine, request);
        }
        return finish(validation);
    }

    private void summarise(ValidateDataResult result) {
        for (Finding finding : result.findings()) {
            if (!finding.passed()) {
                out(finding.line());
            }
        }
        long failed = result.findings().stream().filter(f -> !f.passed()).count();
        out("validate-data " + result.status() + ": " + Plural.of(result.dataset().rows(), "row") + ", "
                + Plural.of(result.dataset().columns(), "column") + ", " + Plural.of(result.findings().size(), "check") + ", "
                + failed + " failed"
                + (result.drift() == null ? "" : ", " + result.drift().stream().filter(d -> d.drifted()).count()
                        + " of " + Plural.of(result.drift().size(), "column") + " drifted")
                + (report == null ? "" : "; report: " + report));
    }
}
