package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.MarkdownSummary.Detail;

/** The Markdown summary as text: every section with the reports' numbers, short and full, escaping, links, appending. */
public class MarkdownSummaryTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static String row(String md, String start) {
        for (String line : md.split("\n")) {
            if (line.startsWith(start)) {
                return line;
            }
        }
        throw new AssertionError("no line starting with '" + start + "' in\n" + md);
    }

    private static String f4(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    @Test
    public void everySectionWithTheNumbersOfTheStageReports() throws Exception {
        String md = new MarkdownSummary(ReportFormatsFixtures.pipeline(), Detail.SHORT, "http://mlflow.example:5000/").markdown();
        assertTrue(md, md.startsWith("## ❌ fraud-detector: example pipeline\n\n**FAILED**: "));
        for (String heading : new String[] {"### Key metrics", "### Failed checks (3)", "### Drift", "### Gate: ✅ PASSED",
            "### Registration", "### Canary: ❌ ROLLED\\_BACK"}) {
            assertTrue(heading + " in\n" + md, md.contains("\n" + heading + "\n"));
        }
        JsonNode evaluate = ExampleReports.json("evaluate");
        JsonNode ci = evaluate.path("intervals").path("roc_auc");
        JsonNode paired = evaluate.path("paired").path("roc_auc");
        double champion = ExampleReports.json("gate").path("champion").path("metrics").path("roc_auc").asDouble();
        double value = evaluate.path("metrics").path("roc_auc").asDouble();
        assertEquals("| roc\\_auc | " + f4(value) + " | [" + f4(ci.path("lower").asDouble()) + ", " + f4(ci.path("upper").asDouble())
                + "] 95 % | " + f4(champion) + " | " + String.format(Locale.ROOT, "%+.4f", value - champion) + " ▲ better | ["
                + f4(paired.path("lower").asDouble()) + ", " + f4(paired.path("upper").asDouble()) + "] (excludes 0) |",
                row(md, "| roc\\_auc |"));
        assertTrue(md, row(md, "| validate-data | ").contains("WARNING | 39 | 1 |"));
        assertTrue(md, md.contains("1 of 5 columns drifted."));
        assertTrue("short: only the drifted column", md.contains("| income | Wasserstein distance (normed) | 0.6260 | `>= 0.1000` | ⚠️ yes |"));
        assertFalse(md, md.contains("| age |"));
        assertTrue(md, row(md, "| 1 | `roc_auc >= 0.65` | PASS |").endsWith("| 0.7107 | 0.6500 | +0.0607 |"));
        assertTrue(md, md.contains("- Model fraud-detector version 2\n"));
        assertTrue(md, md.contains("- Aliases: candidate → 2 (set by register), champion → 1 (set by canary)\n"));
        assertTrue(md, md.contains("- Version 2 against stable version 1\n"));
        assertTrue(md, md.contains("[MLflow run aed040169f11484592d6170be7c32af0](http://mlflow.example:5000/#/runs/aed040169f11484592d6170be7c32af0)"));
        assertTrue(md, md.contains("](http://mlflow.example:5000/#/models/fraud-detector/versions/2)"));
        assertFalse("validation checks only in full", md.contains("### Validation checks"));
        assertFalse("canary timeline only in full", md.contains("| Elapsed (s) |"));
    }

    @Test
    public void fullAddsEveryDriftColumnEveryValidationCheckAndTheCanaryTimeline() throws Exception {
        String md = new MarkdownSummary(ReportFormatsFixtures.pipeline(), Detail.FULL, null).markdown();
        assertTrue(md, md.contains("| age | Wasserstein distance (normed) |"));
        assertTrue(md, md.contains("### Validation checks (39, 1 failed)\n"));
        int checks = 0;
        for (String line : md.split("\n")) {
            if (line.startsWith("| PASS |") || line.startsWith("| FAIL |")) {
                checks++;
            }
        }
        assertEquals(39, checks);
        assertEquals(ExampleReports.json("canary").path("timeline").size() + 2,
                md.substring(md.indexOf("| Elapsed (s) |")).split("\n\n")[0].split("\n").length);
        assertFalse("no links without an MLflow URL", md.contains("Links:"));
    }

    @Test
    public void aShortSummaryListsTheFirstFailedChecksAndSaysHowManyMore() throws Exception {
        java.util.List<StageInput> inputs = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.node.ObjectNode validate = (com.fasterxml.jackson.databind.node.ObjectNode) ExampleReports.json("validate-data");
        for (JsonNode finding : validate.path("findings")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) finding).put("passed", false).put("severity", "WARNING");
        }
        inputs.add(new StageReportReader().parse(new java.io.ByteArrayInputStream(
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(validate)), "v.json"));
        BuildReport report = BuildReport.merge(inputs, null);
        String shortMd = new MarkdownSummary(report, Detail.SHORT, null).markdown();
        assertTrue(shortMd, shortMd.contains("### Failed checks (39)"));
        assertTrue(shortMd, shortMd.contains("\n… and 29 more (the full summary lists them all).\n"));
        String full = new MarkdownSummary(report, Detail.FULL, null).markdown();
        assertFalse(full.contains("more (the full summary"));
        assertTrue(full.split("\\| validate-data \\| WARNING \\|", -1).length - 1 == 39);
    }

    @Test
    public void reportTextCannotAddMarkup() throws Exception {
        String md = new MarkdownSummary(ReportFormatsFixtures.hostile(), Detail.FULL, null).markdown();
        // in a code span nothing is markup; outside one, nothing may be
        String outsideCode = md.replaceAll("(`+)(?!`).*?(?<!`)\\1(?!`)", "");
        assertTrue("the hostile name is in code spans too", outsideCode.length() < md.length());
        for (String markup : new String[] {"<img", "<b>", "](http://evil", "`x`", "*b*", "$m$"}) {
            // the first character of each must be backslash-escaped wherever it appears
            assertFalse(markup + " in\n" + outsideCode, java.util.regex.Pattern.compile("(?<!\\\\)" + java.util.regex.Pattern.quote(markup))
                    .matcher(outsideCode).find());
        }
        String escaped = "in\\|come \\`x\\` \\<img src=x onerror=alert(1)\\> \\[link\\](http\\://evil) \\*b\\* \\$m\\$";
        String drift = row(md, "| " + escaped + " |");
        assertEquals("the drift row keeps its 6 cell borders", 6, unescapedPipes(drift));
        String failed = row(md, "| validate-data | WARNING |");
        assertEquals(5, unescapedPipes(failed));
        assertTrue("a newline in a message stays in its cell: " + failed, failed.contains("drifted second line"));
        assertTrue(md, md.startsWith("## ❌ hostile \\<b\\>title\\</b\\> \\| x\n"));
    }

    @Test
    public void gateOutcomesFailWarnAndSkip() throws Exception {
        String md = new MarkdownSummary(ReportFormatsFixtures.hostile(), Detail.SHORT, null).markdown();
        assertTrue(md, md.contains("### Gate: ❌ FAILED"));
        assertTrue(md, md.contains("| 2 | `roc_auc >= champion.roc_auc` | FAIL |"));
        assertTrue(md, md.contains("| 3 | `paired(roc_auc) >= 0` | SKIP |"));
        assertTrue(md, md.contains("| 4 | `warning: all slices.roc_auc >= 0.6` | FAIL (warning) |"));
        assertTrue(md, md.contains("### Canary: ✅ PROMOTED"));
    }

    private static int unescapedPipes(String line) {
        int count = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '|') {
                count++;
            }
        }
        return count;
    }

    @Test
    public void textEscapesEveryMarkdownAndHtmlCharacter() {
        assertEquals("a\\|b \\`c\\` \\<d\\> \\[e\\](f) \\*g\\* \\_h\\_ \\&amp; \\# \\! \\~ \\$ \\\\ two lines",
                MarkdownSummary.text("a|b `c` <d> [e](f) *g* _h_ &amp; # ! ~ $ \\ two\nlines"));
        assertEquals("no autolink", "http\\://x www\\.y a\\@b.c", MarkdownSummary.text("http://x www.y a@b.c"));
        assertEquals("control characters are made visible", "x\\\\u001b\\[31m", MarkdownSummary.text("x\u001b[31m"));
        assertEquals("–", MarkdownSummary.text(null));
    }

    @Test
    public void codeSpansOutlastTheBackticksInside() {
        assertEquals("`a >= 1`", MarkdownSummary.code("a >= 1"));
        assertEquals("``a ` b``", MarkdownSummary.code("a ` b"));
        assertEquals("``` `` x ```", MarkdownSummary.code("`` x"));
        assertEquals("`a \\| b`", MarkdownSummary.code("a | b"));
        assertEquals("outside a table a pipe stays", "`a | b`", MarkdownSummary.code("a | b", false));
    }

    @Test
    public void aKnownCredentialIsRedacted() throws Exception {
        String token = "md-token-" + System.nanoTime();
        Secrets.remember(Secrets.bearer(token));
        assertEquals("build \\*\\*\\*\\*", MarkdownSummary.text("build " + token));
    }

    @Test
    public void linksOnlyToAnHttpUrlWithoutItsUserInfo() {
        assertEquals("https://mlflow.example/prefix", MarkdownSummary.linkBase("https://user:pw@mlflow.example/prefix/?a=b#c"));
        assertEquals("http://127.0.0.1:5000", MarkdownSummary.linkBase("http://127.0.0.1:5000"));
        assertNull(MarkdownSummary.linkBase("javascript:alert(1)"));
        assertNull(MarkdownSummary.linkBase("databricks"));
        assertNull(MarkdownSummary.linkBase("file:///tmp/mlruns"));
        assertNull(MarkdownSummary.linkBase(null));
    }

    @Test
    public void appendingKeepsWhatTheFileHeld() throws Exception {
        Path summary = folder.getRoot().toPath().resolve("step-summary.md");
        Files.writeString(summary, "# Earlier step\n");
        MarkdownSummary markdown = new MarkdownSummary(ReportFormatsFixtures.pipeline(), Detail.SHORT, null);
        markdown.append(summary);
        markdown.append(summary);
        String text = Files.readString(summary, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("# Earlier step\n\n## ❌"));
        assertEquals(2, text.split("\n## ❌ ", -1).length - 1);
    }

    @Test
    public void imagesBesideTheSummaryAreWellFormedSvgOfTheCurvesAndTheDrift() throws Exception {
        MarkdownSummary summary = new MarkdownSummary(ReportFormatsFixtures.hostile(), Detail.SHORT, null).withImages("sum mary");
        Map<String, String> images = summary.images();
        assertEquals(List.of("sum mary-roc.svg", "sum mary-precision-recall.svg", "sum mary-drift.svg"), List.copyOf(images.keySet()));
        String md = summary.markdown();
        assertTrue(md, md.contains("\n![ROC curve](sum%20mary-roc.svg)\n"));
        assertTrue(md, md.indexOf("![Drift per column](sum%20mary-drift.svg)") > md.indexOf("### Drift"));
        JsonNode roc = ExampleReports.json("evaluate").path("curves").path("roc");
        Document rocSvg = svg(images.get("sum mary-roc.svg"));
        String points = rocSvg.getElementsByTagName("polyline").item(0).getAttributes().getNamedItem("points").getNodeValue();
        assertEquals(roc.path("xs").size(), points.split(" ").length);
        Document drift = svg(images.get("sum mary-drift.svg"));
        int red = 0;
        NodeList rects = drift.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            if ("#d1242f".equals(((Element) rects.item(i)).getAttribute("fill"))) {
                red++;
            }
        }
        assertEquals("one drifted column", 1, red);
        StringBuilder labels = new StringBuilder();
        NodeList texts = drift.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            labels.append(texts.item(i).getTextContent()).append('\n');
        }
        assertTrue("the hostile name is text (shortened): " + labels, labels.toString().contains(ReportFormatsFixtures.HOSTILE.substring(0, 27)));
        assertEquals("no image without withImages", Map.of(), new MarkdownSummary(ReportFormatsFixtures.hostile(), Detail.SHORT, null).images());
        assertFalse(new MarkdownSummary(ReportFormatsFixtures.hostile(), Detail.SHORT, null).markdown().contains("!["));
    }

    private static Document svg(String text) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(0, doc.getElementsByTagName("script").getLength());
        return doc;
    }

    @Test
    public void detailParsesShortAndFull() {
        assertEquals(Detail.FULL, Detail.parse(" Full"));
        assertEquals(Detail.SHORT, Detail.parse("short"));
        try {
            Detail.parse("long");
            throw new AssertionError("accepted");
        } catch (IllegalArgumentException e) {
            assertEquals("unknown detail 'long': use short or full", e.getMessage());
        }
    }

    @Test
    public void anAbTestGivesItsWinnerIntervalAndArms() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode test = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        test.put("stage", "ab-test").put("status", "PASSED").put("model", "churn").put("version", "2").put("control_version", "1")
                .put("verdict", "PROMOTED").put("winner", "candidate").put("p_value", 0.0029);
        test.putArray("interval").add(0.0134).add(0.1046);
        test.putObject("counts").put("control_trials", 1000).put("control_conversions", 101).put("candidate_trials", 1000)
                .put("candidate_conversions", 160);
        BuildReport report = BuildReport.merge(List.of(new StageInput("ab.json", "ab-test", Status.PASSED, test)), null);
        String md = new MarkdownSummary(report, Detail.SHORT, null).markdown();
        assertTrue(md, md.contains("\n### A/B test: ✅ PROMOTED\n"));
        assertTrue(md, md.contains("- Version 2 against version 1; winner: **candidate**; candidate − control +0.0134 to +0.1046"
                + " (always-valid interval), p 0.0029\n"));
        assertEquals("| control | 1000 | 101 | 0.1010 |", row(md, "| control"));
        assertEquals("| candidate | 1000 | 160 | 0.1600 |", row(md, "| candidate"));
    }
}
