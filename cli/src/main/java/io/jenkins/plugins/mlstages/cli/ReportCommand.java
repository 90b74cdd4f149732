package io.jenkins.plugins.mlstages.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.registry.RegistryConfig;
import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.JUnitReport;
import io.jenkins.plugins.mlstages.report.MarkdownSummary;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportPage;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageInput;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import io.jenkins.plugins.mlstages.report.UnusableFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlstages report}: one build report from any set of stage reports, as a standalone HTML page, a
 * Markdown summary (also appended to {@code $GITHUB_STEP_SUMMARY}) and JUnit XML, and as merged JSON.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merge stage reports into one build report and write it as a standalone HTML page, a Markdown",
            "summary and/or JUnit XML (at least one of --html, --markdown, --junit). The page works offline and",
            "from file://. When $GITHUB_STEP_SUMMARY is set, the Markdown summary is also appended to that file.",
            "The exit code does not repeat the stages' verdict:",
            "exit 0 written, 2 bad usage or an unreadable report, 3 registry error (with --run-id)."})
final class ReportCommand extends StageCommand {
    /** Where the artifacts go in the run with {@code --run-id}, beside evaluate's report. */
    static final String ARTIFACT_JSON = "mlstages/report.json";
    static final String ARTIFACT_HTML = "mlstages/report.html";

    @Option(names = "--in", required = true, paramLabel = "REPORT.json",
            description = "a stage report (validate-data, evaluate, gate, register, canary) or a lineage graph (repeatable)")
    List<Path> inputs = new ArrayList<>();

    /** Set by GitHub Actions to the job's summary file, which each step appends Markdown to. */
    static final String STEP_SUMMARY = "GITHUB_STEP_SUMMARY";

    @Option(names = "--html", paramLabel = "OUT.html", description = "write the HTML page here")
    Path html;

    @Option(names = "--markdown", paramLabel = "OUT.md",
            description = "write the Markdown summary here (for a pull-request comment or a CI job summary)")
    Path markdown;

    @Option(names = "--markdown-detail", paramLabel = "short|full", defaultValue = "short",
            description = "short (default): failed checks (the first " + MarkdownSummary.SHORT_LIMIT + ") and drifted columns;"
                    + " full: every failed check, drift column and validation check, and the canary timeline")
    String markdownDetail;

    @Option(names = "--mlflow-ui", paramLabel = "URL",
            description = "the MLflow web UI the summary links the run and the model version to"
                    + " (default: --registry-url, else $MLFLOW_TRACKING_URI, when http or https)")
    String mlflowUi;

    @Option(names = "--junit", paramLabel = "OUT.xml",
            description = "write JUnit XML here: one test case per check and gate rule (Jenkins junit, GitLab, GitHub)")
    Path junit;

    @Option(names = "--report", paramLabel = "MERGED.json", description = "also write the merged JSON report here")
    Path report;

    @Option(names = "--title", paramLabel = "T", description = "title of the page (default: " + BuildReport.DEFAULT_TITLE + ")")
    String title;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "upload the JSON and the page to this MLflow run as " + ARTIFACT_JSON + " and " + ARTIFACT_HTML)
    String runId;

    ReportCommand(Main main) {
        super(main);
    }

    @Override
    public Integer call() throws Exception {
        if (html == null && markdown == null && junit == null) {
            throw new IllegalArgumentException("give at least one of --html, --markdown, --junit");
        }
        MarkdownSummary.Detail detail = option("--markdown-detail", () -> MarkdownSummary.Detail.parse(markdownDetail));
        if (mlflowUi != null && MarkdownSummary.linkBase(mlflowUi) == null) {
            throw new IllegalArgumentException("--mlflow-ui must be an http or https URL, was '" + mlflowUi + "'");
        }
        checkOutputs(html, report, markdown, junit);
        Path stepSummary = stepSummary();
        StageReportReader reader = new StageReportReader();
        List<StageInput> stages = new ArrayList<>();
        for (Path input : inputs) {
            stages.add(reader.read(input, input.toString()));
        }
        BuildReport merged = BuildReport.merge(stages, title);
        String page = ReportPage.html(merged);
        MarkdownSummary summary = new MarkdownSummary(merged, detail, linkBase());
        if (report != null) {
            ReportWriter.write(report, merged);
        }
        if (html != null) {
            ReportPage.write(html, page);
        }
        if (markdown != null) {
            // the file's pictures beside it: OUT-roc.svg, OUT-precision-recall.svg, OUT-drift.svg
            MarkdownSummary file = summary.withImages(imageStem(markdown));
            for (Map.Entry<String, String> image : file.images().entrySet()) {
                AtomicFile.write(markdown.resolveSibling(image.getKey()), image.getValue().getBytes(StandardCharsets.UTF_8));
            }
            file.write(markdown);
        }
        if (junit != null) {
            new JUnitReport(merged).write(junit);
        }
        if (stepSummary != null) {
            try {
                summary.append(stepSummary);
            } catch (IOException e) {
                throw new UnusableFileException(stepSummary, "cannot append the summary ($" + STEP_SUMMARY + "): " + InputFiles.reason(e), e);
            }
        }
        if (runId != null) {
            try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
                client.uploadArtifact(runId, ARTIFACT_JSON, ReportWriter.mapper().writeValueAsBytes(merged));
                client.uploadArtifact(runId, ARTIFACT_HTML, page.getBytes(StandardCharsets.UTF_8));
            }
            main.log().info("uploaded " + ARTIFACT_JSON + " and " + ARTIFACT_HTML + " to run " + runId);
        }
        out("report " + merged.headline() + "; " + Plural.of(stages.size(), "stage")
                + (html == null ? "" : "; html: " + html) + (markdown == null ? "" : "; markdown: " + markdown)
                + (junit == null ? "" : "; junit: " + junit) + (stepSummary == null ? "" : "; appended to $" + STEP_SUMMARY)
                + (report == null ? "" : "; report: " + report));
        return ExitCode.PASSED;
    }

    /** {@code summary} for {@code summary.md}: the name the summary's SVG files start with. */
    static String imageStem(Path markdown) {
        String name = markdown.getFileName() == null ? "summary" : markdown.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    }

    /** {@code $GITHUB_STEP_SUMMARY} when set, checked before anything is written: it must be a file (or not yet exist) in a directory. */
    private Path stepSummary() throws UnusableFileException {
        String value = main.environment().get(STEP_SUMMARY);
        if (value == null || value.isBlank()) {
            return null;
        }
        Path file = Path.of(value);
        if (Files.isDirectory(file)) {
            throw new UnusableFileException(file, "cannot append the summary ($" + STEP_SUMMARY + "): is a directory, not a file");
        }
        try {
            AtomicFile.checkTarget(file);
        } catch (UnusableFileException e) {
            throw new UnusableFileException(file, "cannot append the summary ($" + STEP_SUMMARY + "): " + e.problem(), e);
        }
        return file;
    }

    /** The MLflow UI for the summary's links: {@code --mlflow-ui}, else the registry's URL; unused unless http(s). */
    private String linkBase() {
        if (mlflowUi != null) {
            return mlflowUi;
        }
        return registry.registryUrl != null ? registry.registryUrl : main.environment().get(RegistryConfig.TRACKING_URI);
    }
}
