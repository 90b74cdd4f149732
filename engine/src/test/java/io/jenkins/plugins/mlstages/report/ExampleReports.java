package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The stage reports of one run of examples/run-pipeline.sh (test resources under {@code example/}),
 * plus two reports of its canary: {@code canary} rolled back (case 2 of examples/canary/run-canary.sh)
 * and {@code canary-promoted} (case 1). Shared with the CLI module's tests.
 */
public final class ExampleReports {
    /** The reports the example pipeline passes to {@code mlstages report}, in its order. */
    public static final List<String> PIPELINE = List.of("validate-data", "evaluate", "gate", "register", "lineage");

    private ExampleReports() {
    }

    public static InputStream open(String name) {
        InputStream in = ExampleReports.class.getResourceAsStream("example/" + name + ".json");
        if (in == null) {
            throw new IllegalArgumentException("no example report " + name);
        }
        return in;
    }

    /** The raw JSON of an example report, for computing expected values independently of the merge. */
    public static JsonNode json(String name) {
        try (InputStream in = open(name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StageInput input(String name) {
        try (InputStream in = open(name)) {
            return new StageReportReader().parse(in, name + ".json");
        } catch (IOException | ReportInputException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<StageInput> inputs(List<String> names) {
        List<StageInput> inputs = new ArrayList<>();
        for (String name : names) {
            inputs.add(input(name));
        }
        return inputs;
    }
}
