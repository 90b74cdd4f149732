package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.mlstages.testing.SetupScript;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import io.jenkins.plugins.mlstages.report.ExampleReports;
import io.jenkins.plugins.mlstages.report.MarkdownSummary;
import io.jenkins.plugins.mlstages.report.ReportFormatsFixtures;

/**
 * The Markdown summary rendered as a pull request would show it: by a real GitHub-flavoured Markdown
 * renderer (npm {@code marked}, pinned in tools/markdown-renderer.sh, installed on first use) in a real
 * headless Chromium. Every section is there with the stage reports' numbers, tables keep their columns,
 * the MLflow links are links, and hostile report text is shown as text: no element it could create.
 * The renderer does not sanitise HTML (GitHub's does), so any escape we missed would show here.
 */
public class ReportMarkdownIT {
    private static HeadlessChromium browser;
    private static Path marked;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @BeforeClass
    public static void setUp() throws Exception {
        Path root = Path.of(System.getProperty("mlstages.root", ".")).toAbsolutePath().normalize();
        Path dir = root.resolve("target/markdown-renderer");
        SetupScript.run(root, "markdown-renderer.sh", dir, 10, "npm and the npm registry");
        marked = dir.resolve("node_modules/marked/lib/marked.umd.js");
        browser = new HeadlessChromium();
    }

    @AfterClass
    public static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Renders {@code markdown} into a page of its own; returns the rendered element. */
    private WebElement render(String markdown) throws Exception {
        Path page = folder.newFile("page.html").toPath();
        Files.writeString(page, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><script src=\"" + marked.toUri()
                + "\"></script></head><body><article id=\"md\"></article></body></html>\n", StandardCharsets.UTF_8);
        browser.open(page);
        browser.script("window.alerted = false; window.alert = function () { window.alerted = true; };"
                + "document.getElementById('md').innerHTML = marked.parse(arguments[0]);", markdown);
        return browser.one("#md");
    }

    private static List<String> texts(WebElement root, String css) {
        List<String> texts = new ArrayList<>();
        for (WebElement element : root.findElements(By.cssSelector(css))) {
            texts.add(HeadlessChromium.text(element).strip());
        }
        return texts;
    }

    /** The cells of the first row of the table after the heading that starts with {@code heading}, whose first cell is {@code first}. */
    private static List<String> row(WebElement root, String first) {
        for (WebElement tr : root.findElements(By.cssSelector("tr"))) {
            List<String> cells = texts(tr, "td");
            if (!cells.isEmpty() && cells.get(0).equals(first)) {
                return cells;
            }
        }
        throw new AssertionError("no row starting with " + first);
    }

