package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mlstages.report.ReportSummary.AliasState;
import io.jenkins.plugins.mlstages.report.ReportSummary.DriftBar;
import io.jenkins.plugins.mlstages.report.ReportSummary.GraphEdge;
import io.jenkins.plugins.mlstages.report.ReportSummary.GraphNode;
import io.jenkins.plugins.mlstages.report.ReportSummary.KeyMetric;

/** Merging stage reports: status, key metrics against the champion, lineage, and what the page is given. */
public class BuildReportTest {
    private static final double EPS = 1e-12;

    private static BuildReport merge(String... names) throws ReportInputException {
        return BuildReport.merge(ExampleReports.inputs(List.of(names)), null);
    }

    private static KeyMetric metric(BuildReport report, String name) {
        return report.summary().metrics().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no key metric " + name));
    }

    @Test
    public void theStatusIsTheWorstOfTheStages() throws Exception {
        assertEquals(Status.WARNING, merge("validate-data", "evaluate", "gate", "register", "lineage").status());
        assertEquals(Status.PASSED, merge("evaluate", "gate", "register").status());
        assertEquals(Status.FAILED, merge("gate", "canary", "validate-data").status());
        BuildReport report = merge("validate-data", "evaluate", "gate", "register", "lineage");
        assertEquals("fraud-detector version 2: WARNING (validate-data WARNING: 1 of 39 checks failed)", report.headline());
        assertEquals("PASSED (all 3 stages passed)", merge("evaluate", "gate", "lineage").headline());
    }

    @Test
    public void theMergedReportHasTheSharedTopLevelAndEachStageVerbatim() throws Exception {
        BuildReport report = merge("validate-data", "evaluate", "gate", "register", "lineage");
        JsonNode json = ReportWriter.mapper().valueToTree(report);
        assertEquals("ml-stages/v1", json.path("schema").asText());
        assertEquals("report", json.path("stage").asText());
        assertEquals("WARNING", json.path("status").asText());
        assertTrue(json.path("findings").isArray());
        assertEquals(0, json.path("findings").size());
        assertEquals(5, json.path("stages").size());
        for (int i = 0; i < ExampleReports.PIPELINE.size(); i++) {
            assertEquals(ExampleReports.json(ExampleReports.PIPELINE.get(i)), json.path("stages").get(i));
        }
        JsonNode evaluate = ExampleReports.json("evaluate").path("metrics");
        assertEquals(evaluate.path("roc_auc").asDouble(), json.path("metrics").path("roc_auc").asDouble(), 0);
        assertEquals(evaluate.path("log_loss").asDouble(), json.path("metrics").path("log_loss").asDouble(), 0);
        assertFalse("not a key metric", json.path("metrics").has("true_positives"));
        // what the page reads
        JsonNode summary = json.path("summary");
        for (String field : List.of("title", "verdict", "registration", "metrics", "findings", "validation", "drift", "curves",
                "gate", "lineage")) {
            assertTrue(field, summary.has(field));
        }
        assertFalse("no canary stage", summary.has("canary"));
        assertEquals(BuildReport.DEFAULT_TITLE, summary.path("title").asText());
    }

    @Test
    public void keyMetricsAreComparedWithTheGatesChampion() throws Exception {
        BuildReport report = merge("evaluate", "gate");
        JsonNode candidate = ExampleReports.json("evaluate").path("metrics");
        JsonNode champion = ExampleReports.json("gate").path("champion").path("metrics");
        JsonNode intervals = ExampleReports.json("evaluate").path("intervals");
        List<String> expected = new ArrayList<>();
        for (String name : List.of("roc_auc", "precision_recall_auc", "f1_score", "precision_score", "recall_score",
                "accuracy_score", "log_loss", "brier_score_loss", "expected_calibration_error")) {
            expected.add(name);
            KeyMetric m = metric(report, name);
            double value = candidate.path(name).asDouble();
            double championValue = champion.path(name).asDouble();
            assertEquals(name, value, m.value(), 0);
            assertEquals(name, championValue, m.champion(), 0);
            assertEquals(name, value - championValue, m.delta(), EPS);
            boolean lowerIsBetter = name.endsWith("_loss") || name.endsWith("_error");
            assertEquals(name, !lowerIsBetter, m.higherIsBetter());
            assertEquals(name, value > championValue ? "up" : "down", m.direction());
            assertEquals(name, (value > championValue) != lowerIsBetter ? "good" : "bad", m.effect());
            if (intervals.has(name)) {
                assertEquals(intervals.path(name).path("lower").asDouble(), m.lower(), 0);
                assertEquals(intervals.path(name).path("upper").asDouble(), m.upper(), 0);
                assertEquals(0.95, m.level(), 0);
            } else {
                assertNull(name, m.lower());
            }
        }
        assertEquals(expected, report.summary().metrics().stream().map(KeyMetric::name).collect(Collectors.toList()));
        // the example's own numbers: the candidate is better on AUC, worse on accuracy and calibration error, better on log loss
        assertEquals("good", metric(report, "roc_auc").effect());
        assertEquals("bad", metric(report, "accuracy_score").effect());
        assertEquals("down", metric(report, "log_loss").direction());
        assertEquals("good", metric(report, "log_loss").effect());
        assertEquals("up", metric(report, "expected_calibration_error").direction());
        assertEquals("bad", metric(report, "expected_calibration_error").effect());
    }

