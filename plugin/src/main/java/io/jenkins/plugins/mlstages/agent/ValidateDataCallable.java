package io.jenkins.plugins.mlstages.agent;

import io.jenkins.plugins.mlstages.support.StageOutcome;
import io.jenkins.plugins.mlstages.steps.ValidateDataStep;
import io.jenkins.plugins.mlstages.data.CsvOptions;
import io.jenkins.plugins.mlstages.data.DataFormat;
import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.data.SchemaLoader;
import io.jenkins.plugins.mlstages.data.ValidateData;
import io.jenkins.plugins.mlstages.data.ValidateDataRequest;
import io.jenkins.plugins.mlstages.data.ValidateDataResult;
import io.jenkins.plugins.mlstages.dvc.DvcPolicy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs the validateData stage on the agent, where the data is. Every field is a plain value; paths
 * are resolved against the workspace on the agent. Bad input (unreadable data or schema, a bad
 * option) comes back as a one-line {@link StageOutcome#error}, not as an exception.
 */
public final class ValidateDataCallable extends StageCallable<ValidateDataResult> {
    private static final long serialVersionUID = 1L;

    /** The seed of the drift sample, as the CLI's. */
    private static final long SEED = 42;

    private final String data;
    private final String format;
    private final String schema;
    private final String reference;
    private final String referenceFormat;
    private final String delimiter;
    private final String quote;
    private final String encoding;
    private final String comment;
    private final String datasetName;
    private final int maxErrors;
    private final int sampleSize;
    private final boolean skipTextDrift;
    private final DvcPolicy dvcPolicy;

    public ValidateDataCallable(ValidateDataStep step) {
        super(step.getReport());
        this.data = step.getData();
        this.format = step.getFormat();
        this.schema = step.getSchema();
        this.reference = step.getReference();
        this.referenceFormat = step.getReferenceFormat();
        this.delimiter = step.getDelimiter();
        this.quote = step.getQuote();
        this.encoding = step.getEncoding();
        this.comment = step.getComment();
        this.datasetName = step.getDatasetName();
        this.maxErrors = step.getMaxErrors();
        this.sampleSize = step.getSampleSize();
        this.skipTextDrift = step.isSkipTextDrift();
        this.dvcPolicy = DvcPolicy.parseOption(step.getDvcCheck(), "dvcCheck");
    }

    @Override
    protected ValidateDataResult run(Path base, CollectedLog log) throws IOException, DataFormatException {
        ValidateDataRequest request = new ValidateDataRequest(
                base.resolve(data),
                DataFormat.parseOption(format, "format"),
                CsvOptions.fromText(delimiter, quote, comment, encoding, ""),
                schema == null ? null : SchemaLoader.load(base.resolve(schema)),
                reference == null ? null : base.resolve(reference),
                DataFormat.parseOption(referenceFormat, "referenceFormat"),
                maxErrors,
                sampleSize,
                SEED,
                datasetName,
                !skipTextDrift);
        return new ValidateData(log, dvcPolicy).run(request);
    }

    @Override
    protected StageOutcome outcome(ValidateDataResult result, CollectedLog log) throws IOException {
        return StageOutcome.ran(result, log, true, null);
    }
}
