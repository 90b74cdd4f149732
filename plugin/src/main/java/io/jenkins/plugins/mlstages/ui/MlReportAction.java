package io.jenkins.plugins.mlstages.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Util;
import hudson.model.Action;
import hudson.model.Api;
import hudson.model.Run;
import io.jenkins.plugins.mlstages.config.MlStagesConfiguration;
import io.jenkins.plugins.mlstages.report.AtomicFile;
import io.jenkins.plugins.mlstages.report.BuildReport;
import io.jenkins.plugins.mlstages.report.ReportInputException;
import io.jenkins.plugins.mlstages.report.ReportWriter;
import io.jenkins.plugins.mlstages.report.StageInput;
import io.jenkins.plugins.mlstages.report.StageReportReader;
import io.jenkins.plugins.mlstages.report.Status;
import io.jenkins.plugins.mlstages.support.BuildLog;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jenkins.model.RunAction2;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * The ML report of a build: one per build, every ML Stages step adds its stage report to it. The
 * reports themselves are JSON files under the build directory ({@code ml-stages/NN-<stage>.json});
 * build.xml keeps only {@link StageSummary} fields (status, metrics, model version, champion), which
 * also serve the build summary, {@code /api/json} and the job's trend without reading any report.
 */
@ExportedBean
public final class MlReportAction implements RunAction2, SimpleBuildStep.LastBuildAction {
    static final String URL_NAME = "ml-stages";
    /** The directory of the stage reports under the build directory. */
    static final String DIRECTORY = "ml-stages";

    private static final Object CREATE_LOCK = new Object();

    private transient Run<?, ?> run;
    /** Replaced, never changed in place, so that saving the build never sees a list being changed. */
    private volatile List<StageSummary> stages = new ArrayList<>();
    /** The stage number of each stage recorded with a key; replaced, never changed in place. Null in older builds. */
    private volatile Map<String, Integer> keys;
    /** The engine's one-line verdict of the merged report, refreshed with each stage; null before the first. */
    private volatile String headline;

    private MlReportAction() {}

    /**
     * Adds a stage's report to the build's ML report, creating the report on the build's first stage,
     * and saves the build. This is the one way steps record their results.
     *
     * @param reportJson the stage's {@code ml-stages/v1} report
     * @param summary the line the step logs as its verdict
     * @param runId the MLflow run the stage logged to, when the report does not name it
     * @param registryUrl the registry the stage used (no credentials), for links
     */
    public static StageSummary record(@NonNull Run<?, ?> run, @NonNull String reportJson, @NonNull String summary,
            @CheckForNull String runId, @CheckForNull String registryUrl) throws IOException {
        return record(run, null, reportJson, summary, runId, registryUrl);
    }

    /**
     * {@link #record(Run, String, String, String, String)} once per {@code key}: a stage recorded again under
     * the same key (a canary finished by a second drive) replaces its earlier record, in the report, in
     * {@code /api/json} and in the trend, instead of being added twice.
     *
     * @param key identifies the stage within the build, e.g. {@code canary-<id>}; null adds a new stage
     */
    public static StageSummary record(@NonNull Run<?, ?> run, @CheckForNull String key, @NonNull String reportJson,
            @NonNull String summary, @CheckForNull String runId, @CheckForNull String registryUrl) throws IOException {
        MlReportAction action;
        synchronized (CREATE_LOCK) {
            action = run.getAction(MlReportAction.class);
            if (action == null) {
                action = new MlReportAction();
                run.addAction(action);
            }
        }
        StageSummary added = action.add(key, reportJson, summary, runId, registryUrl);
        run.save();
        return added;
    }

    private synchronized StageSummary add(@CheckForNull String key, String reportJson, String summary, String runId,
            String registryUrl) throws IOException {
        JsonNode report = ReportWriter.mapper().readTree(reportJson);
        Integer earlier = key == null || keys == null ? null : keys.get(key);
        int number = earlier != null ? earlier : stages.size() + 1;
        String stage = report.path("stage").asText("stage").replaceAll("[^A-Za-z0-9-]", "_");
        String file = DIRECTORY + "/" + String.format(Locale.ROOT, "%02d-%s.json", number, stage);
        Path target = new File(run.getRootDir(), file).toPath();
        AtomicFile.write(target, reportJson.getBytes(StandardCharsets.UTF_8));
        StageSummary added = StageSummary.of(number, file, report, summary, runId, registryUrl);
        List<StageSummary> next = new ArrayList<>(stages);
        if (earlier != null) {
            next.set(earlier - 1, added);
        } else {
            next.add(added);
        }
        if (key != null && earlier == null) {
            Map<String, Integer> nextKeys = keys == null ? new HashMap<>() : new HashMap<>(keys);
            nextKeys.put(key, number);
            keys = nextKeys;
        }
        stages = next;
        try {
            headline = merge().headline();
        } catch (ReportInputException | RuntimeException e) {
            // a report the merge cannot read must not fail the step: the build page shows the stage lines alone
            headline = null;
        }
        return added;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        run = r;
        if (stages == null) {
            stages = new ArrayList<>();
        }
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-flask";
    }

