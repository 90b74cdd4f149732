package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * examples/github-actions.yml and examples/gitlab-ci.yml run the same set-up and the same pipeline
 * command (examples/ci-pipeline.sh, which CiPipelineIT runs), name only scripts that exist, and
 * collect the files the script writes.
 */
public class CiExamplesTest {
    @Test
    public void bothRunTheSamePipelineCommand() throws Exception {
        String github = CiExamples.githubRun("ML pipeline");
        assertEquals("bash examples/ci-pipeline.sh target/ci", github.strip());
        assertEquals(List.of(github.strip()), CiExamples.lines(CiExamples.gitlabJob().path("script")));
    }

    @Test
    public void bothSetUpTheSamePinnedMlflowAndBuildTheCli() throws Exception {
        String github = CiExamples.githubRun("Set up (MLflow virtualenv, the mlstages CLI)");
        List<String> gitlab = CiExamples.lines(CiExamples.gitlabJob().path("before_script"));
        for (String command : List.of("bash tools/mlflow-venv.sh target/mlflow-venv", "mvn -B -q -DskipTests package")) {
            assertTrue(github, github.contains(command));
            assertTrue(gitlab.toString(), gitlab.contains(command));
        }
    }

    @Test
    public void everyScriptTheyNameExists() throws Exception {
        List<String> commands = new ArrayList<>();
        for (JsonNode step : CiExamples.githubSteps()) {
            commands.add(step.path("run").asText(""));
        }
        commands.addAll(CiExamples.lines(CiExamples.gitlabJob().path("before_script")));
        commands.addAll(CiExamples.lines(CiExamples.gitlabJob().path("script")));
        Matcher scripts = Pattern.compile("bash (\\S+)").matcher(String.join("\n", commands));
        int found = 0;
        while (scripts.find()) {
            assertTrue(scripts.group(1), Files.isRegularFile(CiExamples.ROOT.resolve(scripts.group(1))));
            found++;
        }
        assertEquals(4, found);
    }

    @Test
    public void theyCollectWhatTheScriptWrites() throws Exception {
        String script = Files.readString(CiExamples.ROOT.resolve("examples/ci-pipeline.sh"));
        for (String file : List.of("summary.md", "junit.xml", "report.html")) {
            assertTrue(file, script.contains("\"$out/" + file + "\""));
        }
        JsonNode artifacts = CiExamples.gitlabJob().path("artifacts");
        assertEquals("target/ci/junit.xml", artifacts.path("reports").path("junit").asText());
        assertEquals("always", artifacts.path("when").asText());
        assertEquals(List.of("target/ci/"), CiExamples.lines(artifacts.path("paths")));
        String uploaded = "";
        String comment = "";
        for (JsonNode step : CiExamples.githubSteps()) {
            if (step.path("uses").asText().startsWith("actions/upload-artifact@")) {
                uploaded = step.path("with").path("path").asText();
                assertEquals("always()", step.path("if").asText());
            }
            if (step.path("name").asText().equals("Summary as a pull-request comment")) {
                comment = step.path("run").asText();
            }
        }
        for (String pattern : List.of("target/ci/*.json", "target/ci/*.html", "target/ci/*.md", "target/ci/*.xml")) {
            assertTrue(uploaded, uploaded.contains(pattern));
        }
        assertTrue(comment, comment.contains("--body-file target/ci/comment.md"));
        assertTrue(CiExamples.githubRun("Pull-request comment text"),
                CiExamples.githubRun("Pull-request comment text").contains("target/ci/summary.md > target/ci/comment.md"));
    }
}
