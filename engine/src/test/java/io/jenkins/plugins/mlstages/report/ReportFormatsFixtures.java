package io.jenkins.plugins.mlstages.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reports for the Markdown and JUnit writers' tests: the example pipeline, the same with a hostile
 * column name and a gate whose rules fail, warn and skip; and Maven Surefire's published test-report
 * schema (unpacked from Surefire's source release at build time, see engine/pom.xml), shared with the
 * cli module's tests.
 */
public final class ReportFormatsFixtures {
    /** A column name that would be markup if written as it is. */
    public static final String HOSTILE = "in|come `x` <img src=x onerror=alert(1)> [link](http://evil) *b* $m$";

    private ReportFormatsFixtures() {
    }

    /** Validates {@code xml} against Surefire's test-report XSD; throws with the schema's complaint. */
    public static void validateAgainstSurefireSchema(byte[] xml) throws Exception {
        try (InputStream xsd = ReportFormatsFixtures.class.getResourceAsStream("/surefire-xsd/surefire-test-report.xsd")) {
            if (xsd == null) {
                throw new AssertionError("surefire-test-report.xsd is missing from the test classpath: it is unpacked from"
                        + " org.apache.maven.surefire:surefire:3.5.2:zip:source-release by engine/pom.xml (process-test-resources)");
            }
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            Validator validator = factory.newSchema(new StreamSource(xsd)).newValidator();
            validator.validate(new StreamSource(new ByteArrayInputStream(xml)));
        }
    }

    /** The example pipeline's reports plus the rolled-back canary. */
    public static BuildReport pipeline() throws ReportInputException {
        List<StageInput> inputs = ExampleReports.inputs(ExampleReports.PIPELINE);
        inputs.add(ExampleReports.input("canary"));
        return BuildReport.merge(inputs, "fraud-detector: example pipeline");
    }

    /**
     * The example pipeline where validate-data's drifted column is {@link #HOSTILE}, and the gate has
     * four rules: 1 PASSED, 2 FAILED (error), 3 FAILED (warning), 4 SKIPPED.
     */
    public static BuildReport hostile() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode validate = (ObjectNode) ExampleReports.json("validate-data");
        for (var drift : validate.path("drift")) {
            if (drift.path("drifted").asBoolean()) {
                ((ObjectNode) drift).put("column", HOSTILE);
            }
        }
        for (var finding : validate.path("findings")) {
            if (!finding.path("passed").asBoolean()) {
                ((ObjectNode) finding).put("subject", HOSTILE);
                ((ObjectNode) finding).put("message", HOSTILE + ": drifted\nsecond line");
            }
        }
        ObjectNode gate = (ObjectNode) ExampleReports.json("gate");
        ArrayNode rules = (ArrayNode) gate.path("rules");
        ObjectNode failed = (ObjectNode) rules.get(1);
        failed.put("status", "FAILED").put("explanation", "FAIL roc_auc >= champion.roc_auc: 0.5 vs required 0.56");
        ObjectNode warned = (ObjectNode) rules.get(3);
        warned.put("status", "FAILED").put("explanation", "FAIL warning: all slices.roc_auc >= 0.6: region=APAC 0.55");
        ObjectNode skipped = (ObjectNode) rules.get(2);
        skipped.put("status", "SKIPPED").put("explanation", "SKIP paired(roc_auc) >= 0: no champion scores");
        gate.put("status", "FAILED");
        ArrayNode ruleFindings = (ArrayNode) gate.path("findings");
        ((ObjectNode) ruleFindings.get(1)).put("passed", false).put("message", failed.path("explanation").asText());
        ((ObjectNode) ruleFindings.get(3)).put("passed", false).put("message", warned.path("explanation").asText());
        List<StageInput> inputs = new ArrayList<>();
        inputs.add(parse(mapper, validate, "validate-data"));
        inputs.add(ExampleReports.input("evaluate"));
        inputs.add(parse(mapper, gate, "gate"));
        inputs.add(ExampleReports.input("register"));
        inputs.add(ExampleReports.input("canary-promoted"));
        return BuildReport.merge(inputs, "hostile <b>title</b> | x");
    }

    private static StageInput parse(ObjectMapper mapper, ObjectNode json, String name) {
        try {
            return new StageReportReader().parse(new ByteArrayInputStream(mapper.writeValueAsBytes(json)), name + ".json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReportInputException e) {
            throw new IllegalStateException(e);
        }
    }
}
