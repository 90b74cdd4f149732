package io.jenkins.plugins.mlstages.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jenkins.plugins.mlstages.registry.MlflowRegistry;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.Plural;
import io.jenkins.plugins.mlstages.report.ReportPage;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageInput;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlstages report}: one build report, as JSON and as a standalone HTML page, from any set of stage reports. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merge stage reports into one build report and write it as a standalone HTML page.",
            "The page works offline and from file://. The exit code does not repeat the stages' verdict:",
            "exit 0 written, 2 bad usage or an unreadable report, 3 registry error (with --run-id)."})
final class ReportCommand extends StageCommand {
    /** Where the artifacts go in the run with {@code --run-id}, beside evaluate's report. */
    static final String ARTIFACT_JSON = "mlstages/report.json";
    static final String ARTIFACT_HTML = "mlstages/report.html";

    @Option(names = "--in", required = true, paramLabel = "REPORT.json",
            description = "a stage report (validate-data, evaluate, gate, register, canary) or a lineage graph (repeatable)")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--html", required = true, paramLabel = "OUT.html", description = "write the HTML page here")
    Path html;

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
        checkOutputs(html, report);
        StageReportReader reader = new StageReportReader();
        List<StageInput> stages = new ArrayList<>();
        for (Path input : inputs) {
            stages.add(reader.read(input, input.toString()));
        }
        BuildReport merged = BuildReport.merge(stages, title);
        String page = ReportPage.html(merged);
        if (report != null) {
            ReportWriter.write(report, merged);
        }
        ReportPage.write(html, page);
        if (runId != null) {
            try (MlflowRegistry client = registry.open(main, RetryPolicy.DEFAULT)) {
                client.uploadArtifact(runId, ARTIFACT_JSON, ReportWriter.mapper().writeValueAsBytes(merged));
                client.uploadArtifact(runId, ARTIFACT_HTML, page.getBytes(StandardCharsets.UTF_8));
            }
            main.log().info("uploaded " + ARTIFACT_JSON + " and " + ARTIFACT_HTML + " to run " + runId);
        }
        out("report " + merged.headline() + "; " + Plural.of(stages.size(), "stage")
                + "; html: " + html + (report == null ? "" : "; report: " + report));
        return ExitCode.PASSED;
    }
}
