package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mlstages.deploy.Backoff;
import io.jenkins.plugins.mlstages.deploy.CaptureFolder;
import io.jenkins.plugins.mlstages.deploy.ShadowChecks;
import io.jenkins.plugins.mlstages.deploy.ShadowMirror;
import io.jenkins.plugins.mlstages.deploy.ShadowPlan;
import io.jenkins.plugins.mlstages.deploy.ShadowResult;
import io.jenkins.plugins.mlstages.deploy.ShadowRun;
import io.jenkins.plugins.mlstages.deploy.ShadowStateStore;
import io.jenkins.plugins.mlstages.deploy.ShadowVerdict;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import io.jenkins.plugins.mlstages.deploy.ab.AbMetric;
import io.jenkins.plugins.mlstages.deploy.ab.AbPlan;
import io.jenkins.plugins.mlstages.deploy.ab.AbResult;
import io.jenkins.plugins.mlstages.deploy.ab.AbStateStore;
import io.jenkins.plugins.mlstages.deploy.ab.AbTestRun;
import io.jenkins.plugins.mlstages.deploy.ab.AbVerdict;
import io.jenkins.plugins.mlstages.deploy.ab.ArmCounts;
import io.jenkins.plugins.mlstages.deploy.ab.ArmSource;
import io.jenkins.plugins.mlstages.deploy.ab.NoWinnerAction;
import io.jenkins.plugins.mlstages.deploy.ab.PromoteRule;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.report.ExampleReports;
import io.jenkins.plugins.mlstages.report.ReportPage;
import io.jenkins.plugins.mlstages.report.ReportWriter;

/**
 * The report page in a real headless Chromium, loaded from file:// as a user opens it: every section
 * with the numbers of the stage reports (expected values computed here from the raw reports, not from
 * the merged one), the lineage graph's nodes and edges, no console error, and hostile data shown as
 * text. {@code -Dmlstages.screenshot=docs/report.png} also saves the example report's screenshot there.
 */
public class ReportPageIT {
    private static HeadlessChromium browser;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @BeforeClass
    public static void startBrowser() {
        browser = new HeadlessChromium();
    }