    @Test
    public void withoutAGateTheChampionComesFromThePairedIntervals() throws Exception {
        BuildReport report = merge("evaluate");
        JsonNode evaluate = ExampleReports.json("evaluate");
        JsonNode paired = evaluate.path("paired").path("roc_auc");
        KeyMetric auc = metric(report, "roc_auc");
        double value = evaluate.path("metrics").path("roc_auc").asDouble();
        assertEquals(value - paired.path("estimate").asDouble(), auc.champion(), EPS);
        assertEquals(paired.path("estimate").asDouble(), auc.delta(), EPS);
        assertEquals(paired.path("lower").asDouble(), auc.deltaLower(), 0);
        assertEquals(paired.path("upper").asDouble(), auc.deltaUpper(), 0);
        assertEquals(Boolean.TRUE, auc.significant());
        // the paired accuracy interval lies below 0: worse, and significantly so
        KeyMetric accuracy = metric(report, "accuracy_score");
        assertEquals("bad", accuracy.effect());
        assertEquals(Boolean.TRUE, accuracy.significant());
        // no paired interval, no gate: no champion
        KeyMetric logLoss = metric(report, "log_loss");
        assertNull(logLoss.champion());
        assertNull(logLoss.delta());
        assertNull(logLoss.direction());
        assertNull(logLoss.significant());
    }

    @Test
    public void lowerIsBetterForLossesErrorsAndDifferences() {
        for (String name : List.of("log_loss", "brier_score_loss", "root_mean_squared_error", "mean_absolute_error", "max_error",
                "expected_calibration_error", "demographic_parity_difference")) {
            assertTrue(name, KeyMetrics.lowerIsBetter(name));
        }
        for (String name : List.of("roc_auc", "r2_score", "f1_score", "accuracy_score", "demographic_parity_ratio")) {
            assertFalse(name, KeyMetrics.lowerIsBetter(name));
        }
    }

    @Test
    public void aRegressionMetricThatFallsIsGood() throws Exception {
        ObjectNode evaluate = (ObjectNode) new ObjectMapper().readTree("{\"schema\":\"ml-stages/v1\",\"stage\":\"evaluate\","
                + "\"status\":\"PASSED\",\"findings\":[],\"lineage\":[],\"metrics\":{\"root_mean_squared_error\":2.5,\"r2_score\":0.8},"
                + "\"paired\":{\"root_mean_squared_error\":{\"estimate\":-0.5,\"lower\":-0.9,\"upper\":0.1}}}");
        BuildReport report = BuildReport.merge(List.of(new StageInput("e.json", "evaluate", Status.PASSED, evaluate)), "t");
        KeyMetric rmse = metric(report, "root_mean_squared_error");
        assertEquals(3.0, rmse.champion(), EPS);
        assertEquals("down", rmse.direction());
        assertEquals("good", rmse.effect());
        assertEquals(Boolean.FALSE, rmse.significant());
        assertEquals(List.of("root_mean_squared_error", "r2_score"),
                report.summary().metrics().stream().map(KeyMetric::name).collect(Collectors.toList()));
        assertEquals("t", report.summary().title());
    }

