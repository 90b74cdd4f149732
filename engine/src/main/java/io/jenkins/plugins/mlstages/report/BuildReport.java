package io.jenkins.plugins.mlstages.report;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mlstages.deploy.ShadowResult;
import io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourSummary;
import io.jenkins.plugins.mlstages.report.ReportSummary.AliasState;
import io.jenkins.plugins.mlstages.report.ReportSummary.DriftBar;
import io.jenkins.plugins.mlstages.report.ReportSummary.Gate;
import io.jenkins.plugins.mlstages.report.ReportSummary.GateRule;
import io.jenkins.plugins.mlstages.report.ReportSummary.KeyMetric;
import io.jenkins.plugins.mlstages.report.ReportSummary.Registration;
import io.jenkins.plugins.mlstages.report.ReportSummary.StageFinding;
import io.jenkins.plugins.mlstages.report.ReportSummary.StageLine;
import io.jenkins.plugins.mlstages.report.ReportSummary.Validation;
import io.jenkins.plugins.mlstages.report.ReportSummary.Verdict;

/**
 * One build's report: any set of stage reports merged. {@code stages} holds each report verbatim;
 * {@code summary} is what the report page shows ({@link ReportSummary}); {@code status} is the worst
 * status of the stages; {@code metrics} the key metrics of the candidate; {@code lineage} the nodes of
 * all stages, deduplicated. When a stage appears twice, the summary uses the first report of it.
 */
