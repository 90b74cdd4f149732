package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import com.fasterxml.jackson.databind.JsonNode;

/** The JUnit XML: valid against Surefire's published schema, one case per check and rule, each outcome mapped as documented. */
public class JUnitReportTest {
    private static Document parse(byte[] xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Map<String, Element> cases(Document doc) {
        Map<String, Element> cases = new HashMap<>();
        NodeList list = doc.getElementsByTagName("testcase");
        for (int i = 0; i < list.getLength(); i++) {
            Element c = (Element) list.item(i);
            assertEquals("names are unique in a class", null, cases.put(c.getAttribute("classname") + " / " + c.getAttribute("name"), c));
        }
        return cases;
    }

    @Test
    public void theExamplePipelineValidatesAgainstSurefiresSchema() throws Exception {
        ReportFormatsFixtures.validateAgainstSurefireSchema(new JUnitReport(ReportFormatsFixtures.pipeline()).xml());
        ReportFormatsFixtures.validateAgainstSurefireSchema(new JUnitReport(ReportFormatsFixtures.hostile()).xml());
    }

    @Test
    public void theSchemaCheckCanFail() throws Exception {
        String missingTime = "<?xml version=\"1.0\"?><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">"
                + "<testcase name=\"c\"/></testsuite>";
        try {
            ReportFormatsFixtures.validateAgainstSurefireSchema(missingTime.getBytes(StandardCharsets.UTF_8));
            fail("a test case without its required time was accepted");
        } catch (SAXException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("time"));
        }
    }

    @Test
    public void oneCasePerFindingOfEachStageAndOnePerGateRule() throws Exception {
        Document doc = parse(new JUnitReport(ReportFormatsFixtures.pipeline()).xml());
        Map<String, Element> cases = cases(doc);
        int expected = 0;
        List<String> classes = new ArrayList<>();
        for (String stage : List.of("validate-data", "evaluate", "gate", "register", "canary")) {
            JsonNode json = ExampleReports.json(stage);
            int n = stage.equals("gate") ? json.path("rules").size() : json.path("findings").size();
            expected += Math.max(n, 1);
            classes.add("ml-stages." + stage);
        }
        assertEquals(expected, cases.size());
        assertEquals(Integer.toString(expected), doc.getDocumentElement().getAttribute("tests"));
        for (String key : cases.keySet()) {
            assertTrue(key, classes.contains(key.substring(0, key.indexOf(" / "))));
        }
        assertNotNull("evaluate reported no finding: its verdict is one case", cases.get("ml-stages.evaluate / evaluate"));
        assertNotNull(cases.get("ml-stages.gate / rule 1: roc_auc >= 0.65"));
        assertNotNull(cases.get("ml-stages.validate-data / dataset.required_column customer_id"));
        // the rolled-back canary: its two ERROR findings fail
        Element rolledBack = cases.get("ml-stages.canary / canary.rolled_back fraud-detector/2");
        Element failure = (Element) rolledBack.getElementsByTagName("failure").item(0);
        assertEquals("ERROR canary.rolled_back rolled back: 2 failed analyses (failure limit 2): error_rate 1 [<= 0.05] FAIL",
                failure.getAttribute("message"));
        assertTrue(failure.getTextContent(), failure.getTextContent().endsWith("\nobserved: 0\nexpected: 100"));
        assertEquals("2", doc.getDocumentElement().getAttribute("failures"));
        assertEquals("0", doc.getDocumentElement().getAttribute("skipped"));
        assertEquals("0", doc.getDocumentElement().getAttribute("errors"));
    }

    @Test
    public void aWarningPassesWithItsFindingInSystemOutAndASeverityProperty() throws Exception {
        Document doc = parse(new JUnitReport(ReportFormatsFixtures.pipeline()).xml());
        Element drift = cases(doc).get("ml-stages.validate-data / drift.wasserstein income");
        assertEquals(0, drift.getElementsByTagName("failure").getLength());
        assertEquals(0, drift.getElementsByTagName("skipped").getLength());
        String out = drift.getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(out, out.startsWith("WARNING drift.wasserstein income: wasserstein 0.6260, drifted (drift when ≥ 0.1)\n"));
        Element property = (Element) doc.getElementsByTagName("property").item(0);
        assertEquals("severity:ml-stages.validate-data:drift.wasserstein income", property.getAttribute("name"));
        assertEquals("warning", property.getAttribute("value"));
        assertEquals(1, doc.getElementsByTagName("property").getLength());
    }

    @Test
    public void gateRulesFailWarnAndSkip() throws Exception {
        byte[] xml = new JUnitReport(ReportFormatsFixtures.hostile()).xml();
        Document doc = parse(xml);
        Map<String, Element> cases = cases(doc);
        Element failed = cases.get("ml-stages.gate / rule 2: roc_auc >= champion.roc_auc");
        assertEquals("ERROR gate.rule FAIL roc_auc >= champion.roc_auc: 0.5 vs required 0.56",
                ((Element) failed.getElementsByTagName("failure").item(0)).getAttribute("message"));
        Element skipped = cases.get("ml-stages.gate / rule 3: paired(roc_auc) >= 0");
        assertEquals("SKIP paired(roc_auc) >= 0: no champion scores",
                ((Element) skipped.getElementsByTagName("skipped").item(0)).getAttribute("message"));
        Element warned = cases.get("ml-stages.gate / rule 4: warning: all slices.roc_auc >= 0.6");
        assertEquals(0, warned.getElementsByTagName("failure").getLength());
        assertTrue(warned.getElementsByTagName("system-out").item(0).getTextContent().startsWith("WARNING gate.rule FAIL warning"));
        assertEquals("1", doc.getDocumentElement().getAttribute("skipped"));
        assertEquals("1", doc.getDocumentElement().getAttribute("failures"));
        assertEquals("the gate's rule findings are not counted twice", 4,
                cases.keySet().stream().filter(k -> k.startsWith("ml-stages.gate / ")).count());
    }

    @Test
    public void hostileTextStaysText() throws Exception {
        String token = "junit-token-" + System.nanoTime();
        Secrets.remember(Secrets.bearer(token));
        java.util.List<StageInput> inputs = new ArrayList<>();
        com.fasterxml.jackson.databind.node.ObjectNode validate = (com.fasterxml.jackson.databind.node.ObjectNode) ExampleReports.json("validate-data");
        com.fasterxml.jackson.databind.node.ObjectNode finding = (com.fasterxml.jackson.databind.node.ObjectNode) validate.path("findings").get(0);
        finding.put("passed", false).put("subject", "]]></x>\u001b[31m\uD800 " + token).put("message", "<failure/> & \"q\"");
        inputs.add(new StageReportReader().parse(new ByteArrayInputStream(
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(validate)), "v.json"));
        byte[] xml = new JUnitReport(BuildReport.merge(inputs, "t")).xml();
        ReportFormatsFixtures.validateAgainstSurefireSchema(xml);
        String text = new String(xml, StandardCharsets.UTF_8);
        assertFalse(text.contains(token));
        assertFalse("no raw control character", text.contains("\u001b"));
        Element c = cases(parse(xml)).get("ml-stages.validate-data / dataset.row_count ]]></x>\\u001b[31m\uFFFD ****");
        assertEquals("ERROR dataset.row_count <failure/> & \"q\"",
                ((Element) c.getElementsByTagName("failure").item(0)).getAttribute("message"));
    }
}
