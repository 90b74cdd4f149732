package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A run: its info, the latest value of each metric, its parameters and tags, and the datasets it
 * used. Read back with {@link ModelRegistry#getRun(String)}.
 */
public record Run(RunInfo info, Data data, Inputs inputs, Outputs outputs) implements Serializable {
    public Run {
        data = data == null ? new Data(null, null, null) : data;
        inputs = inputs == null ? new Inputs(null, null) : inputs;
        outputs = outputs == null ? new Outputs(null) : outputs;
    }

    public String runId() {
        return info.runId();
    }

    public Map<String, String> tagMap() {
        return Tag.toMap(data.tags());
    }

    public Map<String, String> paramMap() {
        return Tag.toMap(data.params());
    }

    /** Latest metric values, parameters and tags. */
    public record Data(List<Metric> metrics, List<Tag> params, List<Tag> tags) implements Serializable {
        public Data {
            metrics = metrics == null ? List.of() : List.copyOf(metrics);
            params = params == null ? List.of() : List.copyOf(params);
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** Datasets and (MLflow 3) logged models logged as inputs of the run. */
    public record Inputs(List<DatasetInput> datasetInputs, List<ModelRef> modelInputs) implements Serializable {
        public Inputs {
            datasetInputs = datasetInputs == null ? List.of() : List.copyOf(datasetInputs);
            modelInputs = modelInputs == null ? List.of() : List.copyOf(modelInputs);
        }
    }

    /** The MLflow 3 logged models the run produced, each at the step it was logged at. */
    public record Outputs(List<ModelRef> modelOutputs) implements Serializable {
        public Outputs {
            modelOutputs = modelOutputs == null ? List.of() : List.copyOf(modelOutputs);
        }
    }

    /** A logged model as a run's input or output ({@code step} is 0 for inputs). */
    public record ModelRef(String modelId, long step) implements Serializable {
    }

    /** Whether the run made this logged model or lists it among its inputs or outputs. */
    public boolean uses(LoggedModel model) {
        return runId().equals(model.sourceRunId())
                || outputs.modelOutputs().stream().anyMatch(m -> m.modelId().equals(model.modelId()))
                || inputs.modelInputs().stream().anyMatch(m -> m.modelId().equals(model.modelId()));
    }
}
