package io.jenkins.plugins.mlstages.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The standalone report page: one self-contained HTML file that works offline and from
 * {@code file://}. The stylesheet and the script are the page resources ({@code page/report.css},
 * {@code page/report.js}, shared unchanged with the Jenkins build page) inlined; the report JSON sits
 * HTML-escaped in the {@code data-report} attribute of a {@code .ml-stages-report} element, which the
 * script renders. A Content-Security-Policy allows exactly that style and that script (by hash) and
 * nothing else, so even markup smuggled into the page could not run.
 */
public final class ReportPage {
    static final String CSS = "page/report.css";
    static final String JS = "page/report.js";
    private static final Pattern SCRIPT_END = Pattern.compile("(?i)</(script)");
    private static final Pattern STYLE_END = Pattern.compile("(?i)</(style)");

    private ReportPage() {
    }

    /** The page of {@code report}. */
    public static String html(BuildReport report) {
        String json;
        try {
            json = ReportWriter.newMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
        return html(report.summary().title(), json);
    }

    /** The page of a report given as JSON text. */
    public static String html(String title, String reportJson) {
        String css = inlineSafe(resource(CSS), STYLE_END);
        String js = inlineSafe(resource(JS), SCRIPT_END);
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'sha256-"
                + sha256(css) + "'; script-src 'sha256-" + sha256(js) + "'\">\n"
                // Redacted as the report's JSON is: a title may be built from a job or branch name.
                + "<title>" + escape(Secrets.redactKnown(title)) + "</title>\n"
                + "<link rel=\"icon\" href=\"data:,\">\n"
                + "<style>" + css + "</style>\n"
                + "</head>\n<body>\n"
                + "<div class=\"ml-stages-report\" data-report=\"" + escape(reportJson) + "\"></div>\n"
                + "<script>" + js + "</script>\n"
                + "</body>\n</html>\n";
    }

    /** Writes the page of {@code report} whole or not at all, as {@link ReportWriter} writes reports. */
    public static void write(Path target, BuildReport report) throws IOException {
        write(target, html(report));
    }

    /** Writes a page whole or not at all. */
    public static void write(Path target, String page) throws IOException {
        AtomicFile.write(target, page.getBytes(StandardCharsets.UTF_8));
    }

    /** Text for an attribute value or an element: {@code & < > " '} escaped. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }

    /** A page resource, read from the classpath. */
    public static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("page resource " + name + " is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The resource with every {@code </script} (or {@code </style}) made harmless, so that the element
     * cannot end early: in JavaScript strings and comments {@code <\/} means the same; {@code <!--} is
     * broken up for the same reason (it changes how the HTML parser reads a script).
     */
    static String inlineSafe(String text, Pattern end) {
        return end.matcher(text).replaceAll("<\\\\/$1").replace("<!--", "<\\!--");
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