    private static String f4(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    @Test
    public void theExamplePipelinesSummaryRendersEverySection() throws Exception {
        List<String> args = new ArrayList<>(List.of("report"));
        for (String name : List.of("validate-data", "evaluate", "gate", "register", "lineage", "canary")) {
            Path file = folder.getRoot().toPath().resolve(name + ".json");
            try (InputStream in = ExampleReports.open(name)) {
                Files.copy(in, file);
            }
            args.addAll(List.of("--in", file.toString()));
        }
        Path summary = folder.getRoot().toPath().resolve("summary.md");
        args.addAll(List.of("--markdown", summary.toString(), "--markdown-detail", "full", "--title", "fraud-detector: example pipeline"));
        StringWriter err = new StringWriter();
        assertEquals(err.toString(), 0, Main.run(args.toArray(new String[0]), Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        WebElement md = render(Files.readString(summary, StandardCharsets.UTF_8));

        assertEquals(List.of("❌ fraud-detector: example pipeline"), texts(md, "h2"));
        assertEquals(List.of("Key metrics", "Failed checks (3)", "Drift", "Gate: ✅ PASSED", "Registration", "Canary: ❌ ROLLED_BACK",
                "Validation checks (39, 1 failed)"), texts(md, "h3"));
        assertTrue(texts(md, "p").get(0).startsWith("FAILED: fraud-detector version 2: FAILED ("));
        assertEquals("the verdict is bold", "FAILED", texts(md, "p > strong").get(0));
        // every table keeps its columns: stages, metrics, failed, drift, gate, canary timeline, validation
        List<WebElement> tables = md.findElements(By.tagName("table"));
        assertEquals(7, tables.size());
        for (WebElement table : tables) {
            int columns = table.findElements(By.cssSelector("thead th")).size();
            for (WebElement tr : table.findElements(By.cssSelector("tbody tr"))) {
                assertEquals(HeadlessChromium.text(tr), columns, tr.findElements(By.tagName("td")).size());
            }
        }
        JsonNode evaluate = ExampleReports.json("evaluate");
        JsonNode ci = evaluate.path("intervals").path("roc_auc");
        double value = evaluate.path("metrics").path("roc_auc").asDouble();
        double champion = ExampleReports.json("gate").path("champion").path("metrics").path("roc_auc").asDouble();
        assertEquals(List.of("roc_auc", f4(value), "[" + f4(ci.path("lower").asDouble()) + ", " + f4(ci.path("upper").asDouble()) + "] 95 %",
                f4(champion), String.format(Locale.ROOT, "%+.4f", value - champion) + " ▲ better"), row(md, "roc_auc").subList(0, 5));
        assertEquals(List.of("validate-data", "WARNING", "drift.wasserstein income", "income: wasserstein 0.6260, drifted (drift when ≥ 0.1)"),
                texts(tables.get(2), "tbody tr:first-child td"));
        assertEquals(List.of("income", "Wasserstein distance (normed)", "0.6260", ">= 0.1000", "⚠️ yes"), row(md, "income"));
        assertEquals(List.of("1", "roc_auc >= 0.65", "PASS", "0.7107", "0.6500", "+0.0607"), row(md, "1"));
        assertEquals(ExampleReports.json("canary").path("timeline").size(), tables.get(5).findElements(By.cssSelector("tbody tr")).size());
        assertEquals(39, tables.get(6).findElements(By.cssSelector("tbody tr")).size());
        assertTrue(texts(md, "li").contains("Aliases: candidate → 2 (set by register), champion → 1 (set by canary)"));
        List<String> hrefs = new ArrayList<>();
        for (WebElement a : md.findElements(By.tagName("a"))) {
            hrefs.add(a.getDomAttribute("href"));
        }
        assertEquals(List.of("http://127.0.0.1:5000/#/runs/" + ExampleReports.json("register").path("run_id").asText(),
                "http://127.0.0.1:5000/#/models/fraud-detector/versions/2"), hrefs);
        // the pictures, from the SVG files the CLI wrote beside the summary, load and have a size
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Boolean.TRUE.equals(browser.script("return Array.from(document.images).every(function (i) { return i.complete; });"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<String> alts = new ArrayList<>();
        for (WebElement img : md.findElements(By.tagName("img"))) {
            alts.add(img.getDomAttribute("alt"));
            assertTrue(img.getDomAttribute("src"), ((Number) browser.script("return arguments[0].complete ? arguments[0].naturalWidth : -1;", img))
                    .intValue() > 0);
        }
        assertEquals(List.of("ROC curve", "Precision-recall curve", "Drift per column"), alts);
        assertEquals(List.of(), browser.severe());
    }

    @Test
    public void hostileReportTextRendersAsText() throws Exception {
        String markdown = new MarkdownSummary(ReportFormatsFixtures.hostile(), MarkdownSummary.Detail.FULL, null).markdown();
        WebElement md = render(markdown);
        List<String> made = new ArrayList<>();
        for (WebElement element : md.findElements(By.cssSelector("img, b, em, strong, a, del, s"))) {
            made.add(element.getDomProperty("outerHTML"));
        }
        assertEquals("no image, bold, italic, strike-through or link from report text; the verdict alone is bold",
                List.of("<strong>FAILED</strong>"), made);
        assertEquals(Boolean.FALSE, browser.script("return window.alerted;"));
        assertEquals(List.of("❌ hostile <b>title</b> | x"), texts(md, "h2"));
        assertEquals("the drifted column's name, whole, in its cell", ReportFormatsFixtures.HOSTILE,
                texts(md, "table").isEmpty() ? null : row(md, ReportFormatsFixtures.HOSTILE).get(0));
        // as code: the check and its subject in one code element, backticks and all
        assertTrue(texts(md, "code").contains("drift.wasserstein " + ReportFormatsFixtures.HOSTILE));
        for (WebElement table : md.findElements(By.tagName("table"))) {
            int columns = table.findElements(By.cssSelector("thead th")).size();
            for (WebElement tr : table.findElements(By.cssSelector("tbody tr"))) {
                assertEquals(HeadlessChromium.text(tr), columns, tr.findElements(By.tagName("td")).size());
            }
        }
        assertEquals(List.of(), browser.severe());
    }
}