    @AfterClass
    public static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Runs {@code mlstages report} over example reports (and extra files); returns the HTML page. */
    private Path report(List<String> examples, List<Path> extra, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("report"));
        for (String name : examples) {
            Path file = folder.getRoot().toPath().resolve(name + ".json");
            try (InputStream in = ExampleReports.open(name)) {
                Files.copy(in, file);
            }
            args.addAll(List.of("--in", file.toString()));
        }
        for (Path file : extra) {
            args.addAll(List.of("--in", file.toString()));
        }
        Path html = folder.getRoot().toPath().resolve("report.html");
        args.addAll(List.of("--html", html.toString()));
        args.addAll(List.of(options));
        StringWriter err = new StringWriter();
        assertEquals(err.toString(), 0, Main.run(args.toArray(new String[0]), Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true)));
        return html;
    }

    /** The text JavaScript's toFixed(4) gives: the exact binary value rounded half up. */
    private static String fixed(double value) {
        return new BigDecimal(value).setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    private static String signed(double value) {
        return (value > 0 ? "+" : "") + fixed(value);
    }

    private static String text(WebElement element, String css) {
        return HeadlessChromium.text(element.findElement(By.cssSelector(css))).strip();
    }

    @Test
    public void theExampleReportShowsEverySectionWithTheStageReportsNumbers() throws Exception {
        List<String> stages = new ArrayList<>(ExampleReports.PIPELINE);
        stages.add("canary");
        browser.open(report(stages, List.of()));
        browser.awaitRendered(1);
        assertEquals("no console errors", List.of(), browser.severe());

        // verdict: the worst status (the canary rolled back) and each stage
        assertEquals("FAILED", text(browser.one("[data-section='verdict'] .mlr-verdict"), ".mlr-badge"));
        assertEquals(stages.size(), browser.all(".mlr-stage").size());
        assertEquals("WARNING", browser.one(".mlr-stage[data-stage='validate-data']").getDomAttribute("data-status"));
        assertEquals("FAILED", browser.one(".mlr-stage[data-stage='canary']").getDomAttribute("data-status"));

        // metrics against the champion: the gate's champion metrics; lower is better for losses and errors
        JsonNode candidate = ExampleReports.json("evaluate").path("metrics");
        JsonNode champion = ExampleReports.json("gate").path("champion").path("metrics");
        JsonNode intervals = ExampleReports.json("evaluate").path("intervals");
        JsonNode paired = ExampleReports.json("evaluate").path("paired");
        List<WebElement> rows = browser.all("[data-section='metrics'] tr[data-metric]");
        assertEquals(9, rows.size());
        for (WebElement row : rows) {
            String name = row.getDomAttribute("data-metric");
            double value = candidate.path(name).asDouble();
            double championValue = champion.path(name).asDouble();
            double delta = value - championValue;
            assertEquals(name, fixed(value), text(row, ".mlr-value"));
            assertEquals(name, fixed(championValue), text(row, ".mlr-champion"));
            assertEquals(name, signed(delta), text(row, ".mlr-delta-value"));
            assertEquals(name, delta > 0 ? "\u25B2" : "\u25BC", text(row, ".mlr-arrow"));
            boolean lowerIsBetter = name.endsWith("_loss") || name.endsWith("_error");
            String effect = (delta > 0) != lowerIsBetter ? "good" : "bad";
            assertEquals(name, effect, row.getDomAttribute("data-effect"));
            assertTrue(name, row.findElement(By.cssSelector(".mlr-delta")).getDomAttribute("class").contains("mlr-" + effect));
            String ci = intervals.has(name)
                    ? "[" + fixed(intervals.path(name).path("lower").asDouble()) + ", " + fixed(intervals.path(name).path("upper").asDouble()) + "]"
                    : "\u2014";
            assertEquals(name, ci, text(row, ".mlr-ci"));
            String deltaCi = paired.has(name)
                    ? "[" + fixed(paired.path(name).path("lower").asDouble()) + ", " + fixed(paired.path(name).path("upper").asDouble()) + "]"
                    : "\u2014";
            assertEquals(name, deltaCi, text(row, ".mlr-delta-ci"));
        }
        WebElement logLoss = browser.one("tr[data-metric='log_loss']");
        assertEquals("falling log loss is good", "\u25BC", text(logLoss, ".mlr-arrow"));
        assertEquals("good", logLoss.getDomAttribute("data-effect"));

        // findings: every failed finding of every stage; all validation checks in the details
        List<String> failed = new ArrayList<>();
        for (String stage : List.of("validate-data", "canary")) {
            ExampleReports.json(stage).path("findings").forEach(f -> {
                if (!f.path("passed").asBoolean()) {
                    failed.add(f.path("message").asText());
                }
            });
        }
        List<String> shown = new ArrayList<>();
        browser.all("[data-table='failed-findings'] tbody tr").forEach(r -> shown.add(text(r, ".mlr-message")));
        assertEquals(failed, shown);
        assertEquals(ExampleReports.json("validate-data").path("findings").size(),
                browser.all("[data-table='validation-checks'] tbody tr").size());
        assertEquals(ExampleReports.json("validate-data").path("dataset").path("name").asText(),
                HeadlessChromium.text(browser.one("[data-section='findings'] [data-field='dataset']")));

        // drift: one bar per column, red when drifted, the threshold tick at the same x for equal thresholds;
        // each bar names what it shows and when that is drift
        JsonNode drift = ExampleReports.json("validate-data").path("drift");
        List<WebElement> bars = browser.all(".mlr-drift-bar");
        assertEquals(drift.size(), bars.size());
        double longest = 0;
        for (int i = 0; i < drift.size(); i++) {
            JsonNode column = drift.get(i);
            WebElement bar = bars.get(i);
            assertEquals(column.path("column").asText(), bar.getDomAttribute("data-column"));
            assertEquals(fixed(column.path("statistic").asDouble()), text(bar, ".mlr-value-label"));
            assertEquals(column.path("measure").asText() + ", drift when \u2265 " + column.path("threshold").asText(),
                    text(bar, ".mlr-measure-label"));
            assertEquals(column.path("drifted").asBoolean(), bar.getDomAttribute("class").contains("mlr-drifted"));
            longest = Math.max(longest, column.path("statistic").asDouble());
        }
        double width = Double.parseDouble(browser.one(".mlr-drift-bar[data-column='income'] rect").getDomAttribute("width"));
        double ageWidth = Double.parseDouble(browser.one(".mlr-drift-bar[data-column='age'] rect").getDomAttribute("width"));
        assertEquals("bars are proportional to the statistic", drift.get(0).path("statistic").asDouble() / longest, ageWidth / width, 0.02);
        Set<String> ticks = new HashSet<>();
        browser.all(".mlr-threshold").forEach(t -> ticks.add(t.getDomAttribute("x1")));
        assertEquals("one threshold for all columns", 1, ticks.size());

        // curves: every point of ROC and PR, the calibration bins as dots
        JsonNode curves = ExampleReports.json("evaluate").path("curves");
        assertEquals(String.valueOf(curves.path("roc").path("xs").size()),
                browser.one("[data-curve='roc'] polyline").getDomAttribute("data-points"));
        assertEquals(String.valueOf(curves.path("precision_recall").path("xs").size()),
                browser.one("[data-curve='precision_recall'] polyline").getDomAttribute("data-points"));
        assertEquals(curves.path("calibration").path("xs").size(), browser.all("[data-curve='calibration'] circle").size());
        assertTrue(HeadlessChromium.text(browser.one("[data-figure='roc'] figcaption")).endsWith("AUC " + fixed(candidate.path("roc_auc").asDouble())));

        // gate rules: observed, required, champion, margin
        JsonNode rules = ExampleReports.json("gate").path("rules");
        List<WebElement> ruleRows = browser.all("[data-section='gate'] tr[data-rule-number]");
        assertEquals(rules.size(), ruleRows.size());
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            WebElement row = ruleRows.get(i);
            assertEquals(rule.path("rule").asText(), text(row, ".mlr-rule"));
            assertEquals(rule.path("status").asText(), row.getDomAttribute("data-status"));
            assertEquals(fixed(rule.path("observed").asDouble()), text(row, ".mlr-observed"));
            assertEquals(rule.path("comparison").asText() + " " + fixed(rule.path("required").asDouble()), text(row, ".mlr-required"));
            assertEquals(signed(rule.path("margin").asDouble()), text(row, ".mlr-margin"));
            assertEquals(rule.has("champion") ? fixed(rule.path("champion").asDouble()) : "\u2014", text(row, ".mlr-champion"));
        }

        // registration
        JsonNode register = ExampleReports.json("register");
        assertEquals(register.path("model").asText(), HeadlessChromium.text(browser.one("dd[data-field='model']")));
        assertEquals(register.path("version").asText(), HeadlessChromium.text(browser.one("dd[data-field='version']")));
        // the aliases as the build left them: the canary's over the registration's, each with the stage that set it
        Map<String, String> aliases = new LinkedHashMap<>();
        register.path("aliases").forEach(a -> aliases.put(a.asText(), register.path("version").asText() + " (set by register)"));
        ExampleReports.json("canary").path("aliases").fields()
                .forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText() + " (set by canary)"));
        List<String> aliasTexts = new ArrayList<>();
        aliases.forEach((alias, how) -> aliasTexts.add(alias + " \u2192 " + how));
        assertTrue("the canary moved an alias the registration did not set", aliases.get("champion").endsWith("(set by canary)"));
        assertEquals(String.join(", ", aliasTexts), HeadlessChromium.text(browser.one("dd[data-field='aliases']")));
        assertEquals(register.path("source").asText(), HeadlessChromium.text(browser.one("dd[data-field='source']")));
        assertEquals(register.path("run_id").asText(), HeadlessChromium.text(browser.one("dd[data-field='run']")));

        // canary: weight over time as a step line, one mark per timeline entry with the worst analysis verdict
        JsonNode timeline = ExampleReports.json("canary").path("timeline");
        // in timeline order (analyses are drawn last, over the entries of the same moment)
        List<WebElement> marks = new ArrayList<>(browser.all(".mlr-canary .mlr-mark"));
        marks.sort(java.util.Comparator.comparingInt(m -> Integer.parseInt(m.getDomAttribute("data-index"))));
        assertEquals(timeline.size(), marks.size());
        List<String> verdicts = new ArrayList<>();
        marks.forEach(m -> verdicts.add(String.valueOf(m.getDomAttribute("data-verdict"))));
        List<String> expectedVerdicts = new ArrayList<>();
        for (JsonNode entry : timeline) {
            // the worst verdict of the entry's analyses, FAIL over INCONCLUSIVE over PASS
            String worst = "null";
            for (JsonNode analysis : entry.path("analyses")) {
                String verdict = analysis.path("verdict").asText();
                if (verdict.equals("FAIL") || verdict.equals("INCONCLUSIVE") && !worst.equals("FAIL")
                        || verdict.equals("PASS") && worst.equals("null")) {
                    worst = verdict;
                }
            }
            expectedVerdicts.add(worst);
        }
        assertEquals(expectedVerdicts, verdicts);
        assertTrue("the example canary failed analyses", verdicts.contains("FAIL"));
        for (int i = 0; i < timeline.size(); i++) {
            assertEquals(timeline.get(i).path("weight").asText(), marks.get(i).getDomAttribute("data-weight"));
        }
        String path = browser.one(".mlr-step-line").getDomAttribute("d");
        assertEquals("a step line: one move, then a horizontal and a vertical segment per entry", timeline.size() - 1,
                path.split("H").length - 1);
        assertEquals(timeline.size(), browser.all("[data-table='canary-timeline'] tbody tr").size());
        assertTrue(HeadlessChromium.text(browser.one("[data-section='canary']")).contains("ROLLED_BACK"));

        // time as elapsed since the start (+m:ss), never the raw nanosecond timestamps
        Instant start = Instant.parse(timeline.get(0).path("time").asText());
        List<WebElement> timeRows = browser.all("[data-table='canary-timeline'] tbody tr");
        for (int i = 0; i < timeline.size(); i++) {
            long seconds = Math.round(Duration.between(start, Instant.parse(timeline.get(i).path("time").asText())).toMillis() / 1000.0);
            assertEquals(String.format("+%d:%02d", seconds / 60, seconds % 60), text(timeRows.get(i), ".mlr-elapsed"));
            assertEquals("the exact time on hover", timeline.get(i).path("time").asText(),
                    timeRows.get(i).findElement(By.cssSelector(".mlr-elapsed")).getDomAttribute("title"));
        }
        List<WebElement> timeTicks = browser.all(".mlr-canary .mlr-time-tick");
        assertTrue("a time axis", timeTicks.size() >= 3);
        timeTicks.forEach(t -> assertTrue(HeadlessChromium.text(t), HeadlessChromium.text(t).matches("\\+\\d+:\\d\\d")));
        String shownText = browser.one("[data-section='canary']").getText(); // what is rendered: not the tooltips
        timeline.forEach(e -> assertFalse("no raw timestamp shown", shownText.contains(e.path("time").asText())));
        assertTrue(shownText, shownText.contains("started " + timeline.get(0).path("time").asText().substring(0, 19).replace('T', ' ') + " UTC"));

        // every mark inside the chart, and no analysis hidden under an entry of the same moment (the rollback
        // right after the last analysis): the point at its centre is the mark itself
        List<?> hidden = (List<?>) browser.script("document.querySelector('.mlr-canary').scrollIntoView();"
                + " var chart = document.querySelector('.mlr-canary').getBoundingClientRect(); var bad = [];"
                + "document.querySelectorAll('.mlr-canary .mlr-mark').forEach(function (m) { var b = m.getBoundingClientRect();"
                + " if (b.left < chart.left || b.right > chart.right || b.top < chart.top || b.bottom > chart.bottom) { bad.push('outside ' + m.dataset.index); }"
                + " if (m.dataset.verdict && document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2) !== m) {"
                + " bad.push('hidden ' + m.dataset.index); } }); return bad;");
        assertEquals(List.of(), hidden);

        // analyses: a relative check is shown as the difference canary − stable, with both values
        int differences = 0;
        for (int i = 0; i < timeline.size(); i++) {
            List<WebElement> analysisCells = timeRows.get(i).findElements(By.cssSelector(".mlr-analysis"));
            JsonNode analyses = timeline.get(i).path("analyses");
            assertEquals(analyses.size(), analysisCells.size());
            for (int j = 0; j < analyses.size(); j++) {
                JsonNode a = analyses.get(j);
                String bound = "(\u2264 " + fixed(a.path("max").asDouble()) + ")";
                String expected = a.has("stable_query")
                        ? a.path("check").asText() + ": canary \u2212 stable " + signed(a.path("value").asDouble()) + " " + bound
                                + "; canary " + fixed(a.path("canary_value").asDouble()) + ", stable " + fixed(a.path("stable_value").asDouble())
                        : a.path("check").asText() + ": " + fixed(a.path("value").asDouble()) + " " + bound;
                differences += a.has("stable_query") ? 1 : 0;
                assertEquals(expected, text(analysisCells.get(j), ".mlr-analysis-text"));
            }
        }
        assertTrue("the example has a relative check", differences > 0);

        // lineage: the nodes of every report once, the lineage graph's edges, and the evaluation data as an input
        JsonNode graph = ExampleReports.json("lineage");
        Set<String> expectedNodes = new HashSet<>();
        for (String stage : List.of("validate-data", "evaluate", "register", "canary")) {
            ExampleReports.json(stage).path("lineage").forEach(n -> expectedNodes.add(n.path("type").asText() + ":" + n.path("id").asText()));
        }
        graph.path("nodes").forEach(n -> expectedNodes.add(n.path("type").asText() + ":" + n.path("id").asText()));
        String version = "model_version:fraud-detector/" + register.path("version").asText();
        expectedNodes.add("deployment:fraud-detector/2@canary");
        // the version an alias points at, though no report names it: the champion the canary rolled back to
        String stable = "model_version:fraud-detector/" + ExampleReports.json("canary").path("stable_version").asText();
        assertEquals(ExampleReports.json("canary").path("stable_version").asText(), aliases.get("champion").split(" ")[0]);
        expectedNodes.add(stable);
        Set<String> nodes = new HashSet<>();
        for (WebElement node : browser.all(".mlr-lineage .mlr-node")) {
            assertTrue(node.getDomAttribute("data-node-id"), nodes.add(node.getDomAttribute("data-node-id")));
            assertTrue(node.getDomAttribute("data-node-id").startsWith(node.getDomAttribute("data-node-type") + ":"));
        }
        assertEquals(expectedNodes, nodes);
        Set<String> expectedEdges = new HashSet<>();
        graph.path("edges").forEach(e -> expectedEdges.add(e.path("from").asText() + " -> " + e.path("to").asText()));
        expectedEdges.add("dataset:164f1e696ae38a3d310221765851deb1 -> run:" + register.path("run_id").asText());
        expectedEdges.add(version + " -> deployment:fraud-detector/2@canary");
        expectedEdges.add(stable + " -> alias:fraud-detector@champion");
        expectedEdges.add(stable + " -> deployment:fraud-detector/2@canary");
        Set<String> edges = new HashSet<>();
        browser.all(".mlr-lineage .mlr-edge").forEach(e -> edges.add(e.getDomAttribute("data-from") + " -> " + e.getDomAttribute("data-to")));
        assertEquals(expectedEdges, edges);
        for (String node : nodes) {
            assertTrue("no node without an edge: " + node, edges.stream().anyMatch(e -> e.startsWith(node + " -> ") || e.endsWith(" -> " + node)));
        }
        // the chain the issue asks for is there: dataset -> run -> logged model -> version -> alias
        assertTrue(edges.contains("dataset:88851c413a3bf4ff68ae72e13a8c2d69 -> run:" + register.path("run_id").asText()));
        assertTrue(edges.contains("run:" + register.path("run_id").asText() + " -> logged_model:" + register.path("model_id").asText()));
        assertTrue(edges.contains("logged_model:" + register.path("model_id").asText() + " -> " + version));
        assertTrue(edges.contains(version + " -> alias:fraud-detector@candidate"));
        // each edge starts at the right of its source box and ends at the left of its target box
        Map<?, ?> geometry = (Map<?, ?>) browser.script("var e = document.querySelector(\".mlr-edge[data-to='alias:fraud-detector@candidate'] line\");"
                + "var a = document.querySelector(\".mlr-node[data-node-id='" + version + "']\").getBoundingClientRect();"
                + "var b = document.querySelector(\".mlr-node[data-node-id='alias:fraud-detector@candidate']\").getBoundingClientRect();"
                + "var l = e.getBoundingClientRect();"
                + "return {startGap: Math.abs(l.left - a.right), endGap: Math.abs(l.right - b.left)};");
        assertTrue(geometry.toString(), ((Number) geometry.get("startGap")).doubleValue() < 2);
        assertTrue(geometry.toString(), ((Number) geometry.get("endGap")).doubleValue() < 2);
        assertEquals("no console errors", List.of(), browser.severe());
    }

    @Test
    public void hostileNamesAndValuesAreShownAsTextAndNeverRun() throws Exception {
        String script = "<script>window.__pwned=1</script>";
        String image = "<img src=x onerror=\"window.__pwned=2\">";
        String quotes = "it's \"quoted\" &amp; <b>bold</b>";
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode validate = (ObjectNode) ExampleReports.json("validate-data").deepCopy();
        validate.with("dataset").put("name", script);
        ArrayNode findings = mapper.createArrayNode();
        findings.add(finding(mapper, "column.allowed_values", script, image + " is not allowed", quotes));
        findings.add(finding(mapper, "column.max", image, "value " + quotes, script));
        validate.set("findings", findings);
        ArrayNode drift = (ArrayNode) validate.path("drift");
        ((ObjectNode) drift.get(0)).put("column", image);
        ((ObjectNode) drift.get(1)).put("column", script);
        ArrayNode lineage = mapper.createArrayNode();
        lineage.add(mapper.createObjectNode().put("type", "dataset").put("id", "d1\"><script>window.__pwned=3</script>").put("name", image));
        validate.set("lineage", lineage);
        Path hostile = folder.getRoot().toPath().resolve("hostile.json");
        Files.writeString(hostile, mapper.writeValueAsString(validate), StandardCharsets.UTF_8);

        browser.open(report(List.of(), List.of(hostile), "--title", "</title><script>window.__pwned=4</script>"));
        browser.awaitRendered(1);
        assertEquals("nothing ran", "undefined", browser.script("return typeof window.__pwned;"));
        assertEquals("no element came from the data", 0L,
                browser.script("return document.querySelectorAll('.ml-stages-report script, .ml-stages-report img, .ml-stages-report b').length;"));
        assertEquals(1L, browser.script("return document.querySelectorAll('script').length;"));
        assertEquals("</title><script>window.__pwned=4</script>", browser.script("return document.title;"));
        assertEquals("</title><script>window.__pwned=4</script>", HeadlessChromium.text(browser.one("h1")));
        assertEquals(script, HeadlessChromium.text(browser.one("[data-section='findings'] [data-field='dataset']")));

        List<WebElement> rows = browser.all("[data-table='failed-findings'] tbody tr");
        assertEquals(2, rows.size());
        assertEquals(script, text(rows.get(0), ".mlr-subject"));
        assertEquals(image + " is not allowed", text(rows.get(0), ".mlr-message"));
        assertEquals(quotes, text(rows.get(0), ".mlr-observed"));
        assertEquals(image, text(rows.get(1), ".mlr-subject"));
        assertEquals("value " + quotes, text(rows.get(1), ".mlr-message"));
        assertEquals("the entity stays literal", "value it's \"quoted\" &amp; <b>bold</b>", rows.get(1).findElement(By.cssSelector(".mlr-message")).getText());

        List<WebElement> bars = browser.all(".mlr-drift-bar");
        assertEquals(image, bars.get(0).getDomAttribute("data-column"));
        assertTrue(HeadlessChromium.text(bars.get(0).findElement(By.tagName("title"))).startsWith(image + ": "));
        assertTrue(HeadlessChromium.text(bars.get(1).findElement(By.tagName("title"))).startsWith(script + ": "));
        WebElement node = browser.one(".mlr-lineage .mlr-node");
        assertEquals("dataset:d1\"><script>window.__pwned=3</script>", node.getDomAttribute("data-node-id"));
        assertTrue(HeadlessChromium.text(node.findElement(By.tagName("title"))).contains(image));
        assertEquals("undefined", browser.script("return typeof window.__pwned;"));
        assertEquals("no console errors (a blocked script would be one)", List.of(), browser.severe());
    }

    @Test
    public void theScriptAlsoRendersWhenItLoadsAfterTheDocumentAndRendersEveryReportOnThePage() throws Exception {
        // As the Jenkins build page will use the files: report.css and report.js as separate files, the
        // element in the markup, the script arriving late (here: added after the load event).
        Path dir = folder.newFolder("adjunct").toPath();
        Files.writeString(dir.resolve("report.js"), ReportPage.resource("page/report.js"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.css"), ReportPage.resource("page/report.css"), StandardCharsets.UTF_8);
        Path first = folder.getRoot().toPath().resolve("first.json");
        Path second = folder.getRoot().toPath().resolve("second.json");
        Main.run(new String[] {"report", "--in", copy("register"), "--in", copy("lineage"), "--html", folder.getRoot() + "/a.html",
            "--report", first.toString()}, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        Main.run(new String[] {"report", "--in", copy("evaluate"), "--html", folder.getRoot() + "/b.html", "--report", second.toString()},
                Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        String host = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>build</title><link rel=\"icon\" href=\"data:,\">"
                + "<link rel=\"stylesheet\" href=\"report.css\"></head><body>"
                + "<div class=\"ml-stages-report\" data-report=\"" + ReportPage.escape(Files.readString(first)) + "\"></div>"
                + "<div class=\"ml-stages-report\" data-report=\"" + ReportPage.escape(Files.readString(second)) + "\"></div>"
                + "<script>window.addEventListener('load', function () { window.__stateAtLoad = document.readyState;"
                + " var s = document.createElement('script'); s.src = 'report.js'; document.body.appendChild(s); });</script>"
                + "</body></html>";
        Path page = dir.resolve("build.html");
        Files.writeString(page, host, StandardCharsets.UTF_8);
        browser.open(page);
        browser.awaitRendered(2);
        assertEquals("complete", browser.script("return window.__stateAtLoad;"));
        assertEquals("both reports have a lineage graph", 2, browser.all(".mlr-lineage").size());
        assertEquals("only the second has metrics", 1, browser.all("[data-section='metrics']").size());
        assertEquals("the arrow markers of the two graphs do not share an id", 2L,
                browser.script("var ids = {}; document.querySelectorAll('marker').forEach(function (m) { ids[m.id] = true; });"
                        + " return Object.keys(ids).length;"));
        assertFalse(browser.all(".ml-stages-report")
                .get(1).findElements(By.cssSelector("tr[data-metric='roc_auc']")).isEmpty());
        assertEquals(List.of(), browser.severe());
    }

    @Test
    public void regressionAndMulticlassReportsShowTheirMetricsAndMulticlassItsClasses() throws Exception {
        StringBuilder regression = new StringBuilder("y,yhat\n");
        StringBuilder multiclass = new StringBuilder("label,p0,p1,p2\n");
        for (int i = 0; i < 120; i++) {
            regression.append(i % 17).append(',').append(i % 17 + (i % 5 - 2) * 0.3).append('\n');
            int label = i % 3;
            double[] p = {0.2, 0.2, 0.2};
            p[(i % 7 == 0) ? (label + 1) % 3 : label] = 0.6;
            multiclass.append(label).append(',').append(p[0]).append(',').append(p[1]).append(',').append(p[2]).append('\n');
        }
        for (String task : List.of("regression", "multiclass")) {
            Path data = folder.getRoot().toPath().resolve(task + ".csv");
            Files.writeString(data, task.equals("regression") ? regression : multiclass);
            Path evaluate = folder.getRoot().toPath().resolve(task + ".json");
            List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", data.toString(), "--task", task, "--report",
                    evaluate.toString(), "--resamples", "20"));
            args.addAll(task.equals("regression") ? List.of("--label", "y", "--prediction", "yhat")
                    : List.of("--label", "label", "--score", "p0", "--score", "p1", "--score", "p2"));
            StringWriter err = new StringWriter();
            assertEquals(err.toString(), 0, Main.run(args.toArray(new String[0]), Map.of(), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true)));
            Files.deleteIfExists(folder.getRoot().toPath().resolve("report.html"));
            browser.open(report(List.of(), List.of(evaluate)));
            browser.awaitRendered(1);
            JsonNode metrics = new ObjectMapper().readTree(evaluate.toFile()).path("metrics");
            List<WebElement> rows = browser.all("[data-section='metrics'] tr[data-metric]");
            assertFalse(task, rows.isEmpty());
            for (WebElement row : rows) {
                String name = row.getDomAttribute("data-metric");
                assertTrue(task + " " + name, metrics.has(name));
                assertEquals(task + " " + name, fixed(metrics.path(name).asDouble()), text(row, ".mlr-value"));
                assertEquals("no champion", "\u2014", text(row, ".mlr-champion"));
            }
            if (task.equals("regression")) {
                assertEquals(1, browser.all("tr[data-metric='root_mean_squared_error']").size());
                assertEquals(1, browser.all("tr[data-metric='r2_score']").size());
            } else {
                assertEquals(1, browser.all("tr[data-metric='f1_score']").size());
                assertEquals(1, browser.all("tr[data-metric='log_loss']").size());
            }
            if (task.equals("regression")) {
                assertTrue(task, browser.all("[data-section='curves']").isEmpty());
            } else {
                // each class against the rest: a table row with MLflow's per-class metrics, a line per class
                JsonNode perClass = new ObjectMapper().readTree(evaluate.toFile()).path("curves").path("per_class");
                List<WebElement> classRows = browser.all("[data-table='per-class'] tbody tr");
                assertEquals(3, perClass.size());
                assertEquals(perClass.size(), classRows.size());
                for (int c = 0; c < classRows.size(); c++) {
                    JsonNode m = perClass.get(c).path("metrics");
                    List<WebElement> cells = classRows.get(c).findElements(By.tagName("td"));
                    assertEquals(perClass.get(c).path("positive_class").asText(), cells.get(0).getText());
                    assertEquals(perClass.get(c).path("support").asText(), cells.get(1).getText());
                    assertEquals(fixed(m.path("f1_score").asDouble()), cells.get(4).getText());
                    assertEquals(fixed(m.path("roc_auc").asDouble()), cells.get(5).getText());
                }
                assertEquals(3, browser.all("[data-curve='roc_per_class'] polyline[data-class]").size());
                assertEquals(3, browser.all("[data-curve='precision_recall_per_class'] polyline[data-class]").size());
            }
            assertEquals(task, List.of(), browser.severe());
        }
    }

    @Test
    public void screenshotOfTheExampleReport() throws Exception {
        List<String> pipeline = new ArrayList<>(ExampleReports.PIPELINE);
        pipeline.add("canary-promoted");
        browser.open(report(pipeline, List.of(), "--title", "fraud-detector \u00B7 example pipeline"));
        browser.awaitRendered(1);
        byte[] png = browser.fullPage();
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        assertEquals(List.of(), browser.severe());
        Path target = Path.of(System.getProperty("mlstages.screenshot", "target/report-screenshot.png"));
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, png);
        assertTrue("a PNG", png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    /** A time that moves only when the run sleeps: a shadow run of a minute in milliseconds. */
    private static final class MovingTime extends java.time.Clock implements Sleeper {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public synchronized void sleep(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    public void aShadowRunShowsItsComparisonWithTheCanarysBehaviourPanel() throws Exception {
        // A real shadow run of the engine over a capture folder: 120 requests, the shadow disagreeing on 1 in 4.
        MovingTime time = new MovingTime();
        Path captured = folder.newFolder("captured").toPath();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            String live = "{\\\"predictions\\\": [0, 1, 0, 1]}";
            String shadow = i % 4 == 0 ? "{\\\"predictions\\\": [1, 1, 0, 1]}" : live;
            lines.append("{\"id\":\"r").append(i).append("\",\"time\":\"").append(time.instant().plusSeconds(10))
                    .append("\",\"path\":\"/invocations\",\"live\":{\"status\":200,\"latency_ms\":3,\"body\":\"").append(live)
                    .append("\"},\"shadow\":{\"status\":200,\"latency_ms\":5,\"body\":\"").append(shadow).append("\"}}\n");
        }
        Files.writeString(captured.resolve("pairs-1.jsonl"), lines, StandardCharsets.UTF_8);
        ShadowMirror mirror = new ShadowMirror() {
            private boolean on;

            @Override
            public void setMirroring(boolean value) {
                on = value;
            }

            @Override
            public boolean mirroring() {
                return on;
            }

            @Override
            public String describe() {
                return "test mirror";
            }
        };
        ShadowResult result = new ShadowRun(new ShadowStateStore(folder.getRoot().toPath().resolve("shadow-state.json")), mirror,
                new CaptureFolder(captured), null, time, time, Backoff.DEFAULT).start(new ShadowPlan("fraud-detector", "3", "2",
                        Duration.ofSeconds(60), 0, 100, ShadowChecks.parse(List.of("agreement >= 0.97", "prediction_psi <= 0.1",
                                "shadow_error_rate <= 0.01")), captured.toString(), Duration.ofSeconds(5)));
        assertEquals(ShadowVerdict.REJECTED, result.verdict());
        Path shadowReport = folder.getRoot().toPath().resolve("shadow.json");
        Files.writeString(shadowReport, ReportWriter.mapper().writeValueAsString(result), StandardCharsets.UTF_8);

        browser.open(report(List.of(), List.of(shadowReport)));
        browser.awaitRendered(1);
        WebElement section = browser.one("[data-section='shadow']");
        assertTrue(HeadlessChromium.text(section).contains("REJECTED"));
        // one row: the run's comparison, every figure the stage report has, as checks name them
        List<WebElement> rows = browser.all("[data-table='shadow-behaviour'] tbody tr");
        assertEquals(1, rows.size());
        assertTrue("no weight column: a shadow never routes users", browser.all("[data-table='shadow-behaviour'] th").stream()
                .noneMatch(th -> th.getText().equals("weight")));
        Map<String, Double> metrics = result.metrics();
        for (String name : List.of("agreement", "prediction_psi", "mean_abs_diff", "shadow_error_rate")) {
            WebElement cell = rows.get(0).findElement(By.cssSelector("td[data-metric='" + name + "']"));
            assertEquals(name, fixed(metrics.get(ShadowResult.metricName(name))), cell.getText());
        }
        assertEquals(String.valueOf(metrics.get("shadow_pairs").longValue()),
                rows.get(0).findElement(By.cssSelector("td[data-metric='pairs']")).getText());
        // 1 row of 4 differs in 1 request of 4
        assertEquals(1 - 30 / 480.0, metrics.get("shadow_agreement"), 1e-9);
        // each check's verdict marks its figure's cell
        for (var check : result.checks()) {
            assertEquals(check.check(), check.verdict().name(), rows.get(0).findElement(By.cssSelector("td[data-metric='"
                    + check.check() + "']")).getDomAttribute("data-verdict"));
        }
        assertEquals("FAIL", rows.get(0).findElement(By.cssSelector("td[data-metric='agreement']")).getDomAttribute("data-verdict"));
        // both versions' outputs over the run's bins: one bar each per bin, its share of that version's answers
        var distribution = result.distribution();
        assertEquals(480L, distribution.live().stream().mapToLong(Long::longValue).sum());
        assertEquals(480L, distribution.candidate().stream().mapToLong(Long::longValue).sum());
        assertFalse("the shadow's outputs differ", distribution.live().equals(distribution.candidate()));
        for (String version : List.of("live", "shadow")) {
            List<Long> counts = version.equals("live") ? distribution.live() : distribution.candidate();
            List<WebElement> bars = browser.all("[data-section='shadow'] .mlr-distribution rect.mlr-bar[data-version='" + version + "']");
            assertEquals(distribution.bins().size(), bars.size());
            for (int i = 0; i < bars.size(); i++) {
                String share = new BigDecimal(100.0 * counts.get(i) / 480).setScale(1, RoundingMode.HALF_UP).toPlainString();
                assertEquals(version + " " + distribution.bins().get(i) + ": " + share + " %",
                        HeadlessChromium.text(bars.get(i).findElement(By.tagName("title"))).strip());
            }
        }
        assertEquals(List.of(), browser.severe());
    }

    @Test
    public void anAbTestShowsItsArmsWinnerIntervalAndStatisticOverTheAnalyses() throws Exception {
        // A real A/B test of the engine on a virtual clock: 100 requests per arm a minute, 10 % against 16 %.
        MovingTime time = new MovingTime();
        Instant start = time.instant();
        ArmSource source = new ArmSource() {
            @Override
            public ArmCounts counts(Instant at) {
                long minutes = Duration.between(start, at).toMinutes();
                long n = 100 * minutes;
                return new ArmCounts(n, n / 10 + minutes % 3, n, n * 16 / 100);
            }

            @Override
            public ArmCounts baseline(Instant at) {
                return counts(at);
            }

            @Override
            public String describe() {
                return "test counts";
            }
        };
        TrafficRouter router = new TrafficRouter() {
            private int weight;

            @Override
            public void setCanaryWeight(int percent) {
                weight = percent;
            }

            @Override
            public int canaryWeight() {
                return weight;
            }

            @Override
            public String describe() {
                return "test router";
            }
        };
        AbResult result = new AbTestRun(new AbStateStore(folder.getRoot().toPath().resolve("ab-state.json")), router, source, null, time,
                time, Backoff.DEFAULT).start(new AbPlan("churn", "2", "1", 50, Duration.ofHours(2), Duration.ofMinutes(5), 100, 0, 0.05,
                        0.05, PromoteRule.CANDIDATE_WINS, 0, NoWinnerAction.ROLLBACK, AbMetric.prometheus("a", "b", "c", "d")));
        assertEquals(AbVerdict.PROMOTED, result.verdict());
        Path abReport = folder.getRoot().toPath().resolve("ab.json");
        Files.writeString(abReport, ReportWriter.mapper().writeValueAsString(result), StandardCharsets.UTF_8);

        browser.open(report(List.of(), List.of(abReport)));
        browser.awaitRendered(1);
        WebElement section = browser.one("[data-section='ab-test']");
        assertTrue(HeadlessChromium.text(section).contains("PROMOTED"));
        assertEquals("candidate", browser.one("[data-section='ab-test'] [data-winner]").getText());
        String winner = HeadlessChromium.text(browser.one("[data-section='ab-test'] [data-field='winner']"));
        assertTrue(winner, winner.contains("95 % always-valid interval [+" + fixed(result.interval()[0]) + ", +"
                + fixed(result.interval()[1]) + "]"));
        ArmCounts counts = result.counts();
        List<WebElement> arms = browser.all("[data-table='ab-arms'] tbody tr");
        assertEquals(List.of(String.valueOf(counts.controlTrials()), String.valueOf(counts.controlConversions()),
                fixed((double) counts.controlConversions() / counts.controlTrials())),
                arms.get(0).findElements(By.tagName("td")).stream().skip(1).map(WebElement::getText).toList());
        assertEquals(fixed((double) counts.candidateConversions() / counts.candidateTrials()),
                arms.get(1).findElements(By.tagName("td")).get(3).getText());
        // one row per analysis, one mark per look; the always-valid p of the last look as the engine computed it
        List<WebElement> rows = browser.all("[data-table='ab-analyses'] tbody tr");
        assertEquals(result.analyses().size(), rows.size());
        long looks = result.analyses().stream().filter(a -> a.look() != null).count();
        assertTrue("the test looked several times: " + looks, looks >= 2);
        assertEquals(looks, browser.all("[data-section='ab-test'] svg.mlr-ab circle.mlr-mark").size());
        List<WebElement> last = rows.get(rows.size() - 1).findElements(By.tagName("td"));
        assertEquals(fixed(result.pValue()), last.get(6).getText());
        assertEquals(1, browser.all("[data-section='ab-test'] svg.mlr-ab polygon.mlr-ab-band").size());
        assertEquals(List.of(), browser.severe());
        Path target = Path.of("target/ab-test-screenshot.png");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, browser.fullPage());
    }

    private String copy(String name) throws Exception {
        Path file = folder.getRoot().toPath().resolve("copy-" + name + ".json");
        try (InputStream in = ExampleReports.open(name)) {
            Files.copy(in, file);
        }
        return file.toString();
    }

    private static ObjectNode finding(ObjectMapper mapper, String check, String subject, String message, String observed) {
        return mapper.createObjectNode().put("check", check).put("subject", subject).put("severity", "ERROR").put("passed", false)
                .put("message", message).put("observed", observed).put("expected", "text");
    }
}
