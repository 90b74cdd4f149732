package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The ready-made CI files of examples/, read as their CI reads them (YAML). */
final class CiExamples {
    static final Path ROOT = Path.of(System.getProperty("mlstages.root", "..")).toAbsolutePath().normalize();
    static final Path GITHUB = ROOT.resolve("examples/github-actions.yml");
    static final Path GITLAB = ROOT.resolve("examples/gitlab-ci.yml");

    private CiExamples() {
    }

    static JsonNode read(Path file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }

    /** The GitHub job's steps. */
    static JsonNode githubSteps() throws IOException {
        return read(GITHUB).path("jobs").path("ml-pipeline").path("steps");
    }

    /** The {@code run} of the GitHub step with this name. */
    static String githubRun(String name) throws IOException {
        for (JsonNode step : githubSteps()) {
            if (step.path("name").asText().equals(name)) {
                return step.path("run").asText();
            }
        }
        throw new AssertionError("no step '" + name + "' in " + GITHUB);
    }

    static JsonNode gitlabJob() throws IOException {
        return read(GITLAB).path("ml-pipeline");
    }

    static List<String> lines(JsonNode list) {
        List<String> lines = new ArrayList<>();
        list.forEach(n -> lines.add(n.asText()));
        return lines;
    }
}