    @Test
    public void lineageNodesAreDeduplicatedAndTheGraphTakesTheLineageStagesEdges() throws Exception {
        BuildReport report = merge("validate-data", "evaluate", "gate", "register", "lineage");
        JsonNode graph = ExampleReports.json("lineage");
        Set<String> keys = new HashSet<>();
        for (JsonNode list : List.of(ExampleReports.json("validate-data").path("lineage"), ExampleReports.json("evaluate").path("lineage"),
                ExampleReports.json("register").path("lineage"), graph.path("nodes"))) {
            list.forEach(n -> keys.add(n.path("type").asText() + ":" + n.path("id").asText()));
        }
        List<String> merged = report.lineage().stream().map(n -> n.type() + ":" + n.id()).collect(Collectors.toList());
        assertEquals("each node once", new HashSet<>(merged).size(), merged.size());
        assertEquals(keys, new HashSet<>(merged));
        assertEquals(7, merged.size()); // 2 datasets, run, logged model, version, alias, build
        // the validation dataset is named in validate-data and in the lineage graph: one node, attributes of both
        LineageNode dataset = report.lineage().stream().filter(n -> n.id().equals("88851c413a3bf4ff68ae72e13a8c2d69")).findFirst().get();
        assertEquals("current.csv", dataset.name());
        assertEquals("validation", dataset.attributes().get("context"));
        assertEquals("62336", dataset.attributes().get("bytes"));

        Set<String> edges = edges(report);
        graph.path("edges").forEach(e -> assertTrue(e.toString(), edges.contains(e.path("from").asText() + " "
                + e.path("relation").asText() + " " + e.path("to").asText())));
        String run = "run:" + ExampleReports.json("register").path("run_id").asText();
        assertTrue(edges.toString(), edges.contains("dataset:164f1e696ae38a3d310221765851deb1 input " + run));
        assertEquals(graph.path("edges").size() + 1, edges.size());
        Set<String> nodeKeys = report.summary().lineage().nodes().stream().map(GraphNode::key).collect(Collectors.toSet());
        for (GraphEdge edge : report.summary().lineage().edges()) {
            assertTrue(edge.toString(), nodeKeys.contains(edge.from()) && nodeKeys.contains(edge.to()));
        }
    }

    @Test
    public void withoutTheLineageStageTheChainIsCompletedFromTheNodeTypes() throws Exception {
        BuildReport report = merge("validate-data", "register");
        JsonNode register = ExampleReports.json("register");
        String run = "run:" + register.path("run_id").asText();
        String logged = "logged_model:" + register.path("model_id").asText();
        String version = "model_version:fraud-detector/" + register.path("version").asText();
        assertEquals(Set.of(
                "dataset:88851c413a3bf4ff68ae72e13a8c2d69 input " + run,
                run + " logged " + logged,
                logged + " registered as " + version,
                version + " has alias alias:fraud-detector@candidate"), edges(report));
    }

