package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The standalone page as text: self-contained, data escaped, nothing that can end the script early. */
public class ReportPageTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void escapesTheFiveCharacters() {
        assertEquals("&lt;script&gt;a &amp;amp; &quot;b&quot; &#39;c&#39;&lt;/script&gt;",
                ReportPage.escape("<script>a &amp; \"b\" 'c'</script>"));
    }

    @Test
    public void aKnownCredentialInTheTitleIsRedacted() {
        String token = "title-token-" + System.nanoTime();
        Secrets.remember(Secrets.bearer(token));
        String page = ReportPage.html("Build with " + token + " <x>", "{}");
        assertFalse(page, page.contains(token));
        assertTrue(page, page.contains("<title>Build with **** &lt;x&gt;</title>"));
    }

    @Test
    public void thePageCarriesTheReportInItsAttributeAndInlinesStyleAndScript() throws Exception {
        BuildReport report = BuildReport.merge(ExampleReports.inputs(ExampleReports.PIPELINE), "Fraud <model> & 'co'");
        String page = ReportPage.html(report);
        assertTrue(page.startsWith("<!DOCTYPE html>\n"));
        assertTrue(page, page.contains("<title>Fraud &lt;model&gt; &amp; &#39;co&#39;</title>"));
        assertFalse("no external resource", Pattern.compile("(src|href)=\"(?!data:)").matcher(page).find());
        Matcher attribute = Pattern.compile("<div class=\"ml-stages-report\" data-report=\"([^\"]*)\"></div>").matcher(page);
        assertTrue(attribute.find());
        String json = attribute.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
        ObjectMapper mapper = new ObjectMapper();
        assertTrue("the attribute holds the report", mapper.readTree(ReportWriter.mapper().writeValueAsString(report))
                .equals(mapper.readTree(json)));
        assertEquals("one script element", 1, count(page, "<script"));
        assertEquals(1, count(page.toLowerCase(java.util.Locale.ROOT), "</script"));
        assertTrue(page.contains("<script>" + ReportPage.inlineSafe(ReportPage.resource(ReportPage.JS), Pattern.compile("(?i)</(script)"))));
    }

    @Test
    public void theContentSecurityPolicyAllowsExactlyTheInlinedStyleAndScript() throws Exception {
        String page = ReportPage.html("t", "{}");
        String script = between(page, "<script>", "</script>");
        String style = between(page, "<style>", "</style>");
        assertTrue(page, page.contains("script-src 'sha256-" + sha256(script) + "'"));
        assertTrue(page, page.contains("style-src 'sha256-" + sha256(style) + "'"));
        assertTrue(page.contains("default-src 'none'"));
    }

    @Test
    public void aScriptEndInsideTheResourceCannotCloseTheElement() {
        Pattern end = Pattern.compile("(?i)</(script)");
        assertEquals("var s = '<\\/script><\\/SCRIPT>'; // <\\!-- x", ReportPage.inlineSafe("var s = '</script></SCRIPT>'; // <!-- x", end));
    }

    @Test
    public void theScriptUsesNoMarkupSinks() {
        String js = ReportPage.resource(ReportPage.JS);
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", " on")) {
            if (sink.equals(" on")) {
                assertFalse("no inline handlers set as attributes", Pattern.compile("setAttribute\\(['\"]on").matcher(js).find());
                continue;
            }
            assertFalse(sink, js.replaceAll("(?s)/\\*.*?\\*/", "").contains(sink));
        }
        assertTrue("the contract is stated at the top", js.startsWith("/*\n * ML Stages report page"));
        assertTrue(js.contains("io.jenkins.plugins.mlstages.report.page.report"));
    }

    @Test
    public void writeReplacesTheFileWhole() throws Exception {
        Path target = folder.getRoot().toPath().resolve("out/report.html");
        ReportPage.write(target, "<!DOCTYPE html>first");
        ReportPage.write(target, "<!DOCTYPE html>second");
        assertEquals("<!DOCTYPE html>second", Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals("no temporary file left", 1, files.count());
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
