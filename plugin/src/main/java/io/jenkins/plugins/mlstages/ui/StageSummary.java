package io.jenkins.plugins.mlstages.ui;

import com.fasterxml.jackson.databind.JsonNode;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.mlstages.report.ReportNumbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * The small part of one stage's report that stays in build.xml and reaches {@code /api/json}: status,
 * metrics, model version, champion. The whole report is in {@link #getFile()} under the build
 * directory. Plain fields only: this is serialized by XStream with the build.
 */
@ExportedBean(defaultVisibility = 3)
public final class StageSummary {
    private final int number;
    private final String stage;
    private final String status;
    private final String file;
    private final String summary;
    private final LinkedHashMap<String, Double> metrics;
    private final String registryUrl;
    private String runId;
    private String model;
    private String version;
    private ArrayList<String> aliases;
    private String championModel;
    private String championAlias;
    private String championVersion;
    private LinkedHashMap<String, Double> championMetrics;

    private StageSummary(int number, String stage, String status, String file, String summary,
            LinkedHashMap<String, Double> metrics, String registryUrl) {
        this.number = number;
        this.stage = stage;
        this.status = status;
        this.file = file;
        this.summary = summary;
        this.metrics = metrics;
        this.registryUrl = registryUrl;
    }

    /**
     * Reads the summary fields out of a stage report ({@code ml-stages/v1} JSON).
     *
     * @param runId the MLflow run the stage logged to, when the report does not name it (evaluate)
     * @param registryUrl the registry the stage talked to, for links; never carries credentials
     */
    static StageSummary of(int number, String file, JsonNode report, String summary, @CheckForNull String runId,
            @CheckForNull String registryUrl) {
        StageSummary s = new StageSummary(number, report.path("stage").asText(), report.path("status").asText(), file,
                summary, numbers(report.path("metrics")), registryUrl);
        s.runId = text(report, "run_id") != null ? text(report, "run_id") : runId;
        s.model = text(report, "model");
        s.version = text(report, "version");
        if (report.path("aliases").isArray()) {
            s.aliases = new ArrayList<>();
            report.path("aliases").forEach(alias -> s.aliases.add(alias.asText()));
        }
        JsonNode champion = report.path("champion");
        if (champion.isObject()) {
            s.championModel = text(champion, "model");
            s.championAlias = text(champion, "alias");
            s.championVersion = text(champion, "version");
            s.championMetrics = numbers(champion.path("metrics"));
        }
        return s;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The numbers as reports carry them, "NaN" and "Infinity" included (the engine's one reader of them). */
    private static LinkedHashMap<String, Double> numbers(JsonNode object) {
        return new LinkedHashMap<>(ReportNumbers.readAll(object));
    }

    /**
     * Numbers for {@code /api/json}, spelled as reports spell them: a finite number as a number, NaN and
     * the infinities as the strings "NaN", "Infinity", "-Infinity". Stapler's JSONDataWriter (stapler
     * 2050.v425108fd5089, {@code valuePrimitive}: {@code data(v.toString())}) would write a Double NaN as
     * the bare token NaN, which is not JSON and breaks every client of the whole page.
     */
    public static Map<String, Object> forApi(Map<String, Double> numbers) {
        Map<String, Object> values = new LinkedHashMap<>();
        numbers.forEach((name, value) -> values.put(name, Double.isFinite(value) ? value : value.toString()));
        return values;
    }

    /** 1 for the build's first stage, 2 for the next, ... */
    @Exported
    public int getNumber() {
        return number;
    }

    /** The stage's CLI name: {@code validate-data}, {@code evaluate}, {@code gate}, {@code register}. */
    @Exported
    public String getStage() {
        return stage;
    }

    /** {@code PASSED}, {@code WARNING} or {@code FAILED}. */
    @Exported
    public String getStatus() {
        return status;
    }

    /** The whole report, relative to the build directory. */
    public String getFile() {
        return file;
    }

    /** The line the step logged at the end. */
    @Exported
    public String getSummary() {
        return summary;
    }

    /** The stage's metrics, NaN and infinities included. */
    public Map<String, Double> getMetrics() {
        return metrics == null ? Map.of() : metrics;
    }

    /** {@link #getMetrics()} as {@code metrics} in {@code /api/json}: see {@link #forApi}. */
    @Exported(name = "metrics")
    public Map<String, Object> getApiMetrics() {
        return forApi(getMetrics());
    }

    @CheckForNull
    public String getRegistryUrl() {
        return registryUrl;
    }

    @CheckForNull
    @Exported
    public String getRunId() {
        return runId;
    }

    @CheckForNull
    @Exported
    public String getModel() {
        return model;
    }

    @CheckForNull
    @Exported
    public String getVersion() {
        return version;
    }

    @Exported
    public List<String> getAliases() {
        return aliases == null ? List.of() : aliases;
    }

    @CheckForNull
    @Exported
    public String getChampionModel() {
        return championModel;
    }

    @CheckForNull
    @Exported
    public String getChampionAlias() {
        return championAlias;
    }

    @CheckForNull
    @Exported
    public String getChampionVersion() {
        return championVersion;
    }

    public Map<String, Double> getChampionMetrics() {
        return championMetrics == null ? Map.of() : championMetrics;
    }

    /** {@link #getChampionMetrics()} as {@code championMetrics} in {@code /api/json}: see {@link #forApi}. */
    @Exported(name = "championMetrics")
    public Map<String, Object> getApiChampionMetrics() {
        return forApi(getChampionMetrics());
    }

    boolean isStage(String name) {
        return name.equals(stage);
    }
}