@JsonPropertyOrder({"schema", "stage", "status", "findings", "metrics", "lineage", "stages", "summary"})
public record BuildReport(Status status, Map<String, Double> metrics, List<LineageNode> lineage, List<ObjectNode> stages,
        ReportSummary summary) implements StageReport, Serializable {
    public static final String STAGE = "report";
    public static final String DEFAULT_TITLE = "ML build report";

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = ReportWriter.newMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BuildReport {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        lineage = List.copyOf(lineage);
        stages = List.copyOf(stages);
    }

    @Override
    @JsonProperty("stage")
    public String stage() {
        return STAGE;
    }

    /** The report judges nothing itself; the stages' findings are in the summary. */
    @Override
    @JsonProperty("findings")
    public List<Finding> findings() {
        return List.of();
    }

    /** The summary's verdict, for callers that print it. */
    @JsonIgnore
    public String headline() {
        return summary.verdict().headline();
    }

    /**
     * Merges stage reports in the order given.
     *
     * @param title the page title; null for {@value #DEFAULT_TITLE}
     * @throws ReportInputException when a report has the right schema but a section cannot be read
     */
    public static BuildReport merge(List<StageInput> inputs, String title) throws ReportInputException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no stage reports to merge");
        }
        Status status = Status.PASSED;
        List<StageLine> lines = new ArrayList<>();
        List<StageFinding> failed = new ArrayList<>();
        ReportLineage lineage = new ReportLineage();
        for (StageInput input : inputs) {
            status = status.and(input.status());
            List<Finding> findings = findings(input);
            int failures = 0;
            for (Finding finding : findings) {
                if (!finding.passed()) {
                    failures++;
                    failed.add(new StageFinding(input.stage(), finding.check(), finding.subject(), finding.severity(),
                            finding.message(), finding.observed(), finding.expected()));
                }
            }
            lines.add(new StageLine(input.stage(), input.status(), input.file(), findings.size(), failures));
            lineage.add(input);
        }
        StageInput validate = first(inputs, "validate-data");
        StageInput evaluate = first(inputs, "evaluate");
        StageInput gate = first(inputs, "gate");
        StageInput register = first(inputs, "register");
        StageInput canary = first(inputs, "canary");
        StageInput shadow = first(inputs, "shadow");
        StageInput blueGreen = first(inputs, "blue-green");
        if (canary != null) {
            addDeployment(lineage, canary);
        }
        if (blueGreen != null) {
            addDeployment(lineage, blueGreen);
        }
        Registration registration = register == null ? null : convert(register, register.json(), Registration.class, "registration");
        List<KeyMetric> keyMetrics = KeyMetrics.of(evaluate, gate);
        ReportSummary summary = new ReportSummary(title == null || title.isBlank() ? DEFAULT_TITLE : title,
                new Verdict(status, headline(status, lines, registration), lines), registration, aliases(inputs), keyMetrics, failed,
                validation(validate), drift(validate), curves(evaluate), gate(gate), canary(canary), shadow(shadow),
                canary(blueGreen), lineage.graph());
        List<LineageNode> nodes = lineage.nodes().stream()
                .map(n -> new LineageNode(n.type(), n.id(), n.name(), n.attributes())).collect(Collectors.toList());
        return new BuildReport(status, KeyMetrics.values(keyMetrics), nodes,
                inputs.stream().map(StageInput::json).collect(Collectors.toList()), summary);
    }

    /**
     * The aliases as the build left them, in the order they were first set: register sets its aliases
     * to the registered version, a canary or blue/green deployment sets its champion (and previous) alias when it
     * promotes or rolls back; a later report wins. Null when no report moved an alias.
     */
    static List<AliasState> aliases(List<StageInput> inputs) {
        Map<String, AliasState> aliases = new LinkedHashMap<>();
        for (StageInput input : inputs) {
            String model = input.path("model").asText("");
            if (input.stage().equals("register") && input.path("version").isValueNode()) {
                for (JsonNode alias : input.path("aliases")) {
                    aliases.put(model + "@" + alias.asText(), new AliasState(model, alias.asText(), input.path("version").asText(),
                            input.stage()));
                }
            } else if ((input.stage().equals("canary") || input.stage().equals("blue-green")) && input.path("aliases").isObject()) {
                input.path("aliases").fields().forEachRemaining(e -> aliases.put(model + "@" + e.getKey(),
                        new AliasState(model, e.getKey(), e.getValue().asText(), input.stage())));
            }
        }
        return aliases.isEmpty() ? null : new ArrayList<>(aliases.values());
    }

    private static StageInput first(List<StageInput> inputs, String stage) {
        return inputs.stream().filter(i -> i.stage().equals(stage)).findFirst().orElse(null);
    }

    /** E.g. {@code fraud-detector version 3: WARNING (validate-data WARNING: 1 of 39 checks failed)}. */
    static String headline(Status status, List<StageLine> lines, Registration registration) {
        StringBuilder text = new StringBuilder();
        if (registration != null && registration.model() != null) {
            text.append(registration.model()).append(" version ").append(registration.version()).append(": ");
        }
        text.append(status);
        List<String> why = new ArrayList<>();
        for (StageLine line : lines) {
            if (line.status() != Status.PASSED) {
                why.add(line.stage() + " " + line.status() + (line.failed() > 0
                        ? ": " + line.failed() + " of " + line.checks() + (line.checks() == 1 ? " check" : " checks") + " failed"
                        : ""));
            }
        }
        if (why.isEmpty()) {
            text.append(" (").append(lines.size() == 1 ? "the stage passed" : "all " + lines.size() + " stages passed").append(')');
        } else {
            text.append(" (").append(String.join("; ", why)).append(')');
        }
        return text.toString();
    }

    private static List<Finding> findings(StageInput input) throws ReportInputException {
        List<Finding> findings = new ArrayList<>();
        JsonNode array = input.path("findings");
        int index = 0;
        for (JsonNode node : array) {
            index++;
            findings.add(convert(input, node, Finding.class, "finding " + index));
        }
        return findings;
    }

    private static Validation validation(StageInput validate) throws ReportInputException {
        if (validate == null) {
            return null;
        }
        List<Finding> findings = findings(validate);
        JsonNode dataset = validate.path("dataset");
        int failed = (int) findings.stream().filter(f -> !f.passed()).count();
        return new Validation(dataset.path("name").isTextual() ? dataset.path("name").asText() : null,
                dataset.path("rows").isNumber() ? dataset.path("rows").asLong() : null,
                dataset.path("columns").isNumber() ? dataset.path("columns").asLong() : null,
                dataset.path("digest").isTextual() ? dataset.path("digest").asText() : null, findings.size(), failed, findings);
    }

    private static List<DriftBar> drift(StageInput validate) {
        if (validate == null || !validate.path("drift").isArray()) {
            return null;
        }
        List<DriftBar> bars = new ArrayList<>();
        for (JsonNode column : validate.path("drift")) {
            // Reports before "measure" and "comparison": a p-value is what a test with one compares (drift when small).
            Double pValue = KeyMetrics.number(column.path("p_value"));
            String method = column.path("method").asText(null);
            String measure = column.path("measure").isTextual() ? column.path("measure").asText()
                    : pValue != null ? method + " p_value" : method;
            String comparison = column.path("comparison").isTextual() ? column.path("comparison").asText() : pValue != null ? "<=" : ">=";
            Double statistic = KeyMetrics.number(column.path("statistic"));
            bars.add(new DriftBar(column.path("column").asText(), method, measure, pValue != null ? pValue : statistic, comparison,
                    KeyMetrics.number(column.has("compared_with") ? column.path("compared_with") : column.path("threshold")),
                    column.path("drifted").asBoolean(), statistic));
        }
        return bars;
    }

    /** Evaluate's curves as it wrote them: {@code roc}, {@code precision_recall}, {@code calibration}, each {@code x, y, xs, ys}. */
    private static JsonNode curves(StageInput evaluate) {
        return evaluate == null || !evaluate.path("curves").isObject() ? null : evaluate.path("curves");
    }

    private static Gate gate(StageInput gate) throws ReportInputException {
        if (gate == null) {
            return null;
        }
        List<GateRule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode rule : gate.path("rules")) {
            index++;
            rules.add(convert(gate, rule, GateRule.class, "rule " + index));
        }
        JsonNode champion = gate.path("champion");
        return new Gate(gate.status(), champion.path("source").asText(null), champion.path("version").asText(null),
                gate.path("first_model_policy").asText(null), rules);
    }

    /**
     * The canary's outcome and timeline as the canary stage wrote them, plus: {@code started}, the first
     * entry's time in UTC to the second; in each entry {@code elapsed_seconds} since then (to the
     * millisecond) and, with analyses, {@code analysis_verdict}, the worst of them (FAIL, then
     * INCONCLUSIVE, then PASS); in each analysis of a relative check (one with a stable query)
     * {@code difference: true}, as its {@code value} is canary − stable, not the canary's own value.
     */
    private static JsonNode canary(StageInput canary) {
        if (canary == null) {
            return null;
        }
        ObjectNode view = MAPPER.createObjectNode();
        for (String field : List.of("status", "model", "version", "stable_version", "verdict", "aliases")) {
            if (canary.json().has(field)) {
                view.set(field, canary.path(field));
            }
        }
        if (canary.path("timeline").isArray()) {
            ArrayNode timeline = view.putArray("timeline");
            Instant start = null;
            for (JsonNode entry : canary.path("timeline")) {
                JsonNode copy = entry.deepCopy();
                if (copy.isObject()) {
                    ObjectNode object = (ObjectNode) copy;
                    Instant time = instant(entry.path("time"));
                    if (time != null) {
                        if (start == null) {
                            start = time;
                            view.put("started", STARTED.format(time));
                        }
                        object.put("elapsed_seconds", Duration.between(start, time).toMillis() / 1000.0);
                    }
                    String worst = worstVerdict(entry.path("analyses"));
                    if (worst != null) {
                        object.put("analysis_verdict", worst);
                    }
                    for (JsonNode analysis : object.path("analyses")) {
                        if (analysis.isObject() && analysis.path("stable_query").isTextual()) {
                            ((ObjectNode) analysis).put("difference", true);
                        }
                    }
                }
                timeline.add(copy);
            }
        }
        return view;
    }

    /**
     * The shadow run as the canary's view shows it ({@link #canary}), plus, on its analysis, the comparison
     * the checks were judged on in the shape of a canary analysis' {@code behaviour} (live, candidate, the
     * figures by the names checks use and both versions' output distribution), so that the page draws both
     * with the same panel.
     */
    private static JsonNode shadow(StageInput shadow) {
        if (shadow == null) {
            return null;
        }
        ObjectNode view = (ObjectNode) canary(shadow);
        ObjectNode figures = MAPPER.createObjectNode();
        JsonNode metrics = shadow.path("metrics");
        for (String name : BehaviourSummary.METRICS) {
            JsonNode value = metrics.path(ShadowResult.metricName(name));
            if (value.isNumber()) {
                figures.set(name, value);
            }
        }
        if (shadow.path("distribution").isObject()) {
            figures.set("distribution", shadow.path("distribution"));
        }
        JsonNode analysis = null;
        for (JsonNode entry : view.path("timeline")) {
            if ("analysis".equals(entry.path("event").asText()) && entry.isObject()) {
                analysis = entry;
            }
        }
        if (analysis != null && !analysis.has("behaviour") && figures.size() > 0) {
            String stable = shadow.path("stable_version").asText("");
            ObjectNode behaviour = ((ObjectNode) analysis).putObject("behaviour");
            behaviour.put("live", stable.isEmpty() ? "the live model" : "version " + stable);
            behaviour.put("candidate", "version " + shadow.path("version").asText(""));
            behaviour.set("behaviour", figures);
        }
        return view;
    }

    private static Instant instant(JsonNode time) {
        try {
            return time.isTextual() ? Instant.parse(time.asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String worstVerdict(JsonNode analyses) {
        List<String> order = List.of("PASS", "INCONCLUSIVE", "FAIL");
        String worst = null;
        for (JsonNode analysis : analyses) {
            String verdict = analysis.path("verdict").asText("");
            if (order.contains(verdict) && (worst == null || order.indexOf(verdict) > order.indexOf(worst))) {
                worst = verdict;
            }
        }
        return worst;
    }

    /** A canary that wrote no deployment node of its own still shows in the graph: version → deployment. */
    private static void addDeployment(ReportLineage lineage, StageInput canary) {
        String model = canary.path("model").asText("");
        String version = canary.path("version").asText("");
        boolean hasDeployment = canary.path("lineage").findValues("type").stream().anyMatch(t -> "deployment".equals(t.asText()));
        if (model.isEmpty() || version.isEmpty() || hasDeployment) {
            return;
        }
        String versionId = model + "/" + version;
        lineage.node("model_version", versionId, model, Map.of());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("model_version", versionId);
        if (canary.path("verdict").isTextual()) {
            attributes.put("verdict", canary.path("verdict").asText());
        }
        if (canary.path("stable_version").isValueNode()) {
            attributes.put("stable_version", canary.path("stable_version").asText());
        }
        lineage.node("deployment", versionId + "@canary", "canary " + canary.path("verdict").asText(""), attributes);
    }

    private static <T> T convert(StageInput input, JsonNode node, Class<T> type, String what) throws ReportInputException {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ReportInputException(input.file(), what + " of the " + input.stage() + " report cannot be read: "
                    + InputFiles.parseProblem(e));
        }
    }
}