    @Test
    public void aCanaryGivesItsTimelineAndADeploymentNode() throws Exception {
        BuildReport report = merge("register", "canary");
        JsonNode canary = ExampleReports.json("canary");
        JsonNode view = report.summary().canary();
        for (String field : List.of("model", "version", "stable_version", "verdict", "aliases")) {
            assertEquals(field, canary.path(field), view.path(field));
        }
        assertEquals(canary.path("timeline").size(), view.path("timeline").size());
        List<String> worst = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < canary.path("timeline").size(); i++) {
            JsonNode entry = view.path("timeline").get(i).deepCopy();
            worst.add(entry.path("analysis_verdict").asText("none"));
            ((ObjectNode) entry).remove(List.of("analysis_verdict", "elapsed_seconds"));
            entry.path("analyses").forEach(a -> ((ObjectNode) a).remove("difference"));
            assertEquals("the entry as the canary wrote it", canary.path("timeline").get(i), entry);
            expected.add(worstVerdict(canary.path("timeline").get(i).path("analyses")));
        }
        assertEquals(expected, worst);
        assertTrue("the example rolled back after failed analyses", worst.contains("FAIL"));
        assertEquals(Status.FAILED, report.status());
        int failed = 0;
        for (JsonNode finding : canary.path("findings")) {
            failed += finding.path("passed").asBoolean() ? 0 : 1;
        }
        assertTrue(report.headline(), report.headline().contains("canary FAILED: " + failed + " of "
                + canary.path("findings").size() + " checks failed"));
        assertTrue(edges(report).toString(), edges(report).contains("model_version:fraud-detector/2 deployed deployment:fraud-detector/2@canary"));
        GraphNode deployment = report.summary().lineage().nodes().stream().filter(n -> n.type().equals("deployment")).findFirst().get();
        assertEquals("ROLLED_BACK", deployment.attributes().get("verdict"));
        assertEquals("canary", report.summary().findings().get(0).stage());
        assertEquals("error_rate", report.summary().findings().get(0).subject());
    }

    @Test
    public void aShadowRunGivesItsComparisonOnItsAnalysisAsACanarysBehaviour() throws Exception {
        ObjectNode shadow = new ObjectMapper().createObjectNode();
        shadow.put("stage", "shadow").put("status", "FAILED").put("model", "fraud").put("version", "3").put("stable_version", "2")
                .put("verdict", "REJECTED");
        shadow.putObject("metrics").put("shadow_agreement", 0.9).put("shadow_error_rate", 0.02).put("shadow_live_error_rate", 0.0)
                .put("shadow_pairs", 400.0).put("shadow_paired_requests", 100.0);
        ObjectNode distribution = shadow.putObject("distribution").put("kind", "LABEL");
        distribution.putArray("bins").add("0").add("1");
        distribution.putArray("live").add(200).add(200);
        distribution.putArray("candidate").add(150).add(250);
        ArrayNode timeline = shadow.putArray("timeline");
        timeline.addObject().put("time", "2026-01-01T00:00:00Z").put("step", 1).put("weight", 0).put("event", "started");
        ObjectNode analysis = timeline.addObject().put("time", "2026-01-01T00:01:00Z").put("step", 1).put("weight", 0)
                .put("event", "analysis").put("verdict", "FAIL");
        analysis.putArray("analyses").addObject().put("check", "agreement").put("value", 0.9).put("verdict", "FAIL");
        timeline.addObject().put("time", "2026-01-01T00:01:00Z").put("step", 1).put("weight", 0).put("event", "stopping");

        JsonNode view = BuildReport.merge(List.of(new StageInput("shadow.json", "shadow", Status.FAILED, shadow)), null).summary().shadow();
        assertEquals("REJECTED", view.path("verdict").asText());
        assertEquals(60.0, view.path("timeline").get(1).path("elapsed_seconds").asDouble(), EPS);
        assertEquals("FAIL", view.path("timeline").get(1).path("analysis_verdict").asText());
        JsonNode behaviour = view.path("timeline").get(1).path("behaviour");
        assertEquals("version 2", behaviour.path("live").asText());
        assertEquals("version 3", behaviour.path("candidate").asText());
        // the figures by the names checks use, as a canary's probe gives them
        JsonNode figures = behaviour.path("behaviour");
        assertEquals(0.9, figures.path("agreement").asDouble(), EPS);
        assertEquals(0.02, figures.path("shadow_error_rate").asDouble(), EPS);
        assertEquals(0.0, figures.path("live_error_rate").asDouble(), EPS);
        assertEquals(400.0, figures.path("pairs").asDouble(), EPS);
        assertFalse(figures.has("paired_requests"));
        assertEquals(distribution, figures.path("distribution"));
        assertFalse(view.path("timeline").get(0).has("behaviour"));
        assertFalse(view.path("timeline").get(2).has("behaviour"));
        assertNull("no shadow stage, no section", merge("register").summary().shadow());
    }

    @Test
    public void anAbTestGivesItsAnalysesWithTheTimeSinceItStartedAndItsDeploymentInTheLineage() throws Exception {
        ObjectNode test = new ObjectMapper().createObjectNode();
        test.put("stage", "ab-test").put("status", "PASSED").put("model", "churn").put("version", "2").put("control_version", "1")
                .put("weight", 100).put("verdict", "PROMOTED").put("winner", "candidate").put("p_value", 0.003);
        test.putArray("interval").add(0.013).add(0.104);
        test.putObject("counts").put("control_trials", 1000).put("control_conversions", 101).put("candidate_trials", 1000)
                .put("candidate_conversions", 160);
        ArrayNode lineage = test.putArray("lineage");
        lineage.addObject().put("type", "model_version").put("id", "churn/2").put("name", "churn").putObject("attributes");
        ObjectNode deployment = lineage.addObject().put("type", "deployment").put("id", "churn/2@ab-test").put("name", "ab-test");
        deployment.putObject("attributes").put("verdict", "PROMOTED").put("winner", "candidate");
        test.putArray("timeline").addObject().put("time", "2026-01-01T00:00:00Z").put("step", 1).put("weight", 50).put("event", "started");
        ArrayNode analyses = test.putArray("analyses");
        analyses.addObject().put("time", "2026-01-01T00:05:00Z").put("note", "below the minimum sample of 100 per arm");
        analyses.addObject().put("time", "2026-01-01T00:10:00Z").putObject("look").put("difference", 0.059).put("p_value", 0.003);

        BuildReport report = BuildReport.merge(List.of(new StageInput("ab.json", "ab-test", Status.PASSED, test)), null);
        JsonNode view = report.summary().abTest();
        assertEquals("PROMOTED", view.path("verdict").asText());
        assertEquals("candidate", view.path("winner").asText());
        assertEquals("2026-01-01 00:00:00 UTC", view.path("started").asText());
        assertEquals(300.0, view.path("analyses").get(0).path("elapsed_seconds").asDouble(), EPS);
        assertEquals(600.0, view.path("analyses").get(1).path("elapsed_seconds").asDouble(), EPS);
        assertEquals(0.059, view.path("analyses").get(1).path("look").path("difference").asDouble(), EPS);
        assertEquals(0.013, view.path("interval").get(0).asDouble(), EPS);
        assertTrue(edges(report).toString(), edges(report).contains("model_version:churn/2 deployed deployment:churn/2@ab-test"));
        assertNull("no A/B test stage, no section", merge("register").summary().abTest());
    }

    @Test
    public void aCanaryOfAnotherVersionIsNotLinkedToThisBuildsModel() throws Exception {
        ObjectNode canary = ExampleReports.json("canary").deepCopy();
        canary.put("version", "7");
        canary.putArray("lineage"); // without its own nodes, the merge links the deployment by the version field
        BuildReport report = BuildReport.merge(List.of(ExampleReports.input("register"),
                new StageInput("canary.json", "canary", Status.FAILED, canary)), null);
        Set<String> edges = edges(report);
        JsonNode register = ExampleReports.json("register");
        String version = "model_version:fraud-detector/" + register.path("version").asText();
        assertTrue(edges.toString(), edges.contains("logged_model:" + register.path("model_id").asText() + " registered as " + version));
        assertTrue(edges.toString(), edges.contains("model_version:fraud-detector/7 deployed deployment:fraud-detector/7@canary"));
        assertEquals("only the deployment touches version 7", 1, edges.stream().filter(e -> e.contains("fraud-detector/7")).count());
        assertFalse(edges.toString(), edges.stream().anyMatch(e -> e.startsWith(version + " deployed")));
    }

    @Test
    public void aLaterReportsNodeAttributesWinOverAnEarlierOnes() throws Exception {
        ObjectNode before = ExampleReports.json("register").deepCopy();
        before.putArray("lineage").addObject().put("type", "alias").put("id", "fraud-detector@champion")
                .put("name", "champion").putObject("attributes").put("version", "1");
        ObjectNode canary = ExampleReports.json("canary-promoted").deepCopy();
        String promoted = canary.path("aliases").path("champion").asText();
        assertFalse("the example promotes another version than 1", promoted.equals("1"));
        BuildReport report = BuildReport.merge(List.of(new StageInput("register.json", "register", Status.PASSED, before),
                new StageInput("canary.json", "canary", Status.PASSED, canary)), null);
        GraphNode champion = report.summary().lineage().nodes().stream()
                .filter(n -> n.type().equals("alias") && n.id().equals("fraud-detector@champion")).findFirst().get();
        assertEquals("the canary moved the alias after the registration", promoted, champion.attributes().get("version"));
    }

    @Test
    public void failedFindingsOfEveryStageAndEveryValidationCheckReachTheSummary() throws Exception {
        BuildReport report = merge("validate-data", "gate");
        JsonNode findings = ExampleReports.json("validate-data").path("findings");
        List<JsonNode> failed = new ArrayList<>();
        findings.forEach(f -> {
            if (!f.path("passed").asBoolean()) {
                failed.add(f);
            }
        });
        assertEquals(failed.size(), report.summary().findings().size());
        assertEquals(failed.get(0).path("message").asText(), report.summary().findings().get(0).message());
        assertEquals(findings.size(), report.summary().validation().checks());
        assertEquals(findings.size(), report.summary().validation().findings().size());
        assertEquals(failed.size(), report.summary().validation().failed());
        assertEquals(ExampleReports.json("validate-data").path("dataset").path("digest").asText(), report.summary().validation().digest());
        JsonNode drift = ExampleReports.json("validate-data").path("drift");
        assertEquals(drift.size(), report.summary().drift().size());
        for (int i = 0; i < drift.size(); i++) {
            assertEquals(drift.get(i).path("column").asText(), report.summary().drift().get(i).column());
            assertEquals(drift.get(i).path("statistic").asDouble(), report.summary().drift().get(i).statistic(), 0);
            assertEquals(drift.get(i).path("threshold").asDouble(), report.summary().drift().get(i).threshold(), 0);
            assertEquals(drift.get(i).path("drifted").asBoolean(), report.summary().drift().get(i).drifted());
        }
        JsonNode rules = ExampleReports.json("gate").path("rules");
        assertEquals(rules.size(), report.summary().gate().rules().size());
        assertEquals(rules.get(1).path("margin").asDouble(), report.summary().gate().rules().get(1).margin(), 0);
        assertEquals(rules.get(3).path("slice").asText(), report.summary().gate().rules().get(3).slice());
        assertEquals("report", report.summary().gate().championSource());
    }

    @Test
    public void theAliasesAreShownAsTheLastStageThatMovedThemLeftThem() throws Exception {
        JsonNode register = ExampleReports.json("register");
        for (String canaryName : List.of("canary-promoted", "canary")) {
            JsonNode canary = ExampleReports.json(canaryName);
            Map<String, String> expected = new LinkedHashMap<>();
            register.path("aliases").forEach(a -> expected.put(a.asText(), register.path("version").asText() + " register"));
            canary.path("aliases").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText() + " canary"));
            assertTrue("the canary moved the champion", expected.containsKey("champion"));
            Map<String, String> shown = new LinkedHashMap<>();
            for (AliasState alias : merge("register", canaryName).summary().aliases()) {
                assertEquals("fraud-detector", alias.model());
                shown.put(alias.alias(), alias.version() + " " + alias.stage());
            }
            assertEquals(canaryName, expected, shown);
        }
        assertEquals("without a canary, the registration's aliases", List.of(new AliasState("fraud-detector", "candidate", "2", "register")),
                merge("register").summary().aliases());
        assertNull("no stage set an alias", merge("evaluate").summary().aliases());
    }

    @Test
    public void everyAliasHasAnEdgeFromItsVersionEvenAVersionNoReportNames() throws Exception {
        for (String canaryName : List.of("canary-promoted", "canary")) {
            BuildReport report = merge("validate-data", "evaluate", "gate", "register", "lineage", canaryName);
            Set<String> edges = edges(report);
            Set<String> linked = new HashSet<>();
            report.summary().lineage().edges().forEach(e -> {
                linked.add(e.from());
                linked.add(e.to());
            });
            for (GraphNode node : report.summary().lineage().nodes()) {
                assertTrue(canaryName + ": " + node.key() + " has no edge: " + edges, linked.contains(node.key()));
                if (node.type().equals("alias")) {
                    String version = "model_version:fraud-detector/" + node.attributes().get("version");
                    assertTrue(canaryName + " " + edges, edges.contains(version + " has alias " + node.key()));
                }
            }
            // the stable version the canary ran against (the previous alias, or the champion after a rollback)
            String stable = "model_version:fraud-detector/" + ExampleReports.json(canaryName).path("stable_version").asText();
            assertTrue(edges.toString(), edges.contains(stable + " stable deployment:fraud-detector/2@canary"));
            assertTrue(edges.toString(), edges.contains("model_version:fraud-detector/2 deployed deployment:fraud-detector/2@canary"));
            assertFalse("the top-level lineage keeps the reports' nodes only",
                    report.lineage().stream().anyMatch(n -> (n.type() + ":" + n.id()).equals(stable)));
        }
    }

    @Test
    public void theCanaryTimelineHasElapsedTimeAndRelativeChecksAreMarkedAsDifferences() throws Exception {
        JsonNode canary = ExampleReports.json("canary-promoted");
        JsonNode view = merge("canary-promoted").summary().canary();
        Instant start = Instant.parse(canary.path("timeline").get(0).path("time").asText());
        assertEquals(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(start) + " UTC",
                view.path("started").asText());
        int differences = 0;
        for (int i = 0; i < canary.path("timeline").size(); i++) {
            JsonNode raw = canary.path("timeline").get(i);
            JsonNode entry = view.path("timeline").get(i);
            long millis = Duration.between(start, Instant.parse(raw.path("time").asText())).toMillis();
            assertEquals(millis / 1000.0, entry.path("elapsed_seconds").asDouble(), 1e-9);
            for (int j = 0; j < raw.path("analyses").size(); j++) {
                boolean relative = raw.path("analyses").get(j).has("stable_query");
                differences += relative ? 1 : 0;
                assertEquals(relative, entry.path("analyses").get(j).path("difference").asBoolean());
            }
        }
        assertTrue("the example has relative checks", differences > 0);
        assertTrue("the example's last entry is seconds after the first",
                view.path("timeline").get(canary.path("timeline").size() - 1).path("elapsed_seconds").asDouble() > 10);
    }

    @Test
    public void eachDriftBarNamesWhatItComparesWithTheThreshold() throws Exception {
        JsonNode drift = ExampleReports.json("validate-data").path("drift");
        List<DriftBar> bars = merge("validate-data").summary().drift();
        for (int i = 0; i < drift.size(); i++) {
            assertEquals(drift.get(i).path("measure").asText(), bars.get(i).measure());
            assertEquals(drift.get(i).path("comparison").asText(), bars.get(i).comparison());
            assertEquals(drift.get(i).path("statistic").asDouble(), bars.get(i).value(), 0);
        }
        assertEquals(List.of("Wasserstein distance (normed)", "Jensen-Shannon distance"),
                bars.stream().map(DriftBar::measure).distinct().collect(Collectors.toList()));

        // a p-value test compares its p-value, not its statistic: drift when small; an older report without "measure"
        ObjectNode validate = ExampleReports.json("validate-data").deepCopy();
        ObjectNode ks = (ObjectNode) validate.path("drift").get(0);
        ks.put("method", "ks").put("statistic", 0.31).put("p_value", 0.002).put("threshold", 0.05).put("drifted", true);
        ks.remove(List.of("measure", "comparison"));
        ObjectNode psi = (ObjectNode) validate.path("drift").get(1);
        psi.put("method", "psi").put("measure", "PSI");
        DriftBar bar = BuildReport.merge(List.of(new StageInput("v.json", "validate-data", Status.WARNING, validate)), null)
                .summary().drift().get(0);
        assertEquals(new DriftBar(ks.path("column").asText(), "ks", "ks p_value", 0.002, "<=", 0.05, true, 0.31), bar);
        assertEquals("PSI", BuildReport.merge(List.of(new StageInput("v.json", "validate-data", Status.WARNING, validate)), null)
                .summary().drift().get(1).measure());
    }

    @Test
    public void nothingToMergeIsAnError() {
        try {
            BuildReport.merge(List.of(), null);
            throw new AssertionError("merged nothing");
        } catch (IllegalArgumentException | ReportInputException e) {
            assertEquals("no stage reports to merge", e.getMessage());
        }
    }

    @Test
    public void aMalformedFindingNamesTheFileAndTheFinding() throws Exception {
        ObjectNode gate = (ObjectNode) new ObjectMapper().readTree("{\"schema\":\"ml-stages/v1\",\"stage\":\"gate\",\"status\":\"PASSED\","
                + "\"findings\":[{\"check\":\"gate.rule\",\"severity\":\"ERROR\",\"passed\":true,\"message\":\"ok\"},{\"check\":\"x\"}]}");
        try {
            BuildReport.merge(List.of(new StageInput("gate.json", "gate", Status.PASSED, gate)), null);
            throw new AssertionError("merged a finding without severity");
        } catch (ReportInputException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("gate.json: finding 2 of the gate report cannot be read: "));
        }
    }

    private static Set<String> edges(BuildReport report) {
        return report.summary().lineage().edges().stream().map(e -> e.from() + " " + e.relation() + " " + e.to())
                .collect(Collectors.toSet());
    }

    /** The worst verdict of a timeline entry's analyses (FAIL, INCONCLUSIVE, PASS), {@code none} without any. */
    private static String worstVerdict(JsonNode analyses) {
        String worst = "none";
        for (JsonNode analysis : analyses) {
            String verdict = analysis.path("verdict").asText();
            if (verdict.equals("FAIL") || verdict.equals("INCONCLUSIVE") && !worst.equals("FAIL")
                    || verdict.equals("PASS") && worst.equals("none")) {
                worst = verdict;
            }
        }
        return worst;
    }
}
