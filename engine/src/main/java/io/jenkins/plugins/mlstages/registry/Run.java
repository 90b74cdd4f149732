package io.jenkins.plugins.mlstages.registry;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A run: its info, the latest value of each metric, its parameters and tags, and the datasets it
 * used. Read back with {@link ModelRegistry#getRun(String)}.
 */
public record Run(RunInfo info, Data data, Inputs inputs) implements Serializable {
    public Run {
        data = data == null ? new Data(null, null, null) : data;
        inputs = inputs == null ? new Inputs(null) : inputs;
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

    /** Datasets logged as inputs of the run. */
    public record Inputs(List<DatasetInput> datasetInputs) implements Serializable {
        public Inputs {
            datasetInputs = datasetInputs == null ? List.of() : List.copyOf(datasetInputs);
        }
    }
}