    @Override
    public String getDisplayName() {
        return "ML Report";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** The job-level trend, contributed while this is the last successful build's report. */
    @Override
    public Collection<? extends Action> getProjectActions() {
        return run == null ? List.of() : List.of(new MlTrendAction(run.getParent()));
    }

    public Api getApi() {
        return new Api(this);
    }

    /** The stages in the order they ran. */
    @Exported(visibility = 2)
    public List<StageSummary> getStages() {
        return stages;
    }

    /** The worst status of the stages: {@code PASSED}, {@code WARNING} or {@code FAILED}. */
    @Exported(visibility = 2)
    public String getVerdict() {
        Status verdict = Status.PASSED;
        for (StageSummary stage : stages) {
            try {
                verdict = verdict.and(Status.valueOf(stage.getStatus()));
            } catch (IllegalArgumentException unknown) {
                // a status of a later version: does not change the verdict
            }
        }
        return verdict.name();
    }

    /**
     * The engine's one-line verdict of the build's stages, e.g.
     * {@code fraud-detector version 3: WARNING (validate-data WARNING: 1 of 39 checks failed)}.
     */
    @CheckForNull
    @Exported(visibility = 2)
    public String getHeadline() {
        return headline;
    }

    /**
     * The candidate's metrics, chosen as the merged report chooses them: those of the first
     * evaluateModel, else the first modelGate's copy of them; empty when neither ran.
     */
    public Map<String, Double> getMetrics() {
        StageSummary evaluate = first("evaluate");
        if (evaluate != null && !evaluate.getMetrics().isEmpty()) {
            return evaluate.getMetrics();
        }
        StageSummary gate = first("gate");
        return gate == null ? Map.of() : gate.getMetrics();
    }

    /** {@link #getMetrics()} as {@code metrics} in {@code /api/json}: NaN and infinities as strings. */
    @Exported(visibility = 2, name = "metrics")
    public Map<String, Object> getApiMetrics() {
        return StageSummary.forApi(getMetrics());
    }

    /** The champion's metrics from the first modelGate; empty without a gate or a champion. */
    public Map<String, Double> getChampionMetrics() {
        StageSummary gate = first("gate");
        return gate == null ? Map.of() : gate.getChampionMetrics();
    }

    /** {@link #getChampionMetrics()} as {@code championMetrics} in {@code /api/json}: see {@link StageSummary#forApi}. */
    @Exported(visibility = 2, name = "championMetrics")
    public Map<String, Object> getApiChampionMetrics() {
        return StageSummary.forApi(getChampionMetrics());
    }

    /** The registered model of the (first) registerModel, as in the merged report; null without one. */
    @CheckForNull
    @Exported(visibility = 2)
    public String getModel() {
        StageSummary register = first("register");
        return register == null ? null : register.getModel();
    }

    /** The model version registerModel registered (or reused), or null. */
    @CheckForNull
    @Exported(visibility = 2)
    public String getModelVersion() {
        StageSummary register = first("register");
        return register == null ? null : register.getVersion();
    }

    /** The MLflow run of the build: the one registerModel registered from, else the one evaluateModel logged to. */
    @CheckForNull
    @Exported(visibility = 2)
    public String getRunId() {
        for (int i = stages.size() - 1; i >= 0; i--) {
            if (stages.get(i).getRunId() != null) {
                return stages.get(i).getRunId();
            }
        }
        return null;
    }

    /** The MLflow UI page of {@link #getRunId()}, or null without a run or a known UI. */
    @CheckForNull
    @Exported(visibility = 2)
    public String getRunUrl() {
        for (int i = stages.size() - 1; i >= 0; i--) {
            StageSummary stage = stages.get(i);
            String runId = stage.getRunId();
            if (runId != null) {
                String ui = MlStagesConfiguration.get().uiBaseUrl(stage.getRegistryUrl());
                return ui == null ? null : ui + "/#/runs/" + Util.rawEncode(runId);
            }
        }
        return null;
    }

    /** The MLflow UI page of the registered model version, or null. */
    @CheckForNull
    @Exported(visibility = 2)
    public String getModelVersionUrl() {
        StageSummary register = first("register");
        String model = register == null ? null : register.getModel();
        String version = register == null ? null : register.getVersion();
        if (model == null || version == null) {
            return null;
        }
        String ui = MlStagesConfiguration.get().uiBaseUrl(register.getRegistryUrl());
        return ui == null ? null : ui + "/#/models/" + Util.rawEncode(model) + "/versions/" + Util.rawEncode(version);
    }

    /**
     * The headline metrics for the build summary, with their change against the champion the gate
     * compared with, else against the previous build's.
     */
    public List<KeyMetric> getKeyMetrics() {
        Map<String, Double> metrics = getMetrics();
        Map<String, Double> reference = getChampionMetrics();
        String basis = "champion";
        if (reference.isEmpty()) {
            MlReportAction previous = previousReport();
            reference = previous == null ? Map.of() : previous.getMetrics();
            basis = previous == null ? null : "#" + previous.run.getNumber();
        }
        List<KeyMetric> rows = new ArrayList<>();
        for (String name : MlStagesConfiguration.get().trendMetricNames()) {
            Double value = metrics.get(name);
            if (value != null) {
                rows.add(new KeyMetric(name, value, reference.get(name), basis));
            }
        }
        return rows;
    }

    @CheckForNull
    private MlReportAction previousReport() {
        if (run == null) {
            return null;
        }
        Run<?, ?> previous = run.getPreviousBuild();
        for (int i = 0; previous != null && i < MlTrendAction.MAX_BUILDS; i++, previous = previous.getPreviousBuild()) {
            MlReportAction action = previous.getAction(MlReportAction.class);
            if (action != null && !action.getMetrics().isEmpty()) {
                return action;
            }
        }
        return null;
    }

    @CheckForNull
    private StageSummary first(String stage) {
        for (StageSummary summary : stages) {
            if (summary.isStage(stage)) {
                return summary;
            }
        }
        return null;
    }

    /** The whole reports of the stages, read from the build directory, in order. */
    public List<JsonNode> readReports() throws IOException {
        List<JsonNode> reports = new ArrayList<>();
        for (StageSummary stage : stages) {
            File file = new File(run.getRootDir(), stage.getFile());
            if (file.isFile()) {
                reports.add(ReportWriter.mapper().readTree(file));
            }
        }
        return reports;
    }

    /**
     * The MLflow UI the build's links go to: the configured one, else the registry of registerModel, else
     * of the last stage that used one; null when unknown. (mlStagesReport's Markdown links with it.)
     */
    @CheckForNull
    public String getUiBaseUrl() {
        StageSummary register = first("register");
        String registryUrl = register == null ? null : register.getRegistryUrl();
        for (int i = stages.size() - 1; registryUrl == null && i >= 0; i--) {
            registryUrl = stages.get(i).getRegistryUrl();
        }
        return MlStagesConfiguration.get().uiBaseUrl(registryUrl);
    }

    /** The stage reports merged by the engine, as the standalone report page merges them (also what mlStagesReport writes). */
    public BuildReport merge() throws IOException, ReportInputException {
        StageReportReader reader = new StageReportReader();
        List<StageInput> inputs = new ArrayList<>();
        for (StageSummary stage : stages) {
            File file = new File(run.getRootDir(), stage.getFile());
            if (file.isFile()) {
                inputs.add(reader.read(file.toPath(), stage.getFile()));
            }
        }
        if (inputs.isEmpty()) {
            throw new ReportInputException(DIRECTORY, "no stage reports in this build");
        }
        return BuildReport.merge(inputs, run.getFullDisplayName() + " " + getDisplayName());
    }

    /**
     * The build's merged report for the report page: its JSON for the page's script (it reads the
     * {@code data-report} attribute of the {@code .ml-stages-report} element), or, when no stage report
     * can be read (deleted or damaged files), the one-line reason the page shows instead of an error.
     */
    public ReportView getReportView() {
        try {
            return new ReportView(
                    ReportWriter.newMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(merge()), null);
        } catch (ReportInputException | IOException | RuntimeException e) {
            return new ReportView(null, BuildLog.oneLine(e.getMessage()));
        }
    }

    /** What the report page shows: the merged report, or why there is none. */
    public static final class ReportView {
        private final String json;
        private final String problem;

        ReportView(@CheckForNull String json, @CheckForNull String problem) {
            this.json = json;
            this.problem = problem;
        }

        /** The merged report as JSON; null when {@link #getProblem()} says why not. */
        @CheckForNull
        public String getJson() {
            return json;
        }

        /** Why the stage reports of the build cannot be shown; null when they can. */
        @CheckForNull
        public String getProblem() {
            return problem;
        }
    }
}
