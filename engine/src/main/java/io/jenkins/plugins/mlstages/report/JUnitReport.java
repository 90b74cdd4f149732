package io.jenkins.plugins.mlstages.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The build report's checks as a JUnit XML test report, the format Jenkins' {@code junit} step, GitLab's
 * {@code artifacts:reports:junit} and GitHub's test reporters read; it follows Maven Surefire's published
 * schema (one {@code <testsuite>}). One test case per check: each finding of each stage (validate-data,
 * evaluate, register, canary, the gate's own), and each gate rule in place of the gate's rule findings.
 * The class name is {@code ml-stages.<stage>}. A stage that reported no finding is one case, its verdict.
 * <ul>
 * <li>a failed ERROR finding, a FAILED rule of severity error: {@code <failure>} with the one-line finding;
 * <li>a SKIPPED rule: {@code <skipped>} with its explanation;
 * <li>a failed WARNING (or INFO) finding, a FAILED warning rule: a passing case (a warning does not fail
 * a build) with the finding in {@code <system-out>}, and a suite property
 * {@code severity:<classname>:<case name>} = {@code warning} ({@code info}): Surefire's schema has
 * properties only on the suite;
 * <li>anything that passed: a passing case.
 * </ul>
 */
public final class JUnitReport {
    /** The class name prefix of every case: Jenkins shows {@code ml-stages} as the package. */
    public static final String PACKAGE = "ml-stages";

    private final BuildReport report;

    public JUnitReport(BuildReport report) {
        this.report = report;
    }

    /** One test case. {@code outcome} is {@code passed}, {@code failure} or {@code skipped}; {@code severity} only when not passed. */
    public record TestCase(String classname, String name, String outcome, String message, String detail, Severity severity) {
    }

    /** The cases, in the order of the stages and of their findings; names unique within a class. */
    public List<TestCase> cases() {
        List<TestCase> cases = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode stage : report.stages()) {
            String name = stage.path("stage").asText("");
            if (name.isEmpty() || !stage.path("findings").isArray()) {
                // a lineage graph: no checks
                continue;
            }
            String classname = PACKAGE + "." + name;
            List<TestCase> stageCases = new ArrayList<>();
            boolean gate = "gate".equals(name) && stage.path("rules").isArray();
            if (gate) {
                for (JsonNode rule : stage.path("rules")) {
                    stageCases.add(rule(classname, rule));
                }
            }
            for (JsonNode finding : stage.path("findings")) {
                if (!(gate && "gate.rule".equals(finding.path("check").asText()))) {
                    stageCases.add(finding(classname, finding));
                }
            }
            if (stageCases.isEmpty()) {
                stageCases.add(verdict(classname, name, stage.path("status").asText("")));
            }
            for (TestCase c : stageCases) {
                int count = seen.merge(c.classname() + "\u0000" + c.name(), 1, Integer::sum);
                cases.add(count == 1 ? c : new TestCase(c.classname(), c.name() + " #" + count, c.outcome(), c.message(), c.detail(),
                        c.severity()));
            }
        }
        return cases;
    }

    private static TestCase finding(String classname, JsonNode finding) {
        String check = finding.path("check").asText("finding");
        String subject = finding.path("subject").isValueNode() ? finding.path("subject").asText() : null;
        Severity severity = severity(finding.path("severity").asText("error"));
        String name = subject == null ? check : check + " " + subject;
        if (finding.path("passed").asBoolean(false)) {
            return new TestCase(classname, name, "passed", null, null, null);
        }
        String line = severity.name() + " " + check + " " + finding.path("message").asText("");
        StringBuilder detail = new StringBuilder(line);
        if (finding.path("observed").isValueNode()) {
            detail.append("\nobserved: ").append(finding.path("observed").asText());
        }
        if (finding.path("expected").isValueNode()) {
            detail.append("\nexpected: ").append(finding.path("expected").asText());
        }
        return new TestCase(classname, name, severity == Severity.ERROR ? "failure" : "passed", line, detail.toString(), severity);
    }

    private static TestCase rule(String classname, JsonNode rule) {
        String name = "rule " + rule.path("number").asText("?") + ": " + rule.path("rule").asText("");
        Severity severity = severity(rule.path("severity").asText("error"));
        String explanation = rule.path("explanation").asText("");
        switch (rule.path("status").asText("")) {
            case "PASSED":
                return new TestCase(classname, name, "passed", null, null, null);
            case "SKIPPED":
                return new TestCase(classname, name, "skipped", explanation, null, null);
            default:
                String line = severity.name() + " gate.rule " + explanation;
                return new TestCase(classname, name, severity == Severity.ERROR ? "failure" : "passed", line, line, severity);
        }
    }

    private static TestCase verdict(String classname, String stage, String status) {
        if (status.equals(Status.PASSED.name())) {
            return new TestCase(classname, stage, "passed", null, null, null);
        }
        String line = stage + " " + status;
        return new TestCase(classname, stage, status.equals(Status.WARNING.name()) ? "passed" : "failure", line, line,
                status.equals(Status.WARNING.name()) ? Severity.WARNING : Severity.ERROR);
    }

    private static Severity severity(String text) {
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            return Severity.ERROR;
        }
    }

    /** The XML document, UTF-8. */
    public byte[] xml() {
        List<TestCase> cases = cases();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(bytes, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", clean(report.summary().title()));
            xml.writeAttribute("tests", Integer.toString(cases.size()));
            xml.writeAttribute("failures", Long.toString(cases.stream().filter(c -> c.outcome().equals("failure")).count()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", Long.toString(cases.stream().filter(c -> c.outcome().equals("skipped")).count()));
            xml.writeAttribute("time", "0");
            List<TestCase> warned = cases.stream().filter(c -> c.outcome().equals("passed") && c.severity() != null).toList();
            if (!warned.isEmpty()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("properties");
                for (TestCase c : warned) {
                    xml.writeCharacters("\n    ");
                    xml.writeEmptyElement("property");
                    xml.writeAttribute("name", clean("severity:" + c.classname() + ":" + c.name()));
                    xml.writeAttribute("value", c.severity().toString());
                }
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
            for (TestCase c : cases) {
                xml.writeCharacters("\n  ");
                boolean empty = c.outcome().equals("passed") && c.severity() == null;
                if (empty) {
                    xml.writeEmptyElement("testcase");
                } else {
                    xml.writeStartElement("testcase");
                }
                xml.writeAttribute("name", clean(c.name()));
                xml.writeAttribute("classname", clean(c.classname()));
                xml.writeAttribute("time", "0");
                if (empty) {
                    continue;
                }
                xml.writeCharacters("\n    ");
                switch (c.outcome()) {
                    case "failure":
                        xml.writeStartElement("failure");
                        xml.writeAttribute("message", clean(c.message()));
                        xml.writeAttribute("type", c.severity().name());
                        xml.writeCharacters(cleanLines(c.detail()));
                        xml.writeEndElement();
                        break;
                    case "skipped":
                        xml.writeEmptyElement("skipped");
                        xml.writeAttribute("message", clean(c.message()));
                        break;
                    default:
                        xml.writeStartElement("system-out");
                        xml.writeCharacters(cleanLines(c.detail()));
                        xml.writeEndElement();
                }
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit XML", e);
        }
        return bytes.toByteArray();
    }

    /** Writes the XML whole or not at all. */
    public void write(Path target) throws IOException {
        AtomicFile.write(target, xml());
    }

    /**
     * Text XML can carry: known credentials redacted, control characters (which XML 1.0 cannot hold at
     * all) written visibly as {@code \}{@code uXXXX} by {@link Printable}; unpaired surrogates replaced.
     */
    private static String clean(String text) {
        return surrogates(Printable.escape(Secrets.redactKnown(text == null ? "" : text)));
    }

    private static String cleanLines(String text) {
        return surrogates(Printable.escapeLines(Secrets.redactKnown(text == null ? "" : text)));
    }

    private static String surrogates(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
